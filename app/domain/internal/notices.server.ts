/**
 * Telling participants: an e-mail to every participant's own address (the
 * participants table), whether or not they can log in, and for those who can
 * a notice on their start page (until they mark it seen). Both are written
 * inside the caller's transaction, so a change and its notices land together
 * or not at all; the mail worker sends later, outside any request. One e-mail
 * per participant and notice, however many logins they have. The caller has
 * checked the grant to make the change these notices report.
 */
import type { SelectQueryBuilder } from "kysely";
import type { Db } from "~/db/connection.server";
import type { Database, EnrolmentStatus, NotificationKind, SessionChangeKind, SessionFieldChanges } from "~/db/schema";
import { ENROLMENT_MAIL_SUBJECT, enrolmentNoticeText, sessionMailDetails, sessionMailSubjects, sessionNoticeText } from "~/mail/notice-texts";
import { queueMail, type MailAttachment } from "~/mail/outbox.server";
import { sessionIcsAttachment } from "~/mail/session-ics";
import { acrossMunicipalitiesIn } from "./system-handle.server";

/** Edits that matter to someone on their way to the session. */
const NOTICEABLE_FIELDS = ["host_municipality_id", "venue", "address", "meeting_url"];

const noticeKinds: Record<SessionChangeKind, NotificationKind> = {
  moved: "session_moved",
  cancelled: "session_cancelled",
  reinstated: "session_reinstated",
  edited: "session_changed",
};

export interface ParticipantRecipient {
  participantId: number;
  email: string;
  /** The participant's logins (not disabled); empty for a participant without one. */
  userIds: number[];
}

/** The participants whose ids `ids` selects, with their own address and their logins; anonymised ones are left out. */
export async function participantRecipients(
  trx: Db,
  ids: SelectQueryBuilder<Database, keyof Database, { participant_id: number }> | number[],
): Promise<ParticipantRecipient[]> {
  if (Array.isArray(ids) && ids.length === 0) return [];
  const rows = await trx
    .selectFrom("participants as p")
    .leftJoin("role_grants as g", (join) => join.onRef("g.participant_id", "=", "p.id").on("g.role", "=", "participant"))
    .leftJoin("users as u", (join) => join.onRef("u.id", "=", "g.user_id").on("u.disabled_at", "is", null))
    .select(["p.id as participantId", "p.email", "u.id as userId"])
    .where("p.id", "in", ids)
    .where("p.anonymised_at", "is", null)
    .orderBy("p.id")
    .orderBy("u.id")
    .execute();
  const byParticipant = new Map<number, ParticipantRecipient>();
  for (const row of rows) {
    const recipient = byParticipant.get(row.participantId) ?? { participantId: row.participantId, email: row.email, userIds: [] };
    if (row.userId !== null && !recipient.userIds.includes(row.userId)) recipient.userIds.push(row.userId);
    byParticipant.set(row.participantId, recipient);
  }
  return [...byParticipant.values()];
}

export interface Notice {
  kind: NotificationKind;
  /** The start page's text. */
  message: string;
  subject: string;
  /** The e-mail's text: the notice's, with the details a person without a login needs. */
  mailText?: string;
  /** Where the e-mail links, for those who can log in. */
  linkPath: string;
  sessionId?: number;
  enrolmentId?: number;
  cohortMessageId?: number;
  attachments?: MailAttachment[];
}

/** One e-mail per participant, one notice per login; returns how many participants were told. */
export async function tellParticipants(trx: Db, recipients: ParticipantRecipient[], notice: Notice, now: Date = new Date()): Promise<number> {
  const at = now.toISOString();
  for (const r of recipients) {
    for (const userId of r.userIds) {
      await trx
        .insertInto("notifications")
        .values({
          user_id: userId,
          kind: notice.kind,
          session_id: notice.sessionId ?? null,
          enrolment_id: notice.enrolmentId ?? null,
          cohort_message_id: notice.cohortMessageId ?? null,
          message: notice.message,
          created_at: at,
          seen_at: null,
        })
        .execute();
    }
    await queueMail(
      trx,
      {
        kind: notice.kind,
        to: r.email,
        recipientUserId: r.userIds[0] ?? null,
        recipientParticipantId: r.participantId,
        subject: `${notice.subject} – Programportalen`,
        text: notice.mailText ?? notice.message,
        linkPath: r.userIds.length ? notice.linkPath : null,
        attachments: notice.attachments,
      },
      now,
    );
  }
  return recipients.length;
}

/**
 * After a session changed: every active participant of its cohort gets an e-mail with the
 * updated calendar entry, and those who can log in a notice. Sessions already over, and
 * edits that do not touch time or place, stay quiet. Returns how many participants were told.
 */
export async function notifySessionChanged(
  trx: Db,
  change: { sessionId: number; kind: SessionChangeKind; changes: SessionFieldChanges },
  now: Date = new Date(),
): Promise<number> {
  if (change.kind === "edited" && !Object.keys(change.changes).some((f) => NOTICEABLE_FIELDS.includes(f))) return 0;
  const session = await trx
    .selectFrom("sessions as s")
    .innerJoin("municipalities as m", "m.id", "s.host_municipality_id")
    .select([
      "s.id",
      "s.cohort_id",
      "s.title",
      "s.starts_at",
      "s.ends_at",
      "s.status",
      "s.sequence",
      "s.venue",
      "s.address",
      "s.meeting_url",
      "s.created_at",
      "s.updated_at",
      "m.name as host",
    ])
    .where("s.id", "=", change.sessionId)
    .executeTakeFirstOrThrow();
  const previousEnd = change.changes.ends_at?.from ? String(change.changes.ends_at.from) : session.ends_at;
  const nowIso = now.toISOString();
  if (session.ends_at < nowIso && previousEnd < nowIso) return 0;

  // Crosses municipalities on purpose: a session reaches every municipality's trainees in its cohort, also when
  // the host municipality's coordinator changed it (ADR 013); they are told, and the caller is shown none of them.
  const recipients = await acrossMunicipalitiesIn(trx, () =>
    participantRecipients(
      trx,
      trx.selectFrom("enrolments").select("participant_id").where("cohort_id", "=", session.cohort_id).where("status", "=", "active"),
    ),
  );
  const place = [session.venue, session.address].filter(Boolean).join(", ") || session.meeting_url || session.host;
  const message = sessionNoticeText({ title: session.title, startsAt: session.starts_at, endsAt: session.ends_at }, change.kind, change.changes);
  return tellParticipants(
    trx,
    recipients,
    {
      kind: noticeKinds[change.kind],
      sessionId: session.id,
      message,
      mailText: `${message}\n\n${sessionMailDetails({ startsAt: session.starts_at, endsAt: session.ends_at, status: session.status, place, host: session.host, meetingUrl: session.meeting_url })}`,
      subject: sessionMailSubjects[change.kind],
      linkPath: `/trafar/${session.id}`,
      attachments: [
        sessionIcsAttachment(
          {
            id: session.id,
            title: session.title,
            startsAt: session.starts_at,
            endsAt: session.ends_at,
            status: session.status,
            sequence: session.sequence,
            place,
            createdAt: session.created_at,
            updatedAt: session.updated_at,
          },
          now,
        ),
      ],
    },
    now,
  );
}

/**
 * Call inside the transaction that changes an enrolment's status (after the change, e.g.
 * where the enrolment_events row is written): the participant gets an e-mail and, when
 * they have a login, a notice on their start page. Nothing personal beyond the new status
 * goes into the text (no drop reason). Returns how many participants were told (0 or 1).
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
  return tellParticipants(trx, await participantRecipients(trx, [enrolment.participant_id]), {
    kind: "enrolment_changed",
    enrolmentId,
    message: enrolmentNoticeText(enrolment, change.to),
    subject: ENROLMENT_MAIL_SUBJECT,
    linkPath: "/",
  });
}
