/**
 * Mitt schema: a trainee's sessions in every cohort they are active in,
 * with their own attendance and hours. Only the caller's own participant
 * records are read; nothing about anyone else.
 */
import type { Db } from "~/db/connection.server";
import type { AttendanceStatus } from "~/db/schema";
import { minutesBetween } from "~/utils/hours";
import { denied, ownParticipantIds, requireGrant, type Ctx } from "./context.server";
import { sessionsWithMoves, type SessionListItem } from "./internal/session-list.server";

export interface OwnAttendance {
  status: AttendanceStatus;
  minutes: number;
}

/**
 * The participants' own attendance rows, by session id. Reads the `attendance` table
 * that the attendance feature (app/domain/attendance.server.ts) records.
 */
async function attendanceForParticipant(db: Db, participantIds: number[], sessionIds: number[]): Promise<Map<number, OwnAttendance>> {
  if (!participantIds.length || !sessionIds.length) return new Map();
  const rows = await db
    .selectFrom("attendance")
    .select(["session_id", "status", "minutes"])
    .where("participant_id", "in", participantIds)
    .where("session_id", "in", sessionIds)
    .execute();
  return new Map(rows.map((r) => [r.session_id, { status: r.status, minutes: r.minutes }]));
}

export interface ScheduleItem extends SessionListItem {
  cohortName: string;
  programmeName: string;
  attendance: OwnAttendance | null;
}

export interface CohortSummary {
  id: number;
  name: string;
  programmeName: string;
  heldSessions: number;
  recordedSessions: number;
  attendedMinutes: number;
  scheduledMinutes: number;
  /** Attended share of the held sessions' time, 0–1 (as in the attendance report); null before any session was held. */
  rate: number | null;
}

export async function getSchedule(ctx: Ctx, now: Date = new Date()) {
  const participantIds = ownParticipantIds(ctx);
  if (!participantIds.length) await denied(ctx, "self:read", { entity: "schedule" });
  for (const participantId of participantIds) await requireGrant(ctx, "self:read", { participantId });

  const cohorts = await ctx.db
    .selectFrom("enrolments as e")
    .innerJoin("cohorts as c", "c.id", "e.cohort_id")
    .innerJoin("programmes as p", "p.id", "c.programme_id")
    .select(["c.id", "c.name", "p.name as programmeName"])
    .where("e.participant_id", "in", participantIds)
    .where("e.status", "=", "active")
    .orderBy("c.starts_on")
    .execute();
  const cohortById = new Map(cohorts.map((c) => [c.id, c]));
  const sessions = await sessionsWithMoves(ctx.db, { cohortIds: cohorts.map((c) => c.id) });
  const attendance = await attendanceForParticipant(
    ctx.db,
    participantIds,
    sessions.map((s) => s.id),
  );
  const items: ScheduleItem[] = sessions.map((s) => ({
    ...s,
    cohortName: cohortById.get(s.cohortId)!.name,
    programmeName: cohortById.get(s.cohortId)!.programmeName,
    attendance: attendance.get(s.id) ?? null,
  }));

  const nowIso = now.toISOString();
  const summaries: CohortSummary[] = cohorts.map((c) => {
    const held = items.filter((s) => s.cohortId === c.id && s.status !== "cancelled" && s.startsAt <= nowIso);
    const scheduledMinutes = held.reduce((sum, s) => sum + minutesBetween(s.startsAt, s.endsAt), 0);
    const attendedMinutes = held.reduce((sum, s) => sum + (s.attendance?.minutes ?? 0), 0);
    return {
      id: c.id,
      name: c.name,
      programmeName: c.programmeName,
      heldSessions: held.length,
      recordedSessions: held.filter((s) => s.attendance).length,
      attendedMinutes,
      scheduledMinutes,
      rate: scheduledMinutes ? attendedMinutes / scheduledMinutes : null,
    };
  });

  return {
    upcoming: items.filter((s) => s.endsAt >= nowIso),
    past: items.filter((s) => s.endsAt < nowIso).reverse(),
    cohorts: summaries,
  };
}
