/**
 * The programme lead's side of 360 feedback: the questionnaire (editable
 * until it has answers, then saved as a new version) and the rounds of a
 * cohort (the first one and a follow-up), opened for every active participant
 * and closed when answering is over. The lead never sees an answer here, only
 * how many have answered, and the reports a participant has shared.
 */
import { nowIso } from "~/db/connection.server";
import type { Checked, Result } from "./result";
import { INPUT_REFUSED, invalid, ok, refuse } from "./result";
import type { InstrumentInput, RoundInput } from "~/schemas/feedback";
import { removeMailCopies } from "~/mail/transport.server";
import { stockholmToday } from "~/utils/format";
import { writeAudit } from "./audit.server";
import { notFound, requireGrant, requireRole, type Ctx } from "./context.server";
import type { Instrument } from "./internal/feedback-instrument";
import { currentInstrument, purgeRound, roundIsOver } from "./internal/feedback-store.server";

async function requireLead(ctx: Ctx, programmeId: number) {
  await requireRole(ctx, "feedback:manage", { entity: "programme", entityId: programmeId });
  const programme = await ctx.db.selectFrom("programmes").select(["id", "name"]).where("id", "=", programmeId).executeTakeFirst();
  if (!programme) throw notFound();
  await requireGrant(ctx, "feedback:manage", { programmeId }, { entity: "programme", entityId: programmeId });
  return programme;
}

/** The page: questionnaire, cohorts with their rounds and answer counts, reports shared with the caller. */
export async function getFeedbackAdmin(ctx: Ctx, programmeId: number, today = stockholmToday()) {
  const programme = await requireLead(ctx, programmeId);
  const instrument = await currentInstrument(ctx.db, programmeId);
  const cohorts = await ctx.db.selectFrom("cohorts").select(["id", "name", "starts_on", "ends_on"]).where("programme_id", "=", programmeId).orderBy("starts_on").execute();
  const rounds = cohorts.length
    ? await ctx.db
        .selectFrom("feedback_rounds as o")
        .leftJoin("feedback_subjects as s", "s.round_id", "o.id")
        .select((eb) => [
          "o.id",
          "o.cohort_id as cohortId",
          "o.kind",
          "o.closes_on as closesOn",
          "o.closed_at as closedAt",
          eb.fn.count<number>("s.id").as("subjects"),
          eb.fn.count<number>("s.self_answered_at").as("selfAnswered"),
        ])
        .where("o.cohort_id", "in", cohorts.map((c) => c.id))
        .groupBy(["o.id", "o.cohort_id", "o.kind", "o.closes_on", "o.closed_at"])
        .execute()
    : [];
  const shared = await ctx.db
    .selectFrom("feedback_shares as sh")
    .innerJoin("feedback_subjects as s", "s.id", "sh.subject_id")
    .innerJoin("feedback_rounds as o", "o.id", "s.round_id")
    .innerJoin("cohorts as c", "c.id", "o.cohort_id")
    .innerJoin("participants as p", (j) => j.onRef("p.id", "=", "s.participant_id").onRef("p.municipality_id", "=", "s.municipality_id"))
    .select(["s.id as subjectId", "p.first_name as firstName", "p.last_name as lastName", "c.name as cohortName", "o.kind"])
    .where("sh.user_id", "=", ctx.user.id)
    .where("sh.revoked_at", "is", null)
    .where("c.programme_id", "=", programmeId)
    .execute();
  return {
    programme,
    instrument: { version: instrument.version, answered: instrument.answered, content: instrument.content },
    cohorts: cohorts.map((c) => ({ ...c, rounds: rounds.filter((r) => r.cohortId === c.id).map((r) => ({ ...r, over: roundIsOver({ closed_at: r.closedAt, closes_on: r.closesOn }, today) })) })),
    shared,
  };
}

/** Saves the questionnaire: in place while unanswered, as the next version once a round has answers. */
export async function saveInstrument(ctx: Ctx, programmeId: number, submitted: Checked<InstrumentInput>): Promise<Result<{ version: number }>> {
  await requireLead(ctx, programmeId);
  if (submitted.status !== "success") return INPUT_REFUSED;
  const input = submitted.value;
  const current = await currentInstrument(ctx.db, programmeId);
  const knownKeys = new Set(current.content.dimensions.map((d) => d.key));
  const fieldErrors: Record<string, string[]> = {};
  const dimensions: Instrument["dimensions"] = input.dimensions.map((d, i) => {
    const lines = d.statements.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    if (!knownKeys.has(d.key)) fieldErrors[`dimensions[${i}].title`] = ["Okänd dimension. Ladda om sidan."];
    if (lines.length > 10) fieldErrors[`dimensions[${i}].statements`] = ["Högst 10 påståenden per dimension."];
    if (lines.some((l) => l.length > 300)) fieldErrors[`dimensions[${i}].statements`] = ["Högst 300 tecken per påstående."];
    return { key: d.key, title: d.title, statements: lines.map((text, n) => ({ id: `${d.key}-${n + 1}`, text })) };
  });
  if (new Set(dimensions.map((d) => d.key)).size !== dimensions.length) fieldErrors[""] = ["Samma dimension finns två gånger."];
  if (Object.keys(fieldErrors).length) return invalid(fieldErrors);
  const content = JSON.stringify({ dimensions, questions: [input.question1, input.question2] } satisfies Instrument);
  const version = await ctx.db.transaction().execute(async (trx) => {
    const latest = await currentInstrument(trx, programmeId);
    if (latest.answered) {
      await trx.insertInto("feedback_instruments").values({ programme_id: programmeId, version: latest.version + 1, content, created_at: nowIso() }).execute();
    } else {
      await trx.updateTable("feedback_instruments").set({ content }).where("id", "=", latest.id).execute();
    }
    const saved = latest.answered ? latest.version + 1 : latest.version;
    await writeAudit(trx, { actorUserId: ctx.user.id, action: "feedback_instrument.saved", entity: "programme", entityId: programmeId, detail: { version: saved } });
    return saved;
  });
  return ok({ version });
}

/** Opens a round for every active (first round) or active and completed (follow-up) participant of the cohort, or closes one. */
export async function changeRound(ctx: Ctx, programmeId: number, submitted: Checked<RoundInput>, options: { mailOutboxDir?: string | null; today?: string } = {}): Promise<Result> {
  await requireLead(ctx, programmeId);
  if (submitted.status !== "success") return INPUT_REFUSED;
  const input = submitted.value;
  const today = options.today ?? stockholmToday();
  if (input.intent === "close") {
    const removed = await ctx.db.transaction().execute(async (trx) => {
      const round = await trx
        .selectFrom("feedback_rounds as o")
        .innerJoin("cohorts as c", "c.id", "o.cohort_id")
        .select(["o.id", "o.closed_at"])
        .where("o.id", "=", input.roundId)
        .where("c.programme_id", "=", programmeId)
        .executeTakeFirst();
      if (!round) return null;
      const mails = await purgeRound(trx, round.id, nowIso());
      await writeAudit(trx, { actorUserId: ctx.user.id, action: "feedback_round.closed", entity: "feedback_round", entityId: round.id });
      return mails;
    });
    if (!removed) throw notFound();
    if (options.mailOutboxDir) await removeMailCopies(options.mailOutboxDir, removed);
    return ok();
  }
  if (input.closesOn < today) return invalid({ closesOn: ["Sista svarsdag kan inte ha passerat."] });
  const cohort = await ctx.db.selectFrom("cohorts").select("id").where("id", "=", input.cohortId).where("programme_id", "=", programmeId).executeTakeFirst();
  if (!cohort) return invalid({ cohortId: ["Omgången finns inte i programmet."] });
  return ctx.db.transaction().execute(async (trx): Promise<Result> => {
    const existing = await trx.selectFrom("feedback_rounds").select("id").where("cohort_id", "=", cohort.id).where("kind", "=", input.kind).executeTakeFirst();
    if (existing) return refuse(input.kind === "first" ? "Omgången har redan en första 360-runda." : "Omgången har redan en uppföljningsrunda.", 409);
    if (input.kind === "follow_up") {
      const first = await trx.selectFrom("feedback_rounds").select("id").where("cohort_id", "=", cohort.id).where("kind", "=", "first").executeTakeFirst();
      if (!first) return refuse("Öppna den första rundan innan uppföljningen.", 409);
    }
    const instrument = await currentInstrument(trx, programmeId);
    const round = await trx
      .insertInto("feedback_rounds")
      .values({ cohort_id: cohort.id, instrument_id: instrument.id, kind: input.kind, closes_on: input.closesOn, opened_at: nowIso() })
      .returning("id")
      .executeTakeFirstOrThrow();
    const enrolled = await trx
      .selectFrom("enrolments")
      .select(["participant_id", "municipality_id"])
      .where("cohort_id", "=", cohort.id)
      .where("status", "in", input.kind === "first" ? ["active", "accepted"] : ["active", "completed"])
      .execute();
    if (enrolled.length) {
      await trx
        .insertInto("feedback_subjects")
        .values(enrolled.map((e) => ({ round_id: round.id, participant_id: e.participant_id, municipality_id: e.municipality_id })))
        .execute();
    }
    await writeAudit(trx, { actorUserId: ctx.user.id, action: "feedback_round.opened", entity: "feedback_round", entityId: round.id, detail: { cohortId: cohort.id, kind: input.kind, subjects: enrolled.length } });
    return ok();
  });
}
