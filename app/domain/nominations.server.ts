/**
 * Nominations (Anmälan) and an enrolment's dated way through the cohort.
 *
 * A coordinator nominates their own municipality's participants to a cohort in
 * which the municipality has seats. Within the municipality's free seats the
 * nomination is "nominated" and waits for the programme lead; beyond them it is
 * "waitlisted", in order. When a seat frees (a drop-out, a withdrawal, seats
 * moved in or added) the first on that municipality's waiting list is offered it
 * (internal/seats.server.ts). Every status change is dated in enrolment_events.
 */
import { nowIso } from "~/db/connection.server";
import type { EnrolmentStatus } from "~/db/schema";
import type { StatusChangeInput } from "~/schemas/programmes";
import { stockholmToday } from "~/utils/format";
import { writeAudit } from "./audit.server";
import { can, coordinatedMunicipalityIds, denied, notFound, requireGrant, requireRole, type Ctx, type Permission } from "./context.server";
import { requireCohortActor } from "./internal/cohort-actor.server";
import { offerFreedSeats, recordEnrolmentEvent, seatTransaction } from "./internal/seats.server";
import type { VisibleCohort } from "./programmes.server";
import { nominateSeveral } from "./bulk-nominations.server";
import { checked, INPUT_REFUSED, invalid, ok, refuse, type Checked, type Result } from "./result";

/** Withdrawing a nomination is only possible before the participant has started. */
const WITHDRAWABLE: readonly EnrolmentStatus[] = ["nominated", "accepted", "waitlisted"];

/** Where a nomination landed: waiting for the lead's decision, or on the municipality's waiting list. */
export interface Nomination {
  enrolmentId: number;
  status: "nominated" | "waitlisted";
  waitlistPosition: number | null;
}

export async function nominate(
  ctx: Ctx,
  input: { cohortId: number; participantId: number },
  today: string = stockholmToday(),
): Promise<Result<Nomination>> {
  const result = await nominateSeveral(ctx, input.cohortId, checked({ participantIds: [input.participantId] }), today);
  if (!result.ok) return result.fieldErrors ? invalid({ participantId: Object.values(result.fieldErrors).flat() }) : result;
  const [row] = result.value.rows;
  return ok({ enrolmentId: row.enrolmentId!, status: row.status, waitlistPosition: row.waitlistPosition });
}

/** An enrolment by id; a page may also name the cohort it must belong to. */
export type EnrolmentRef = number | { enrolmentId: number; cohortId: number };

/** Refuses a role that may never act on enrolments (403) before looking the id up, so made-up and real ids answer alike. */
async function loadEnrolment(ctx: Ctx, ref: EnrolmentRef, permission: Permission | Permission[] = ["nominations:write", "nominations:decide"]) {
  const enrolmentId = typeof ref === "number" ? ref : ref.enrolmentId;
  await requireRole(ctx, permission, { entity: "enrolment", entityId: enrolmentId });
  const row = await ctx.db
    .selectFrom("enrolments as e")
    .innerJoin("cohorts as c", "c.id", "e.cohort_id")
    .select(["e.id", "e.cohort_id", "e.municipality_id", "e.participant_id", "e.status", "e.started_on", "c.programme_id"])
    .where("e.id", "=", enrolmentId)
    .executeTakeFirst();
  if (!row || (typeof ref !== "number" && row.cohort_id !== ref.cohortId)) throw notFound();
  return row;
}

type LoadedEnrolment = Awaited<ReturnType<typeof loadEnrolment>>;

/** The programme's lead, or the coordinator of the enrolment's municipality; anyone else gets 404 and an audit entry. */
async function requireEnrolmentManager(ctx: Ctx, e: LoadedEnrolment): Promise<void> {
  if (can(ctx, "nominations:decide", { programmeId: e.programme_id })) return;
  if (can(ctx, "nominations:write", { municipalityId: e.municipality_id })) return;
  await denied(ctx, ["nominations:write", "nominations:decide"], { entity: "enrolment", entityId: e.id, municipalityId: e.municipality_id });
}

/** The lead accepts a nomination: nominated -> accepted. */
export async function acceptNomination(ctx: Ctx, ref: EnrolmentRef, today: string = stockholmToday()): Promise<Result> {
  const e = await loadEnrolment(ctx, ref, "nominations:decide");
  await requireGrant(ctx, "nominations:decide", { programmeId: e.programme_id }, { entity: "enrolment", entityId: e.id });
  return seatTransaction(ctx.db, e.cohort_id, async (trx): Promise<Result> => {
    const current = await trx.selectFrom("enrolments").select("status").where("id", "=", e.id).executeTakeFirstOrThrow();
    if (current.status !== "nominated") {
      return refuse("Bara anmälningar som väntar på beslut kan antas.");
    }
    await trx.updateTable("enrolments").set({ status: "accepted", status_changed_at: nowIso() }).where("id", "=", e.id).execute();
    await recordEnrolmentEvent(trx, { enrolmentId: e.id, status: "accepted", occurredOn: today, recordedBy: ctx.user.id });
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: e.municipality_id,
      action: "enrolment.accepted",
      entity: "enrolment",
      entityId: e.id,
      detail: { cohortId: e.cohort_id, participantId: e.participant_id, from: "nominated", to: "accepted" },
    });
    return ok();
  });
}

/**
 * The lead rejects, or the coordinator withdraws, a nomination that has not
 * started (nominated, accepted or waitlisted). The enrolment is removed, not
 * marked dropped: someone who never started is not a drop-out in the ESF
 * figures, and may be nominated again later. The audit log keeps the trace.
 */
export async function withdrawNomination(ctx: Ctx, ref: EnrolmentRef, today: string = stockholmToday()): Promise<Result> {
  const e = await loadEnrolment(ctx, ref);
  await requireEnrolmentManager(ctx, e);
  return seatTransaction(ctx.db, e.cohort_id, async (trx): Promise<Result> => {
    const current = await trx.selectFrom("enrolments").select("status").where("id", "=", e.id).executeTakeFirstOrThrow();
    if (!WITHDRAWABLE.includes(current.status)) {
      return refuse("Deltagaren har redan börjat. Registrera ett avbrott i stället.");
    }
    await trx.deleteFrom("enrolments").where("id", "=", e.id).execute();
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: e.municipality_id,
      action: "enrolment.withdrawn",
      entity: "enrolment",
      entityId: e.id,
      detail: {
        cohortId: e.cohort_id,
        participantId: e.participant_id,
        from: current.status,
        by: can(ctx, "nominations:decide", { programmeId: e.programme_id }) ? "programme_lead" : "coordinator",
      },
    });
    await offerFreedSeats(trx, { cohortId: e.cohort_id, municipalityId: e.municipality_id, actorUserId: ctx.user.id, today });
    return ok();
  });
}

const ALLOWED_FROM: Record<StatusChangeInput["status"], readonly EnrolmentStatus[]> = {
  active: ["accepted"],
  completed: ["active"],
  dropped: ["nominated", "accepted", "waitlisted", "active"],
};

const TRANSITION_ERRORS: Record<StatusChangeInput["status"], string> = {
  active: "Bara antagna deltagare kan börja.",
  completed: "Bara aktiva deltagare kan avsluta omgången.",
  dropped: "Deltagaren har redan avslutat eller avbrutit omgången.",
};

/**
 * Dated status changes by the lead or the municipality's coordinator:
 * accepted -> active (start date), active -> completed (end date), and
 * nominated/accepted/waitlisted/active -> dropped (end date and reason).
 */
export async function changeEnrolmentStatus(
  ctx: Ctx,
  ref: EnrolmentRef,
  input: { status: StatusChangeInput["status"]; date: string; reason?: string },
  today: string = stockholmToday(),
): Promise<Result> {
  const e = await loadEnrolment(ctx, ref);
  await requireEnrolmentManager(ctx, e);
  if (input.date > today) return invalid({ date: ["Datumet kan inte vara i framtiden."] });
  if (input.status === "dropped" && !input.reason) return invalid({ reason: ["Ange varför deltagaren avbryter."] });

  return seatTransaction(ctx.db, e.cohort_id, async (trx): Promise<Result> => {
    const current = await trx
      .selectFrom("enrolments")
      .select(["status", "started_on"])
      .where("id", "=", e.id)
      .executeTakeFirstOrThrow();
    if (!ALLOWED_FROM[input.status].includes(current.status)) {
      return invalid({ status: [TRANSITION_ERRORS[input.status]] });
    }
    if (input.status !== "active" && current.started_on && input.date < current.started_on) {
      return invalid({ date: ["Slutdatum kan inte vara före startdatum."] });
    }
    const changes =
      input.status === "active"
        ? { started_on: input.date }
        : input.status === "completed"
          ? { ended_on: input.date }
          : { ended_on: input.date, drop_reason: input.reason ?? null, waitlist_position: null };
    await trx
      .updateTable("enrolments")
      .set({ status: input.status, status_changed_at: nowIso(), ...changes })
      .where("id", "=", e.id)
      .execute();
    await recordEnrolmentEvent(trx, {
      enrolmentId: e.id,
      status: input.status,
      occurredOn: input.date,
      recordedBy: ctx.user.id,
      reason: input.status === "dropped" ? input.reason : null,
    });
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: e.municipality_id,
      action: "enrolment.status_changed",
      entity: "enrolment",
      entityId: e.id,
      detail: { cohortId: e.cohort_id, participantId: e.participant_id, from: current.status, to: input.status, fields: Object.keys(changes) },
    });
    if (input.status === "dropped") {
      await offerFreedSeats(trx, { cohortId: e.cohort_id, municipalityId: e.municipality_id, actorUserId: ctx.user.id, today });
    }
    return ok();
  });
}

export interface NominationCandidate {
  id: number;
  name: string;
  municipality: string;
  /** Where the person stands now in another cohort (the latest), or null: in none. */
  current: { status: Extract<EnrolmentStatus, "nominated" | "accepted" | "waitlisted" | "active">; cohortName: string; programmeName: string } | null;
}

/** A person's current place: nominated, accepted, waiting or taking part in some cohort. */
const CURRENT: readonly EnrolmentStatus[] = ["nominated", "accepted", "waitlisted", "active"];

/** The coordinator's own, current participants who are not yet in a cohort (already checked with requireVisibleCohort), for municipalities with seats in it. */
export async function nominationCandidatesOf(ctx: Ctx, cohort: VisibleCohort): Promise<NominationCandidate[]> {
  const cohortId = cohort.id;
  const own = coordinatedMunicipalityIds(ctx);
  if (!own.length) return [];
  const rows = await ctx.db
    .selectFrom("participants as p")
    .innerJoin("municipalities as m", "m.id", "p.municipality_id")
    .innerJoin("cohort_seats as s", (join) => join.onRef("s.municipality_id", "=", "p.municipality_id").on("s.cohort_id", "=", cohortId))
    .select(["p.id", "p.first_name", "p.last_name", "m.name as municipality"])
    .where("p.municipality_id", "in", own)
    .where("p.ended_on", "is", null)
    .where((eb) => eb.not(eb.exists(eb.selectFrom("enrolments as e").select("e.id").whereRef("e.participant_id", "=", "p.id").where("e.cohort_id", "=", cohortId))))
    .orderBy("p.last_name")
    .orderBy("p.first_name")
    .execute();
  const elsewhere = rows.length
    ? await ctx.db
        .selectFrom("enrolments as e")
        .innerJoin("cohorts as c", "c.id", "e.cohort_id")
        .innerJoin("programmes as g", "g.id", "c.programme_id")
        .select(["e.participant_id", "e.status", "c.name as cohort_name", "g.name as programme_name"])
        .where("e.participant_id", "in", rows.map((r) => r.id))
        .where("e.status", "in", CURRENT)
        .orderBy("c.starts_on")
        .execute()
    : [];
  const current = new Map(elsewhere.map((e) => [e.participant_id, e]));
  return rows.map((r) => {
    const e = current.get(r.id);
    return {
      id: r.id,
      name: `${r.first_name} ${r.last_name}`,
      municipality: r.municipality,
      current: e ? { status: e.status as NonNullable<NominationCandidate["current"]>["status"], cohortName: e.cohort_name, programmeName: e.programme_name } : null,
    };
  });
}

// ---------------------------------------------------------------- the cohort page's forms

/** The cohort page's one-click decision on a nomination (the lead accepts; the lead or coordinator withdraws). */
export async function decideNomination(
  ctx: Ctx,
  cohortId: number,
  submitted: Checked<{ intent: "accept" | "withdraw"; enrolmentId: number }>,
): Promise<Result<"accepted" | "withdrawn">> {
  await requireCohortActor(ctx, cohortId);
  if (submitted.status !== "success") return INPUT_REFUSED;
  const ref = { cohortId, enrolmentId: submitted.value.enrolmentId };
  if (submitted.value.intent === "accept") {
    const accepted = await acceptNomination(ctx, ref);
    return accepted.ok ? ok("accepted") : accepted;
  }
  const withdrawn = await withdrawNomination(ctx, ref);
  return withdrawn.ok ? ok("withdrawn") : withdrawn;
}

/** The cohort page's status change (started, completed, dropped) of an enrolment. */
export async function changeStatusInCohort(ctx: Ctx, cohortId: number, submitted: Checked<Omit<StatusChangeInput, "intent">>): Promise<Result> {
  await requireCohortActor(ctx, cohortId);
  if (submitted.status !== "success") return INPUT_REFUSED;
  const { enrolmentId, ...change } = submitted.value;
  return changeEnrolmentStatus(ctx, { cohortId, enrolmentId }, change);
}
