/**
 * A cohort's sessions as lists show them: with the host's name and, when a
 * session was moved, its first planned time. Read by the session list and the
 * trainee's schedule after each has checked the caller.
 */
import type { Db } from "~/db/connection.server";
import type { SessionFieldChanges, SessionKind, SessionStatus } from "~/db/schema";

export interface SessionListItem {
  id: number;
  cohortId: number;
  title: string;
  kind: SessionKind;
  startsAt: string;
  endsAt: string;
  status: SessionStatus;
  hostMunicipality: string;
  venue: string;
  address: string;
  meetingUrl: string;
  facilitator: string;
  /** Wording comes from app/ui/session-changes.ts. */
  lastMove: SessionFieldChanges | null;
}

function lastMoveOf(rows: { session_id: number; changes: string }[]): Map<number, SessionFieldChanges> {
  const moves = new Map<number, SessionFieldChanges>();
  // Rows arrive oldest first; the original time is the "from" of the first move.
  for (const row of rows) {
    const changes = JSON.parse(row.changes) as SessionFieldChanges;
    const earlier = moves.get(row.session_id);
    if (earlier) {
      for (const field of ["starts_at", "ends_at"] as const) {
        if (changes[field] && earlier[field]) changes[field] = { from: earlier[field].from, to: changes[field].to };
        else if (earlier[field] && !changes[field]) changes[field] = earlier[field];
      }
    }
    moves.set(row.session_id, changes);
  }
  return moves;
}

/** Sessions with their host's name and, when moved, what their first planned time was. */
export async function sessionsWithMoves(db: Db, where: { cohortIds: number[] }): Promise<SessionListItem[]> {
  if (!where.cohortIds.length) return [];
  const rows = await db
    .selectFrom("sessions as s")
    .innerJoin("municipalities as m", "m.id", "s.host_municipality_id")
    .select([
      "s.id",
      "s.cohort_id as cohortId",
      "s.title",
      "s.kind",
      "s.starts_at as startsAt",
      "s.ends_at as endsAt",
      "s.status",
      "m.name as hostMunicipality",
      "s.venue",
      "s.address",
      "s.meeting_url as meetingUrl",
      "s.facilitator",
    ])
    .where("s.cohort_id", "in", where.cohortIds)
    .orderBy("s.starts_at")
    .orderBy("s.id")
    .execute();
  const moved = rows.length
    ? await db
        .selectFrom("session_changes")
        .select(["session_id", "changes"])
        .where("kind", "=", "moved")
        .where(
          "session_id",
          "in",
          rows.map((r) => r.id),
        )
        .orderBy("changed_at")
        .orderBy("id")
        .execute()
    : [];
  const moves = lastMoveOf(moved);
  return rows.map((r) => ({ ...r, lastMove: moves.get(r.id) ?? null }));
}
