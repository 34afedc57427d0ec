/**
 * Outcome follow-up (Uppföljning): ESF result indicators are measured within
 * 4 weeks of leaving a cohort and again 6 months after. For every enrolment
 * that ended (completed or dropped, after having started), the coordinator of
 * the participant's municipality records the result at each checkpoint. The
 * results feed the statistics; the open ones remind the coordinator.
 *
 * Windows: the 4-week follow-up opens on the day of leaving and is due 28 days
 * later; the 6-month follow-up opens 6 months after leaving and is due 28
 * days after that. An open follow-up past its due date is overdue.
 */
import { sql, type SqlBool } from "kysely";
import { nowIso, type Db } from "~/db/connection.server";
import type { EnrolmentStatus, OutcomeCheckpoint, OutcomeResult } from "~/db/schema";
import { formatDate, stockholmToday } from "~/utils/format";
import { addDaysToDate, addMonthsToDate } from "~/utils/time";
import { writeAudit } from "./audit.server";
import { coordinatedMunicipalityIds, denied, notFound, requireGrant, requireRole, type Ctx } from "./context.server";
import { dueOnSql, FOLLOW_UP_GRACE_DAYS, leftEnrolments, notRecorded, opensOnSql } from "./internal/follow-up-windows.server";
import { INPUT_REFUSED, ok, refuse, type Checked, type Result } from "./result";

export { FOLLOW_UP_GRACE_DAYS } from "./internal/follow-up-windows.server";

export const RECORDED_PER_PAGE = 25;
const DUE_LIST_LIMIT = 200;
const UPCOMING_DAYS = 30;

export function followUpWindow(checkpoint: OutcomeCheckpoint, endedOn: string): { opensOn: string; dueOn: string } {
  const opensOn = checkpoint === "4_weeks" ? endedOn : addMonthsToDate(endedOn, 6);
  return { opensOn, dueOn: addDaysToDate(opensOn, FOLLOW_UP_GRACE_DAYS) };
}

export interface FollowUpItem {
  enrolmentId: number;
  checkpoint: OutcomeCheckpoint;
  participantName: string;
  programmeName: string;
  cohortName: string;
  status: EnrolmentStatus;
  endedOn: string;
  opensOn: string;
  dueOn: string;
  overdue: boolean;
}

export interface RecordedOutcome {
  enrolmentId: number;
  checkpoint: OutcomeCheckpoint;
  result: OutcomeResult;
  participantName: string;
  programmeName: string;
  cohortName: string;
  endedOn: string;
  recordedAt: string;
}

export interface FollowUpPage {
  due: FollowUpItem[];
  dueTruncated: boolean;
  upcoming: FollowUpItem[];
  recorded: RecordedOutcome[];
  page: number;
  pageCount: number;
  recordedTotal: number;
}

/** The coordinator's municipalities; anyone else is refused (403, audited) before any input is read. */
async function requireFollowUpMunicipalities(ctx: Ctx): Promise<number[]> {
  const municipalityIds = coordinatedMunicipalityIds(ctx);
  if (!municipalityIds.length) await denied(ctx, "outcomes:write");
  for (const municipalityId of municipalityIds) await requireGrant(ctx, "outcomes:write", { municipalityId });
  return municipalityIds;
}

function itemsQuery(db: Db, municipalityIds: number[], checkpoint: OutcomeCheckpoint) {
  return leftEnrolments(db, municipalityIds)
    .innerJoin("participants as p", "p.id", "e.participant_id")
    .innerJoin("cohorts as c", "c.id", "e.cohort_id")
    .innerJoin("programmes as pr", "pr.id", "c.programme_id")
    .where(notRecorded(checkpoint))
    .select([
      "e.id as enrolmentId",
      "e.status",
      "e.ended_on as endedOn",
      "p.first_name",
      "p.last_name",
      "c.name as cohortName",
      "pr.name as programmeName",
      opensOnSql(db, checkpoint).as("opensOn"),
      dueOnSql(db, checkpoint).as("dueOn"),
    ]);
}

export async function listFollowUps(ctx: Ctx, options: { page?: number } = {}, today: string = stockholmToday()): Promise<FollowUpPage> {
  const municipalityIds = await requireFollowUpMunicipalities(ctx);
  const toItem = (checkpoint: OutcomeCheckpoint) => (r: Awaited<ReturnType<ReturnType<typeof itemsQuery>["execute"]>>[number]): FollowUpItem => ({
    enrolmentId: r.enrolmentId,
    checkpoint,
    participantName: `${r.first_name} ${r.last_name}`,
    programmeName: r.programmeName,
    cohortName: r.cohortName,
    status: r.status,
    endedOn: r.endedOn!,
    opensOn: r.opensOn,
    dueOn: r.dueOn,
    overdue: r.dueOn < today,
  });

  const due: FollowUpItem[] = [];
  const upcoming: FollowUpItem[] = [];
  const horizon = addDaysToDate(today, UPCOMING_DAYS);
  for (const checkpoint of ["4_weeks", "6_months"] as const) {
    const open = await itemsQuery(ctx.db, municipalityIds, checkpoint)
      .where(sql<SqlBool>`${opensOnSql(ctx.db, checkpoint)} <= ${today}`)
      .orderBy(sql`${dueOnSql(ctx.db, checkpoint)}`)
      .limit(DUE_LIST_LIMIT + 1)
      .execute();
    due.push(...open.map(toItem(checkpoint)));
    const soon = await itemsQuery(ctx.db, municipalityIds, checkpoint)
      .where(sql<SqlBool>`${opensOnSql(ctx.db, checkpoint)} > ${today}`)
      .where(sql<SqlBool>`${opensOnSql(ctx.db, checkpoint)} <= ${horizon}`)
      .orderBy(sql`${opensOnSql(ctx.db, checkpoint)}`)
      .limit(DUE_LIST_LIMIT)
      .execute();
    upcoming.push(...soon.map(toItem(checkpoint)));
  }
  due.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.participantName.localeCompare(b.participantName, "sv"));
  upcoming.sort((a, b) => a.opensOn.localeCompare(b.opensOn));

  const recordedBase = ctx.db
    .selectFrom("outcomes as o")
    .innerJoin("enrolments as e", "e.id", "o.enrolment_id")
    .where("o.municipality_id", "in", municipalityIds);
  const recordedTotal = Number((await recordedBase.select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n);
  const pageCount = Math.max(1, Math.ceil(recordedTotal / RECORDED_PER_PAGE));
  const page = Math.min(Math.max(1, Math.floor(options.page ?? 1)), pageCount);
  const recorded = await recordedBase
    .innerJoin("participants as p", "p.id", "o.participant_id")
    .innerJoin("cohorts as c", "c.id", "e.cohort_id")
    .innerJoin("programmes as pr", "pr.id", "c.programme_id")
    .select([
      "o.enrolment_id as enrolmentId",
      "o.checkpoint",
      "o.result",
      "o.recorded_at as recordedAt",
      "e.ended_on as endedOn",
      "p.first_name",
      "p.last_name",
      "c.name as cohortName",
      "pr.name as programmeName",
    ])
    .orderBy("o.recorded_at", "desc")
    .orderBy("o.id", "desc")
    .limit(RECORDED_PER_PAGE)
    .offset((page - 1) * RECORDED_PER_PAGE)
    .execute();

  return {
    due: due.slice(0, DUE_LIST_LIMIT),
    dueTruncated: due.length > DUE_LIST_LIMIT,
    upcoming,
    recorded: recorded.map((r) => ({
      enrolmentId: r.enrolmentId,
      checkpoint: r.checkpoint,
      result: r.result,
      participantName: `${r.first_name} ${r.last_name}`,
      programmeName: r.programmeName,
      cohortName: r.cohortName,
      endedOn: r.endedOn ?? "",
      recordedAt: r.recordedAt,
    })),
    page,
    pageCount,
    recordedTotal,
  };
}

/** Records (or corrects) the result of one follow-up; a follow-up that is not open yet is refused (400, in Swedish). */
export async function recordOutcome(
  ctx: Ctx,
  submitted: Checked<{ enrolmentId: number; checkpoint: OutcomeCheckpoint; result: OutcomeResult }>,
  today: string = stockholmToday(),
): Promise<Result> {
  await requireFollowUpMunicipalities(ctx);
  if (submitted.status !== "success") return INPUT_REFUSED;
  const input = submitted.value;
  await requireRole(ctx, "outcomes:write", { entity: "enrolment", entityId: input.enrolmentId });
  const e = await ctx.db
    .selectFrom("enrolments")
    .select(["id", "participant_id", "municipality_id", "status", "started_on", "ended_on"])
    .where("id", "=", input.enrolmentId)
    .executeTakeFirst();
  if (!e) throw notFound();
  await requireGrant(ctx, "outcomes:write", { municipalityId: e.municipality_id }, { entity: "enrolment", entityId: e.id });
  if (!["completed", "dropped"].includes(e.status) || !e.started_on || !e.ended_on) {
    return refuse("Deltagaren har inte lämnat omgången, så det finns inget att följa upp.");
  }
  const { opensOn } = followUpWindow(input.checkpoint, e.ended_on);
  if (opensOn > today) return refuse(`Uppföljningen kan registreras från och med ${formatDate(opensOn)}.`);

  const now = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom("outcomes")
      .select("id")
      .where("enrolment_id", "=", e.id)
      .where("checkpoint", "=", input.checkpoint)
      .executeTakeFirst();
    await trx
      .insertInto("outcomes")
      .values({
        enrolment_id: e.id,
        participant_id: e.participant_id,
        municipality_id: e.municipality_id,
        checkpoint: input.checkpoint,
        result: input.result,
        recorded_by: ctx.user.id,
        recorded_at: now,
      })
      .onConflict((oc) => oc.columns(["enrolment_id", "checkpoint"]).doUpdateSet({ result: input.result, recorded_by: ctx.user.id, recorded_at: now }))
      .execute();
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: e.municipality_id,
      action: existing ? "outcome.corrected" : "outcome.recorded",
      entity: "enrolment",
      entityId: e.id,
      detail: { participantId: e.participant_id, checkpoint: input.checkpoint, fields: ["result"] },
    });
  });
  return ok();
}
