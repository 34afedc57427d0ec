/**
 * Whether a participant wants reminders before sessions. Only reminders can be
 * turned off: changes, cancellations and messages always reach everyone.
 * Turned off by the trainee under Mitt schema, or without a login through the
 * one-click link in any reminder (internal/reminder-opt-out-links.server.ts).
 * The reminder job (app/mail/reminders.server.ts) skips whoever opted out.
 */
import type { Db } from "~/db/connection.server";
import type { z } from "zod";
import type { reminderSettingSchema } from "~/schemas/messages";
import { writeAudit } from "./audit.server";
import { ownParticipantIds, requireRole, type Ctx } from "./context.server";
import { OPT_OUT_TOKEN_PATTERN, optOutTokenHash } from "./internal/reminder-opt-out-links.server";
import { INPUT_REFUSED, ok, type Checked, type Result } from "./result";

/** The trainee's own setting: true when they get reminders. */
export async function remindersWanted(ctx: Ctx): Promise<boolean> {
  await requireRole(ctx, "self:read");
  const own = ownParticipantIds(ctx);
  const out = await ctx.db.selectFrom("reminder_opt_outs").select("participant_id").where("participant_id", "in", own).execute();
  return out.length < own.length;
}

async function optOut(db: Db, participant: { id: number; municipalityId: number }, now: string): Promise<void> {
  await db
    .insertInto("reminder_opt_outs")
    .values({ participant_id: participant.id, municipality_id: participant.municipalityId, opted_out_at: now })
    .onConflict((oc) => oc.column("participant_id").doNothing())
    .execute();
}

/** The trainee turns reminders on or off for their own participant records. */
export async function setRemindersWanted(ctx: Ctx, submitted: Checked<z.infer<typeof reminderSettingSchema>>): Promise<Result<{ wanted: boolean }>> {
  await requireRole(ctx, "self:read");
  if (submitted.status !== "success") return INPUT_REFUSED;
  const wanted = submitted.value.reminders === "on";
  const own = ownParticipantIds(ctx);
  const now = new Date().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    if (wanted) {
      await trx.deleteFrom("reminder_opt_outs").where("participant_id", "in", own).execute();
    } else {
      const participants = await trx.selectFrom("participants").select(["id", "municipality_id"]).where("id", "in", own).execute();
      for (const p of participants) await optOut(trx, { id: p.id, municipalityId: p.municipality_id }, now);
    }
    await writeAudit(trx, { actorUserId: ctx.user.id, action: wanted ? "reminders.opted_in" : "reminders.opted_out", entity: "participant", entityId: own[0] ?? null });
  });
  return ok({ wanted });
}

/** A one-click opt-out link from a reminder e-mail: the token is the only credential, as a rater's link is. */
export interface OptOutLink {
  db: Db;
  token: string;
}

/** Whether the link is live (the page shows its button only then). */
export async function optOutLinkExists({ db, token }: OptOutLink): Promise<boolean> {
  if (!OPT_OUT_TOKEN_PATTERN.test(token)) return false;
  return Boolean(await db.selectFrom("reminder_opt_out_links").select("participant_id").where("token_hash", "=", optOutTokenHash(token)).executeTakeFirst());
}

/** The one-click opt-out, no login needed; false for an unknown link. Saying it twice is fine. */
export async function optOutByLink({ db, token }: OptOutLink): Promise<boolean> {
  if (!OPT_OUT_TOKEN_PATTERN.test(token)) return false;
  return db.transaction().execute(async (trx) => {
    const link = await trx
      .selectFrom("reminder_opt_out_links")
      .select(["participant_id", "municipality_id"])
      .where("token_hash", "=", optOutTokenHash(token))
      .executeTakeFirst();
    if (!link) return false;
    await optOut(trx, { id: link.participant_id, municipalityId: link.municipality_id }, new Date().toISOString());
    await writeAudit(trx, { actorUserId: null, municipalityId: link.municipality_id, action: "reminders.opted_out_by_link", entity: "participant", entityId: link.participant_id });
    return true;
  });
}
