/**
 * Nominating several participants to a cohort in one action, and one
 * participant from their own page. The plan says, before anything is saved,
 * who gets one of their municipality's free seats (in the order chosen) and
 * who goes to its waiting list; saving repeats the plan under the seat lock
 * and writes all of it or nothing. The single nomination (nominations.server.ts)
 * is the same path with one participant.
 */
import { nowIso, type Db } from "~/db/connection.server";
import type { EnrolmentStatus } from "~/db/schema";
import { stockholmToday } from "~/utils/format";
import { writeAudit } from "./audit.server";
import { coordinatedMunicipalityIds, notFound, requireGrant, requireRole, type Ctx } from "./context.server";
import { requireCohortActor } from "./internal/cohort-actor.server";
import { refuseUnseenParticipant } from "./internal/participant-access.server";
import { recordEnrolmentEvent, seatTable, seatTransaction, type Trx } from "./internal/seats.server";
import { checked, conflict, INPUT_REFUSED, invalid, ok, type Checked, type Refusal, type Result } from "./result";

export interface NominateSeveralInput {
  /** In the order chosen: the first get the free seats. */
  participantIds: number[];
  /** How many the preview said would get a seat; another number now is a 409 and nothing is written. */
  expectedNominated?: number;
}

export interface PlannedNomination {
  participantId: number;
  name: string;
  municipalityId: number;
  status: Extract<EnrolmentStatus, "nominated" | "waitlisted">;
  waitlistPosition: number | null;
  /** Set once saved. */
  enrolmentId: number | null;
}

export interface NominationPlan {
  cohortId: number;
  rows: PlannedNomination[];
  nominated: number;
  waitlisted: number;
}

interface Nominee {
  id: number;
  name: string;
  municipalityId: number;
  municipality: string;
}

/** The field a refusal names: the list on the cohort page. */
const FIELD = "participantIds";

/**
 * The cohort and the participants, each checked against the caller's grant
 * before anything else is said about them: an id that does not exist or is
 * another municipality's is a 404, with nothing written.
 */
async function loadNominees(ctx: Ctx, cohortId: number, participantIds: number[], today: string): Promise<Result<Nominee[]>> {
  const cohort = await ctx.db.selectFrom("cohorts").select(["id", "ends_on"]).where("id", "=", cohortId).executeTakeFirst();
  if (!cohort) throw notFound();
  const unique = [...new Set(participantIds)];
  const rows = await ctx.db
    .selectFrom("participants as p")
    .innerJoin("municipalities as m", "m.id", "p.municipality_id")
    .select(["p.id", "p.first_name", "p.last_name", "p.municipality_id", "p.ended_on", "m.name as municipality"])
    .where("p.id", "in", unique)
    .execute();
  if (rows.length !== unique.length) {
    const seen = new Set(rows.map((r) => r.id));
    return refuseUnseenParticipant(ctx, unique.find((id) => !seen.has(id))!, "nominations:write");
  }
  for (const row of rows) {
    await requireGrant(ctx, "nominations:write", { municipalityId: row.municipality_id }, { entity: "participant", entityId: row.id });
  }
  if (unique.length !== participantIds.length) return invalid({ [FIELD]: ["Samma deltagare är vald två gånger. Ladda om sidan och välj igen."] });
  const single = participantIds.length === 1;
  const nameOf = (r: (typeof rows)[number]) => `${r.first_name} ${r.last_name}`;
  const ended = rows.filter((r) => r.ended_on);
  if (ended.length) {
    return invalid({ [FIELD]: ended.map((r) => `${single ? "Deltagaren" : nameOf(r)} är avslutad och kan inte anmälas.`) });
  }
  if (cohort.ends_on < today) return invalid({ [FIELD]: ["Omgången är avslutad och tar inte emot anmälningar."] });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ok(
    participantIds.map((id) => {
      const r = byId.get(id)!;
      return { id, name: nameOf(r), municipalityId: r.municipality_id, municipality: r.municipality };
    }),
  );
}

/**
 * Where each nominee lands, read on `db` (the seat transaction's handle when
 * saving): per municipality, the first in the chosen order take its free
 * seats, the rest join the end of its waiting list.
 */
async function planOn(db: Db, cohortId: number, nominees: Nominee[]): Promise<Result<NominationPlan>> {
  const single = nominees.length === 1;
  const already = await db
    .selectFrom("enrolments")
    .select("participant_id")
    .where("cohort_id", "=", cohortId)
    .where("participant_id", "in", nominees.map((n) => n.id))
    .execute();
  if (already.length) {
    const enrolled = new Set(already.map((a) => a.participant_id));
    return invalid({
      [FIELD]: nominees.filter((n) => enrolled.has(n.id)).map((n) => `${single ? "Deltagaren" : n.name} är redan anmäld till omgången.`),
    });
  }
  const seats = new Map((await seatTable(db, cohortId)).map((s) => [s.municipalityId, s]));
  const without = [...new Set(nominees.filter((n) => !seats.has(n.municipalityId)).map((n) => n.municipality))];
  if (without.length) {
    return invalid({ [FIELD]: without.map((m) => `${single ? "Kommunen" : m} har inga platser i den här omgången.`) });
  }
  const free = new Map([...seats].map(([id, s]) => [id, s.free]));
  const lastInLine = new Map<number, number>();
  for (const municipalityId of new Set(nominees.map((n) => n.municipalityId))) {
    const last = await db
      .selectFrom("enrolments")
      .select((eb) => eb.fn.max("waitlist_position").as("max"))
      .where("cohort_id", "=", cohortId)
      .where("municipality_id", "=", municipalityId)
      .where("status", "=", "waitlisted")
      .executeTakeFirst();
    lastInLine.set(municipalityId, Number(last?.max ?? 0));
  }
  const rows = nominees.map((n): PlannedNomination => {
    const left = free.get(n.municipalityId)!;
    if (left > 0) {
      free.set(n.municipalityId, left - 1);
      return { participantId: n.id, name: n.name, municipalityId: n.municipalityId, status: "nominated", waitlistPosition: null, enrolmentId: null };
    }
    const position = lastInLine.get(n.municipalityId)! + 1;
    lastInLine.set(n.municipalityId, position);
    return { participantId: n.id, name: n.name, municipalityId: n.municipalityId, status: "waitlisted", waitlistPosition: position, enrolmentId: null };
  });
  const nominated = rows.filter((r) => r.status === "nominated").length;
  return ok({ cohortId, rows, nominated, waitlisted: rows.length - nominated });
}

async function writePlan(trx: Trx, ctx: Ctx, plan: NominationPlan, today: string): Promise<NominationPlan> {
  const now = nowIso();
  const rows: PlannedNomination[] = [];
  for (const r of plan.rows) {
    const row = await trx
      .insertInto("enrolments")
      .values({
        cohort_id: plan.cohortId,
        municipality_id: r.municipalityId,
        participant_id: r.participantId,
        status: r.status,
        nominated_at: now,
        waitlist_position: r.waitlistPosition,
        status_changed_at: now,
        started_on: null,
        ended_on: null,
        drop_reason: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordEnrolmentEvent(trx, { enrolmentId: row.id, status: r.status, occurredOn: today, recordedBy: ctx.user.id });
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: r.municipalityId,
      action: "enrolment.nominated",
      entity: "enrolment",
      entityId: row.id,
      detail: { cohortId: plan.cohortId, participantId: r.participantId, status: r.status, waitlistPosition: r.waitlistPosition },
    });
    rows.push({ ...r, enrolmentId: row.id });
  }
  return { ...plan, rows };
}

function seatsChanged(plan: NominationPlan): Refusal {
  const seated = plan.nominated === 1 ? "1 får en plats" : `${plan.nominated} får en plats`;
  return conflict(
    `Platserna har ändrats sedan du granskade anmälan: nu ${seated} och ${plan.waitlisted} hamnar på väntelistan. Inget är sparat. Granska anmälan igen.`,
  );
}

/** Who would get a seat and who would go to the waiting list, without saving anything. */
export async function previewNominations(
  ctx: Ctx,
  cohortId: number,
  submitted: Checked<NominateSeveralInput>,
  today: string = stockholmToday(),
): Promise<Result<NominationPlan>> {
  await requireCohortActor(ctx, cohortId);
  await requireRole(ctx, "nominations:write", { entity: "cohort", entityId: cohortId });
  if (submitted.status !== "success") return INPUT_REFUSED;
  const nominees = await loadNominees(ctx, cohortId, submitted.value.participantIds, today);
  if (!nominees.ok) return nominees;
  return planOn(ctx.db, cohortId, nominees.value);
}

/**
 * Nominates every chosen participant, all or none: the plan is made again
 * under the cohort's seat lock (two coordinators at once cannot both take the
 * last seat), and when the preview's number of seats no longer holds, nothing
 * is written (409).
 */
export async function nominateSeveral(
  ctx: Ctx,
  cohortId: number,
  submitted: Checked<NominateSeveralInput>,
  today: string = stockholmToday(),
): Promise<Result<NominationPlan>> {
  await requireCohortActor(ctx, cohortId);
  await requireRole(ctx, "nominations:write", { entity: "cohort", entityId: cohortId });
  if (submitted.status !== "success") return INPUT_REFUSED;
  const input = submitted.value;
  const nominees = await loadNominees(ctx, cohortId, input.participantIds, today);
  if (!nominees.ok) return nominees;
  return seatTransaction(ctx.db, cohortId, async (trx): Promise<Result<NominationPlan>> => {
    const plan = await planOn(trx, cohortId, nominees.value);
    if (!plan.ok) return plan;
    if (input.expectedNominated !== undefined && plan.value.nominated !== input.expectedNominated) return seatsChanged(plan.value);
    return ok(await writePlan(trx, ctx, plan.value, today));
  });
}

export interface OpenCohort {
  id: number;
  name: string;
  programmeName: string;
  startsOn: string;
  /** The participant's municipality's free seats there. */
  free: number;
  /** Where on the waiting list the participant would stand when no seat is free. */
  nextInLine: number;
}

/**
 * The cohorts a participant can be nominated to from their own page: not
 * ended, with seats for their municipality, and not already theirs. Empty for
 * a caller who does not nominate for that municipality.
 */
export async function cohortsOpenTo(ctx: Ctx, participantId: number, today: string = stockholmToday()): Promise<OpenCohort[]> {
  const participant = await ctx.db.selectFrom("participants").select(["id", "municipality_id", "ended_on"]).where("id", "=", participantId).executeTakeFirst();
  if (!participant || participant.ended_on || !coordinatedMunicipalityIds(ctx).includes(participant.municipality_id)) return [];
  const rows = await ctx.db
    .selectFrom("cohorts as c")
    .innerJoin("programmes as g", "g.id", "c.programme_id")
    .innerJoin("cohort_seats as s", (join) => join.onRef("s.cohort_id", "=", "c.id").on("s.municipality_id", "=", participant.municipality_id))
    .select(["c.id", "c.name", "c.starts_on", "g.name as programme_name"])
    .where("c.ends_on", ">=", today)
    .where((eb) => eb.not(eb.exists(eb.selectFrom("enrolments as e").select("e.id").whereRef("e.cohort_id", "=", "c.id").where("e.participant_id", "=", participant.id))))
    .orderBy("c.starts_on")
    .orderBy("c.id")
    .execute();
  const open: OpenCohort[] = [];
  for (const r of rows) {
    const seats = (await seatTable(ctx.db, r.id, participant.municipality_id))[0];
    open.push({ id: r.id, name: r.name, programmeName: r.programme_name, startsOn: r.starts_on, free: seats.free, nextInLine: seats.waitlisted + 1 });
  }
  return open;
}

/**
 * Nominates one participant from their own page to a cohort picked there. A
 * cohort the participant's municipality has no seats in is, to this page, no
 * cohort at all (404), like a made-up id.
 */
export async function nominateToCohort(
  ctx: Ctx,
  participantId: number,
  submitted: Checked<{ cohortId: number }>,
  today: string = stockholmToday(),
): Promise<Result<PlannedNomination>> {
  await requireRole(ctx, "nominations:write", { entity: "participant", entityId: participantId });
  if (submitted.status !== "success") return INPUT_REFUSED;
  const participant = await ctx.db.selectFrom("participants").select(["id", "municipality_id"]).where("id", "=", participantId).executeTakeFirst();
  if (!participant) return refuseUnseenParticipant(ctx, participantId, "nominations:write");
  await requireGrant(ctx, "nominations:write", { municipalityId: participant.municipality_id }, { entity: "participant", entityId: participantId });
  const { cohortId } = submitted.value;
  const hasSeats = await ctx.db
    .selectFrom("cohort_seats")
    .select("cohort_id")
    .where("cohort_id", "=", cohortId)
    .where("municipality_id", "=", participant.municipality_id)
    .executeTakeFirst();
  if (!hasSeats) throw notFound();
  const result = await nominateSeveral(ctx, cohortId, checked({ participantIds: [participantId] }), today);
  if (!result.ok) return result.fieldErrors ? invalid({ cohortId: Object.values(result.fieldErrors).flat() }) : result;
  return ok(result.value.rows[0]);
}
