/**
 * The follow-up windows in SQL, shared by the coordinator's follow-up list
 * (outcomes.server.ts) and the start page's count (overview.server.ts). Takes
 * a bare handle and municipality ids and checks no grant.
 */
import { sql, type Expression, type SqlBool } from "kysely";
import type { Db } from "~/db/connection.server";
import type { OutcomeCheckpoint } from "~/db/schema";
import { dialectOf } from "~/db/dialect.server";
import { stockholmToday } from "~/utils/format";

export const FOLLOW_UP_GRACE_DAYS = 28;

/** SQL for the same window, so counting never loads the rows; the same on both database engines (the dialect bounds a short month, as addMonthsToDate does). */
export function opensOnSql(db: Db, checkpoint: OutcomeCheckpoint) {
  return checkpoint === "4_weeks" ? sql<string>`e.ended_on` : dialectOf(db).addMonths(sql<string>`e.ended_on`, 6);
}
export function dueOnSql(db: Db, checkpoint: OutcomeCheckpoint) {
  return dialectOf(db).addDays(opensOnSql(db, checkpoint), FOLLOW_UP_GRACE_DAYS);
}

export function leftEnrolments(db: Db, municipalityIds: number[]) {
  return db
    .selectFrom("enrolments as e")
    .where("e.municipality_id", "in", municipalityIds.length ? municipalityIds : [0])
    .where("e.status", "in", ["completed", "dropped"])
    .where("e.started_on", "is not", null)
    .where("e.ended_on", "is not", null);
}

export function notRecorded(checkpoint: OutcomeCheckpoint): Expression<SqlBool> {
  return sql<SqlBool>`not exists (select 1 from outcomes o where o.enrolment_id = e.id and o.checkpoint = ${checkpoint})`;
}

/** Open follow-ups of a municipality for the start page: how many, and how many overdue. */
export async function countDueFollowUps(db: Db, municipalityId: number, today: string = stockholmToday()): Promise<{ due: number; overdue: number }> {
  let due = 0;
  let overdue = 0;
  for (const checkpoint of ["4_weeks", "6_months"] as const) {
    const row = await leftEnrolments(db, [municipalityId])
      .where(notRecorded(checkpoint))
      .where(sql<SqlBool>`${opensOnSql(db, checkpoint)} <= ${today}`)
      .select([
        sql<number>`count(*)`.as("due"),
        sql<number>`coalesce(sum(case when ${dueOnSql(db, checkpoint)} < ${today} then 1 else 0 end), 0)`.as("overdue"),
      ])
      .executeTakeFirstOrThrow();
    due += Number(row.due);
    overdue += Number(row.overdue);
  }
  return { due, overdue };
}
