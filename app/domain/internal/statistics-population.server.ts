/**
 * Who the statistics count, shared by the selection figures
 * (statistics.server.ts) and the protected breakdowns
 * (statistics-breakdowns.server.ts): a programme, optionally one cohort and
 * some municipalities, over a period of whole days.
 */
import { sql, type Expression, type SqlBool } from "kysely";
import type { Db } from "~/db/connection.server";

export const EARLIEST = "0000-01-01";

/** Age when the enrolment started (ESF's bands). */
export type AgeBand = "under_18" | "18_29" | "30_54" | "55_plus";
export const AGE_BANDS: AgeBand[] = ["under_18", "18_29", "30_54", "55_plus"];

export interface ResolvedScope {
  programmeId: number;
  cohortId: number | null;
  /** YYYY-MM-DD, inclusive. */
  from: string;
  /** YYYY-MM-DD, inclusive. */
  to: string;
  /** null: the whole programme. */
  municipalityIds: number[] | null;
}

/** Enrolments of participants who took part at some time in the period, with their participant row. */
export function population(db: Db, s: ResolvedScope) {
  let q = db
    .selectFrom("enrolments as e")
    .innerJoin("cohorts as c", "c.id", "e.cohort_id")
    .innerJoin("participants as p", "p.id", "e.participant_id")
    .where("c.programme_id", "=", s.programmeId)
    .where("e.status", "in", ["active", "completed", "dropped"])
    .where("e.started_on", "is not", null)
    .where("e.started_on", "<=", s.to)
    .where((eb) => eb.or([eb("e.ended_on", "is", null), eb("e.ended_on", ">=", s.from)]));
  if (s.cohortId) q = q.where("e.cohort_id", "=", s.cohortId);
  if (s.municipalityIds) q = q.where("e.municipality_id", "in", s.municipalityIds);
  return q;
}

export function leftInPeriod(s: ResolvedScope): Expression<SqlBool> {
  return sql<SqlBool>`(e.status in ('completed', 'dropped') and e.ended_on <= ${s.to})`;
}

/** Participants, active at the period's end, completed and dropped in it: participants = active + completed + dropped. */
export function statusColumns(s: ResolvedScope) {
  return [
    sql<number>`count(*)`.as("total"),
    sql<number>`coalesce(sum(case when ${leftInPeriod(s)} then 0 else 1 end), 0)`.as("active"),
    sql<number>`coalesce(sum(case when e.status = 'completed' and e.ended_on <= ${s.to} then 1 else 0 end), 0)`.as("completed"),
    sql<number>`coalesce(sum(case when e.status = 'dropped' and e.ended_on <= ${s.to} then 1 else 0 end), 0)`.as("dropped"),
  ] as const;
}

export const AGE_EXPRESSION = sql<AgeBand>`case
  when cast(substr(e.started_on, 1, 4) as integer) - p.birth_year < 18 then 'under_18'
  when cast(substr(e.started_on, 1, 4) as integer) - p.birth_year < 30 then '18_29'
  when cast(substr(e.started_on, 1, 4) as integer) - p.birth_year < 55 then '30_54'
  else '55_plus' end`;
