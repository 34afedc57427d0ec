/**
 * The programme's completion rule for single enrolments: the share of the
 * hours of held (not cancelled, already started) sessions during the
 * enrolment that the participant attended, against the programme's
 * completion percentage. The same rule the attendance report applies to a
 * whole cohort (attendance-report.server.ts getAttendanceReport; a test holds the two
 * together). No grant check: callers check first.
 */
import type { Db } from "~/db/connection.server";
import type { EnrolmentStatus } from "~/db/schema";
import { stockholmToday } from "~/utils/format";
import { minutesBetween } from "~/utils/hours";
import { programmeSettingsOf } from "./hours-ledger.server";

export interface EnrolmentCompletion {
  enrolmentId: number;
  status: EnrolmentStatus;
  attendedMinutes: number;
  scheduledMinutes: number;
  /** Attended share, 0–1; null when no session was held during the enrolment. */
  rate: number | null;
  completionPercent: number;
  meetsRule: boolean;
  /** The held sessions the participant attended (minutes > 0), in order. */
  attendedSessionIds: number[];
}

function coveredOn(e: { status: EnrolmentStatus; started_on: string | null; ended_on: string | null }, date: string): boolean {
  if (!["active", "completed", "dropped"].includes(e.status)) return false;
  if (e.started_on && date < e.started_on) return false;
  if (e.status !== "active" && e.ended_on && date > e.ended_on) return false;
  return true;
}

export async function completionOf(db: Db, enrolmentIds: number[], now: Date = new Date()): Promise<Map<number, EnrolmentCompletion>> {
  const result = new Map<number, EnrolmentCompletion>();
  if (!enrolmentIds.length) return result;
  const enrolments = await db
    .selectFrom("enrolments as e")
    .innerJoin("cohorts as c", "c.id", "e.cohort_id")
    .select(["e.id", "e.cohort_id", "e.participant_id", "e.status", "e.started_on", "e.ended_on", "c.programme_id"])
    .where("e.id", "in", enrolmentIds)
    .execute();
  if (!enrolments.length) return result;
  const cohortIds = [...new Set(enrolments.map((e) => e.cohort_id))];
  const sessions = await db
    .selectFrom("sessions")
    .select(["id", "cohort_id", "starts_at", "ends_at"])
    .where("cohort_id", "in", cohortIds)
    .where("status", "<>", "cancelled")
    .where("starts_at", "<=", now.toISOString())
    .orderBy("starts_at")
    .orderBy("id")
    .execute();
  const attendance = sessions.length
    ? await db
        .selectFrom("attendance")
        .select(["session_id", "participant_id", "minutes"])
        .where("session_id", "in", sessions.map((s) => s.id))
        .where("participant_id", "in", [...new Set(enrolments.map((e) => e.participant_id))])
        .execute()
    : [];
  const minutesAt = new Map(attendance.map((a) => [`${a.session_id}:${a.participant_id}`, a.minutes]));
  const settings = await programmeSettingsOf(db, enrolments.map((e) => e.programme_id));
  for (const e of enrolments) {
    const completionPercent = settings.get(e.programme_id)!.completionPercent;
    let attendedMinutes = 0;
    let scheduledMinutes = 0;
    const attendedSessionIds: number[] = [];
    for (const s of sessions) {
      if (s.cohort_id !== e.cohort_id) continue;
      const minutes = minutesAt.get(`${s.id}:${e.participant_id}`);
      if (!coveredOn(e, stockholmToday(new Date(s.starts_at))) && minutes === undefined) continue;
      scheduledMinutes += minutesBetween(s.starts_at, s.ends_at);
      if (minutes) {
        attendedMinutes += minutes;
        attendedSessionIds.push(s.id);
      }
    }
    const rate = scheduledMinutes ? attendedMinutes / scheduledMinutes : null;
    result.set(e.id, {
      enrolmentId: e.id,
      status: e.status,
      attendedMinutes,
      scheduledMinutes,
      rate,
      completionPercent,
      meetsRule: rate != null && rate * 100 >= completionPercent,
      attendedSessionIds,
    });
  }
  return result;
}

/** A course certificate is for an enrolment the lead has marked completed that meets the completion rule. */
export function earnsCertificate(c: EnrolmentCompletion): boolean {
  return c.status === "completed" && c.meetsRule;
}
