/**
 * Cohorts (Omgångar) and their seats per partner municipality. The programme
 * lead creates and edits cohorts and moves seats between municipalities; every
 * seat that frees or moves in is offered to that municipality's waiting list.
 */
import { nowIso, type Db } from "~/db/connection.server";
import type { CohortInput, SeatTransferInput } from "~/schemas/programmes";
import { stockholmToday } from "~/utils/format";
import { writeAudit } from "./audit.server";
import { can, coordinatedMunicipalityIds, requireGrant, requireRole, type Ctx } from "./context.server";
import { offerFreedSeats, seatTable, seatTotals, seatTransaction, type SeatCounts, type SeatRow } from "./internal/seats.server";
import { nominationCandidatesOf, type NominationCandidate } from "./nominations.server";
import { requireVisibleCohort, requireVisibleProgramme, type VisibleCohort } from "./programmes.server";
import { INPUT_REFUSED, invalid, ok, type Checked, type Result } from "./result";
import { rosterOf, type RosterRow } from "./rosters.server";

export type { SeatCounts, SeatRow };

export interface CohortPage {
  id: number;
  name: string;
  programmeId: number;
  programmeName: string;
  startsOn: string;
  endsOn: string;
  capacity: number;
  seats: SeatRow[];
  totals: SeatCounts;
  canManage: boolean;
  canDecide: boolean;
  /** The caller's municipalities that have seats here: they may nominate. */
  nominatingMunicipalities: { id: number; name: string; free: number }[];
}

/**
 * Everything the cohort page shows: the cohort and its seats, the roster as the
 * caller may see it, and the participants the caller may nominate. One
 * visibility check for all three.
 */
export async function getCohortWithRoster(
  ctx: Ctx,
  cohortId: number,
): Promise<{ cohort: CohortPage; roster: RosterRow[] | null; candidates: NominationCandidate[] }> {
  const visible = await requireVisibleCohort(ctx, cohortId);
  const cohort = await cohortPageOf(ctx, visible);
  return {
    cohort,
    roster: await rosterOf(ctx, visible),
    candidates: cohort.nominatingMunicipalities.length ? await nominationCandidatesOf(ctx, visible) : [],
  };
}

async function cohortPageOf(ctx: Ctx, cohort: VisibleCohort): Promise<CohortPage> {
  const cohortId = cohort.id;
  const seats = await seatTable(ctx.db, cohortId);
  const own = coordinatedMunicipalityIds(ctx);
  return {
    id: cohort.id,
    name: cohort.name,
    programmeId: cohort.programme_id,
    programmeName: cohort.programmeName,
    startsOn: cohort.starts_on,
    endsOn: cohort.ends_on,
    capacity: cohort.capacity,
    seats,
    totals: seatTotals(seats),
    canManage: can(ctx, "cohorts:manage", { programmeId: cohort.programme_id }),
    canDecide: can(ctx, "nominations:decide", { programmeId: cohort.programme_id }),
    nominatingMunicipalities: seats
      .filter((s) => own.includes(s.municipalityId))
      .map((s) => ({ id: s.municipalityId, name: s.municipality, free: s.free })),
  };
}

async function partnersOf(db: Db, programmeId: number) {
  return db
    .selectFrom("programme_partners as pp")
    .innerJoin("municipalities as m", "m.id", "pp.municipality_id")
    .select(["m.id", "m.name"])
    .where("pp.programme_id", "=", programmeId)
    .orderBy("m.name")
    .execute();
}

/** The new-cohort form: the programme's partners, each with a seat field. Only the programme's lead. */
export async function newCohortForm(ctx: Ctx, programmeId: number) {
  await requireRole(ctx, "cohorts:manage", { entity: "programme", entityId: programmeId });
  await requireVisibleProgramme(ctx, programmeId);
  await requireGrant(ctx, "cohorts:manage", { programmeId }, { entity: "programme", entityId: programmeId });
  const programme = await ctx.db.selectFrom("programmes").select(["id", "name"]).where("id", "=", programmeId).executeTakeFirstOrThrow();
  return { programme, partners: await partnersOf(ctx.db, programmeId) };
}

function unknownPartnerErrors(input: CohortInput, partnerIds: number[]): Record<string, string[]> | null {
  const errors: Record<string, string[]> = {};
  input.seats.forEach((s, i) => {
    if (!partnerIds.includes(s.municipalityId)) errors[`seats[${i}].seats`] = ["Kommunen är inte partner i programmet."];
  });
  return Object.keys(errors).length ? errors : null;
}

export async function createCohort(ctx: Ctx, programmeId: number, posted: Checked<CohortInput>): Promise<Result<{ id: number }>> {
  const { partners } = await newCohortForm(ctx, programmeId);
  if (posted.status !== "success") return INPUT_REFUSED;
  const input = posted.value;
  const partnerIds = partners.map((p) => p.id);
  const unknown = unknownPartnerErrors(input, partnerIds);
  if (unknown) return invalid(unknown);
  const seatsFor = (municipalityId: number) => input.seats.find((s) => s.municipalityId === municipalityId)?.seats ?? 0;

  const id = await ctx.db.transaction().execute(async (trx) => {
    const now = nowIso();
    const row = await trx
      .insertInto("cohorts")
      .values({
        programme_id: programmeId,
        name: input.name,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        capacity: input.capacity,
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    // Every partner gets a seat row, also with 0 seats, so its coordinator can put people on the waiting list.
    await trx
      .insertInto("cohort_seats")
      .values(partnerIds.map((municipality_id) => ({ cohort_id: row.id, programme_id: programmeId, municipality_id, seats: seatsFor(municipality_id) })))
      .execute();
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      action: "cohort.created",
      entity: "cohort",
      entityId: row.id,
      detail: { programmeId, seats: Object.fromEntries(partnerIds.map((m) => [m, seatsFor(m)])) },
    });
    return row.id;
  });
  return ok({ id });
}

/** Throws 403/404 (with an audit entry) unless the caller leads the cohort's programme. */
export async function requireManagedCohort(ctx: Ctx, cohortId: number) {
  await requireRole(ctx, "cohorts:manage", { entity: "cohort", entityId: cohortId });
  const cohort = await requireVisibleCohort(ctx, cohortId);
  await requireGrant(ctx, "cohorts:manage", { programmeId: cohort.programme_id }, { entity: "cohort", entityId: cohortId });
  return cohort;
}

/** The edit form: the cohort's values and one seat field per partner, with how many seats are in use. */
export async function getCohortForEdit(ctx: Ctx, cohortId: number) {
  const cohort = await requireManagedCohort(ctx, cohortId);
  const partners = await partnersOf(ctx.db, cohort.programme_id);
  const seats = await seatTable(ctx.db, cohortId);
  return {
    cohort: { id: cohort.id, name: cohort.name, programmeId: cohort.programme_id, programmeName: cohort.programmeName },
    values: {
      name: cohort.name,
      startsOn: cohort.starts_on,
      endsOn: cohort.ends_on,
      capacity: cohort.capacity,
      seats: partners.map((p) => ({ municipalityId: p.id, seats: seats.find((s) => s.municipalityId === p.id)?.seats ?? 0 })),
    } satisfies CohortInput,
    partners: partners.map((p) => ({ ...p, occupied: seats.find((s) => s.municipalityId === p.id)?.occupied ?? 0 })),
  };
}

export async function updateCohort(
  ctx: Ctx,
  cohortId: number,
  posted: Checked<CohortInput>,
  today: string = stockholmToday(),
): Promise<Result<{ id: number }>> {
  const cohort = await requireManagedCohort(ctx, cohortId);
  if (posted.status !== "success") return INPUT_REFUSED;
  const input = posted.value;

  return seatTransaction(ctx.db, cohortId, async (trx): Promise<Result<{ id: number }>> => {
    // Under the write lock: a partner removed from the programme meanwhile cannot be given seats.
    const partnerIds = (await partnersOf(trx, cohort.programme_id)).map((p) => p.id);
    const unknown = unknownPartnerErrors(input, partnerIds);
    if (unknown) return invalid(unknown);
    const current = await seatTable(trx, cohortId);
    const errors: Record<string, string[]> = {};
    input.seats.forEach((s, i) => {
      const row = current.find((r) => r.municipalityId === s.municipalityId);
      if (row && s.seats < row.occupied) {
        errors[`seats[${i}].seats`] = [`${row.municipality} använder ${row.occupied === 1 ? "1 plats" : `${row.occupied} platser`}. Minska inte under det.`];
      }
    });
    if (Object.keys(errors).length) return invalid(errors);

    await trx
      .updateTable("cohorts")
      .set({ name: input.name, starts_on: input.startsOn, ends_on: input.endsOn, capacity: input.capacity, updated_at: nowIso() })
      .where("id", "=", cohortId)
      .execute();
    const changedSeats: Record<number, { from: number; to: number }> = {};
    for (const s of input.seats) {
      const row = current.find((r) => r.municipalityId === s.municipalityId);
      if (!row) {
        await trx
          .insertInto("cohort_seats")
          .values({ cohort_id: cohortId, programme_id: cohort.programme_id, municipality_id: s.municipalityId, seats: s.seats })
          .execute();
        changedSeats[s.municipalityId] = { from: 0, to: s.seats };
      } else if (row.seats !== s.seats) {
        await trx
          .updateTable("cohort_seats")
          .set({ seats: s.seats })
          .where("cohort_id", "=", cohortId)
          .where("municipality_id", "=", s.municipalityId)
          .execute();
        changedSeats[s.municipalityId] = { from: row.seats, to: s.seats };
      }
    }
    const fields = (
      [
        ["name", cohort.name, input.name],
        ["startsOn", cohort.starts_on, input.startsOn],
        ["endsOn", cohort.ends_on, input.endsOn],
        ["capacity", cohort.capacity, input.capacity],
      ] as const
    )
      .filter(([, before, after]) => before !== after)
      .map(([field]) => field);
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      action: "cohort.updated",
      entity: "cohort",
      entityId: cohortId,
      detail: { fields, seats: changedSeats },
    });
    for (const [municipalityId, change] of Object.entries(changedSeats)) {
      if (change.to > change.from) {
        await offerFreedSeats(trx, { cohortId, municipalityId: Number(municipalityId), actorUserId: ctx.user.id, today });
      }
    }
    return ok({ id: cohortId });
  });
}

export interface SeatTransferRow {
  id: number;
  from: string;
  to: string;
  seats: number;
  movedBy: string;
  movedAt: string;
}

/** The seat-moving page: the seat table and the history of moves. Only the programme's lead. */
export async function getSeatTransfers(ctx: Ctx, cohortId: number) {
  const cohort = await requireManagedCohort(ctx, cohortId);
  const transfers = await ctx.db
    .selectFrom("seat_transfers as t")
    .innerJoin("municipalities as f", "f.id", "t.from_municipality_id")
    .innerJoin("municipalities as to", "to.id", "t.to_municipality_id")
    .innerJoin("users as u", "u.id", "t.moved_by")
    .select(["t.id", "f.name as from", "to.name as to", "t.seats", "u.name as movedBy", "t.moved_at as movedAt"])
    .where("t.cohort_id", "=", cohortId)
    .orderBy("t.moved_at", "desc")
    .orderBy("t.id", "desc")
    .execute();
  return {
    cohort: { id: cohort.id, name: cohort.name, programmeId: cohort.programme_id, programmeName: cohort.programmeName },
    seats: await seatTable(ctx.db, cohortId),
    transfers: transfers satisfies SeatTransferRow[],
  };
}

/**
 * Moves free seats from one municipality to another within the cohort. Only
 * free seats move (a seat in use stays with its participant); the receiving
 * municipality's waiting list is offered the new seats at once.
 */
export async function transferSeats(
  ctx: Ctx,
  cohortId: number,
  posted: Checked<SeatTransferInput>,
  today: string = stockholmToday(),
): Promise<Result<{ offered: number; moved: number }>> {
  await requireManagedCohort(ctx, cohortId);
  if (posted.status !== "success") return INPUT_REFUSED;
  const input = posted.value;
  return seatTransaction(ctx.db, cohortId, async (trx): Promise<Result<{ offered: number; moved: number }>> => {
    const seats = await seatTable(trx, cohortId);
    const from = seats.find((s) => s.municipalityId === input.fromMunicipalityId);
    const to = seats.find((s) => s.municipalityId === input.toMunicipalityId);
    if (!from) return invalid({ fromMunicipalityId: ["Kommunen har inga platser i omgången."] });
    if (!to) return invalid({ toMunicipalityId: ["Kommunen är inte med i omgången."] });
    if (from.free < input.seats) {
      return invalid({
        seats: [from.free === 0 ? `${from.municipality} har inga lediga platser att flytta.` : `${from.municipality} har bara ${from.free} lediga platser.`],
      });
    }
    const setSeats = (municipalityId: number, value: number) =>
      trx.updateTable("cohort_seats").set({ seats: value }).where("cohort_id", "=", cohortId).where("municipality_id", "=", municipalityId).execute();
    await setSeats(from.municipalityId, from.seats - input.seats);
    await setSeats(to.municipalityId, to.seats + input.seats);
    const transfer = await trx
      .insertInto("seat_transfers")
      .values({
        cohort_id: cohortId,
        from_municipality_id: from.municipalityId,
        to_municipality_id: to.municipalityId,
        seats: input.seats,
        moved_by: ctx.user.id,
        moved_at: nowIso(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      action: "cohort.seats_moved",
      entity: "cohort",
      entityId: cohortId,
      detail: { transferId: transfer.id, fromMunicipalityId: from.municipalityId, toMunicipalityId: to.municipalityId, seats: input.seats },
    });
    const offered = await offerFreedSeats(trx, { cohortId, municipalityId: to.municipalityId, actorUserId: ctx.user.id, today });
    return ok({ offered: offered.length, moved: input.seats });
  });
}

