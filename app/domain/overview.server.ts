/**
 * The start page (Översikt): what each of the user's roles needs to see
 * first. Every section is built from the grants the user holds, and each
 * query is scoped to that grant.
 */
import type { EnrolmentStatus } from "~/db/schema";
import {
  coordinatedMunicipalityIds,
  fundedProgrammeIds,
  ledProgrammeIds,
  ownParticipantIds,
  rolesOf,
  type Ctx,
} from "./context.server";
import { listUnseenNotices, type Notice } from "./notifications.server";
import { countDueFollowUps } from "./internal/follow-up-windows.server";
import { stockholmToday } from "~/utils/format";

export interface UpcomingSession {
  id: number;
  title: string;
  startsAt: string;
  endsAt: string;
  status: string;
  cohortName: string;
  programmeName: string;
  hostMunicipality: string;
  venue: string;
}

export interface Overview {
  /** The user's own unseen notices about changed sessions and enrolments. */
  notices: Notice[];
  admin?: { municipalities: number; users: number; programmes: number };
  led?: { programmeId: number; name: string; cohorts: { id: number; name: string; active: number; waiting: number }[] }[];
  coordinated?: {
    municipalityId: number;
    municipality: string;
    participants: number;
    activeEnrolments: number;
    waiting: number;
    upcoming: UpcomingSession[];
    /** Outcome follow-ups that are open now, and how many of them are overdue. */
    followUps: { due: number; overdue: number };
  }[];
  participant?: { upcoming: UpcomingSession[]; cohorts: { name: string; programmeName: string; status: EnrolmentStatus }[] };
  funded?: { programmeId: number; name: string; counts: Record<EnrolmentStatus, number> }[];
}

export async function getOverview(ctx: Ctx, now: Date = new Date()): Promise<Overview> {
  const roles = rolesOf(ctx);
  const overview: Overview = { notices: await listUnseenNotices(ctx) };
  const nowIso = now.toISOString();

  if (roles.has("admin")) {
    const count = async (table: "municipalities" | "users" | "programmes") =>
      Number((await ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    overview.admin = { municipalities: await count("municipalities"), users: await count("users"), programmes: await count("programmes") };
  }

  const ledIds = ledProgrammeIds(ctx);
  if (ledIds.length) {
    const programmes = await ctx.db.selectFrom("programmes").select(["id", "name"]).where("id", "in", ledIds).orderBy("name").execute();
    const cohorts = await ctx.db
      .selectFrom("cohorts as c")
      .leftJoin("enrolments as e", "e.cohort_id", "c.id")
      .select((eb) => [
        "c.id",
        "c.name",
        "c.programme_id",
        eb.fn.count<number>(eb.case().when("e.status", "=", "active").then(1).end()).as("active"),
        eb.fn.count<number>(eb.case().when("e.status", "in", ["nominated", "waitlisted"]).then(1).end()).as("waiting"),
      ])
      .where("c.programme_id", "in", ledIds)
      .groupBy(["c.id", "c.name", "c.programme_id"])
      .orderBy("c.starts_on")
      .execute();
    overview.led = programmes.map((p) => ({
      programmeId: p.id,
      name: p.name,
      cohorts: cohorts
        .filter((c) => c.programme_id === p.id)
        .map((c) => ({ id: c.id, name: c.name, active: Number(c.active), waiting: Number(c.waiting) })),
    }));
  }

  const municipalityIds = coordinatedMunicipalityIds(ctx);
  if (municipalityIds.length) {
    overview.coordinated = [];
    for (const municipalityId of municipalityIds) {
      const municipality = await ctx.db.selectFrom("municipalities").select("name").where("id", "=", municipalityId).executeTakeFirstOrThrow();
      const participants = await ctx.db
        .selectFrom("participants")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("municipality_id", "=", municipalityId)
        .where("ended_on", "is", null)
        .executeTakeFirstOrThrow();
      const enrolments = await ctx.db
        .selectFrom("enrolments")
        .select((eb) => [
          eb.fn.count<number>(eb.case().when("status", "=", "active").then(1).end()).as("active"),
          eb.fn.count<number>(eb.case().when("status", "in", ["nominated", "waitlisted"]).then(1).end()).as("waiting"),
        ])
        .where("municipality_id", "=", municipalityId)
        .executeTakeFirstOrThrow();
      const upcoming = await upcomingSessions(ctx, nowIso, (qb) =>
        qb.where("s.cohort_id", "in", (eb) =>
          eb.selectFrom("enrolments").select("cohort_id").where("municipality_id", "=", municipalityId).where("status", "=", "active"),
        ),
      );
      overview.coordinated.push({
        municipalityId,
        municipality: municipality.name,
        participants: Number(participants.n),
        activeEnrolments: Number(enrolments.active),
        waiting: Number(enrolments.waiting),
        upcoming,
        followUps: await countDueFollowUps(ctx.db, municipalityId, stockholmToday(now)),
      });
    }
  }

  const participantIds = ownParticipantIds(ctx);
  if (participantIds.length) {
    const upcoming = await upcomingSessions(ctx, nowIso, (qb) =>
      qb.where("s.cohort_id", "in", (eb) =>
        eb.selectFrom("enrolments").select("cohort_id").where("participant_id", "in", participantIds).where("status", "=", "active"),
      ),
    );
    const cohorts = await ctx.db
      .selectFrom("enrolments as e")
      .innerJoin("cohorts as c", "c.id", "e.cohort_id")
      .innerJoin("programmes as p", "p.id", "c.programme_id")
      .select(["c.name", "p.name as programmeName", "e.status"])
      .where("e.participant_id", "in", participantIds)
      .orderBy("c.starts_on")
      .execute();
    overview.participant = { upcoming, cohorts };
  }

  const fundedIds = fundedProgrammeIds(ctx);
  if (fundedIds.length) {
    const programmes = await ctx.db.selectFrom("programmes").select(["id", "name"]).where("id", "in", fundedIds).orderBy("name").execute();
    const counts = await ctx.db
      .selectFrom("enrolments as e")
      .innerJoin("cohorts as c", "c.id", "e.cohort_id")
      .select((eb) => ["c.programme_id", "e.status", eb.fn.countAll<number>().as("n")])
      .where("c.programme_id", "in", fundedIds)
      .groupBy(["c.programme_id", "e.status"])
      .execute();
    overview.funded = programmes.map((p) => {
      const byStatus = { nominated: 0, accepted: 0, waitlisted: 0, active: 0, completed: 0, dropped: 0 } as Record<EnrolmentStatus, number>;
      for (const c of counts) if (c.programme_id === p.id) byStatus[c.status] = Number(c.n);
      return { programmeId: p.id, name: p.name, counts: byStatus };
    });
  }

  return overview;
}

type SessionQuery = ReturnType<typeof baseSessionQuery>;

function baseSessionQuery(ctx: Ctx) {
  return ctx.db
    .selectFrom("sessions as s")
    .innerJoin("cohorts as c", "c.id", "s.cohort_id")
    .innerJoin("programmes as p", "p.id", "c.programme_id")
    .innerJoin("municipalities as m", "m.id", "s.host_municipality_id")
    .select([
      "s.id",
      "s.title",
      "s.starts_at as startsAt",
      "s.ends_at as endsAt",
      "s.status",
      "s.venue",
      "c.name as cohortName",
      "p.name as programmeName",
      "m.name as hostMunicipality",
    ]);
}

async function upcomingSessions(ctx: Ctx, nowIso: string, scope: (qb: SessionQuery) => SessionQuery): Promise<UpcomingSession[]> {
  return scope(baseSessionQuery(ctx)).where("s.ends_at", ">=", nowIso).orderBy("s.starts_at").limit(5).execute();
}
