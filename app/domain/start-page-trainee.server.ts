/**
 * The trainee's part of the start page: the next session with what they need
 * to get there, the months to confirm, and whether they subscribe to their
 * schedule. Reads only the caller's own participant records.
 */
import { stockholmToday } from "~/utils/format";
import { requireGrant, type Ctx } from "./context.server";
import { getFeedStatus } from "./calendar.server";
import { dueSelfRatings } from "./internal/self-rating-windows.server";
import { materialOfSessions, type MaterialItem } from "./internal/material.server";

export interface NextSession {
  id: number;
  title: string;
  startsAt: string;
  endsAt: string;
  venue: string;
  address: string;
  meetingUrl: string;
  hostMunicipality: string;
  /** The session's description: the programme, what to prepare and bring. */
  description: string;
  cohortName: string;
  programmeName: string;
}

export interface TraineeStart {
  next: NextSession | null;
  /** The next session's material (links and files). */
  nextMaterial: MaterialItem[];
  /** The sessions after the next one (a few). */
  later: Omit<NextSession, "description" | "address" | "meetingUrl">[];
  /** Time reports of months that are over (or reopened) and not yet confirmed. */
  reportsToConfirm: { id: number; month: string; programmeName: string }[];
  /** Since when the trainee has a calendar address; null when they have none. */
  feed: { createdAt: string } | null;
  /** Self-ratings against the programme's goals that are open and not yet given. */
  selfRatingsDue: Awaited<ReturnType<typeof dueSelfRatings>>;
}

export async function traineeStart(ctx: Ctx, participantIds: number[], now: Date): Promise<TraineeStart> {
  for (const participantId of participantIds) await requireGrant(ctx, "self:read", { participantId });
  const upcoming = await ctx.db
    .selectFrom("sessions as s")
    .innerJoin("cohorts as c", "c.id", "s.cohort_id")
    .innerJoin("programmes as p", "p.id", "c.programme_id")
    .innerJoin("municipalities as m", "m.id", "s.host_municipality_id")
    .select([
      "s.id",
      "s.title",
      "s.starts_at as startsAt",
      "s.ends_at as endsAt",
      "s.venue",
      "s.address",
      "s.meeting_url as meetingUrl",
      "s.description",
      "m.name as hostMunicipality",
      "c.name as cohortName",
      "p.name as programmeName",
    ])
    .where("s.status", "!=", "cancelled")
    .where("s.ends_at", ">=", now.toISOString())
    .where("s.cohort_id", "in", (eb) =>
      eb.selectFrom("enrolments").select("cohort_id").where("participant_id", "in", participantIds).where("status", "=", "active"),
    )
    .orderBy("s.starts_at")
    .limit(4)
    .execute();
  const [next = null, ...later] = upcoming;

  const thisMonth = stockholmToday(now).slice(0, 7);
  const reportsToConfirm = await ctx.db
    .selectFrom("time_reports as t")
    .innerJoin("programmes as p", "p.id", "t.programme_id")
    .select(["t.id", "t.month", "p.name as programmeName"])
    .where("t.participant_id", "in", participantIds)
    .where((eb) => eb.or([eb("t.status", "=", "reopened"), eb.and([eb("t.status", "=", "draft"), eb("t.month", "<", thisMonth)])]))
    .orderBy("t.month")
    .execute();

  return {
    next,
    nextMaterial: next ? await materialOfSessions(ctx.db, [next.id]) : [],
    later: later.map(({ description: _d, address: _a, meetingUrl: _m, ...s }) => s),
    reportsToConfirm,
    feed: await getFeedStatus(ctx, "participant"),
    selfRatingsDue: await dueSelfRatings(ctx.db, participantIds, stockholmToday(now)),
  };
}
