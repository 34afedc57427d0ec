/**
 * Telling trainees about changes: a notice on their start page (until they
 * mark it seen) and an e-mail in the outbox. Both are written inside the
 * caller's transaction, so a change and its notice land together or not at
 * all; the mail worker sends later, outside any request. The caller has
 * checked the grant to make the change these notices report.
 */
import type { Db } from "~/db/connection.server";
import type { EnrolmentStatus, NotificationKind, SessionChangeKind, SessionFieldChanges } from "~/db/schema";
import { ENROLMENT_MAIL_SUBJECT, enrolmentNoticeText, sessionMailSubjects, sessionNoticeText } from "~/mail/notice-texts";
import { queueMail } from "~/mail/outbox.server";

/** Edits that matter to someone on their way to the session. */
const NOTICEABLE_FIELDS = ["host_municipality_id", "venue", "address", "meeting_url"];

const noticeKinds: Record<SessionChangeKind, NotificationKind> = {
  moved: "session_moved",
  cancelled: "session_cancelled",
  reinstated: "session_reinstated",
  edited: "session_changed",
};

interface Recipient {
  userId: number;
  email: string;
}

async function insertNotice(
  trx: Db,
  recipients: Recipient[],
  notice: { kind: NotificationKind; sessionId?: number; enrolmentId?: number; message: string; subject: string; linkPath: string },
): Promise<void> {
  const now = new Date().toISOString();
  for (const r of recipients) {
    await trx
      .insertInto("notifications")
      .values({
        user_id: r.userId,
        kind: notice.kind,
        session_id: notice.sessionId ?? null,
        enrolment_id: notice.enrolmentId ?? null,
        message: notice.message,
        created_at: now,
        seen_at: null,
      })
      .execute();
    await queueMail(trx, {
      kind: notice.kind,
      to: r.email,
      recipientUserId: r.userId,
      subject: `${notice.subject} – Programportalen`,
      text: notice.message,
      linkPath: notice.linkPath,
    });
  }
}

/**
 * After a session changed: the active participants of its cohort who can log in get a notice
 * and an e-mail. Sessions already over, and edits that do not touch time or place, stay quiet.
 */
export async function notifySessionChanged(
  trx: Db,
  change: { sessionId: number; kind: SessionChangeKind; changes: SessionFieldChanges },
  now: Date = new Date(),
): Promise<number> {
  if (change.kind === "edited" && !Object.keys(change.changes).some((f) => NOTICEABLE_FIELDS.includes(f))) return 0;
  const session = await trx
    .selectFrom("sessions")
    .select(["id", "cohort_id", "title", "starts_at", "ends_at"])
    .where("id", "=", change.sessionId)
    .executeTakeFirstOrThrow();
  const previousEnd = change.changes.ends_at?.from ? String(change.changes.ends_at.from) : session.ends_at;
  const nowIso = now.toISOString();
  if (session.ends_at < nowIso && previousEnd < nowIso) return 0;

  const recipients = await trx
    .selectFrom("enrolments as e")
    .innerJoin("role_grants as g", (join) => join.onRef("g.participant_id", "=", "e.participant_id").on("g.role", "=", "participant"))
    .innerJoin("users as u", "u.id", "g.user_id")
    .select(["u.id as userId", "u.email"])
    .where("e.cohort_id", "=", session.cohort_id)
    .where("e.status", "=", "active")
    .where("u.disabled_at", "is", null)
    .distinct()
    .execute();
  await insertNotice(trx, recipients, {
    kind: noticeKinds[change.kind],
    sessionId: session.id,
    message: sessionNoticeText({ title: session.title, startsAt: session.starts_at, endsAt: session.ends_at }, change.kind, change.changes),
    subject: sessionMailSubjects[change.kind],
    linkPath: "/schema",
  });
  return recipients.length;
}

/**
 * Call inside the transaction that changes an enrolment's status (after the change, e.g.
 * where the enrolment_events row is written): the participant, when they have a login, gets
 * a notice on their start page and an e-mail. Nothing personal beyond the new status goes
 * into the text (no drop reason). Returns how many users were told.
 */
export async function notifyEnrolmentChanged(
  trx: Db,
  enrolmentId: number,
  change: { from?: EnrolmentStatus | null; to: EnrolmentStatus },
): Promise<number> {
  if (change.from === change.to) return 0;
  const enrolment = await trx
    .selectFrom("enrolments as e")
    .innerJoin("cohorts as c", "c.id", "e.cohort_id")
    .innerJoin("programmes as p", "p.id", "c.programme_id")
    .select(["e.id", "e.participant_id", "c.name as cohortName", "p.name as programmeName"])
    .where("e.id", "=", enrolmentId)
    .executeTakeFirstOrThrow();
  const recipients = await trx
    .selectFrom("role_grants as g")
    .innerJoin("users as u", "u.id", "g.user_id")
    .select(["u.id as userId", "u.email"])
    .where("g.role", "=", "participant")
    .where("g.participant_id", "=", enrolment.participant_id)
    .where("u.disabled_at", "is", null)
    .distinct()
    .execute();
  await insertNotice(trx, recipients, {
    kind: "enrolment_changed",
    enrolmentId,
    message: enrolmentNoticeText(enrolment, change.to),
    subject: ENROLMENT_MAIL_SUBJECT,
    linkPath: "/",
  });
  return recipients.length;
}
