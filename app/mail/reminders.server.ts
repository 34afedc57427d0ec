/**
 * Reminder e-mail a few days before each session (REMINDER_DAYS_BEFORE),
 * queued once per session and participant, to the participant's own address
 * whether or not they can log in: the primary key of session_reminders makes
 * a second one impossible. Participants who opted out get none; each reminder
 * carries its own one-click opt-out link (app/domain/reminder-opt-outs.server.ts).
 */
import type { Db } from "~/db/connection.server";
import { dialectOf } from "~/db/dialect.server";
import { newOptOutLink } from "~/domain/internal/reminder-opt-out-links.server";
import { participantRecipients } from "~/domain/internal/notices.server";
import { formatTime, formatWeekdayDate } from "~/utils/format";
import { queueMail } from "./outbox.server";

export function reminderText(s: { title: string; startsAt: string; endsAt: string; host: string; venue: string; address: string; meetingUrl: string }): string {
  const place = [s.venue, s.address].filter(Boolean).join(", ") || s.host;
  const lines = [
    `Påminnelse: ”${s.title}” ${formatWeekdayDate(s.startsAt)} kl. ${formatTime(s.startsAt)}–${formatTime(s.endsAt)}.`,
    `Plats: ${place} (värd: ${s.host} kommun).`,
  ];
  if (s.meetingUrl) lines.push(`Möteslänk: ${s.meetingUrl}`);
  return lines.join("\n");
}

/** Queues the reminders that are due now; returns how many were queued. */
export async function queueDueReminders(db: Db, options: { daysBefore: number; now?: Date }): Promise<number> {
  if (options.daysBefore <= 0) return 0;
  const now = options.now ?? new Date();
  const horizon = new Date(now.getTime() + options.daysBefore * 86_400_000).toISOString();
  return db.transaction().execute(async (trx) => {
    // Every app process runs a mail worker: one queues, the next then sees what it queued.
    await dialectOf(trx).takeWriterTurn(trx, "session_reminders");
    const due = await trx
      .selectFrom("sessions as s")
      .innerJoin("municipalities as m", "m.id", "s.host_municipality_id")
      .innerJoin("enrolments as e", (join) => join.onRef("e.cohort_id", "=", "s.cohort_id").on("e.status", "=", "active"))
      .select([
        "s.id as sessionId",
        "e.participant_id as participantId",
        "e.municipality_id as municipalityId",
        "s.title",
        "s.starts_at as startsAt",
        "s.ends_at as endsAt",
        "m.name as host",
        "s.venue",
        "s.address",
        "s.meeting_url as meetingUrl",
      ])
      .where("s.status", "=", "planned")
      .where("s.starts_at", ">", now.toISOString())
      .where("s.starts_at", "<=", horizon)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("session_reminders as r")
              .select("r.session_id")
              .whereRef("r.session_id", "=", "s.id")
              .whereRef("r.participant_id", "=", "e.participant_id"),
          ),
        ),
      )
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom("reminder_opt_outs as o").select("o.participant_id").whereRef("o.participant_id", "=", "e.participant_id"))),
      )
      .orderBy("s.starts_at")
      .orderBy("e.participant_id")
      .execute();
    const recipients = new Map((await participantRecipients(trx, [...new Set(due.map((r) => r.participantId))])).map((r) => [r.participantId, r]));
    const queued = new Set<string>();
    for (const r of due) {
      const key = `${r.sessionId}:${r.participantId}`;
      const recipient = recipients.get(r.participantId);
      if (queued.has(key) || !recipient) continue;
      queued.add(key);
      const optOut = await newOptOutLink(trx, { participantId: r.participantId, municipalityId: r.municipalityId }, now);
      const mailId = await queueMail(
        trx,
        {
          kind: "session_reminder",
          to: recipient.email,
          recipientUserId: recipient.userIds[0] ?? null,
          recipientParticipantId: r.participantId,
          subject: `Påminnelse: ${r.title} – Programportalen`,
          text: reminderText(r),
          linkPath: recipient.userIds.length ? `/trafar/${r.sessionId}` : null,
          unsubscribePath: optOut,
        },
        now,
      );
      await trx
        .insertInto("session_reminders")
        .values({ session_id: r.sessionId, participant_id: r.participantId, mail_id: mailId, queued_at: now.toISOString() })
        .execute();
    }
    return queued.size;
  });
}
