/**
 * Attendance (närvaro): who was at a session and for how many minutes.
 * Taken by the programme lead for everyone; the host municipality's
 * coordinator sees and takes it only for their own municipality's
 * participants (a coordinator never reads or writes another municipality's
 * attendance, also at a session they host). One row per participant and session. Every row carries a version: a form that
 * loaded an older version cannot overwrite a newer one, and every change to
 * an existing row is kept in attendance_corrections. Changing a month whose
 * time report is certified is refused until the report is reopened.
 */
import { nowIso, type Db } from "~/db/connection.server";
import type { AttendanceStatus, EnrolmentStatus } from "~/db/schema";
import { formatMonth, stockholmToday } from "~/utils/format";
import { floorToQuarter, minutesBetween, stockholmMonthOf } from "~/utils/hours";
import { PRESENT_STATUSES, type AttendanceForm } from "~/schemas/attendance";
import { writeAudit } from "./audit.server";
import { can, coordinatedMunicipalityIds, denied, notFound, requireGrant, requireRole, type Ctx } from "./context.server";
import { noteHoursChanged } from "./internal/hours-ledger.server";
import { conflict, INPUT_REFUSED, ok, refuse, type Checked, type Refusal, type Result } from "./result";

export const STALE_ATTENDANCE = "Någon annan har ändrat närvaron. Ladda om sidan och försök igen.";

export interface RosterRow {
  participantId: number;
  name: string;
  municipalityName: string;
  status: AttendanceStatus | null;
  minutes: number | null;
  /** 0 when nothing is recorded yet. */
  version: number;
  /** The participant's time report for the session's month is certified. */
  locked: boolean;
}

async function loadSession(db: Db, sessionId: number) {
  const session = await db
    .selectFrom("sessions as s")
    .innerJoin("cohorts as c", "c.id", "s.cohort_id")
    .innerJoin("programmes as p", "p.id", "c.programme_id")
    .innerJoin("municipalities as m", "m.id", "s.host_municipality_id")
    .select([
      "s.id",
      "s.title",
      "s.kind",
      "s.starts_at as startsAt",
      "s.ends_at as endsAt",
      "s.status",
      "s.venue",
      "s.host_municipality_id as hostMunicipalityId",
      "m.name as hostMunicipality",
      "c.id as cohortId",
      "c.name as cohortName",
      "p.id as programmeId",
      "p.name as programmeName",
    ])
    .where("s.id", "=", sessionId)
    .executeTakeFirst();
  if (!session) throw notFound();
  return session;
}

function stockholmDateOf(iso: string): string {
  return stockholmToday(new Date(iso));
}

/** Whether an enrolment covered a given day: active ones always, ended ones up to their end date. */
export function enrolledOn(e: { status: EnrolmentStatus; started_on: string | null; ended_on: string | null }, date: string): boolean {
  if (!["active", "completed", "dropped"].includes(e.status)) return false;
  if (e.started_on && date < e.started_on) return false;
  if (e.status !== "active" && e.ended_on && date > e.ended_on) return false;
  return true;
}

/** The municipalities whose participants the caller takes attendance for: null = all (the programme lead). */
type AttendanceScope = number[] | null;

async function rosterOf(db: Db, cohortId: number, sessionId: number, sessionDate: string, scope: AttendanceScope) {
  let enrolmentQuery = db
    .selectFrom("enrolments as e")
    .innerJoin("participants as p", "p.id", "e.participant_id")
    .innerJoin("municipalities as m", "m.id", "e.municipality_id")
    .select(["e.participant_id", "e.municipality_id", "e.status", "e.started_on", "e.ended_on", "p.first_name", "p.last_name", "m.name as municipality_name"])
    .where("e.cohort_id", "=", cohortId);
  let recordedQuery = db.selectFrom("attendance").select(["participant_id", "status", "minutes", "version"]).where("session_id", "=", sessionId);
  if (scope) {
    enrolmentQuery = enrolmentQuery.where("e.municipality_id", "in", scope.length ? scope : [0]);
    recordedQuery = recordedQuery.where("municipality_id", "in", scope.length ? scope : [0]);
  }
  const enrolments = await enrolmentQuery.orderBy("p.last_name").orderBy("p.first_name").execute();
  const recorded = await recordedQuery.execute();
  const byParticipant = new Map(recorded.map((r) => [r.participant_id, r]));
  return enrolments
    .filter((e) => enrolledOn(e, sessionDate) || byParticipant.has(e.participant_id))
    .map((e) => ({
      participantId: e.participant_id,
      municipalityId: e.municipality_id,
      name: `${e.first_name} ${e.last_name}`,
      municipalityName: e.municipality_name,
      current: byParticipant.get(e.participant_id) ?? null,
    }));
}

async function certifiedParticipants(db: Db, programmeId: number, month: string, participantIds: number[]): Promise<Set<number>> {
  if (!participantIds.length) return new Set();
  const rows = await db
    .selectFrom("time_reports")
    .select("participant_id")
    .where("programme_id", "=", programmeId)
    .where("month", "=", month)
    .where("status", "=", "certified")
    .where("participant_id", "in", participantIds)
    .execute();
  return new Set(rows.map((r) => r.participant_id));
}

/**
 * The session, once the caller may take its attendance (403 for roles that
 * never may, 404 for a session outside their scope), and whose participants
 * they take it for.
 */
async function loadSheetSession(ctx: Ctx, sessionId: number) {
  await requireRole(ctx, "attendance:take", { entity: "session", entityId: sessionId });
  const session = await loadSession(ctx.db, sessionId);
  await requireGrant(
    ctx,
    "attendance:take",
    { programmeId: session.programmeId, municipalityId: session.hostMunicipalityId },
    { entity: "session", entityId: sessionId },
  );
  const scope: AttendanceScope = can(ctx, "attendance:take", { programmeId: session.programmeId }) ? null : coordinatedMunicipalityIds(ctx);
  return { session, scope };
}

/**
 * The attendance form as posted: someone who may not take attendance is
 * refused before their input is looked at; then the sheet is saved (hours as
 * typed, in minutes from here on).
 */
export async function saveAttendanceForm(ctx: Ctx, sessionId: number, submitted: Checked<AttendanceForm>, today: string = stockholmToday()) {
  await loadSheetSession(ctx, sessionId);
  if (submitted.status !== "success") return INPUT_REFUSED;
  const { rows, intent, reason } = submitted.value;
  const input = {
    rows: rows.map((r) => ({ participantId: r.participantId, version: r.version, status: r.status, minutes: r.hours == null ? undefined : Math.round(r.hours * 60) })),
    markRestPresent: intent === "all_present",
    reason,
  };
  return saveAttendance(ctx, sessionId, input, today);
}

export async function getAttendanceSheet(ctx: Ctx, sessionId: number, today: string = stockholmToday()) {
  const { session, scope } = await loadSheetSession(ctx, sessionId);
  const sessionDate = stockholmDateOf(session.startsAt);
  const month = stockholmMonthOf(session.startsAt);
  const sessionMinutes = minutesBetween(session.startsAt, session.endsAt);
  const roster = await rosterOf(ctx.db, session.cohortId, sessionId, sessionDate, scope);
  const locked = await certifiedParticipants(ctx.db, session.programmeId, month, roster.map((r) => r.participantId));
  let correctionQuery = ctx.db
    .selectFrom("attendance_corrections as c")
    .innerJoin("participants as p", "p.id", "c.participant_id")
    .leftJoin("users as u", "u.id", "c.changed_by")
    .select(["c.id", "p.first_name", "p.last_name", "c.from_status", "c.to_status", "c.from_minutes", "c.to_minutes", "c.reason", "c.changed_at", "u.name as changed_by"])
    .where("c.session_id", "=", sessionId);
  if (scope) correctionQuery = correctionQuery.where("c.municipality_id", "in", scope.length ? scope : [0]);
  const corrections = await correctionQuery.orderBy("c.changed_at", "desc").orderBy("c.id", "desc").limit(20).execute();
  const rows: RosterRow[] = roster.map((r) => ({
    participantId: r.participantId,
    name: r.name,
    municipalityName: r.municipalityName,
    status: r.current?.status ?? null,
    minutes: r.current?.minutes ?? null,
    version: r.current?.version ?? 0,
    locked: locked.has(r.participantId),
  }));
  return {
    session: { ...session, date: sessionDate, month },
    sessionMinutes,
    defaultMinutes: floorToQuarter(sessionMinutes),
    closedReason: closedReason(session.status, sessionDate, today),
    /** A coordinator sees and marks only their own municipality's participants. */
    ownMunicipalityOnly: scope !== null,
    rows,
    corrections: corrections.map((c) => ({
      id: c.id,
      participantName: `${c.first_name} ${c.last_name}`,
      fromStatus: c.from_status,
      toStatus: c.to_status,
      fromMinutes: c.from_minutes,
      toMinutes: c.to_minutes,
      reason: c.reason,
      changedAt: c.changed_at,
      changedBy: c.changed_by,
    })),
  };
}

function closedReason(status: string, sessionDate: string, today: string): string | null {
  if (status === "cancelled") return "Träffen är inställd, så ingen närvaro kan registreras.";
  if (sessionDate > today) return "Närvaro kan registreras från och med träffens dag.";
  return null;
}

export interface AttendanceInputRow {
  participantId: number;
  status?: AttendanceStatus;
  /** Minutes attended; the session's length (to the quarter hour) when left out. */
  minutes?: number;
  /** The version the form loaded; 0 for a row that did not exist. */
  version: number;
}

/** A refusal found mid-transaction: thrown to roll the save back, answered as a value. */
class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

/**
 * Saves the rows of the attendance form in one transaction. Rows left without
 * a status are skipped, or marked present when `markRestPresent` ("Alla
 * närvarande"). A row changed since the form loaded it refuses the whole save.
 */
export async function saveAttendance(
  ctx: Ctx,
  sessionId: number,
  input: { rows: AttendanceInputRow[]; markRestPresent: boolean; reason?: string },
  today: string = stockholmToday(),
): Promise<Result<{ recorded: number; corrected: number }>> {
  const { session, scope } = await loadSheetSession(ctx, sessionId);
  // Every participant in the body must be the caller's to mark, or nothing is saved: 404, as for a made-up id.
  await requireParticipantsInScope(ctx, session, scope, input.rows.map((r) => r.participantId));
  const sessionDate = stockholmDateOf(session.startsAt);
  const closed = closedReason(session.status, sessionDate, today);
  if (closed) return refuse(closed);
  const month = stockholmMonthOf(session.startsAt);
  const sessionMinutes = minutesBetween(session.startsAt, session.endsAt);
  const defaultMinutes = floorToQuarter(sessionMinutes);
  const reason = input.reason?.trim() || null;

  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const roster = new Map((await rosterOf(trx, session.cohortId, sessionId, sessionDate, scope)).map((r) => [r.participantId, r]));
      const locked = await certifiedParticipants(trx, session.programmeId, month, [...roster.keys()]);
      const recorded: number[] = [];
      const corrected: number[] = [];
      for (const row of input.rows) {
        const person = roster.get(row.participantId);
        if (!person) throw new Refused(refuse("En av deltagarna finns inte på träffens deltagarlista. Ladda om sidan."));
        const current = person.current;
        const status = row.status ?? (input.markRestPresent && !current ? "narvarande" : undefined);
        // A row without a status is left as it is (a locked row's disabled inputs are not sent at all).
        if (!status) continue;
        const present = PRESENT_STATUSES.includes(status);
        const minutes = present ? (row.minutes ?? defaultMinutes) : 0;
        if (present && minutes <= 0) throw new Refused(refuse(`Ange hur många timmar ${person.name} var med.`));
        if (minutes > sessionMinutes) throw new Refused(refuse(`${person.name} kan inte ha varit med längre än träffen varade.`));
        if (current && current.status === status && current.minutes === minutes) continue;
        if ((current?.version ?? 0) !== row.version) throw new Refused(conflict(STALE_ATTENDANCE));
        if (locked.has(row.participantId)) {
          throw new Refused(
            conflict(
              `Tidrapporten för ${person.name} i ${formatMonth(`${month}-15`)} är attesterad. Den måste öppnas igen innan närvaron kan ändras.`,
            ),
          );
        }
        const now = nowIso();
        if (!current) {
          // The unique key on (session, participant) refuses a row someone else inserted meanwhile.
          const inserted = await trx
            .insertInto("attendance")
            .values({
              session_id: sessionId,
              participant_id: row.participantId,
              municipality_id: person.municipalityId,
              status,
              minutes,
              recorded_by: ctx.user.id,
              recorded_at: now,
              version: 1,
            })
            .onConflict((oc) => oc.columns(["session_id", "participant_id"]).doNothing())
            .executeTakeFirst();
          if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) throw new Refused(conflict(STALE_ATTENDANCE));
          recorded.push(row.participantId);
        } else {
          const updated = await trx
            .updateTable("attendance")
            .set({ status, minutes, recorded_by: ctx.user.id, recorded_at: now, version: current.version + 1 })
            .where("session_id", "=", sessionId)
            .where("participant_id", "=", row.participantId)
            .where("version", "=", current.version)
            .returning("id")
            .executeTakeFirst();
          if (!updated) throw new Refused(conflict(STALE_ATTENDANCE));
          await trx
            .insertInto("attendance_corrections")
            .values({
              attendance_id: updated.id,
              session_id: sessionId,
              participant_id: row.participantId,
              municipality_id: person.municipalityId,
              from_status: current.status,
              to_status: status,
              from_minutes: current.minutes,
              to_minutes: minutes,
              reason,
              changed_by: ctx.user.id,
              changed_at: now,
            })
            .execute();
          corrected.push(row.participantId);
        }
        await noteHoursChanged(
          trx,
          { participantId: row.participantId, municipalityId: person.municipalityId, programmeId: session.programmeId, month },
          ctx.user.id,
        );
      }
      if (recorded.length || corrected.length) {
        await writeAudit(trx, {
          actorUserId: ctx.user.id,
          municipalityId: session.hostMunicipalityId,
          action: corrected.length ? "attendance.corrected" : "attendance.recorded",
          entity: "session",
          entityId: sessionId,
          detail: { recordedParticipantIds: recorded, correctedParticipantIds: corrected, fields: ["status", "minutes"] },
        });
      }
      return ok({ recorded: recorded.length, corrected: corrected.length });
    });
  } catch (error) {
    if (error instanceof Refused) return error.refusal;
    throw error;
  }
}

/**
 * Refuses (404, audited) a body naming a participant the caller may not mark:
 * for a coordinator anyone outside their municipality, for the programme lead
 * anyone without an enrolment in the session's cohort. Own participants who
 * have just left the roster are the stale-form case, answered later with 400.
 */
async function requireParticipantsInScope(ctx: Ctx, session: { id: number; cohortId: number }, scope: AttendanceScope, participantIds: number[]) {
  const ids = [...new Set(participantIds)];
  if (!ids.length) return;
  const known = scope
    ? await ctx.db.selectFrom("participants").select("id").where("id", "in", ids).where("municipality_id", "in", scope.length ? scope : [0]).execute()
    : await ctx.db.selectFrom("enrolments").select("participant_id as id").where("cohort_id", "=", session.cohortId).where("participant_id", "in", ids).execute();
  const allowed = new Set(known.map((k) => k.id));
  const outside = ids.find((id) => !allowed.has(id));
  if (outside !== undefined) await denied(ctx, "attendance:take", { entity: "participant", entityId: outside });
}
