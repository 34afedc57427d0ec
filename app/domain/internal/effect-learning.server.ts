/**
 * The effect report's Learning section: per cohort and goal, the change in
 * the participants' self-rating from start to end, among those who rated
 * themselves both times (docs/decisions/035). No grant check: the effect
 * report calls it after its own. Only groups of 5 or more are shown.
 */
import type { Db } from "~/db/connection.server";
import { protectedPairedMean, sumShownPairs, type PairedMean, type PairedSums } from "./effect-protection";

export interface GoalLearning extends PairedMean {
  goalId: number;
  text: string;
}

export interface LearningFigures {
  goals: GoalLearning[];
  /** All goals together: each person's mean over the goals, start and end. */
  all: PairedMean;
}

export interface LearningSums {
  goals: Map<number, PairedSums>;
  all: PairedSums;
}

const empty = (): PairedSums => ({ n: 0, before: 0, after: 0 });

export async function learningSums(db: Db, programmeId: number, cohortIds: number[]): Promise<{ goals: { id: number; text: string }[]; byCohort: Map<number, LearningSums> }> {
  const goals = await db.selectFrom("programme_goals").select(["id", "text"]).where("programme_id", "=", programmeId).orderBy("position").execute();
  const rows = cohortIds.length
    ? await db
        .selectFrom("self_ratings as s")
        .innerJoin("self_ratings as e", (j) =>
          j.onRef("e.cohort_id", "=", "s.cohort_id").onRef("e.participant_id", "=", "s.participant_id").onRef("e.goal_id", "=", "s.goal_id").on("e.phase", "=", "end"),
        )
        .select(["s.cohort_id as cohortId", "s.participant_id as participantId", "s.goal_id as goalId", "s.score as before", "e.score as after"])
        .where("s.phase", "=", "start")
        .where("s.cohort_id", "in", cohortIds)
        .execute()
    : [];
  const byCohort = new Map<number, LearningSums>();
  const people = new Map<string, { cohortId: number; before: number; after: number; k: number }>();
  for (const r of rows) {
    const c = byCohort.get(r.cohortId) ?? { goals: new Map(), all: empty() };
    byCohort.set(r.cohortId, c);
    const g = c.goals.get(r.goalId) ?? empty();
    c.goals.set(r.goalId, { n: g.n + 1, before: g.before + r.before, after: g.after + r.after });
    const key = `${r.cohortId}:${r.participantId}`;
    const p = people.get(key) ?? { cohortId: r.cohortId, before: 0, after: 0, k: 0 };
    people.set(key, { ...p, before: p.before + r.before, after: p.after + r.after, k: p.k + 1 });
  }
  for (const p of people.values()) {
    const c = byCohort.get(p.cohortId)!;
    c.all = { n: c.all.n + 1, before: c.all.before + p.before / p.k, after: c.all.after + p.after / p.k };
  }
  return { goals, byCohort };
}

export function learningFigures(goals: { id: number; text: string }[], sums: LearningSums | undefined): LearningFigures {
  return {
    goals: goals.map((g) => ({ goalId: g.id, text: g.text, ...protectedPairedMean(sums?.goals.get(g.id) ?? empty()) })),
    all: protectedPairedMean(sums?.all ?? empty()),
  };
}

/** The programme's figures over the cohorts whose own figure is shown, goal by goal. */
export function learningTotal(goals: { id: number; text: string }[], cohorts: (LearningSums | undefined)[]): LearningFigures {
  return learningFigures(goals, {
    goals: new Map(goals.map((g) => [g.id, sumShownPairs(cohorts.map((c) => c?.goals.get(g.id) ?? empty()))])),
    all: sumShownPairs(cohorts.map((c) => c?.all ?? empty())),
  });
}
