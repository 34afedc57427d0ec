/**
 * Self-rating before and after (självskattning, the learning level): the
 * programme lead writes the programme's goals; at the start and at the end of
 * a cohort each participant rates themself 1-5 against every goal and sees
 * their own change. The ratings are the participant's: nobody else reads one
 * (a made-up id's 404, audited); the programme sees only the effect report's
 * aggregates (docs/decisions/035-self-rating-and-behaviour-figures.md).
 */
import { nowIso } from "~/db/connection.server";
import { dialectOf } from "~/db/dialect.server";
import type { SelfRatingPhase } from "~/db/schema";
import type { ProgrammeGoalsInput, SelfRatingInput } from "~/schemas/self-ratings";
import { stockholmToday } from "~/utils/format";
import { writeAudit } from "./audit.server";
import { denied, notFound, ownParticipantIds, requireGrant, requireRole, type Ctx } from "./context.server";
import { ownRatingCohorts, phaseOpen, phaseWindow, PHASES } from "./internal/self-rating-windows.server";
import { INPUT_REFUSED, invalid, ok, refuse, type Checked, type Result } from "./result";

async function requireLead(ctx: Ctx, programmeId: number) {
  await requireRole(ctx, "evaluations:manage", { entity: "programme", entityId: programmeId });
  const programme = await ctx.db.selectFrom("programmes").select(["id", "name"]).where("id", "=", programmeId).executeTakeFirst();
  if (!programme) return denied(ctx, "evaluations:manage", { entity: "programme", entityId: programmeId });
  await requireGrant(ctx, "evaluations:manage", { programmeId }, { entity: "programme", entityId: programmeId });
  return programme;
}

async function goalsOf(db: Ctx["db"], programmeId: number) {
  return db.selectFrom("programme_goals").select(["id", "text"]).where("programme_id", "=", programmeId).orderBy("position").execute();
}

/** Whether anyone has rated themself against the programme's goals: from then on they are fixed. */
async function goalsRated(db: Ctx["db"], programmeId: number): Promise<boolean> {
  const row = await db
    .selectFrom("self_ratings as r")
    .innerJoin("programme_goals as g", "g.id", "r.goal_id")
    .select("r.goal_id")
    .where("g.programme_id", "=", programmeId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function getProgrammeGoals(ctx: Ctx, programmeId: number) {
  const programme = await requireLead(ctx, programmeId);
  return { programme, goals: await goalsOf(ctx.db, programmeId), locked: await goalsRated(ctx.db, programmeId) };
}

/** The lead's goals; fixed once someone has rated themself against them (ratings would no longer compare). */
export async function saveProgrammeGoals(ctx: Ctx, programmeId: number, submitted: Checked<ProgrammeGoalsInput>): Promise<Result> {
  await requireLead(ctx, programmeId);
  if (submitted.status !== "success") return INPUT_REFUSED;
  const goals = submitted.value.goals;
  return ctx.db.transaction().execute(async (trx): Promise<Result> => {
    const current = await goalsOf(trx, programmeId);
    const changed = current.length !== goals.length || current.some((g, i) => g.text !== goals[i]);
    if (!changed) return ok();
    if (await goalsRated(trx, programmeId)) {
      return invalid({ goals: ["Målen kan inte ändras när deltagare har skattat sig mot dem: då skulle skattningarna inte gå att jämföra."] });
    }
    await trx.deleteFrom("programme_goals").where("programme_id", "=", programmeId).execute();
    await trx.insertInto("programme_goals").values(goals.map((text, position) => ({ programme_id: programmeId, position, text }))).execute();
    await writeAudit(trx, { actorUserId: ctx.user.id, action: "programme_goals.saved", entity: "programme", entityId: programmeId, detail: { count: goals.length } });
    return ok();
  });
}

export type PhaseState = "open" | "rated" | "not_yet" | "closed";

/** The caller's cohorts with goals to rate themself against, and where each rating stands. */
export async function listOwnSelfRatings(ctx: Ctx, today = stockholmToday()) {
  const participantIds = ownParticipantIds(ctx);
  if (!participantIds.length) await requireRole(ctx, "evaluations:answer");
  const cohorts = await ownRatingCohorts(ctx.db, participantIds);
  return cohorts.map((c) => ({
    cohortId: c.cohortId,
    cohortName: c.cohortName,
    programmeName: c.programmeName,
    phases: PHASES.map((phase) => ({ phase, state: stateOf(c, phase, today), ...phaseWindow(c, phase) })),
  }));
}

function stateOf(c: Awaited<ReturnType<typeof ownRatingCohorts>>[number], phase: SelfRatingPhase, today: string): PhaseState {
  if (c.rated.includes(phase)) return "rated";
  if (phaseOpen(c, phase, c.status, today)) return "open";
  return phaseWindow(c, phase).opensOn > today ? "not_yet" : "closed";
}

/** The caller's own enrolment in the cohort, or a 404 (audited) for anyone else: nobody reads another's rating. */
async function ownCohort(ctx: Ctx, cohortId: number) {
  const cohort = (await ownRatingCohorts(ctx.db, ownParticipantIds(ctx))).find((c) => c.cohortId === cohortId);
  if (!cohort) {
    await writeAudit(ctx.db, { actorUserId: ctx.user.id, action: "authz.denied", entity: "self_rating", entityId: cohortId, detail: { permission: "evaluations:answer" } });
    throw notFound();
  }
  await requireGrant(ctx, "evaluations:answer", { participantId: cohort.participantId }, { entity: "self_rating", entityId: cohortId });
  return cohort;
}

/** The participant's page for one cohort: the goals, their ratings at start and end and the change, which phase is open. */
export async function getOwnSelfRating(ctx: Ctx, cohortId: number, today = stockholmToday()) {
  const c = await ownCohort(ctx, cohortId);
  const goals = await goalsOf(ctx.db, c.programmeId);
  const rows = await ctx.db
    .selectFrom("self_ratings")
    .select(["goal_id as goalId", "phase", "score"])
    .where("cohort_id", "=", cohortId)
    .where("participant_id", "=", c.participantId)
    .where("municipality_id", "=", c.municipalityId)
    .execute();
  const scoreOf = (goalId: number, phase: SelfRatingPhase) => rows.find((r) => r.goalId === goalId && r.phase === phase)?.score ?? null;
  return {
    cohort: { id: c.cohortId, name: c.cohortName, programmeName: c.programmeName, startsOn: c.startsOn, endsOn: c.endsOn },
    phases: PHASES.map((phase) => ({ phase, state: stateOf(c, phase, today), ...phaseWindow(c, phase) })),
    goals: goals.map((g) => {
      const start = scoreOf(g.id, "start");
      const end = scoreOf(g.id, "end");
      return { id: g.id, text: g.text, start, end, change: start !== null && end !== null ? end - start : null };
    }),
  };
}

/** A rating of every goal, once per phase, while that phase is open. */
export async function rateSelf(ctx: Ctx, cohortId: number, submitted: Checked<SelfRatingInput>, today = stockholmToday()): Promise<Result> {
  const c = await ownCohort(ctx, cohortId);
  if (submitted.status !== "success") return INPUT_REFUSED;
  const { phase, scores } = submitted.value;
  if (c.rated.includes(phase)) return refuse("Du har redan skattat dig vid den här tidpunkten.", 409);
  if (!phaseOpen(c, phase, c.status, today)) return refuse(phase === "start" ? "Skattningen vid start är inte öppen nu." : "Skattningen vid slut är inte öppen nu.", 409);
  const goals = await goalsOf(ctx.db, c.programmeId);
  const missing = Object.fromEntries(goals.filter((g) => scores[`g${g.id}`] === undefined).map((g) => [`scores.g${g.id}`, ["Välj ett värde mellan 1 och 5."]]));
  if (Object.keys(missing).length) return invalid(missing, "Skatta dig mot varje mål.");
  if (Object.keys(scores).length !== goals.length) return refuse("Målen har ändrats. Ladda om sidan.", 409);
  const ratedAt = nowIso();
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("self_ratings")
        .values(goals.map((g) => ({ cohort_id: cohortId, participant_id: c.participantId, municipality_id: c.municipalityId, phase, goal_id: g.id, score: scores[`g${g.id}`], rated_at: ratedAt })))
        .execute();
      await writeAudit(trx, { actorUserId: ctx.user.id, municipalityId: c.municipalityId, action: "self_rating.saved", entity: "cohort", entityId: cohortId, detail: { phase } });
    });
  } catch (error) {
    // Two submissions at once: the second finds the first's key.
    if (dialectOf(ctx.db).isUniqueViolation(error)) return refuse("Du har redan skattat dig vid den här tidpunkten.", 409);
    throw error;
  }
  return ok();
}
