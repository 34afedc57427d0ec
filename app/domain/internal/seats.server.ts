/**
 * The seat engine: how many of a municipality's seats in a cohort are used,
 * the write lock under which they are counted and changed, and the waiting
 * list that is offered every seat that frees. No grant checks here: the
 * public modules (nominations, cohorts) check the caller, then call these
 * inside their transaction.
 */
import type { Transaction } from "kysely";
import { nowIso, type Db } from "~/db/connection.server";
import type { Database, EnrolmentStatus } from "~/db/schema";
import { stockholmToday } from "~/utils/format";
import { writeAudit } from "../audit.server";
import { notifyEnrolmentChanged } from "./notices.server";
import { dialectOf } from "~/db/dialect.server";

export type Trx = Transaction<Database>;

/**
 * The statuses that occupy one of the municipality's seats: a nomination holds
 * its seat while the lead decides, and a seat used until the end (completed)
 * is not handed out again. Waitlisted enrolments wait for a seat; a dropped one
 * has given its seat back. Free seats = seats - occupied (never below zero).
 */
const OCCUPYING_STATUSES: readonly EnrolmentStatus[] = ["nominated", "accepted", "active", "completed"];

const BUSY_RETRIES = 8;

/**
 * A write transaction on a cohort's seats. Its first statement takes SQLite's
 * write lock, so the seat count read after it cannot change before commit:
 * SQLite lets one writer in at a time, and a second one waits (busy_timeout) or
 * gets SQLITE_BUSY, in which case the whole transaction is run again and sees
 * the first one's result. Within one process Kysely's driver already runs one
 * transaction at a time; the lock matters when several connections share the file.
 */
export async function seatTransaction<T>(db: Db, cohortId: number, work: (trx: Trx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        await trx
          .updateTable("cohorts")
          .set((eb) => ({ updated_at: eb.ref("updated_at") }))
          .where("id", "=", cohortId)
          .execute();
        return work(trx);
      });
    } catch (error) {
      if (!dialectOf(db).isRetryableConflict(error) || attempt >= BUSY_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.floor(Math.random() * 10)));
    }
  }
}

export interface SeatCounts {
  seats: number;
  nominated: number;
  accepted: number;
  waitlisted: number;
  active: number;
  completed: number;
  dropped: number;
  occupied: number;
  free: number;
}

export interface SeatRow extends SeatCounts {
  municipalityId: number;
  municipality: string;
}

function seatCountsFrom(seats: number, byStatus: Partial<Record<EnrolmentStatus, number>>): SeatCounts {
  const n = (s: EnrolmentStatus) => byStatus[s] ?? 0;
  const occupied = OCCUPYING_STATUSES.reduce((sum, s) => sum + n(s), 0);
  return {
    seats,
    nominated: n("nominated"),
    accepted: n("accepted"),
    waitlisted: n("waitlisted"),
    active: n("active"),
    completed: n("completed"),
    dropped: n("dropped"),
    occupied,
    free: Math.max(0, seats - occupied),
  };
}

/** Seats and their use, one row per municipality with seats in the cohort (or only the one asked for). */
export async function seatTable(db: Db, cohortId: number, onlyMunicipalityId?: number): Promise<SeatRow[]> {
  const seats = await db
    .selectFrom("cohort_seats as s")
    .innerJoin("municipalities as m", "m.id", "s.municipality_id")
    .select(["s.municipality_id", "s.seats", "m.name"])
    .where("s.cohort_id", "=", cohortId)
    .$if(onlyMunicipalityId !== undefined, (qb) => qb.where("s.municipality_id", "=", onlyMunicipalityId!))
    .orderBy("m.name")
    .execute();
  const counts = await db
    .selectFrom("enrolments")
    .select((eb) => ["municipality_id", "status", eb.fn.countAll<number>().as("n")])
    .where("cohort_id", "=", cohortId)
    .$if(onlyMunicipalityId !== undefined, (qb) => qb.where("municipality_id", "=", onlyMunicipalityId!))
    .groupBy(["municipality_id", "status"])
    .execute();
  return seats.map((s) => {
    const byStatus: Partial<Record<EnrolmentStatus, number>> = {};
    for (const c of counts) if (c.municipality_id === s.municipality_id) byStatus[c.status] = Number(c.n);
    return { municipalityId: s.municipality_id, municipality: s.name, ...seatCountsFrom(s.seats, byStatus) };
  });
}

/** One municipality's seats in the cohort; null when it has none there. */
export async function seatCounts(db: Db, cohortId: number, municipalityId: number): Promise<SeatCounts | null> {
  return (await seatTable(db, cohortId, municipalityId))[0] ?? null;
}

/** One municipality's seats in each of several cohorts, in two queries (a start page lists many cohorts). */
export async function seatCountsPerCohort(db: Db, municipalityId: number, cohortIds: number[]): Promise<Map<number, SeatCounts>> {
  const result = new Map<number, SeatCounts>();
  if (!cohortIds.length) return result;
  const seats = await db
    .selectFrom("cohort_seats")
    .select(["cohort_id", "seats"])
    .where("municipality_id", "=", municipalityId)
    .where("cohort_id", "in", cohortIds)
    .execute();
  const counts = await db
    .selectFrom("enrolments")
    .select((eb) => ["cohort_id", "status", eb.fn.countAll<number>().as("n")])
    .where("municipality_id", "=", municipalityId)
    .where("cohort_id", "in", cohortIds)
    .groupBy(["cohort_id", "status"])
    .execute();
  for (const s of seats) {
    const byStatus: Partial<Record<EnrolmentStatus, number>> = {};
    for (const c of counts) if (c.cohort_id === s.cohort_id) byStatus[c.status] = Number(c.n);
    result.set(s.cohort_id, seatCountsFrom(s.seats, byStatus));
  }
  return result;
}

export function seatTotals(rows: SeatRow[]): SeatCounts {
  const sum = (k: keyof SeatCounts) => rows.reduce((total, r) => total + r[k], 0);
  return {
    seats: sum("seats"),
    nominated: sum("nominated"),
    accepted: sum("accepted"),
    waitlisted: sum("waitlisted"),
    active: sum("active"),
    completed: sum("completed"),
    dropped: sum("dropped"),
    occupied: sum("occupied"),
    free: sum("free"),
  };
}

/** Dates an enrolment's new status in enrolment_events and tells the participant. */
export async function recordEnrolmentEvent(
  trx: Db,
  input: { enrolmentId: number; status: EnrolmentStatus; occurredOn: string; recordedBy: number | null; reason?: string | null },
) {
  const previous = await trx
    .selectFrom("enrolment_events")
    .select("status")
    .where("enrolment_id", "=", input.enrolmentId)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  await trx
    .insertInto("enrolment_events")
    .values({
      enrolment_id: input.enrolmentId,
      status: input.status,
      occurred_on: input.occurredOn,
      recorded_at: nowIso(),
      recorded_by: input.recordedBy,
      reason: input.reason ?? null,
    })
    .execute();
  // The trainee hears of it on their start page and by e-mail (queued in this transaction).
  await notifyEnrolmentChanged(trx, input.enrolmentId, { from: previous?.status ?? null, to: input.status });
}

/** Renumbers a municipality's waiting list 1, 2, 3... keeping its order. */
async function compactWaitlist(trx: Db, cohortId: number, municipalityId: number) {
  const waiting = await trx
    .selectFrom("enrolments")
    .select(["id", "waitlist_position"])
    .where("cohort_id", "=", cohortId)
    .where("municipality_id", "=", municipalityId)
    .where("status", "=", "waitlisted")
    .orderBy("waitlist_position")
    .orderBy("nominated_at")
    .orderBy("id")
    .execute();
  for (const [index, row] of waiting.entries()) {
    if (row.waitlist_position !== index + 1) {
      await trx.updateTable("enrolments").set({ waitlist_position: index + 1 }).where("id", "=", row.id).execute();
    }
  }
}

/**
 * Offers the municipality's free seats to its waiting list, first in line
 * first: each one offered becomes "nominated" and waits for the lead. Call
 * inside a seat transaction whenever seats may have freed. Returns the
 * enrolment ids that were offered a seat.
 */
export async function offerFreedSeats(
  trx: Db,
  input: { cohortId: number; municipalityId: number; actorUserId: number | null; today?: string },
): Promise<number[]> {
  const counts = await seatCounts(trx, input.cohortId, input.municipalityId);
  const offered: number[] = [];
  let free = counts?.free ?? 0;
  while (free > 0) {
    const next = await trx
      .selectFrom("enrolments")
      .select(["id", "participant_id"])
      .where("cohort_id", "=", input.cohortId)
      .where("municipality_id", "=", input.municipalityId)
      .where("status", "=", "waitlisted")
      .orderBy("waitlist_position")
      .orderBy("nominated_at")
      .orderBy("id")
      .executeTakeFirst();
    if (!next) break;
    await trx
      .updateTable("enrolments")
      .set({ status: "nominated", waitlist_position: null, status_changed_at: nowIso() })
      .where("id", "=", next.id)
      .execute();
    await recordEnrolmentEvent(trx, {
      enrolmentId: next.id,
      status: "nominated",
      occurredOn: input.today ?? stockholmToday(),
      recordedBy: input.actorUserId,
      reason: "Ledig plats erbjuden från väntelistan",
    });
    await writeAudit(trx, {
      actorUserId: input.actorUserId,
      municipalityId: input.municipalityId,
      action: "enrolment.seat_offered",
      entity: "enrolment",
      entityId: next.id,
      detail: { cohortId: input.cohortId, participantId: next.participant_id, from: "waitlisted", to: "nominated" },
    });
    offered.push(next.id);
    free -= 1;
  }
  await compactWaitlist(trx, input.cohortId, input.municipalityId);
  return offered;
}
