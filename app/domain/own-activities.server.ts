/**
 * Own activities (egna aktiviteter): time a trainee spent on the programme
 * outside its sessions (shadowing, self-study, homework). The trainee records
 * one; their municipality's coordinator approves or rejects it, and an
 * approved one counts in the month's time report, which may then go back to
 * draft (hours-ledger.server.ts). A certified month takes no new hours.
 */
import { sql, type SqlBool } from "kysely";
import { nowIso } from "~/db/connection.server";
import type { DecideOwnActivityInput, OwnActivityInput } from "~/schemas/timereports";
import { formatMonth, stockholmToday } from "~/utils/format";
import { writeAudit } from "./audit.server";
import { denied, ownParticipantIds, requireGrant, requireRole, type Ctx } from "./context.server";
import { isMonthCertified, noteHoursChanged } from "./internal/hours-ledger.server";
import { refuseUnseen } from "./internal/system-handle.server";
import { type Checked, INPUT_REFUSED, ok, refuse, type Result } from "./result";

/** A trainee records an activity in a programme they are active in; it waits for their coordinator's decision. */
export async function recordOwnActivity(ctx: Ctx, submitted: Checked<OwnActivityInput>, today: string = stockholmToday()): Promise<Result> {
  const participantIds = ownParticipantIds(ctx);
  if (!participantIds.length) await denied(ctx, "timereports:self");
  if (submitted.status !== "success") return INPUT_REFUSED;
  const input = submitted.value;
  const minutes = Math.round(input.hours * 60);
  const enrolment = await ctx.db
    .selectFrom("enrolments as e")
    .innerJoin("cohorts as c", "c.id", "e.cohort_id")
    .select(["e.participant_id", "e.municipality_id"])
    .where("e.participant_id", "in", participantIds)
    .where("c.programme_id", "=", input.programmeId)
    .where("e.status", "=", "active")
    .executeTakeFirst();
  if (!enrolment) return refuse("Du är inte aktiv i det programmet.");
  await requireGrant(ctx, "timereports:self", { participantId: enrolment.participant_id });
  if (input.date > today) return refuse("Du kan bara redovisa tid som redan har ägt rum.");
  if (await isMonthCertified(ctx.db, enrolment.participant_id, input.programmeId, input.date.slice(0, 7))) {
    return refuse("Tidrapporten för den månaden är redan attesterad. Kontakta din samordnare.", 409);
  }
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("own_activities")
      .values({
        participant_id: enrolment.participant_id,
        municipality_id: enrolment.municipality_id,
        programme_id: input.programmeId,
        kind: input.kind,
        activity_on: input.date,
        minutes,
        description: input.description,
        status: "pending",
        created_by: ctx.user.id,
        created_at: nowIso(),
        decided_by: null,
        decided_at: null,
        reason: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: enrolment.municipality_id,
      action: "own_activity.recorded",
      entity: "own_activity",
      entityId: row.id,
      detail: { participantId: enrolment.participant_id, fields: ["kind", "activity_on", "minutes", "description"] },
    });
  });
  return ok();
}

/** The coordinator approves (the hours count in the month's report) or rejects (with a reason) a pending activity. */
export async function decideOwnActivity(ctx: Ctx, submitted: Checked<DecideOwnActivityInput>): Promise<Result<"approve" | "reject">> {
  await requireRole(ctx, "timereports:certify", { entity: "own_activity", entityId: submitted.status === "success" ? submitted.value.activityId : undefined });
  if (submitted.status !== "success") return INPUT_REFUSED;
  const { activityId, ...input } = submitted.value;
  const activity = await ctx.db.selectFrom("own_activities").selectAll().where("id", "=", activityId).executeTakeFirst();
  if (!activity) return refuseUnseen(ctx, { table: "own_activities", id: activityId, entity: "own_activity" }, "timereports:certify");
  await requireGrant(
    ctx,
    "timereports:certify",
    { municipalityId: activity.municipality_id },
    { entity: "own_activity", entityId: activityId },
  );
  if (input.decision === "reject" && !input.reason?.trim()) return refuse("Skriv varför aktiviteten avslås.");
  const month = activity.activity_on.slice(0, 7);
  const approve = input.decision === "approve";
  const certifiedMonth = `Tidrapporten för ${formatMonth(`${month}-15`)} är attesterad. Öppna den igen innan aktiviteten godkänns.`;
  return ctx.db.transaction().execute(async (trx): Promise<Result<"approve" | "reject">> => {
    // One statement decides and checks: still pending, and (to approve) its month not certified.
    const updated = await trx
      .updateTable("own_activities")
      .set({ status: approve ? "approved" : "rejected", decided_by: ctx.user.id, decided_at: nowIso(), reason: input.reason?.trim() || null })
      .where("id", "=", activityId)
      .where("status", "=", "pending")
      .where((eb) =>
        approve
          ? eb.not(
              eb.exists(
                eb
                  .selectFrom("time_reports as r")
                  .select(sql`1`.as("one"))
                  .where("r.participant_id", "=", activity.participant_id)
                  .where("r.programme_id", "=", activity.programme_id)
                  .where("r.month", "=", month)
                  .where("r.status", "=", "certified"),
              ),
            )
          : sql<SqlBool>`1 = 1`,
      )
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      const now = await trx.selectFrom("own_activities").select("status").where("id", "=", activityId).executeTakeFirstOrThrow();
      return refuse(now.status !== "pending" ? "Aktiviteten är redan beslutad." : certifiedMonth, 409);
    }
    if (approve) {
      await noteHoursChanged(
        trx,
        { participantId: activity.participant_id, municipalityId: activity.municipality_id, programmeId: activity.programme_id, month },
        ctx.user.id,
      );
    }
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: activity.municipality_id,
      action: approve ? "own_activity.approved" : "own_activity.rejected",
      entity: "own_activity",
      entityId: activityId,
      detail: { participantId: activity.participant_id, fields: ["status", "reason"] },
    });
    return ok(input.decision);
  });
}
