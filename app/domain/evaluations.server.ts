/**
 * Session evaluations (utvärdering, the reaction level): after a held session
 * its participants answer a few 1-5 statements and a free text. Anonymous
 * (docs/decisions/020-anonymous-session-evaluations.md): the invitation row
 * says only that someone answered; the answer row says nothing of who.
 * Results are shown per session, and per cohort over the sessions shown,
 * only from the programme's threshold (never under 3), so no group under it
 * can be reached, not even by subtracting one figure from another.
 */
import crypto from "node:crypto";
import { sql } from "kysely";
import { nowIso } from "~/db/connection.server";
import type { EvaluationAnswer, EvaluationSetup } from "~/schemas/evaluations";
import { writeAudit } from "./audit.server";
import { denied, ownParticipantIds, requireGrant, requireRole, type Ctx } from "./context.server";
import { requireProgrammeReader } from "./internal/effects-access.server";
import {
  DEFAULT_EVALUATION_STATEMENTS,
  EVALUATION_OPEN_DAYS,
  evaluationClosesAt,
  ensureStatements,
  minAnswersOf,
  newResponseId,
  programmeHasAnswers,
} from "./internal/evaluation-invitations.server";
import { conflict, INPUT_REFUSED, invalid, ok, type Checked, type Result } from "./result";

const DAY_MS = 86_400_000;

export interface OpenEvaluation {
  sessionId: number;
  title: string;
  startsAt: string;
  closesAt: string;
}

const closesAt = evaluationClosesAt;

/** The caller's own evaluations still waiting for an answer (start page, /utvardering). */
export async function listMyOpenEvaluations(ctx: Ctx, now: Date = new Date()): Promise<OpenEvaluation[]> {
  const participantIds = ownParticipantIds(ctx);
  if (!participantIds.length) return [];
  const since = new Date(now.getTime() - EVALUATION_OPEN_DAYS * DAY_MS).toISOString();
  const rows = await ctx.db
    .selectFrom("evaluation_invitations as i")
    .innerJoin("sessions as s", "s.id", "i.session_id")
    .select(["s.id as sessionId", "s.title", "s.starts_at as startsAt", "s.ends_at as endsAt"])
    .where("i.participant_id", "in", participantIds)
    .where("i.answered", "=", 0)
    .where("s.ends_at", ">", since)
    .orderBy("s.starts_at")
    .execute();
  return rows.map((r) => ({ sessionId: r.sessionId, title: r.title, startsAt: r.startsAt, closesAt: closesAt(r.endsAt) }));
}

export interface EvaluationForm {
  session: { id: number; title: string; startsAt: string; cohortName: string; programmeName: string };
  statements: { id: number; text: string }[];
  state: "open" | "answered" | "closed";
}

async function invitationOf(ctx: Ctx, sessionId: number) {
  await requireRole(ctx, "evaluations:answer", { entity: "session", entityId: sessionId });
  const row = await ctx.db
    .selectFrom("evaluation_invitations as i")
    .innerJoin("sessions as s", "s.id", "i.session_id")
    .innerJoin("cohorts as c", "c.id", "s.cohort_id")
    .innerJoin("programmes as p", "p.id", "c.programme_id")
    .select([
      "i.participant_id as participantId",
      "i.answered",
      "s.id",
      "s.title",
      "s.starts_at as startsAt",
      "s.ends_at as endsAt",
      "c.name as cohortName",
      "p.id as programmeId",
      "p.name as programmeName",
    ])
    .where("i.session_id", "=", sessionId)
    .where("i.participant_id", "in", ownParticipantIds(ctx).length ? ownParticipantIds(ctx) : [0])
    .executeTakeFirst();
  if (!row) return denied(ctx, "evaluations:answer", { entity: "session", entityId: sessionId });
  await requireGrant(ctx, "evaluations:answer", { participantId: row.participantId }, { entity: "session", entityId: sessionId });
  return row;
}

/** The form for one of the caller's evaluations; 404 for a session they were not asked about. */
export async function getEvaluationForm(ctx: Ctx, sessionId: number, now: Date = new Date()): Promise<EvaluationForm> {
  const row = await invitationOf(ctx, sessionId);
  const statements = await ctx.db.selectFrom("evaluation_statements").select(["id", "text"]).where("programme_id", "=", row.programmeId).orderBy("position").execute();
  return {
    session: { id: row.id, title: row.title, startsAt: row.startsAt, cohortName: row.cohortName, programmeName: row.programmeName },
    statements,
    state: row.answered ? "answered" : closesAt(row.endsAt) <= now.toISOString() ? "closed" : "open",
  };
}

/**
 * Stores an answer with no link to its giver. The invitation is marked
 * answered by a conditional write in the same transaction, so a second
 * answer (a double click, two tabs at once) finds nothing to mark and is refused.
 */
export async function answerEvaluation(ctx: Ctx, sessionId: number, submitted: Checked<EvaluationAnswer>, now: Date = new Date()): Promise<Result> {
  const row = await invitationOf(ctx, sessionId);
  if (submitted.status !== "success") return INPUT_REFUSED;
  const input = submitted.value;
  if (row.answered) return conflict("Du har redan svarat på den här utvärderingen. Varje deltagare svarar en gång.");
  if (closesAt(row.endsAt) <= now.toISOString()) return conflict("Utvärderingen är stängd: den gick att besvara i två veckor efter träffen.");
  const statements = await ctx.db.selectFrom("evaluation_statements").select("id").where("programme_id", "=", row.programmeId).execute();
  const fieldErrors: Record<string, string[]> = {};
  for (const s of statements) if (input.scores[`s${s.id}`] === undefined) fieldErrors[`scores.s${s.id}`] = ["Välj ett värde mellan 1 och 5."];
  const known = new Set(statements.map((s) => `s${s.id}`));
  if (Object.keys(input.scores).some((k) => !known.has(k))) return invalid({}, "Formuläret har ändrats sedan du öppnade det. Ladda om sidan och svara igen.");
  if (Object.keys(fieldErrors).length) return invalid(fieldErrors, "Svara på alla påståenden.");

  return ctx.db.transaction().execute(async (trx) => {
    const marked = await trx
      .updateTable("evaluation_invitations")
      .set({ answered: 1 })
      .where("session_id", "=", sessionId)
      .where("participant_id", "=", row.participantId)
      .where("answered", "=", 0)
      .executeTakeFirst();
    if (Number(marked.numUpdatedRows) !== 1) return conflict("Du har redan svarat på den här utvärderingen. Varje deltagare svarar en gång.");
    const responseId = newResponseId();
    await trx.insertInto("evaluation_responses").values({ id: responseId, session_id: sessionId, comment: input.comment ?? "" }).execute();
    await trx
      .insertInto("evaluation_scores")
      .values(statements.map((s) => ({ response_id: responseId, statement_id: s.id, score: input.scores[`s${s.id}`] })))
      .execute();
    // Says that the caller answered, never what: the answer's key is not in it.
    await writeAudit(trx, { actorUserId: ctx.user.id, action: "evaluation.answered", entity: "session", entityId: sessionId });
    return ok();
  });
}

export interface EvaluationSetupView {
  programme: { id: number; name: string };
  statements: string[];
  minAnswers: number;
  /** Answers exist: the statements can no longer change (the threshold can). */
  locked: boolean;
  usesDefaults: boolean;
}

async function requireLead(ctx: Ctx, programmeId: number) {
  await requireRole(ctx, "evaluations:manage", { entity: "programme", entityId: programmeId });
  const programme = await ctx.db.selectFrom("programmes").select(["id", "name"]).where("id", "=", programmeId).executeTakeFirst();
  if (!programme) return denied(ctx, "evaluations:manage", { entity: "programme", entityId: programmeId });
  await requireGrant(ctx, "evaluations:manage", { programmeId }, { entity: "programme", entityId: programmeId });
  return programme;
}

export async function getEvaluationSetup(ctx: Ctx, programmeId: number): Promise<EvaluationSetupView> {
  const programme = await requireLead(ctx, programmeId);
  const stored = await ctx.db.selectFrom("evaluation_statements").select("text").where("programme_id", "=", programmeId).orderBy("position").execute();
  return {
    programme,
    statements: stored.length ? stored.map((s) => s.text) : DEFAULT_EVALUATION_STATEMENTS,
    minAnswers: await minAnswersOf(ctx.db, programmeId),
    locked: await programmeHasAnswers(ctx.db, programmeId),
    usesDefaults: stored.length === 0,
  };
}

/** The lead's statements and threshold. Statements are fixed once answers exist; the threshold never goes under 3. */
export async function saveEvaluationSetup(ctx: Ctx, programmeId: number, submitted: Checked<EvaluationSetup>): Promise<Result> {
  await requireLead(ctx, programmeId);
  if (submitted.status !== "success") return INPUT_REFUSED;
  const input = submitted.value;
  return ctx.db.transaction().execute(async (trx) => {
    const current = await ensureStatements(trx, programmeId);
    const changed = current.length !== input.statements.length || current.some((s, i) => s.text !== input.statements[i]);
    if (changed) {
      if (await programmeHasAnswers(trx, programmeId)) {
        return invalid({ statements: ["Påståendena kan inte ändras när svar har kommit in: då skulle svaren inte gå att jämföra."] });
      }
      await trx.deleteFrom("evaluation_statements").where("programme_id", "=", programmeId).execute();
      await trx.insertInto("evaluation_statements").values(input.statements.map((text, position) => ({ programme_id: programmeId, position, text }))).execute();
    }
    const now = nowIso();
    await trx
      .insertInto("evaluation_settings")
      .values({ programme_id: programmeId, min_answers: input.minAnswers, updated_by: ctx.user.id, updated_at: now })
      .onConflict((oc) => oc.column("programme_id").doUpdateSet({ min_answers: input.minAnswers, updated_by: ctx.user.id, updated_at: now }))
      .execute();
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      action: "evaluation.setup_saved",
      entity: "programme",
      entityId: programmeId,
      detail: { fields: changed ? ["statements", "minAnswers"] : ["minAnswers"] },
    });
    return ok();
  });
}

export interface StatementResult {
  text: string;
  /** Mean score, or null when the group is under the threshold. */
  mean: number | null;
}

export interface EvaluationGroupResult {
  answers: number;
  invited: number;
  shown: boolean;
  statements: StatementResult[];
  comments: string[];
}

export interface CohortEvaluationResults {
  programme: { id: number; name: string };
  cohort: { id: number; name: string };
  minAnswers: number;
  /** answersCloseAt: while the session's evaluation still takes answers, when it stops (its figures are hidden until then). */
  sessions: ({ id: number; title: string; startsAt: string; answersCloseAt: string | null } & EvaluationGroupResult)[];
  /** Over the sessions shown only: a hidden session can never be worked out by subtraction. */
  cohortTotal: EvaluationGroupResult & { sessionsShown: number; sessionsHidden: number };
}

/** Unattributed and in no order that could follow who answered when. */
function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/**
 * Per session and for the cohort, only where at least the threshold answered
 * and the answer window has closed: while it is open each new answer would
 * move the figures, and comparing two readings would give that one answer
 * (docs/decisions/036).
 */
export async function cohortEvaluationResults(ctx: Ctx, cohortId: number, now: Date = new Date()): Promise<CohortEvaluationResults> {
  await requireRole(ctx, "evaluations:read", { entity: "cohort", entityId: cohortId });
  const cohort = await ctx.db.selectFrom("cohorts").select(["id", "name", "programme_id"]).where("id", "=", cohortId).executeTakeFirst();
  if (!cohort) return denied(ctx, "evaluations:read", { entity: "cohort", entityId: cohortId });
  const { programme } = await requireProgrammeReader(ctx, "evaluations:read", cohort.programme_id);
  const minAnswers = await minAnswersOf(ctx.db, programme.id);
  const statements = await ctx.db.selectFrom("evaluation_statements").select(["id", "text"]).where("programme_id", "=", programme.id).orderBy("position").execute();

  const sessions = await ctx.db
    .selectFrom("sessions as s")
    .select([
      "s.id",
      "s.title",
      "s.starts_at as startsAt",
      "s.ends_at as endsAt",
      (eb) => eb.selectFrom("evaluation_invitations as i").whereRef("i.session_id", "=", "s.id").select(sql<number>`count(*)`.as("n")).as("invited"),
      (eb) => eb.selectFrom("evaluation_responses as r").whereRef("r.session_id", "=", "s.id").select(sql<number>`count(*)`.as("n")).as("answers"),
    ])
    .where("s.cohort_id", "=", cohortId)
    .where((eb) => eb.exists(eb.selectFrom("evaluation_invitations as i").whereRef("i.session_id", "=", "s.id").select("i.session_id")))
    .orderBy("s.starts_at")
    .execute();
  const stillOpen = (s: { endsAt: string }) => closesAt(s.endsAt) > now.toISOString();
  const shownIds = sessions.filter((s) => !stillOpen(s) && Number(s.answers) >= minAnswers).map((s) => s.id);

  const sums = shownIds.length
    ? await ctx.db
        .selectFrom("evaluation_scores as sc")
        .innerJoin("evaluation_responses as r", "r.id", "sc.response_id")
        .select(["r.session_id as sessionId", "sc.statement_id as statementId", sql<number>`sum(sc.score)`.as("total"), sql<number>`count(*)`.as("n")])
        .where("r.session_id", "in", shownIds)
        .groupBy(["r.session_id", "sc.statement_id"])
        .execute()
    : [];
  const comments = shownIds.length
    ? await ctx.db.selectFrom("evaluation_responses").select(["session_id as sessionId", "comment"]).where("session_id", "in", shownIds).where("comment", "!=", "").execute()
    : [];

  const group = (ids: number[], answers: number, invited: number): EvaluationGroupResult => {
    const shown = ids.length > 0 && ids.every((id) => shownIds.includes(id)) && answers >= minAnswers;
    return {
      answers,
      invited,
      shown,
      statements: statements.map((st) => {
        const rows = sums.filter((x) => x.statementId === st.id && ids.includes(x.sessionId));
        const n = rows.reduce((a, x) => a + Number(x.n), 0);
        return { text: st.text, mean: shown && n ? rows.reduce((a, x) => a + Number(x.total), 0) / n : null };
      }),
      comments: shown ? shuffled(comments.filter((c) => ids.includes(c.sessionId)).map((c) => c.comment)) : [],
    };
  };

  const shownSessions = sessions.filter((s) => shownIds.includes(s.id));
  const totalAnswers = shownSessions.reduce((a, s) => a + Number(s.answers), 0);
  const totalInvited = shownSessions.reduce((a, s) => a + Number(s.invited), 0);
  return {
    programme: { id: programme.id, name: programme.name },
    cohort: { id: cohort.id, name: cohort.name },
    minAnswers,
    sessions: sessions.map((s) => ({
      id: s.id,
      title: s.title,
      startsAt: s.startsAt,
      answersCloseAt: stillOpen(s) ? closesAt(s.endsAt) : null,
      ...group([s.id], Number(s.answers), Number(s.invited)),
    })),
    cohortTotal: { ...group(shownIds, totalAnswers, totalInvited), sessionsShown: shownIds.length, sessionsHidden: sessions.length - shownIds.length },
  };
}
