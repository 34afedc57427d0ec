/**
 * The automatic 360 reminder: a rater who has not answered FEEDBACK_REMINDER_DAYS
 * after the invitation gets one reminder, with a new link (the old one keeps
 * working; ADR 022), unless the participant already reminded them. Run by the
 * mail worker in every app process: the writer's turn on feedback_raters and
 * the conditional update make it exactly once however many run at once.
 * No grant check: nobody asks for it.
 */
import type { Db } from "~/db/connection.server";
import { dialectOf } from "~/db/dialect.server";
import { queueMail } from "~/mail/outbox.server";
import { stockholmToday } from "~/utils/format";
import { invitationText, newToken, sha256 } from "./feedback-mail";

export const FEEDBACK_REMINDER_DAYS = 5;

/** Queues the reminders due now; returns how many were queued. */
export async function queueFeedbackReminders(db: Db, options: { publicUrl: string; now?: Date }): Promise<number> {
  const now = options.now ?? new Date();
  const nowIso = now.toISOString();
  const today = stockholmToday(now);
  const invitedBefore = new Date(now.getTime() - FEEDBACK_REMINDER_DAYS * 86_400_000).toISOString();
  return db.transaction().execute(async (trx) => {
    await dialectOf(trx).takeWriterTurn(trx, "feedback_raters");
    const due = await trx
      .selectFrom("feedback_raters as r")
      .innerJoin("feedback_subjects as s", "s.id", "r.subject_id")
      .innerJoin("feedback_rounds as o", "o.id", "s.round_id")
      .innerJoin("participants as p", (j) => j.onRef("p.id", "=", "s.participant_id").onRef("p.municipality_id", "=", "s.municipality_id"))
      .select(["r.id", "r.email", "r.rater_group as group", "r.shown_apart as shownApart", "o.closes_on as closesOn", "p.first_name as firstName", "p.last_name as lastName"])
      .where("r.answered_at", "is", null)
      .where("r.revoked_at", "is", null)
      .where("r.reminded_at", "is", null)
      .where("r.email", "is not", null)
      .where("r.invited_at", "<=", invitedBefore)
      .where("o.closed_at", "is", null)
      .where("o.closes_on", ">=", today)
      .orderBy("r.id")
      .execute();
    let queued = 0;
    for (const r of due) {
      const marked = await trx.updateTable("feedback_raters").set({ reminded_at: nowIso }).where("id", "=", r.id).where("reminded_at", "is", null).executeTakeFirst();
      if (Number(marked.numUpdatedRows) === 0) continue;
      const name = `${r.firstName} ${r.lastName}`;
      const token = newToken();
      const mailId = await queueMail(
        trx,
        {
          kind: "feedback_reminder",
          to: r.email!,
          recipientUserId: null,
          subject: `Påminnelse: ${name} ber om din återkoppling – Programportalen`,
          text: invitationText(name, r.group, r.shownApart === 1, r.closesOn, `${options.publicUrl}/svara/${token}`, true),
        },
        now,
      );
      await trx.insertInto("feedback_rater_links").values({ token_hash: sha256(token), rater_id: r.id, mail_id: mailId, created_at: nowIso }).execute();
      queued++;
    }
    return queued;
  });
}
