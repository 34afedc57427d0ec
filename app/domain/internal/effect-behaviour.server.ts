/**
 * The effect report's Behaviour section (docs/decisions/035): per cohort and
 * 360 dimension, the change in how others rated the participants from the
 * first round to the follow-up, among participants with both rounds; and the
 * share of action-plan goals reached. Others' means use only the answers the
 * participant's own report may show (ADR 022), so the report can never be
 * used to reach a hidden rater group. Only rounds that are over count, and
 * only groups of 5 or more are shown. No grant check: the effect report calls
 * it after its own.
 */
import type { Db } from "~/db/connection.server";
import { stockholmToday } from "~/utils/format";
import { protectedPairedMean, protectedShare, sumShown, sumShownPairs, MIN_GROUP, type PairedMean, type PairedSums, type Share } from "./effect-protection";
import { dimensionMean, groupAnswers, parseInstrument, type Scores } from "./feedback-instrument";
import { roundIsOver } from "./feedback-store.server";

export interface DimensionChange extends PairedMean {
  key: string;
  title: string;
}

export interface BehaviourFigures {
  /** Participants with a first and a follow-up round that are both over. */
  withBothRounds: number;
  dimensions: DimensionChange[];
  /** Action-plan goals reached, of all goals in the plans of the cohort. */
  goalsReached: Share;
  /** Participants with at least one goal in their plan. */
  plans: number;
}

export interface BehaviourSums {
  withBothRounds: number;
  dimensions: Map<string, PairedSums>;
  goalsReached: Share;
  plans: number;
}

const empty = (): PairedSums => ({ n: 0, before: 0, after: 0 });

/** The goals share is shown only when the goals come from at least 5 people, on top of the share rule. */
function goalsShare(reached: number, goals: number, plans: number): Share {
  const share = protectedShare(reached, goals);
  return plans >= MIN_GROUP ? share : { count: null, n: goals, shown: false };
}

export async function behaviourSums(db: Db, cohortIds: number[], today = stockholmToday()) {
  const dimensionTitles = new Map<string, string>();
  const byCohort = new Map<number, BehaviourSums>();
  if (!cohortIds.length) return { dimensionTitles, byCohort };
  const rounds = await db
    .selectFrom("feedback_rounds as o")
    .innerJoin("feedback_instruments as i", "i.id", "o.instrument_id")
    .select(["o.id", "o.cohort_id as cohortId", "o.kind", "o.closes_on", "o.closed_at", "i.content"])
    .where("o.cohort_id", "in", cohortIds)
    .execute();
  for (const cohortId of cohortIds) {
    const first = rounds.find((r) => r.cohortId === cohortId && r.kind === "first");
    const followUp = rounds.find((r) => r.cohortId === cohortId && r.kind === "follow_up");
    const sums: BehaviourSums = { withBothRounds: 0, dimensions: new Map(), goalsReached: protectedShare(0, 0), plans: 0 };
    byCohort.set(cohortId, sums);
    if (!first || !followUp || !roundIsOver(first, today) || !roundIsOver(followUp, today)) continue;
    const answers = await db
      .selectFrom("feedback_responses as r")
      .innerJoin("feedback_subjects as s", "s.id", "r.subject_id")
      .select(["s.round_id as roundId", "s.participant_id as participantId", "r.shown_as as shownAs", "r.scores"])
      .where("s.round_id", "in", [first.id, followUp.id])
      .execute();
    const shownAnswers = (roundId: number, participantId: number): Scores[] =>
      groupAnswers(answers.filter((a) => a.roundId === roundId && a.participantId === participantId).map((a) => ({ shownAs: a.shownAs, scores: JSON.parse(a.scores) as Scores }))).shown.flatMap(
        (g) => g.answers,
      );
    const before = parseInstrument(first.content);
    const after = parseInstrument(followUp.content);
    for (const d of after.dimensions) if (!dimensionTitles.has(d.key)) dimensionTitles.set(d.key, d.title);
    const participants = [...new Set(answers.filter((a) => a.roundId === followUp.id).map((a) => a.participantId))].filter((p) => answers.some((a) => a.roundId === first.id && a.participantId === p));
    sums.withBothRounds = participants.length;
    for (const p of participants) {
      const was = shownAnswers(first.id, p);
      const is = shownAnswers(followUp.id, p);
      for (const d of after.dimensions) {
        const b = before.dimensions.find((x) => x.key === d.key);
        const beforeMean = b ? dimensionMean(b, was) : null;
        const afterMean = dimensionMean(d, is);
        if (beforeMean === null || afterMean === null) continue;
        const s = sums.dimensions.get(d.key) ?? empty();
        sums.dimensions.set(d.key, { n: s.n + 1, before: s.before + beforeMean, after: s.after + afterMean });
      }
    }
  }
  const goals = await db
    .selectFrom("action_plan_goals as g")
    .innerJoin("action_plans as p", "p.id", "g.plan_id")
    .select((eb) => [
      "p.cohort_id as cohortId",
      eb.fn.count<number>("g.id").as("goals"),
      eb.fn.count<number>(eb.case().when("g.status", "=", "reached").then(1).end()).as("reached"),
      eb.fn.count<number>("p.participant_id").distinct().as("plans"),
    ])
    .where("p.cohort_id", "in", cohortIds)
    .groupBy("p.cohort_id")
    .execute();
  for (const g of goals) {
    const sums = byCohort.get(g.cohortId)!;
    sums.plans = Number(g.plans);
    sums.goalsReached = goalsShare(Number(g.reached), Number(g.goals), Number(g.plans));
  }
  return { dimensionTitles, byCohort };
}

export function behaviourFigures(titles: Map<string, string>, sums: BehaviourSums | undefined): BehaviourFigures {
  return {
    withBothRounds: sums?.withBothRounds ?? 0,
    dimensions: [...titles].map(([key, title]) => ({ key, title, ...protectedPairedMean(sums?.dimensions.get(key) ?? empty()) })),
    goalsReached: sums?.goalsReached ?? protectedShare(0, 0),
    plans: sums?.plans ?? 0,
  };
}

/** Over the cohorts whose own figure is shown, figure by figure. */
export function behaviourTotal(titles: Map<string, string>, cohorts: BehaviourSums[]): BehaviourFigures {
  const shownGoals = cohorts.filter((c) => c.goalsReached.shown);
  return behaviourFigures(titles, {
    withBothRounds: cohorts.reduce((a, c) => a + c.withBothRounds, 0),
    dimensions: new Map([...titles.keys()].map((key) => [key, sumShownPairs(cohorts.map((c) => c.dimensions.get(key) ?? empty()))])),
    goalsReached: sumShown(cohorts.map((c) => c.goalsReached)),
    plans: shownGoals.reduce((a, c) => a + c.plans, 0),
  });
}
