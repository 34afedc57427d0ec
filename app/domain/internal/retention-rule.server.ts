/**
 * The retention rule for participants (docs/decisions/005-retention.md): when
 * a participant who has left may be anonymised, and until when each programme
 * keeps their data. Takes a bare handle and checks no grant: callers load the
 * participant (or the municipality's list) through one.
 */
import type { Transaction } from "kysely";
import type { Db } from "~/db/connection.server";
import type { Database, EnrolmentStatus, Funding } from "~/db/schema";
import { DEFAULT_RETENTION_MONTHS } from "~/schemas/privacy";
import { addDaysToDate, addMonthsToDate } from "~/utils/time";

type Conn = Db | Transaction<Database>;

/** Enrolments that are still going on (or may still start): they block anonymisation. */
export const OPEN_ENROLMENT_STATUSES: EnrolmentStatus[] = ["nominated", "accepted", "waitlisted", "active"];

export interface ProgrammeRetention {
  programmeId: number;
  programmeName: string;
  funding: Funding;
  months: number;
  defaultMonths: number;
  /** True when the programme has not set its own period. */
  isDefault: boolean;
  updatedAt: string | null;
}

/** Each programme's retention period (its own, or the default for its funding). */
export async function retentionOf(db: Conn, programmeIds: number[]): Promise<Map<number, ProgrammeRetention>> {
  const result = new Map<number, ProgrammeRetention>();
  if (!programmeIds.length) return result;
  const rows = await db
    .selectFrom("programmes as p")
    .leftJoin("programme_retention as r", "r.programme_id", "p.id")
    .select(["p.id", "p.name", "p.funding", "r.months", "r.updated_at"])
    .where("p.id", "in", programmeIds)
    .execute();
  for (const r of rows) {
    const defaultMonths = DEFAULT_RETENTION_MONTHS[r.funding];
    result.set(r.id, {
      programmeId: r.id,
      programmeName: r.name,
      funding: r.funding,
      months: r.months ?? defaultMonths,
      defaultMonths,
      isDefault: r.months == null,
      updatedAt: r.updated_at,
    });
  }
  return result;
}

export interface RetentionProgrammeStatus extends ProgrammeRetention {
  /** The day the participant's last enrolment (or reported time) in the programme ended; null while one is open. */
  lastEndedOn: string | null;
  /** The first day the programme no longer needs the data. */
  retainUntil: string | null;
}

export type AnonymisationBlock = "anonymised" | "not_ended" | "open_enrolments" | "retention";

export interface RetentionStatus {
  participantId: number;
  endedOn: string | null;
  anonymisedAt: string | null;
  openEnrolments: number;
  programmes: RetentionProgrammeStatus[];
  /** The first day the participant may be anonymised; null while they have not left. */
  anonymisableFrom: string | null;
  canAnonymise: boolean;
  /** Why not, when canAnonymise is false. */
  block: AnonymisationBlock | null;
}

interface ParticipantFacts {
  id: number;
  ended_on: string | null;
  anonymised_at: string | null;
}

/** Everything the rule needs for a set of participants, in three queries. */
export async function loadFacts(db: Conn, participantIds: number[]) {
  const enrolments: { participant_id: number; programme_id: number; status: EnrolmentStatus; ended_on: string | null; status_changed_at: string }[] = [];
  const reports: { participant_id: number; programme_id: number; last: string | null }[] = [];
  const activities: { participant_id: number; programme_id: number; last: string | null }[] = [];
  // SQLite limits the number of bound values per statement.
  for (let i = 0; i < participantIds.length; i += 500) {
    const ids = participantIds.slice(i, i + 500);
    enrolments.push(
      ...(await db
        .selectFrom("enrolments as e")
        .innerJoin("cohorts as c", "c.id", "e.cohort_id")
        .select(["e.participant_id", "c.programme_id", "e.status", "e.ended_on", "e.status_changed_at"])
        .where("e.participant_id", "in", ids)
        .execute()),
    );
    reports.push(
      ...(await db
        .selectFrom("time_reports")
        .select(["participant_id", "programme_id", (eb) => eb.fn.max("month").as("last")])
        .where("participant_id", "in", ids)
        .groupBy(["participant_id", "programme_id"])
        .execute()),
    );
    activities.push(
      ...(await db
        .selectFrom("own_activities")
        .select(["participant_id", "programme_id", (eb) => eb.fn.max("activity_on").as("last")])
        .where("participant_id", "in", ids)
        .groupBy(["participant_id", "programme_id"])
        .execute()),
    );
  }
  const programmeIds = [...new Set([...enrolments, ...reports, ...activities].map((r) => r.programme_id))];
  return { enrolments, reports, activities, retention: await retentionOf(db, programmeIds) };
}

function laterOf(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

export function statusFrom(p: ParticipantFacts, facts: Awaited<ReturnType<typeof loadFacts>>, today: string): RetentionStatus {
  const ends = new Map<number, string | null>();
  let openEnrolments = 0;
  const touch = (programmeId: number, date: string | null) => ends.set(programmeId, laterOf(ends.get(programmeId) ?? null, date));
  for (const e of facts.enrolments.filter((r) => r.participant_id === p.id)) {
    if (OPEN_ENROLMENT_STATUSES.includes(e.status)) {
      openEnrolments++;
      touch(e.programme_id, null);
    } else {
      touch(e.programme_id, e.ended_on ?? e.status_changed_at.slice(0, 10));
    }
  }
  for (const r of facts.reports.filter((x) => x.participant_id === p.id)) touch(r.programme_id, r.last ? addDaysToDate(addMonthsToDate(`${r.last}-01`, 1), -1) : null);
  for (const a of facts.activities.filter((x) => x.participant_id === p.id)) touch(a.programme_id, a.last);

  const programmes: RetentionProgrammeStatus[] = [...ends.entries()]
    .map(([programmeId, lastEndedOn]) => {
      const retention = facts.retention.get(programmeId)!;
      return { ...retention, lastEndedOn, retainUntil: lastEndedOn ? addMonthsToDate(lastEndedOn, retention.months) : null };
    })
    .sort((a, b) => a.programmeName.localeCompare(b.programmeName, "sv"));

  let anonymisableFrom: string | null = null;
  if (p.ended_on && openEnrolments === 0) {
    anonymisableFrom = programmes.reduce<string>((latest, x) => laterOf(latest, x.retainUntil)!, p.ended_on);
  }
  const block: AnonymisationBlock | null = p.anonymised_at
    ? "anonymised"
    : !p.ended_on
      ? "not_ended"
      : openEnrolments > 0
        ? "open_enrolments"
        : anonymisableFrom! > today
          ? "retention"
          : null;
  return {
    participantId: p.id,
    endedOn: p.ended_on,
    anonymisedAt: p.anonymised_at,
    openEnrolments,
    programmes,
    anonymisableFrom,
    canAnonymise: block === null,
    block,
  };
}

/** The rule for one participant (no grant check: callers load the participant through one). */
export async function retentionStatusOf(db: Conn, participant: ParticipantFacts, today: string): Promise<RetentionStatus> {
  return statusFrom(participant, await loadFacts(db, [participant.id]), today);
}
