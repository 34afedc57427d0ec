/**
 * The attendance report of a cohort (närvarorapport), summary first: one line
 * per participant (attended share of the held sessions' hours, the programme's
 * completion rule, trend), and the participants x sessions matrix of one month
 * on request. The download has the matrix of every held session. The
 * programme lead sees every municipality; a coordinator only their own. The
 * CSV columns are in app/ui/attendance.ts.
 */
import { stockholmToday } from "~/utils/format";
import { minutesBetween, stockholmMonthOf } from "~/utils/hours";
import { writeAudit } from "./audit.server";
import { PRESENT_STATUSES } from "~/schemas/attendance";
import { enrolledOn } from "./attendance.server";
import { can, coordinatedMunicipalityIds, denied, notFound, requireGrant, requireRole, type Ctx } from "./context.server";
import { getProgrammeSettings } from "./internal/hours-ledger.server";
import { ok, refuse, type Checked, type Result } from "./result";
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

/** How a participant's attendance moves: see `trendOf`. null = too few sessions to tell. */
export type AttendanceTrend = "up" | "down" | "steady" | null;

export interface AttendanceReportRow {
  participantId: number;
  name: string;
  municipalityName: string;
  /** One per session of the matrix (`sessions`): null = not enrolled then. */
  cells: ({ status: AttendanceStatus | null; minutes: number } | null)[];
  attendedMinutes: number;
  scheduledMinutes: number;
  /** Attended share of the hours of held sessions, 0–1; null when nothing was scheduled. */
  rate: number | null;
  fulfils: boolean;
  trend: AttendanceTrend;
}

/** The sessions the trend compares with the ones before them. */
export const TREND_RECENT_SESSIONS = 3;
/** A change in attended share smaller than this (percentage points) is "steady". */
export const TREND_THRESHOLD_POINTS = 10;

/**
 * Trend: the attended share of the participant's last TREND_RECENT_SESSIONS
 * held sessions (those they were enrolled for) against the share of all their
 * held sessions before those, by hours. "up"/"down" when the difference is at
 * least TREND_THRESHOLD_POINTS percentage points, otherwise "steady"; null
 * until there is at least one session before the recent ones.
 */
export function trendOf(expected: { attendedMinutes: number; scheduledMinutes: number }[]): AttendanceTrend {
  if (expected.length <= TREND_RECENT_SESSIONS) return null;
  const share = (part: typeof expected) => {
    const scheduled = part.reduce((sum, s) => sum + s.scheduledMinutes, 0);
    return scheduled ? part.reduce((sum, s) => sum + s.attendedMinutes, 0) / scheduled : 0;
  };
  const recent = share(expected.slice(-TREND_RECENT_SESSIONS));
  const earlier = share(expected.slice(0, -TREND_RECENT_SESSIONS));
  const points = (recent - earlier) * 100;
  if (points >= TREND_THRESHOLD_POINTS) return "up";
  if (points <= -TREND_THRESHOLD_POINTS) return "down";
  return "steady";
}

/** Which sessions the matrix shows: none (the summary alone), one month's ("YYYY-MM"), or all of them (the download). */
type MatrixChoice = { month: string } | "none" | "all";

export const BAD_MONTH = "Månaden ska anges som år och månad, till exempel 2026-10.";

/**
 * The summary of a cohort's attendance, and with `month` the matrix of that
 * month's held sessions. A programme lead sees everyone and may filter by
 * municipality; a coordinator sees only their own municipality. A month that
 * did not pass its schema is refused (400) after the caller's grant is checked.
 */
export async function getAttendanceReport(
  ctx: Ctx,
  cohortId: number,
  filter: { municipalityId?: number; month?: Checked<string | undefined> },
  now: Date = new Date(),
): Promise<Result<AttendanceReport>> {
  const scope = await reportScope(ctx, cohortId, filter.municipalityId);
  const month = filter.month ?? { status: "success", value: undefined };
  if (month.status !== "success") return refuse(BAD_MONTH);
  return ok(await buildReport(ctx, scope, month.value ? { month: month.value } : "none", now));
}

/** The cohort, once the caller may read its attendance, and the municipalities they see. */
async function reportScope(ctx: Ctx, cohortId: number, requestedMunicipalityId: number | undefined) {
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
  let municipalityId = requestedMunicipalityId;
  if (!can(ctx, "attendance:read", { programmeId: cohort.programmeId })) {
    const own = coordinatedMunicipalityIds(ctx).filter((id) => seatMunicipalities.some((m) => m.id === id));
    if (!own.length) await denied(ctx, "attendance:read", { entity: "cohort", entityId: cohortId });
    municipalities = seatMunicipalities.filter((m) => own.includes(m.id));
    if (!municipalityId || !own.includes(municipalityId)) municipalityId = own[0];
    await requireGrant(ctx, "attendance:read", { municipalityId }, { entity: "cohort", entityId: cohortId });
  }
  if (municipalityId && !municipalities.some((m) => m.id === municipalityId)) municipalityId = undefined;
  return { cohort, municipalities, municipalityId };
}

async function buildReport(ctx: Ctx, scope: Awaited<ReturnType<typeof reportScope>>, matrix: MatrixChoice, now: Date) {
  const { cohort, municipalities, municipalityId } = scope;
  const settings = await getProgrammeSettings(ctx.db, cohort.programmeId);
  const sessions = await ctx.db
    .selectFrom("sessions")
    .select(["id", "title", "starts_at", "ends_at"])
    .where("cohort_id", "=", cohort.id)
    .where("status", "<>", "cancelled")
    .where("starts_at", "<=", now.toISOString())
    .orderBy("starts_at")
    .execute();
  let enrolmentQuery = ctx.db
    .selectFrom("enrolments as e")
    .innerJoin("participants as p", "p.id", "e.participant_id")
    .innerJoin("municipalities as m", "m.id", "e.municipality_id")
    .select(["e.participant_id", "e.status", "e.started_on", "e.ended_on", "p.first_name", "p.last_name", "m.name as municipality_name"])
    .where("e.cohort_id", "=", cohort.id)
    .where("e.status", "in", ["active", "completed", "dropped"]);
  if (municipalityId) enrolmentQuery = enrolmentQuery.where("e.municipality_id", "=", municipalityId);
  const enrolments = await enrolmentQuery.orderBy("m.name").orderBy("p.last_name").orderBy("p.first_name").execute();
  const attendance =
    sessions.length && enrolments.length
      ? await ctx.db
          .selectFrom("attendance")
          .select(["session_id", "participant_id", "status", "minutes"])
          .where(
            "session_id",
            "in",
            sessions.map((s) => s.id),
          )
          .where(
            "participant_id",
            "in",
            enrolments.map((e) => e.participant_id),
          )
          .execute()
      : [];
  const key = (sessionId: number, participantId: number) => `${sessionId}:${participantId}`;
  const byKey = new Map(attendance.map((a) => [key(a.session_id, a.participant_id), a]));

  const held = sessions.map((s) => ({
    id: s.id,
    title: s.title,
    startsAt: s.starts_at,
    minutes: minutesBetween(s.starts_at, s.ends_at),
    date: stockholmToday(new Date(s.starts_at)),
    month: stockholmMonthOf(s.starts_at),
  }));
  const shown = held.map((s) => matrix === "all" || (matrix !== "none" && s.month === matrix.month));
  const reportSessions: AttendanceReportSession[] = held
    .filter((_, i) => shown[i])
    .map((s) => ({ id: s.id, title: s.title, startsAt: s.startsAt, minutes: s.minutes, presentCount: 0, expectedCount: 0, attendedMinutes: 0 }));
  const shownIndex = new Map(reportSessions.map((s, i) => [s.id, i]));

  const rows: AttendanceReportRow[] = enrolments.map((e) => {
    const expected: { attendedMinutes: number; scheduledMinutes: number }[] = [];
    const cells: AttendanceReportRow["cells"] = reportSessions.map(() => null);
    for (const s of held) {
      const a = byKey.get(key(s.id, e.participant_id));
      if (!enrolledOn(e, s.date) && !a) continue;
      expected.push({ attendedMinutes: a?.minutes ?? 0, scheduledMinutes: s.minutes });
      const i = shownIndex.get(s.id);
      if (i === undefined) continue;
      const summary = reportSessions[i];
      summary.expectedCount += 1;
      if (!a) {
        cells[i] = { status: null, minutes: 0 };
        continue;
      }
      summary.attendedMinutes += a.minutes;
      if (PRESENT_STATUSES.includes(a.status)) summary.presentCount += 1;
      cells[i] = { status: a.status, minutes: a.minutes };
    }
    const attendedMinutes = expected.reduce((sum, s) => sum + s.attendedMinutes, 0);
    const scheduledMinutes = expected.reduce((sum, s) => sum + s.scheduledMinutes, 0);
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
      trend: trendOf(expected),
    };
  });

  const months = [...new Set(held.map((s) => s.month))].map((m) => ({ month: m, sessionCount: held.filter((s) => s.month === m).length }));
  return {
    cohort,
    completionPercent: settings.completionPercent,
    municipalities,
    municipalityId: municipalityId ?? null,
    canChooseMunicipality: can(ctx, "attendance:read", { programmeId: cohort.programmeId }),
    canTakeAttendance: can(ctx, "attendance:take", { programmeId: cohort.programmeId }),
    heldSessionCount: held.length,
    /** The months with held sessions, oldest first. */
    months,
    /** The month whose matrix is shown; null for the summary alone (and for the download, which has every session). */
    month: typeof matrix === "object" ? matrix.month : null,
    /** The sessions of the matrix, oldest first. */
    sessions: reportSessions,
    rows,
  };
}

export type AttendanceReport = Awaited<ReturnType<typeof buildReport>>;

/** The report with every held session's column, for a download; the export itself is audited. */
export async function exportAttendanceReport(ctx: Ctx, cohortId: number, filter: { municipalityId?: number }, now: Date = new Date()): Promise<AttendanceReport> {
  const report = await buildReport(ctx, await reportScope(ctx, cohortId, filter.municipalityId), "all", now);
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
