/**
 * When a participant rates themself against the programme's goals
 * (docs/decisions/035-self-rating-and-behaviour-figures.md): at the start of
 * their cohort and at its end, each within a window around that date, once
 * the programme has goals. No grant check: the start page and the self-rating
 * module call it with the caller's own participant ids.
 */
import type { Db } from "~/db/connection.server";
import type { EnrolmentStatus, SelfRatingPhase } from "~/db/schema";
import { addDaysToDate } from "~/utils/time";

/** Days before and after the cohort's first and last day that each rating is open. */
export const SELF_RATING_WINDOWS: Record<SelfRatingPhase, { from: number; to: number; enrolled: EnrolmentStatus[] }> = {
  start: { from: -14, to: 42, enrolled: ["accepted", "active"] },
  end: { from: -28, to: 28, enrolled: ["active", "completed"] },
};

export const PHASES: SelfRatingPhase[] = ["start", "end"];

export function phaseWindow(cohort: { startsOn: string; endsOn: string }, phase: SelfRatingPhase): { opensOn: string; closesOn: string } {
  const w = SELF_RATING_WINDOWS[phase];
  const day = phase === "start" ? cohort.startsOn : cohort.endsOn;
  return { opensOn: addDaysToDate(day, w.from), closesOn: addDaysToDate(day, w.to) };
}

export function phaseOpen(cohort: { startsOn: string; endsOn: string }, phase: SelfRatingPhase, status: EnrolmentStatus, today: string): boolean {
  const { opensOn, closesOn } = phaseWindow(cohort, phase);
  return SELF_RATING_WINDOWS[phase].enrolled.includes(status) && opensOn <= today && today <= closesOn;
}

/** The caller's cohorts whose programme has goals, with the phases already rated. */
export async function ownRatingCohorts(db: Db, participantIds: number[]) {
  if (!participantIds.length) return [];
  const cohorts = await db
    .selectFrom("enrolments as e")
    .innerJoin("cohorts as c", "c.id", "e.cohort_id")
    .innerJoin("programmes as p", "p.id", "c.programme_id")
    .select(["c.id as cohortId", "c.name as cohortName", "c.starts_on as startsOn", "c.ends_on as endsOn", "p.id as programmeId", "p.name as programmeName", "e.participant_id as participantId", "e.municipality_id as municipalityId", "e.status"])
    .where("e.participant_id", "in", participantIds)
    .where("e.status", "in", ["accepted", "active", "completed"])
    .where(({ exists, selectFrom }) => exists(selectFrom("programme_goals as g").select("g.id").whereRef("g.programme_id", "=", "p.id")))
    .orderBy("c.starts_on", "desc")
    .execute();
  if (!cohorts.length) return [];
  const rated = await db
    .selectFrom("self_ratings")
    .select(["cohort_id as cohortId", "participant_id as participantId", "phase"])
    .distinct()
    .where("participant_id", "in", participantIds)
    .execute();
  return cohorts.map((c) => ({
    ...c,
    rated: PHASES.filter((phase) => rated.some((r) => r.cohortId === c.cohortId && r.participantId === c.participantId && r.phase === phase)),
  }));
}

/** Ratings open now and not yet given: the start page's notice. */
export async function dueSelfRatings(db: Db, participantIds: number[], today: string) {
  const cohorts = await ownRatingCohorts(db, participantIds);
  return cohorts.flatMap((c) =>
    PHASES.filter((phase) => !c.rated.includes(phase) && phaseOpen(c, phase, c.status, today)).map((phase) => ({
      cohortId: c.cohortId,
      cohortName: c.cohortName,
      programmeName: c.programmeName,
      phase,
      closesOn: phaseWindow(c, phase).closesOn,
    })),
  );
}
