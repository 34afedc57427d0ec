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
import { sql, type Expression, type SqlBool } from "kysely";
import { nowIso, type Db } from "~/db/connection.server";
import type { EnrolmentStatus, OutcomeCheckpoint, OutcomeResult } from "~/db/schema";
import { stockholmToday } from "~/utils/format";
import { addDaysToDate, addMonthsToDate } from "~/utils/time";
import { writeAudit } from "./audit.server";
import { badRequest, coordinatedMunicipalityIds, denied, notFound, requireGrant, requireRole, type Ctx } from "./context.server";

export const FOLLOW_UP_GRACE_DAYS = 28;
export const RECORDED_PER_PAGE = 25;
const DUE_LIST_LIMIT = 200;
const UPCOMING_DAYS = 30;

export function followUpWindow(checkpoint: OutcomeCheckpoint, endedOn: string): { opensOn: string; dueOn: string } {
  const opensOn = checkpoint === "4_weeks" ? endedOn : addMonthsToDate(endedOn, 6);
  return { opensOn, dueOn: addDaysToDate(opensOn, FOLLOW_UP_GRACE_DAYS) };
}

/**
 * SQL for the same window, so counting never loads the rows. SQLite's
 * '+6 months' runs 31 Aug on to 3 Mar; the end of the month six months on
 * bounds it, as addMonthsToDate does.
 */
function opensOnSql(checkpoint: OutcomeCheckpoint) {
  return checkpoint === "4_weeks"
    ? sql<string>`e.ended_on`
    : sql<string>`min(date(e.ended_on, '+6 months'), date(e.ended_on, 'start of month', '+7 months', '-1 day'))`;
}
function dueOnSql(checkpoint: OutcomeCheckpoint) {
  return sql<string>`date(${opensOnSql(checkpoint)}, ${`+${FOLLOW_UP_GRACE_DAYS} days`})`;
}

function leftEnrolments(db: Db, municipalityIds: number[]) {
  return db
    .selectFrom("enrolments as e")
    .where("e.municipality_id", "in", municipalityIds.length ? municipalityIds : [0])
    .where("e.status", "in", ["completed", "dropped"])
    .where("e.started_on", "is not", null)
    .where("e.ended_on", "is not", null);
}

function notRecorded(checkpoint: OutcomeCheckpoint): Expression<SqlBool> {
  return sql<SqlBool>`not exists (select 1 from outcomes o where o.enrolment_id = e.id and o.checkpoint = ${checkpoint})`;
}

/** Open follow-ups of a municipality for the start page: how many, and how many overdue. */
export async function countDueFollowUps(db: Db, municipalityId: number, today: string = stockholmToday()): Promise<{ due: number; overdue: number }> {
  let due = 0;
  let overdue = 0;
  for (const checkpoint of ["4_weeks", "6_months"] as const) {
    const row = await leftEnrolments(db, [municipalityId])
      .where(notRecorded(checkpoint))
      .where(sql<SqlBool>`${opensOnSql(checkpoint)} <= ${today}`)
      .select([
        sql<number>`count(*)`.as("due"),
        sql<number>`coalesce(sum(case when ${dueOnSql(checkpoint)} < ${today} then 1 else 0 end), 0)`.as("overdue"),
      ])
      .executeTakeFirstOrThrow();
    due += Number(row.due);
    overdue += Number(row.overdue);
  }
  return { due, overdue };
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
export async function requireFollowUpMunicipalities(ctx: Ctx): Promise<number[]> {
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
      opensOnSql(checkpoint).as("opensOn"),
      dueOnSql(checkpoint).as("dueOn"),
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
      .where(sql<SqlBool>`${opensOnSql(checkpoint)} <= ${today}`)
      .orderBy(sql`${dueOnSql(checkpoint)}`)
      .limit(DUE_LIST_LIMIT + 1)
      .execute();
    due.push(...open.map(toItem(checkpoint)));
    const soon = await itemsQuery(ctx.db, municipalityIds, checkpoint)
      .where(sql<SqlBool>`${opensOnSql(checkpoint)} > ${today}`)
      .where(sql<SqlBool>`${opensOnSql(checkpoint)} <= ${horizon}`)
      .orderBy(sql`${opensOnSql(checkpoint)}`)
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

/** Records (or corrects) the result of one follow-up. Rule violations are 400 with a Swedish message. */
export async function recordOutcome(
  ctx: Ctx,
  input: { enrolmentId: number; checkpoint: OutcomeCheckpoint; result: OutcomeResult },
  today: string = stockholmToday(),
): Promise<void> {
  await requireRole(ctx, "outcomes:write", { entity: "enrolment", entityId: input.enrolmentId });
  const e = await ctx.db
    .selectFrom("enrolments")
    .select(["id", "participant_id", "municipality_id", "status", "started_on", "ended_on"])
    .where("id", "=", input.enrolmentId)
    .executeTakeFirst();
  if (!e) throw notFound();
  await requireGrant(ctx, "outcomes:write", { municipalityId: e.municipality_id }, { entity: "enrolment", entityId: e.id });
  if (!["completed", "dropped"].includes(e.status) || !e.started_on || !e.ended_on) {
    throw badRequest("Deltagaren har inte lämnat omgången, så det finns inget att följa upp.");
  }
  const { opensOn } = followUpWindow(input.checkpoint, e.ended_on);
  if (opensOn > today) throw badRequest(`Uppföljningen kan registreras från och med ${opensOn}.`);

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
}
