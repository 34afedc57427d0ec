/**
 * Nominations (Anmälan), the waiting list and cohort rosters.
 *
 * A coordinator nominates their own municipality's participants to a cohort in
 * which the municipality has seats. Within the municipality's free seats the
 * nomination is "nominated" and waits for the programme lead; beyond them it is
 * "waitlisted", in order. When a seat frees (a drop-out, a withdrawal, seats
 * moved in or added) the first on that municipality's waiting list is offered it
 * and becomes "nominated". Every status change is dated in enrolment_events.
 */
import type { Transaction } from "kysely";
import { nowIso, type Db } from "~/db/connection.server";
import type { Database, EnrolmentStatus } from "~/db/schema";
import type { StatusChangeInput } from "~/schemas/programmes";
import { enrolmentStatusLabels } from "~/ui/labels";
import { toCsv } from "~/utils/csv.server";
import { stockholmToday } from "~/utils/format";
import { writeAudit } from "./audit.server";
import { can, coordinatedMunicipalityIds, denied, notFound, requireGrant, requireRole, type Ctx, type Permission } from "./context.server";
import { requireVisibleCohort, type FormResult, type VisibleCohort } from "./programmes.server";
import { notifyEnrolmentChanged } from "./notifications.server";

type Trx = Transaction<Database>;

/**
 * The statuses that occupy one of the municipality's seats: a nomination holds
 * its seat while the lead decides, and a seat used until the end (completed)
 * is not handed out again. Waitlisted enrolments wait for a seat; a dropped one
 * has given its seat back. Free seats = seats - occupied (never below zero).
 */
export const OCCUPYING_STATUSES: readonly EnrolmentStatus[] = ["nominated", "accepted", "active", "completed"];

/** Withdrawing a nomination is only possible before the participant has started. */
const WITHDRAWABLE: readonly EnrolmentStatus[] = ["nominated", "accepted", "waitlisted"];

const BUSY_RETRIES = 8;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}

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
      if (!isBusy(error) || attempt >= BUSY_RETRIES) throw error;
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

export function seatCountsFrom(seats: number, byStatus: Partial<Record<EnrolmentStatus, number>>): SeatCounts {
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

export async function seatCounts(db: Db, cohortId: number, municipalityId: number): Promise<SeatCounts | null> {
  const seatRow = await db
    .selectFrom("cohort_seats")
    .select("seats")
    .where("cohort_id", "=", cohortId)
    .where("municipality_id", "=", municipalityId)
    .executeTakeFirst();
  if (!seatRow) return null;
  const rows = await db
    .selectFrom("enrolments")
    .select((eb) => ["status", eb.fn.countAll<number>().as("n")])
    .where("cohort_id", "=", cohortId)
    .where("municipality_id", "=", municipalityId)
    .groupBy("status")
    .execute();
  return seatCountsFrom(seatRow.seats, Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])));
}

async function recordEvent(
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
    await recordEvent(trx, {
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

export interface NominationResult {
  enrolmentId: number;
  status: "nominated" | "waitlisted";
  waitlistPosition: number | null;
}

export async function nominate(
  ctx: Ctx,
  input: { cohortId: number; participantId: number },
  today: string = stockholmToday(),
): Promise<FormResult<NominationResult>> {
  await requireRole(ctx, "nominations:write", { entity: "participant", entityId: input.participantId });
  const cohort = await ctx.db.selectFrom("cohorts").select(["id", "ends_on"]).where("id", "=", input.cohortId).executeTakeFirst();
  if (!cohort) throw notFound();
  const participant = await ctx.db
    .selectFrom("participants")
    .select(["id", "municipality_id", "ended_on"])
    .where("id", "=", input.participantId)
    .executeTakeFirst();
  if (!participant) throw notFound();
  await requireGrant(
    ctx,
    "nominations:write",
    { municipalityId: participant.municipality_id },
    { entity: "participant", entityId: participant.id },
  );
  const municipalityId = participant.municipality_id;
  const fail = (message: string): FormResult<NominationResult> => ({ ok: false, fieldErrors: { participantId: [message] } });
  if (participant.ended_on) return fail("Deltagaren är avslutad och kan inte anmälas.");
  if (cohort.ends_on < today) return fail("Omgången är avslutad och tar inte emot anmälningar.");

  return seatTransaction(ctx.db, cohort.id, async (trx): Promise<FormResult<NominationResult>> => {
    const counts = await seatCounts(trx, cohort.id, municipalityId);
    if (!counts) return fail("Kommunen har inga platser i den här omgången.");
    const already = await trx
      .selectFrom("enrolments")
      .select("id")
      .where("cohort_id", "=", cohort.id)
      .where("participant_id", "=", participant.id)
      .executeTakeFirst();
    if (already) return fail("Deltagaren är redan anmäld till omgången.");

    const status = counts.free > 0 ? "nominated" : "waitlisted";
    let waitlistPosition: number | null = null;
    if (status === "waitlisted") {
      const last = await trx
        .selectFrom("enrolments")
        .select((eb) => eb.fn.max("waitlist_position").as("max"))
        .where("cohort_id", "=", cohort.id)
        .where("municipality_id", "=", municipalityId)
        .where("status", "=", "waitlisted")
        .executeTakeFirst();
      waitlistPosition = Number(last?.max ?? 0) + 1;
    }
    const now = nowIso();
    const row = await trx
      .insertInto("enrolments")
      .values({
        cohort_id: cohort.id,
        municipality_id: municipalityId,
        participant_id: participant.id,
        status,
        nominated_at: now,
        waitlist_position: waitlistPosition,
        status_changed_at: now,
        started_on: null,
        ended_on: null,
        drop_reason: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordEvent(trx, { enrolmentId: row.id, status, occurredOn: today, recordedBy: ctx.user.id });
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId,
      action: "enrolment.nominated",
      entity: "enrolment",
      entityId: row.id,
      detail: { cohortId: cohort.id, participantId: participant.id, status, waitlistPosition },
    });
    return { ok: true, value: { enrolmentId: row.id, status, waitlistPosition } };
  });
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
export async function acceptNomination(ctx: Ctx, ref: EnrolmentRef, today: string = stockholmToday()): Promise<FormResult> {
  const e = await loadEnrolment(ctx, ref, "nominations:decide");
  await requireGrant(ctx, "nominations:decide", { programmeId: e.programme_id }, { entity: "enrolment", entityId: e.id });
  return seatTransaction(ctx.db, e.cohort_id, async (trx): Promise<FormResult> => {
    const current = await trx.selectFrom("enrolments").select("status").where("id", "=", e.id).executeTakeFirstOrThrow();
    if (current.status !== "nominated") {
      return { ok: false, fieldErrors: { enrolmentId: ["Bara anmälningar som väntar på beslut kan antas."] } };
    }
    await trx.updateTable("enrolments").set({ status: "accepted", status_changed_at: nowIso() }).where("id", "=", e.id).execute();
    await recordEvent(trx, { enrolmentId: e.id, status: "accepted", occurredOn: today, recordedBy: ctx.user.id });
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: e.municipality_id,
      action: "enrolment.accepted",
      entity: "enrolment",
      entityId: e.id,
      detail: { cohortId: e.cohort_id, participantId: e.participant_id, from: "nominated", to: "accepted" },
    });
    return { ok: true, value: undefined };
  });
}

/**
 * The lead rejects, or the coordinator withdraws, a nomination that has not
 * started (nominated, accepted or waitlisted). The enrolment is removed, not
 * marked dropped: someone who never started is not a drop-out in the ESF
 * figures, and may be nominated again later. The audit log keeps the trace.
 */
export async function withdrawNomination(ctx: Ctx, ref: EnrolmentRef, today: string = stockholmToday()): Promise<FormResult> {
  const e = await loadEnrolment(ctx, ref);
  await requireEnrolmentManager(ctx, e);
  return seatTransaction(ctx.db, e.cohort_id, async (trx): Promise<FormResult> => {
    const current = await trx.selectFrom("enrolments").select("status").where("id", "=", e.id).executeTakeFirstOrThrow();
    if (!WITHDRAWABLE.includes(current.status)) {
      return {
        ok: false,
        fieldErrors: { enrolmentId: ["Deltagaren har redan börjat. Registrera ett avbrott i stället."] },
      };
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
    return { ok: true, value: undefined };
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
): Promise<FormResult> {
  const e = await loadEnrolment(ctx, ref);
  await requireEnrolmentManager(ctx, e);
  if (input.date > today) return { ok: false, fieldErrors: { date: ["Datumet kan inte vara i framtiden."] } };
  if (input.status === "dropped" && !input.reason) return { ok: false, fieldErrors: { reason: ["Ange varför deltagaren avbryter."] } };

  return seatTransaction(ctx.db, e.cohort_id, async (trx): Promise<FormResult> => {
    const current = await trx
      .selectFrom("enrolments")
      .select(["status", "started_on"])
      .where("id", "=", e.id)
      .executeTakeFirstOrThrow();
    if (!ALLOWED_FROM[input.status].includes(current.status)) {
      return { ok: false, fieldErrors: { status: [TRANSITION_ERRORS[input.status]] } };
    }
    if (input.status !== "active" && current.started_on && input.date < current.started_on) {
      return { ok: false, fieldErrors: { date: ["Slutdatum kan inte vara före startdatum."] } };
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
    await recordEvent(trx, {
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
    return { ok: true, value: undefined };
  });
}

export interface NominationCandidate {
  id: number;
  name: string;
  municipality: string;
}

/** The coordinator's own, current participants who are not yet in the cohort, for municipalities with seats in it. */
export async function listNominationCandidates(ctx: Ctx, cohortId: number): Promise<NominationCandidate[]> {
  return nominationCandidatesOf(ctx, await requireVisibleCohort(ctx, cohortId));
}

/** listNominationCandidates for a cohort already checked with requireVisibleCohort. */
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
  return rows.map((r) => ({ id: r.id, name: `${r.first_name} ${r.last_name}`, municipality: r.municipality }));
}

/** A roster row with everything: for the lead, and for a coordinator's own participants. */
export interface FullRosterRow {
  kind: "full";
  enrolmentId: number;
  firstName: string;
  lastName: string;
  municipality: string;
  status: EnrolmentStatus;
  waitlistPosition: number | null;
  nominatedAt: string;
  startedOn: string | null;
  endedOn: string | null;
  dropReason: string | null;
  email: string;
  title: string;
  department: string;
  canAccept: boolean;
  canManage: boolean;
}

/** Another municipality's participant, as a coordinator sees them: a name and a municipality, nothing more. */
export interface LimitedRosterRow {
  kind: "limited";
  firstName: string;
  lastName: string;
  municipality: string;
}

export type RosterRow = FullRosterRow | LimitedRosterRow;

/** Other municipalities' participants are shown once they are in the cohort, not while nominated or waiting. */
const SHARED_STATUSES: EnrolmentStatus[] = ["accepted", "active", "completed"];

const STATUS_ORDER: EnrolmentStatus[] = ["active", "accepted", "nominated", "waitlisted", "completed", "dropped"];

/**
 * The cohort's roster as the caller may see it: null for callers without a
 * roster (administrators and funders see the seat figures only).
 */
export async function getRoster(ctx: Ctx, cohortId: number): Promise<RosterRow[] | null> {
  return rosterOf(ctx, await requireVisibleCohort(ctx, cohortId));
}

/** getRoster for a cohort already checked with requireVisibleCohort. */
export async function rosterOf(ctx: Ctx, cohort: VisibleCohort): Promise<RosterRow[] | null> {
  const cohortId = cohort.id;
  const isLead = can(ctx, "roster:read", { programmeId: cohort.programme_id }) && can(ctx, "nominations:decide", { programmeId: cohort.programme_id });
  const own = coordinatedMunicipalityIds(ctx).filter((m) => can(ctx, "roster:read", { municipalityId: m }));
  if (!isLead && !own.length) return null;

  const full = await ctx.db
    .selectFrom("enrolments as e")
    .innerJoin("participants as p", (join) => join.onRef("p.id", "=", "e.participant_id").onRef("p.municipality_id", "=", "e.municipality_id"))
    .innerJoin("municipalities as m", "m.id", "e.municipality_id")
    .select([
      "e.id as enrolmentId",
      "e.municipality_id",
      "p.first_name as firstName",
      "p.last_name as lastName",
      "m.name as municipality",
      "e.status",
      "e.waitlist_position as waitlistPosition",
      "e.nominated_at as nominatedAt",
      "e.started_on as startedOn",
      "e.ended_on as endedOn",
      "e.drop_reason as dropReason",
      "p.email",
      "p.title",
      "p.department",
    ])
    .where("e.cohort_id", "=", cohortId)
    .$if(!isLead, (qb) => qb.where("e.municipality_id", "in", own))
    .execute();
  const rows: RosterRow[] = full.map(({ municipality_id, ...r }) => ({
    kind: "full",
    ...r,
    canAccept: isLead && r.status === "nominated",
    canManage: isLead || own.includes(municipality_id),
  }));

  if (!isLead) {
    const others = await ctx.db
      .selectFrom("enrolments as e")
      .innerJoin("participants as p", (join) => join.onRef("p.id", "=", "e.participant_id").onRef("p.municipality_id", "=", "e.municipality_id"))
      .innerJoin("municipalities as m", "m.id", "e.municipality_id")
      .select(["p.first_name as firstName", "p.last_name as lastName", "m.name as municipality"])
      .where("e.cohort_id", "=", cohortId)
      .where("e.municipality_id", "not in", own)
      .where("e.status", "in", SHARED_STATUSES)
      .execute();
    rows.push(...others.map((r) => ({ kind: "limited" as const, ...r })));
  }

  const rank = (r: RosterRow) => (r.kind === "full" ? STATUS_ORDER.indexOf(r.status) : 0);
  return rows.sort(
    (a, b) =>
      a.municipality.localeCompare(b.municipality, "sv") ||
      rank(a) - rank(b) ||
      (a.kind === "full" && b.kind === "full" ? (a.waitlistPosition ?? 0) - (b.waitlistPosition ?? 0) : 0) ||
      a.lastName.localeCompare(b.lastName, "sv") ||
      a.firstName.localeCompare(b.firstName, "sv"),
  );
}

/** The roster as CSV, scoped exactly like the page. Writes an audit entry: personal data leaves the portal. */
export async function exportRoster(ctx: Ctx, cohortId: number): Promise<{ filename: string; csv: string }> {
  await requireRole(ctx, "roster:read", { entity: "cohort", entityId: cohortId });
  const cohort = await requireVisibleCohort(ctx, cohortId);
  const rows = await rosterOf(ctx, cohort);
  if (!rows) return denied(ctx, "roster:read", { entity: "cohort", entityId: cohortId });
  const header = ["Förnamn", "Efternamn", "Kommun", "Status", "Plats i kö", "Anmäld", "Startdatum", "Slutdatum", "Orsak till avbrott", "E-post", "Titel", "Förvaltning"];
  const body = rows.map((r) =>
    r.kind === "full"
      ? [
          r.firstName,
          r.lastName,
          r.municipality,
          enrolmentStatusLabels[r.status],
          r.waitlistPosition,
          stockholmToday(new Date(r.nominatedAt)),
          r.startedOn,
          r.endedOn,
          r.dropReason,
          r.email,
          r.title,
          r.department,
        ]
      : [r.firstName, r.lastName, r.municipality, ...header.slice(3).map(() => null)],
  );
  await writeAudit(ctx.db, {
    actorUserId: ctx.user.id,
    action: "roster.exported",
    entity: "cohort",
    entityId: cohortId,
    detail: { rows: rows.length, fullRows: rows.filter((r) => r.kind === "full").length },
  });
  const safeName = `${cohort.programmeName} ${cohort.name}`.replace(/[^\p{L}\p{N} _-]/gu, "").trim();
  return { filename: `Deltagarlista ${safeName}.csv`, csv: toCsv(header, body) };
}
