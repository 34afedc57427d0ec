/**
 * The effect report (effektrapport): per programme and cohort, what a
 * kommunchef can read to judge whether the money was well spent, at the
 * four levels: reaction (session evaluations), learning (self-rating against
 * the programme's goals), behaviour (360 rounds, action plans) and results
 * (outcome follow-ups) (docs/decisions/021, 035).
 *
 * Small numbers (as in the statistics, ADR 017): no figure is drawn from a
 * group under 5; a count of 0-4 that a share is built on, or 0-4 left over
 * (which the reader could work out from n), hides the share (".."). A total
 * over cohorts adds up only the cohorts whose own figure is shown, so a
 * hidden cohort can never be had by subtracting the shown ones from it.
 */
import { sql } from "kysely";
import type { OutcomeResult } from "~/db/schema";
import { stockholmToday } from "~/utils/format";
import type { Ctx } from "./context.server";
import { requireProgrammeReader } from "./internal/effects-access.server";
import { MIN_GROUP, protectedShare, sumShown, type Share } from "./internal/effect-protection";
import { evaluationClosesAt, minAnswersOf } from "./internal/evaluation-invitations.server";
import { phaseWindow } from "./internal/self-rating-windows.server";
import { behaviourFigures, behaviourSums, behaviourTotal, type BehaviourFigures } from "./internal/effect-behaviour.server";
import { learningFigures, learningSums, learningTotal, type LearningFigures } from "./internal/effect-learning.server";

export { MIN_GROUP, protectedShare, type Share };
export type { BehaviourFigures, LearningFigures };

export interface ReactionFigures {
  sessions: number;
  answers: number;
  invited: number;
  /** Mean of all statements over the answers, 1-5; null when hidden. */
  mean: number | null;
  shown: boolean;
}

export interface ResultFigures {
  /** Participants who started and left (completed or dropped). */
  left: number;
  /** Those among them with a 6-month follow-up recorded: the n of the shares below. */
  followedUp: number;
  inWorkOrStudies: Share;
  employedInPartner: Share;
  becameManager: Share;
  /** Dropped of those who started. */
  dropped: Share;
}

export interface EffectRow {
  key: string;
  cohortId: number | null;
  municipalityId: number | null;
  reaction: ReactionFigures | null;
  results: ResultFigures;
}

/**
 * When a cohort's figures that still move are published (ADR 036): its
 * Learning once the end rating has closed, a session's evaluations once their
 * answer window has. Until then nothing of them is counted, so reading the
 * report before and after one more answer shows the same figures.
 */
export interface Publication {
  cohortId: number;
  /** The last day of the end rating; Learning is shown from the day after. Null once published. */
  learningPendingUntil: string | null;
  /** Sessions with evaluations still open: counted when their window has closed. */
  reactionPendingSessions: number;
  /** When the first of those windows closes (an ISO instant), null if none. */
  reactionNextClosesAt: string | null;
}

export interface EffectReport {
  programme: { id: number; name: string };
  cohorts: EffectRow[];
  /** Over the cohorts whose figures are shown, figure by figure. */
  total: EffectRow;
  /** The caller's own municipality per cohort (coordinators), results only: evaluations are anonymous and carry no municipality. */
  ownMunicipality: { municipalityId: number; rows: EffectRow[] } | null;
  cohortNames: Record<number, string>;
  /**
   * Per cohort and for the programme (shown cohorts only). Never per
   * municipality: a municipality's mean and the cohort's would give the rest's.
   */
  learning: { goals: { id: number; text: string }[]; rows: { cohortId: number | null; figures: LearningFigures }[] };
  behaviour: { rows: { cohortId: number | null; figures: BehaviourFigures }[] };
  publication: Publication[];
}

const IN_WORK: OutcomeResult[] = ["same_role", "new_role", "became_manager", "studying"];
const EMPLOYED: OutcomeResult[] = ["same_role", "new_role", "became_manager"];

interface RawResults {
  started: number;
  dropped: number;
  left: number;
  followedUp: number;
  inWork: number;
  employed: number;
  manager: number;
}

function resultFigures(r: RawResults): ResultFigures {
  return {
    left: r.left,
    followedUp: r.followedUp,
    inWorkOrStudies: protectedShare(r.inWork, r.followedUp),
    employedInPartner: protectedShare(r.employed, r.followedUp),
    becameManager: protectedShare(r.manager, r.followedUp),
    dropped: protectedShare(r.dropped, r.started),
  };
}

export async function getEffectReport(ctx: Ctx, programmeId: number, now: Date = new Date()): Promise<EffectReport> {
  const reader = await requireProgrammeReader(ctx, "effects:read", programmeId);
  const today = stockholmToday(now);
  const cohorts = await ctx.db
    .selectFrom("cohorts")
    .select(["id", "name", "starts_on as startsOn", "ends_on as endsOn"])
    .where("programme_id", "=", programmeId)
    .orderBy("starts_on")
    .execute();
  const cohortIds = cohorts.length ? cohorts.map((c) => c.id) : [0];

  const rawResults = async (municipalityId: number | null) => {
    let q = ctx.db
      .selectFrom("enrolments as e")
      .leftJoin("outcomes as o", (j) => j.onRef("o.enrolment_id", "=", "e.id").on("o.checkpoint", "=", "6_months"))
      .select([
        "e.cohort_id as cohortId",
        sql<number>`count(*)`.as("started"),
        sql<number>`sum(case when e.status = 'dropped' then 1 else 0 end)`.as("dropped"),
        sql<number>`sum(case when e.status in ('completed', 'dropped') then 1 else 0 end)`.as("left"),
        sql<number>`sum(case when o.id is not null then 1 else 0 end)`.as("followedUp"),
        sql<number>`sum(case when o.result in (${sql.join(IN_WORK)}) then 1 else 0 end)`.as("inWork"),
        sql<number>`sum(case when o.result in (${sql.join(EMPLOYED)}) then 1 else 0 end)`.as("employed"),
        sql<number>`sum(case when o.result = 'became_manager' then 1 else 0 end)`.as("manager"),
      ])
      .where("e.cohort_id", "in", cohortIds)
      .where("e.started_on", "is not", null)
      .groupBy("e.cohort_id");
    if (municipalityId !== null) q = q.where("e.municipality_id", "=", municipalityId);
    const rows = await q.execute();
    return new Map(rows.map((r) => [r.cohortId, Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v ?? 0)])) as unknown as RawResults]));
  };
  const empty: RawResults = { started: 0, dropped: 0, left: 0, followedUp: 0, inWork: 0, employed: 0, manager: 0 };

  // Reaction: sessions with at least the larger of the evaluation threshold and the group minimum.
  const minAnswers = Math.max(MIN_GROUP, await minAnswersOf(ctx.db, programmeId));
  const sessionRows = await ctx.db
    .selectFrom("sessions as s")
    .select([
      "s.cohort_id as cohortId",
      "s.ends_at as endsAt",
      (eb) => eb.selectFrom("evaluation_invitations as i").whereRef("i.session_id", "=", "s.id").select(sql<number>`count(*)`.as("n")).as("invited"),
      (eb) => eb.selectFrom("evaluation_responses as r").whereRef("r.session_id", "=", "s.id").select(sql<number>`count(*)`.as("n")).as("answers"),
      (eb) =>
        eb
          .selectFrom("evaluation_scores as sc")
          .innerJoin("evaluation_responses as r", "r.id", "sc.response_id")
          .whereRef("r.session_id", "=", "s.id")
          .select(sql<number>`coalesce(sum(sc.score), 0)`.as("t"))
          .as("scoreTotal"),
      (eb) =>
        eb
          .selectFrom("evaluation_scores as sc")
          .innerJoin("evaluation_responses as r", "r.id", "sc.response_id")
          .whereRef("r.session_id", "=", "s.id")
          .select(sql<number>`count(*)`.as("n"))
          .as("scoreCount"),
    ])
    .where("s.cohort_id", "in", cohortIds)
    .execute();
  // Only sessions whose answer window has closed: their figures can no longer move (ADR 036).
  const nowIso = now.toISOString();
  const answersClosed = (s: { endsAt: string }) => evaluationClosesAt(s.endsAt) <= nowIso;
  const reactionOf = (ids: number[]): ReactionFigures => {
    const included = sessionRows.filter((s) => ids.includes(s.cohortId) && answersClosed(s) && Number(s.answers) >= minAnswers);
    const answers = included.reduce((a, s) => a + Number(s.answers), 0);
    const scoreCount = included.reduce((a, s) => a + Number(s.scoreCount), 0);
    const shown = answers >= MIN_GROUP && scoreCount > 0;
    return {
      sessions: included.length,
      answers,
      invited: included.reduce((a, s) => a + Number(s.invited), 0),
      mean: shown ? included.reduce((a, s) => a + Number(s.scoreTotal), 0) / scoreCount : null,
      shown,
    };
  };

  const all = await rawResults(null);
  const rows: EffectRow[] = cohorts.map((c) => ({
    key: `cohort-${c.id}`,
    cohortId: c.id,
    municipalityId: null,
    reaction: reactionOf([c.id]),
    results: resultFigures(all.get(c.id) ?? empty),
  }));
  const shownReactionCohorts = rows.filter((r) => r.reaction!.shown).map((r) => r.cohortId!);
  const total: EffectRow = {
    key: "total",
    cohortId: null,
    municipalityId: null,
    reaction: reactionOf(shownReactionCohorts),
    results: {
      left: rows.reduce((a, r) => a + r.results.left, 0),
      followedUp: rows.reduce((a, r) => a + r.results.followedUp, 0),
      inWorkOrStudies: sumShown(rows.map((r) => r.results.inWorkOrStudies)),
      employedInPartner: sumShown(rows.map((r) => r.results.employedInPartner)),
      becameManager: sumShown(rows.map((r) => r.results.becameManager)),
      dropped: sumShown(rows.map((r) => r.results.dropped)),
    },
  };

  let ownMunicipality: EffectReport["ownMunicipality"] = null;
  const own = reader.ownMunicipalityIds[0];
  if (own !== undefined) {
    const mine = await rawResults(own);
    ownMunicipality = {
      municipalityId: own,
      rows: cohorts.map((c) => ({ key: `own-${c.id}`, cohortId: c.id, municipalityId: own, reaction: null, results: resultFigures(mine.get(c.id) ?? empty) })),
    };
  }
  const learningPendingUntil = (c: { startsOn: string; endsOn: string }) => {
    const { closesOn } = phaseWindow(c, "end");
    return today <= closesOn ? closesOn : null;
  };
  const publication: Publication[] = cohorts.map((c) => {
    const open = sessionRows.filter((s) => s.cohortId === c.id && Number(s.invited) > 0 && !answersClosed(s)).map((s) => evaluationClosesAt(s.endsAt)).sort();
    return { cohortId: c.id, learningPendingUntil: learningPendingUntil(c), reactionPendingSessions: open.length, reactionNextClosesAt: open[0] ?? null };
  });
  const learningCohortIds = cohorts.filter((c) => learningPendingUntil(c) === null).map((c) => c.id);
  const learning = await learningSums(ctx.db, programmeId, learningCohortIds);
  const behaviour = await behaviourSums(ctx.db, cohorts.map((c) => c.id));
  const behaviourOf = (id: number) => behaviour.byCohort.get(id)!;
  return {
    programme: { id: reader.programme.id, name: reader.programme.name },
    cohorts: rows,
    total,
    ownMunicipality,
    cohortNames: Object.fromEntries(cohorts.map((c) => [c.id, c.name])),
    learning: {
      goals: learning.goals,
      rows: [
        ...cohorts.map((c) => ({ cohortId: c.id, figures: learningFigures(learning.goals, learning.byCohort.get(c.id)) })),
        { cohortId: null, figures: learningTotal(learning.goals, cohorts.map((c) => learning.byCohort.get(c.id))) },
      ],
    },
    behaviour: {
      rows: [
        ...cohorts.map((c) => ({ cohortId: c.id, figures: behaviourFigures(behaviour.dimensionTitles, behaviourOf(c.id)) })),
        { cohortId: null, figures: behaviourTotal(behaviour.dimensionTitles, cohorts.map((c) => behaviourOf(c.id))) },
      ],
    },
    publication,
  };
}
