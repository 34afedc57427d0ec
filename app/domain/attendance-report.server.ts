/**
 * The attendance report of a cohort (närvarorapport): participants x held
 * sessions, each participant's attended share against the programme's
 * completion rule. The programme lead sees every municipality; a coordinator
 * only their own. The CSV columns are in app/ui/attendance.ts.
 */
import { stockholmToday } from "~/utils/format";
import { minutesBetween } from "~/utils/hours";
import { writeAudit } from "./audit.server";
import { PRESENT_STATUSES, enrolledOn } from "./attendance.server";
import { can, coordinatedMunicipalityIds, denied, notFound, requireGrant, requireRole, type Ctx } from "./context.server";
import { getProgrammeSettings } from "./internal/hours-ledger.server";
import type { AttendanceStatus } from "~/db/schema";

export interface AttendanceReportSession {
  id: number;
  title: string;
  startsAt: string;
  minutes: number;
  presentCount: number;
  expectedCount: number;
  attendedMinutes: number;
}

export interface AttendanceReportRow {
  participantId: number;
  name: string;
  municipalityName: string;
  cells: ({ status: AttendanceStatus | null; minutes: number } | null)[];
  attendedMinutes: number;
  scheduledMinutes: number;
  /** Attended share of the hours of held sessions, 0–1; null when nothing was scheduled. */
  rate: number | null;
  fulfils: boolean;
}

/**
 * Participants x held sessions of a cohort. A programme lead sees everyone and
 * may filter by municipality; a coordinator sees only their own municipality.
 */
export async function getAttendanceReport(
  ctx: Ctx,
  cohortId: number,
  filter: { municipalityId?: number },
  now: Date = new Date(),
) {
  await requireRole(ctx, "attendance:read", { entity: "cohort", entityId: cohortId });
  const cohort = await ctx.db
    .selectFrom("cohorts as c")
    .innerJoin("programmes as p", "p.id", "c.programme_id")
    .select(["c.id", "c.name", "c.programme_id as programmeId", "p.name as programmeName"])
    .where("c.id", "=", cohortId)
    .executeTakeFirst();
  if (!cohort) throw notFound();
  const seatMunicipalities = await ctx.db
    .selectFrom("cohort_seats as s")
    .innerJoin("municipalities as m", "m.id", "s.municipality_id")
    .select(["m.id", "m.name"])
    .where("s.cohort_id", "=", cohortId)
    .orderBy("m.name")
    .execute();

  let municipalities = seatMunicipalities;
  let municipalityId = filter.municipalityId;
  if (!can(ctx, "attendance:read", { programmeId: cohort.programmeId })) {
    const own = coordinatedMunicipalityIds(ctx).filter((id) => seatMunicipalities.some((m) => m.id === id));
    if (!own.length) await denied(ctx, "attendance:read", { entity: "cohort", entityId: cohortId });
    municipalities = seatMunicipalities.filter((m) => own.includes(m.id));
    if (!municipalityId || !own.includes(municipalityId)) municipalityId = own[0];
    await requireGrant(ctx, "attendance:read", { municipalityId }, { entity: "cohort", entityId: cohortId });
  }
  if (municipalityId && !municipalities.some((m) => m.id === municipalityId)) municipalityId = undefined;

  const settings = await getProgrammeSettings(ctx.db, cohort.programmeId);
  const sessions = await ctx.db
    .selectFrom("sessions")
    .select(["id", "title", "starts_at", "ends_at"])
    .where("cohort_id", "=", cohortId)
    .where("status", "<>", "cancelled")
    .where("starts_at", "<=", now.toISOString())
    .orderBy("starts_at")
    .execute();
  let enrolmentQuery = ctx.db
    .selectFrom("enrolments as e")
    .innerJoin("participants as p", "p.id", "e.participant_id")
    .innerJoin("municipalities as m", "m.id", "e.municipality_id")
    .select(["e.participant_id", "e.status", "e.started_on", "e.ended_on", "p.first_name", "p.last_name", "m.name as municipality_name"])
    .where("e.cohort_id", "=", cohortId)
    .where("e.status", "in", ["active", "completed", "dropped"]);
  if (municipalityId) enrolmentQuery = enrolmentQuery.where("e.municipality_id", "=", municipalityId);
  const enrolments = await enrolmentQuery.orderBy("m.name").orderBy("p.last_name").orderBy("p.first_name").execute();
  const attendance = sessions.length && enrolments.length
    ? await ctx.db
        .selectFrom("attendance")
        .select(["session_id", "participant_id", "status", "minutes"])
        .where("session_id", "in", sessions.map((s) => s.id))
        .where("participant_id", "in", enrolments.map((e) => e.participant_id))
        .execute()
    : [];
  const key = (sessionId: number, participantId: number) => `${sessionId}:${participantId}`;
  const byKey = new Map(attendance.map((a) => [key(a.session_id, a.participant_id), a]));

  const reportSessions: AttendanceReportSession[] = sessions.map((s) => ({
    id: s.id,
    title: s.title,
    startsAt: s.starts_at,
    minutes: minutesBetween(s.starts_at, s.ends_at),
    presentCount: 0,
    expectedCount: 0,
    attendedMinutes: 0,
  }));
  const sessionDates = sessions.map((s) => stockholmToday(new Date(s.starts_at)));
  const rows: AttendanceReportRow[] = enrolments.map((e) => {
    let attendedMinutes = 0;
    let scheduledMinutes = 0;
    const cells = sessions.map((s, i) => {
      const a = byKey.get(key(s.id, e.participant_id));
      if (!enrolledOn(e, sessionDates[i]) && !a) return null;
      const sessionSummary = reportSessions[i];
      sessionSummary.expectedCount += 1;
      scheduledMinutes += sessionSummary.minutes;
      if (!a) return { status: null, minutes: 0 };
      attendedMinutes += a.minutes;
      sessionSummary.attendedMinutes += a.minutes;
      if (PRESENT_STATUSES.includes(a.status)) sessionSummary.presentCount += 1;
      return { status: a.status, minutes: a.minutes };
    });
    const rate = scheduledMinutes ? attendedMinutes / scheduledMinutes : null;
    return {
      participantId: e.participant_id,
      name: `${e.first_name} ${e.last_name}`,
      municipalityName: e.municipality_name,
      cells,
      attendedMinutes,
      scheduledMinutes,
      rate,
      fulfils: rate != null && rate * 100 >= settings.completionPercent,
    };
  });
  return {
    cohort,
    completionPercent: settings.completionPercent,
    municipalities,
    municipalityId: municipalityId ?? null,
    canChooseMunicipality: can(ctx, "attendance:read", { programmeId: cohort.programmeId }),
    canTakeAttendance: can(ctx, "attendance:take", { programmeId: cohort.programmeId }),
    sessions: reportSessions,
    rows,
  };
}

export type AttendanceReport = Awaited<ReturnType<typeof getAttendanceReport>>;

/** The report for a download; the export itself is audited. */
export async function exportAttendanceReport(ctx: Ctx, cohortId: number, filter: { municipalityId?: number }): Promise<AttendanceReport> {
  const report = await getAttendanceReport(ctx, cohortId, filter);
  await writeAudit(ctx.db, {
    actorUserId: ctx.user.id,
    municipalityId: report.municipalityId,
    action: "attendance.exported",
    entity: "cohort",
    entityId: cohortId,
    detail: { rows: report.rows.length },
  });
  return report;
}
