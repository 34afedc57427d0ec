/**
 * The pages the benchmark drives (scripts/bench.ts), described once so that
 * the portal run, the bare baseline (scripts/bench-baseline.ts) and the query
 * plan check all use the same pages, users and domain calls.
 *
 * `load` calls exactly the domain functions the page's loader calls, in the
 * same order, so the baseline runs the same SQL as the portal minus Remix
 * (routing, rendering, the root loader) and express.
 */
import { migrateToLatest, openDatabase, type Db } from "../app/db/connection.server";
import { getAttendanceReport } from "../app/domain/attendance-report.server";
import { buildFeed, createFeedAddress, getFeedStatus } from "../app/domain/calendar.server";
import { getCohortWithRoster } from "../app/domain/cohorts.server";
import { loadGrants, type Ctx } from "../app/domain/context.server";
import { getEffectReport } from "../app/domain/effects.server";
import { listMyOpenEvaluations } from "../app/domain/evaluations.server";
import { getEmployers } from "../app/domain/municipalities.server";
import { listParticipants } from "../app/domain/participants.server";
import { getSchedule } from "../app/domain/schedule.server";
import { getStartPage } from "../app/domain/start-page.server";
import { getStatisticsCached } from "../app/domain/statistics-cache.server";
import { getMunicipalityTimeReports } from "../app/domain/timereports.server";
import { participantListQuerySchema } from "../app/schemas/participants";
import { parseStatisticsQuery } from "../app/schemas/statistics";
import { stockholmToday } from "../app/utils/format";
import { addMonthsToMonth } from "../app/utils/hours";

export type BenchRole = "trainee" | "coordinator" | "lead" | "funder" | "admin" | "nationalFunder";

/** Who the benchmark logs in as (password portal-demo-2026). Only `nationalFunder` is missing from the demo data. */
export const ACCOUNTS: Record<BenchRole, string> = {
  trainee: "deltagare@programportalen.test",
  coordinator: "samordnare.vimmerby@programportalen.test",
  lead: "programledare@programportalen.test",
  funder: "finansiar@programportalen.test",
  // Two-factor is off in the demo and scale seeds (ADR 024), so the password alone logs in.
  admin: "admin@programportalen.test",
  nationalFunder: "bench.finansiar@programportalen.test",
};

export interface BenchIds {
  /** "Omgång 2" of the demo ESF programme: the demo trainee's cohort. */
  rosterCohortId: number;
  /** "Omgång 1": most of its sessions held. */
  reportCohortId: number;
  demoProgrammeId: number;
  /** The largest programme (at national scale: every municipality a partner); null on the demo data. */
  nationalProgrammeId: number | null;
  /** Every programme, the one with the most cohorts first. */
  allProgrammeIds: number[];
  calendarToken: string;
}

export interface ServerInfo {
  secret: string;
  publicUrl: string;
}

export interface BenchPage {
  key: string;
  label: string;
  role: BenchRole | null;
  /** Serves one user's view: held to 1.5x of its demo-data time, and to no full scans of country-sized tables. */
  singleUser: boolean;
  /** The addresses requested, in turn; the first one is the page's main case (query plans, first-request time). */
  paths: (ids: BenchIds) => string[];
  /** The loader's domain calls for one of `paths`; `ctx` is null for the calendar feed (no login). */
  load: (ctx: Ctx | null, db: Db, ids: BenchIds, server: ServerInfo, path: string) => Promise<unknown>;
  /** Only on the national-scale data (needs its extra accounts and programmes). */
  scaleOnly?: boolean;
}

const need = (ctx: Ctx | null): Ctx => {
  if (!ctx) throw new Error("this page needs a logged-in user");
  return ctx;
};

/** The statistics loader: its query string, then the (cached) statistics. */
function statistics(ctx: Ctx, path: string) {
  return getStatisticsCached(ctx, parseStatisticsQuery(new URL(path, "http://localhost")).filter);
}

/**
 * Each role's start page (Översikt): the same path and loader, a different to-do list per login.
 * The administrator's counts (all users, users without a role, failed mail) are of the whole
 * installation by design, so that page is not held to the single-user rule on full scans.
 */
const startPage = (role: Exclude<BenchRole, "nationalFunder">, label: string): BenchPage => ({
  key: `start${role[0].toUpperCase()}${role.slice(1)}`,
  label: `Översikt, ${label} (/)`,
  role,
  singleUser: role !== "admin",
  paths: () => ["/"],
  load: async (ctx) => ({ start: await getStartPage(need(ctx)), evaluations: await listMyOpenEvaluations(need(ctx)) }),
});

export const PAGES: BenchPage[] = [
  startPage("trainee", "deltagare"),
  startPage("coordinator", "samordnare"),
  startPage("lead", "programledare"),
  startPage("funder", "finansiär"),
  startPage("admin", "administratör"),
  {
    key: "schedule",
    label: "Mitt schema (/schema)",
    role: "trainee",
    singleUser: true,
    paths: () => ["/schema"],
    load: async (ctx) => {
      const schedule = await getSchedule(need(ctx));
      const feed = await getFeedStatus(need(ctx), "participant");
      return { ...schedule, feed };
    },
  },
  {
    key: "calendar",
    label: "Kalenderflöde (.ics)",
    role: null,
    singleUser: true,
    paths: (ids) => [`/kalender/${ids.calendarToken}.ics`],
    load: async (_ctx, db, ids, server) => {
      const feed = await buildFeed({ db, config: server }, ids.calendarToken);
      if (!feed) throw new Error("calendar feed not found");
      return feed;
    },
  },
  {
    key: "roster",
    label: "Omgång med deltagarlista (/omgangar/:id)",
    role: "coordinator",
    singleUser: true,
    paths: (ids) => [`/omgangar/${ids.rosterCohortId}`],
    load: (ctx, _db, ids) => getCohortWithRoster(need(ctx), ids.rosterCohortId),
  },
  {
    key: "attendanceReport",
    label: "Närvarorapport (/omgangar/:id/narvarorapport)",
    role: "lead",
    singleUser: true,
    paths: (ids) => [`/omgangar/${ids.reportCohortId}/narvarorapport`],
    load: (ctx, _db, ids) => getAttendanceReport(need(ctx), ids.reportCohortId, {}),
  },
  {
    key: "participants",
    label: "Deltagare, samordnare (/deltagare)",
    role: "coordinator",
    singleUser: true,
    paths: () => ["/deltagare"],
    load: (ctx) => listParticipants(need(ctx), participantListQuerySchema.parse({})),
  },
  {
    key: "timeReports",
    label: "Tidrapporter, samordnare (/tidrapporter)",
    role: "coordinator",
    singleUser: true,
    paths: () => ["/tidrapporter"],
    // The loader's default month: the one before this.
    load: async (ctx) => {
      const month = addMonthsToMonth(stockholmToday().slice(0, 7), -1);
      const reports = await getMunicipalityTimeReports(need(ctx), { month });
      return { ...reports, employers: await getEmployers(need(ctx)) };
    },
  },
  {
    key: "effectReport",
    label: "Effektrapport (/program/:id/effektrapport)",
    role: "funder",
    singleUser: true,
    paths: (ids) => [`/program/${ids.demoProgrammeId}/effektrapport`],
    load: (ctx, _db, ids) => getEffectReport(need(ctx), ids.demoProgrammeId),
  },
  {
    key: "statisticsOne",
    label: "Statistik, ett program (finansiär)",
    role: "funder",
    singleUser: true,
    paths: (ids) => [`/statistik?program=${ids.demoProgrammeId}`],
    load: (ctx, _db, _ids, _server, path) => statistics(need(ctx), path),
  },
  {
    key: "statisticsAll",
    label: "Statistik, alla program i tur (finansiär)",
    role: "nationalFunder",
    singleUser: false,
    scaleOnly: true,
    paths: (ids) => ids.allProgrammeIds.map((id) => `/statistik?program=${id}`),
    load: (ctx, _db, _ids, _server, path) => statistics(need(ctx), path),
  },
];

/** The ids the pages need, looked up by name so they work on the demo and the national-scale data alike. */
export async function findIds(db: Db): Promise<Omit<BenchIds, "calendarToken">> {
  const demo = await db
    .selectFrom("programmes")
    .select("id")
    .where("name", "=", "Ledarutveckling över gränserna")
    .executeTakeFirstOrThrow();
  const cohort = (name: string) =>
    db.selectFrom("cohorts").select("id").where("programme_id", "=", demo.id).where("name", "=", name).executeTakeFirstOrThrow();
  const national = await db.selectFrom("programmes").select("id").where("name", "=", "Nationellt chefsprogram").executeTakeFirst();
  const programmes = await db
    .selectFrom("programmes as p")
    .select((eb) => [
      "p.id",
      eb
        .selectFrom("cohorts as c")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("c.programme_id", "=", "p.id")
        .as("cohorts"),
    ])
    .orderBy("cohorts", "desc")
    .orderBy("p.id")
    .execute();
  return {
    rosterCohortId: (await cohort("Omgång 2")).id,
    reportCohortId: (await cohort("Omgång 1")).id,
    demoProgrammeId: demo.id,
    nationalProgrammeId: national?.id ?? null,
    allProgrammeIds: programmes.map((p) => p.id),
  };
}

/** Migrates the database at `url` and returns the ids its pages need, with the demo trainee's calendar address (created if missing). */
export async function benchIds(url: string, publicUrl: string): Promise<BenchIds> {
  const db = openDatabase(url);
  try {
    await migrateToLatest(db);
    const ids = await findIds(db);
    const user = await db.selectFrom("users").select(["id", "email", "name"]).where("email", "=", ACCOUNTS.trainee).executeTakeFirstOrThrow();
    const ctx = { db, user, grants: await loadGrants(db, user.id) };
    const links = await createFeedAddress(ctx, "participant", { publicUrl });
    const calendarToken = /\/kalender\/([^/]+)\.ics$/.exec(links.downloadUrl)![1];
    return { ...ids, calendarToken };
  } finally {
    await db.destroy();
  }
}
