/**
 * What a trainee reads about a change: the notice on their start page and
 * the e-mail carry the same text, written when the change is made.
 */
import type { EnrolmentStatus, SessionChangeKind, SessionFieldChanges, SessionStatus } from "~/db/schema";
import { enrolmentStatusLabels } from "~/ui/labels";
import { sessionFieldLabels } from "~/ui/session-changes";
import { formatShortDate, formatTime, formatWeekdayDate } from "~/utils/format";

export const sessionMailSubjects: Record<SessionChangeKind, string> = {
  moved: "Träff flyttad",
  cancelled: "Träff inställd",
  reinstated: "Träff blir av igen",
  edited: "Ändrad plats för träff",
};

export const ENROLMENT_MAIL_SUBJECT = "Ändrad status i ditt program";

/** The text of a notice or e-mail to a trainee about a change to a session. */
export function sessionNoticeText(
  session: { title: string; startsAt: string; endsAt: string },
  kind: SessionChangeKind,
  changes: SessionFieldChanges,
): string {
  const when = `${formatWeekdayDate(session.startsAt)} kl. ${formatTime(session.startsAt)}–${formatTime(session.endsAt)}`;
  switch (kind) {
    case "cancelled":
      return `Träffen ”${session.title}” ${formatWeekdayDate(session.startsAt)} är inställd.`;
    case "reinstated":
      return `Träffen ”${session.title}” blir av igen: ${when}.`;
    case "moved": {
      if (!changes.starts_at?.from) return `Träffen ”${session.title}” har fått ny sluttid: ${when}.`;
      const from = String(changes.starts_at.from);
      return `Träffen ”${session.title}” är flyttad från ${formatShortDate(from)} kl. ${formatTime(from)} till ${when}.`;
    }
    default: {
      const fields = Object.keys(changes).map((f) => sessionFieldLabels[f] ?? f);
      return `Träffen ”${session.title}” ${formatWeekdayDate(session.startsAt)} har ändrats (${fields.join(", ")}).`;
    }
  }
}

/** Nothing personal beyond the new status goes into the text (no drop reason). */
export function enrolmentNoticeText(enrolment: { programmeName: string; cohortName: string }, to: EnrolmentStatus): string {
  return `Din plats i ${enrolment.programmeName}, ${enrolment.cohortName} har ändrats: ${enrolmentStatusLabels[to].toLowerCase()}.`;
}

/** The e-mail's lines below the notice: when and where, for a reader who cannot log in. */
export function sessionMailDetails(s: { startsAt: string; endsAt: string; status: SessionStatus; place: string; host: string; meetingUrl: string }): string {
  const lines = [
    `Tid: ${formatWeekdayDate(s.startsAt)} kl. ${formatTime(s.startsAt)}–${formatTime(s.endsAt)}${s.status === "cancelled" ? " (inställd)" : ""}`,
    `Plats: ${s.place} (värd: ${s.host} kommun)`,
  ];
  if (s.meetingUrl && s.status !== "cancelled") lines.push(`Möteslänk: ${s.meetingUrl}`);
  lines.push("Den uppdaterade kalenderposten finns som bilaga (traff.ics).");
  return lines.join("\n");
}
