/**
 * The personal action plan (handlingsplan): one per participant and cohort,
 * 1–5 goals, each tied to a 360 dimension or the programme's goals, with
 * actions, the support wanted from the manager and dates; progress marked
 * later with a reflection. The participant may give their manager a
 * read-only link (token stored as SHA-256, shown once, revocable). The
 * programme sees only how many goals are reached (goalsReachedSummary).
 */
import crypto from "node:crypto";
import { nowIso } from "~/db/connection.server";
import { MAX_GOALS, type ActionPlanInput } from "~/schemas/feedback";
import { linkRetryAfter, recordUnknownLink } from "~/auth/rate-limit.server";
import { writeAudit } from "./audit.server";
import { ownParticipantIds, requireGrant, requireRole, type Ctx } from "./context.server";
import { currentInstrument } from "./internal/feedback-store.server";
import type { RaterLink } from "./feedback.server";
import { INPUT_REFUSED, invalid, ok, refuse, type Checked, type Result } from "./result";

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const sha256 = (value: string) => crypto.createHash("sha256").update(value).digest("hex");

/** The caller's current cohort (the latest active or completed enrolment) with its plan, made on first visit. */
async function loadOwnPlan(ctx: Ctx) {
  await requireRole(ctx, "feedback:self", { entity: "action_plan" });
  const enrolment = await ctx.db
    .selectFrom("enrolments as e")
    .innerJoin("cohorts as c", "c.id", "e.cohort_id")
    .select(["e.participant_id as participantId", "e.municipality_id as municipalityId", "c.id as cohortId", "c.name as cohortName", "c.programme_id as programmeId"])
    .where("e.participant_id", "in", ownParticipantIds(ctx))
    .where("e.status", "in", ["active", "completed"])
    .orderBy("c.starts_on", "desc")
    .executeTakeFirst();
  if (!enrolment) return null;
  await requireGrant(ctx, "feedback:self", { participantId: enrolment.participantId });
  await ctx.db
    .insertInto("action_plans")
    .values({ participant_id: enrolment.participantId, municipality_id: enrolment.municipalityId, cohort_id: enrolment.cohortId, updated_at: nowIso() })
    .onConflict((oc) => oc.columns(["participant_id", "cohort_id"]).doNothing())
    .execute();
  const plan = await ctx.db.selectFrom("action_plans").selectAll().where("participant_id", "=", enrolment.participantId).where("cohort_id", "=", enrolment.cohortId).executeTakeFirstOrThrow();
  return { ...enrolment, plan };
}

export async function getOwnActionPlan(ctx: Ctx) {
  const own = await loadOwnPlan(ctx);
  if (!own) return null;
  const goals = await ctx.db.selectFrom("action_plan_goals").selectAll().where("plan_id", "=", own.plan.id).orderBy("position").execute();
  const instrument = await currentInstrument(ctx.db, own.programmeId);
  return {
    cohortName: own.cohortName,
    sharedWithManager: own.plan.manager_token_hash !== null,
    version: own.plan.version,
    dimensions: instrument.content.dimensions.map((d) => ({ key: d.key, title: d.title })),
    goals,
  };
}

/** Adds or changes a goal, marks progress, removes a goal, or gives/stops the manager's link (returned once). */
export async function changeOwnActionPlan(ctx: Ctx, submitted: Checked<ActionPlanInput>): Promise<Result<{ message: string; managerLink?: string }>> {
  const own = await loadOwnPlan(ctx);
  if (!own) return refuse("Du har ingen pågående omgång att skriva en handlingsplan för.", 409);
  if (submitted.status !== "success") return INPUT_REFUSED;
  const input = submitted.value;
  const now = nowIso();
  const audit = (action: string, detail?: Record<string, unknown>) =>
    writeAudit(ctx.db, { actorUserId: ctx.user.id, municipalityId: own.municipalityId, action, entity: "action_plan", entityId: own.plan.id, detail });
  const touch = () => ctx.db.updateTable("action_plans").set((eb) => ({ updated_at: now, version: eb("version", "+", 1) })).where("id", "=", own.plan.id).execute();
  switch (input.intent) {
    case "goal": {
      const instrument = await currentInstrument(ctx.db, own.programmeId);
      if (input.linkedTo !== "programme" && !instrument.content.dimensions.some((d) => d.key === input.linkedTo)) return invalid({ linkedTo: ["Välj vad målet hör till."] });
      if (input.startsOn && input.dueOn && input.dueOn < input.startsOn) return invalid({ dueOn: ["Klart-datum kan inte vara före startdatum."] });
      const values = {
        title: input.title,
        linked_to: input.linkedTo,
        actions: input.actions,
        manager_support: input.managerSupport ?? "",
        starts_on: input.startsOn ?? null,
        due_on: input.dueOn ?? null,
      };
      const result = await ctx.db.transaction().execute(async (trx): Promise<Result<{ message: string }>> => {
        if (input.goalId) {
          const done = await trx.updateTable("action_plan_goals").set(values).where("id", "=", input.goalId).where("plan_id", "=", own.plan.id).executeTakeFirst();
          if (Number(done.numUpdatedRows) === 0) return refuse("Målet finns inte längre.", 409);
          return ok({ message: "Målet är sparat." });
        }
        const count = await trx.selectFrom("action_plan_goals").select((eb) => eb.fn.countAll<number>().as("n")).where("plan_id", "=", own.plan.id).executeTakeFirstOrThrow();
        if (Number(count.n) >= MAX_GOALS) return refuse(`En handlingsplan har högst ${MAX_GOALS} mål.`, 409);
        await trx.insertInto("action_plan_goals").values({ ...values, plan_id: own.plan.id, position: Number(count.n) + 1 }).execute();
        return ok({ message: "Målet är tillagt." });
      });
      if (result.ok) {
        await touch();
        await audit("action_plan.goal_saved", { fields: Object.keys(values) });
      }
      return result;
    }
    case "progress": {
      const done = await ctx.db
        .updateTable("action_plan_goals")
        .set({ status: input.status, reflection: input.reflection ?? "", status_changed_at: now })
        .where("id", "=", input.goalId)
        .where("plan_id", "=", own.plan.id)
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) === 0) return refuse("Målet finns inte längre.", 409);
      await touch();
      await audit("action_plan.progress", { goalId: input.goalId, status: input.status });
      return ok({ message: "Läget är sparat." });
    }
    case "remove": {
      const done = await ctx.db.deleteFrom("action_plan_goals").where("id", "=", input.goalId).where("plan_id", "=", own.plan.id).executeTakeFirst();
      if (Number(done.numDeletedRows) === 0) return refuse("Målet finns inte längre.", 409);
      await touch();
      await audit("action_plan.goal_removed", { goalId: input.goalId });
      return ok({ message: "Målet är borttaget." });
    }
    case "shareWithManager": {
      const token = crypto.randomBytes(32).toString("base64url");
      await ctx.db.updateTable("action_plans").set({ manager_token_hash: sha256(token) }).where("id", "=", own.plan.id).execute();
      await audit("action_plan.shared");
      return ok({ message: "Skicka länken till din chef. Den visas bara nu; en ny länk gör den gamla ogiltig.", managerLink: `/handlingsplan/chef/${token}` });
    }
    case "stopSharing": {
      await ctx.db.updateTable("action_plans").set({ manager_token_hash: null }).where("id", "=", own.plan.id).execute();
      await audit("action_plan.unshared");
      return ok({ message: "Länken till chefen slutade gälla." });
    }
  }
}

/** The manager's read-only view through the participant's link: the plan and the participant's first name and surname, nothing else. */
export async function openManagerLink(link: RaterLink) {
  if ((await linkRetryAfter(link.db, link.clientIp)) > 0) return { kind: "limited" as const };
  const plan = TOKEN_PATTERN.test(link.token)
    ? await link.db
        .selectFrom("action_plans as a")
        .innerJoin("participants as p", (j) => j.onRef("p.id", "=", "a.participant_id").onRef("p.municipality_id", "=", "a.municipality_id"))
        .select(["a.id", "p.first_name as firstName", "p.last_name as lastName", "p.anonymised_at as anonymisedAt"])
        .where("a.manager_token_hash", "=", sha256(link.token))
        .executeTakeFirst()
    : undefined;
  if (!plan || plan.anonymisedAt) {
    await recordUnknownLink(link.db, link.clientIp);
    return null;
  }
  const goals = await link.db.selectFrom("action_plan_goals").select(["title", "actions", "manager_support", "starts_on", "due_on", "status"]).where("plan_id", "=", plan.id).orderBy("position").execute();
  return { kind: "plan" as const, name: `${plan.firstName} ${plan.lastName}`, goals };
}
