/**
 * EXPLAIN QUERY PLAN for every query a benchmark page runs.
 *
 * Each page's domain calls (scripts/bench-pages.ts) run once against a Kysely
 * instance that records every query it sends, with the session lookup the
 * loaders make first; then SQLite explains each recorded SELECT with its real
 * parameters. A plan step that reads a whole table which grows with the
 * country (participants, enrolments, sessions, attendance, time reports, the
 * audit log, ...) fails a page that serves one user. "SEARCH ... USING INDEX"
 * and scans of small fixed tables (municipalities, programmes) are fine.
 *
 *   node --import tsx scripts/bench-plans.ts db/data/scale.sqlite   (prints the plans)
 */
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, type CompiledQuery } from "kysely";
import type { Db } from "../app/db/connection.server";
import type { Database } from "../app/db/schema";
import { loadGrants, type Ctx } from "../app/domain/context.server";
import { ACCOUNTS, findIds, PAGES, type BenchIds, type BenchPage, type ServerInfo } from "./bench-pages";

/** Tables small enough to scan whole: they grow with programmes, not with people. */
const SMALL_TABLES = new Set([
  "municipalities",
  "programmes",
  "programme_settings",
  "unit_costs",
  "programme_retention",
  "kysely_migration",
  "kysely_migration_lock",
  "sqlite_master",
]);

export interface PlannedQuery {
  sql: string;
  plan: string[];
  /** Plan steps that scan a table growing with the country. */
  badScans: string[];
}

export interface PagePlans {
  page: string;
  singleUser: boolean;
  queries: PlannedQuery[];
}

/** alias -> table, from Kysely's quoted `"table" as "alias"` and bare `"table"` references. */
function aliasesOf(sql: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of sql.matchAll(/(?:from|join)\s+"(\w+)"(?:\s+as\s+"(\w+)")?/gi)) {
    map.set(m[2] ?? m[1], m[1]);
    map.set(m[1], m[1]);
  }
  return map;
}

function badScansOf(sql: string, plan: string[]): string[] {
  const aliases = aliasesOf(sql);
  const bad: string[] = [];
  for (const step of plan) {
    // "SCAN e", "SCAN e USING INDEX x", "SCAN e USING COVERING INDEX x": every row (or index entry) is read.
    const m = /^SCAN (\w+)(?: |$)/.exec(step);
    if (!m || m[1] === "CONSTANT") continue;
    // A subquery's result (`(select …) as "n"`): rows already narrowed by the subquery's own plan, checked above it.
    if (sql.includes(`) as "${m[1]}"`)) continue;
    const table = aliases.get(m[1]) ?? m[1];
    // pragma_data_version and the like: one-row virtual tables.
    if (!SMALL_TABLES.has(table) && !table.startsWith("pragma_")) bad.push(`${step}  [${table}]`);
  }
  return bad;
}

/** The plan as SQLite prints it: one line per step, indented by depth. */
function explain(sqlite: SQLite.Database, query: CompiledQuery): string[] {
  const rows = sqlite.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...(query.parameters as unknown[])) as { id: number; parent: number; detail: string }[];
  return rows.map((r) => r.detail);
}

export async function explainPages(file: string, ids: BenchIds, server: ServerInfo, pages: BenchPage[] = PAGES): Promise<PagePlans[]> {
  const sqlite = new SQLite(file, { readonly: false });
  sqlite.pragma("foreign_keys = ON");
  let recorded: CompiledQuery[] = [];
  const db: Db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    log: (event) => {
      if (event.level === "query") recorded.push(event.query);
    },
  });
  const result: PagePlans[] = [];
  try {
    for (const page of pages) {
      if (page.scaleOnly && !ids.nationalProgrammeId) continue;
      let ctx: Ctx | null = null;
      if (page.role) {
        const user = await db.selectFrom("users").select(["id", "email", "name"]).where("email", "=", ACCOUNTS[page.role]).executeTakeFirstOrThrow();
        recorded = [];
        // The lookup every logged-in request starts with (findUserContext), by a made-up session id.
        await db
          .selectFrom("login_sessions as s")
          .innerJoin("users as u", "u.id", "s.user_id")
          .select(["s.id", "s.last_seen_at", "s.expires_at", "u.id as user_id", "u.email", "u.name", "u.disabled_at"])
          .where("s.id", "=", "bench-session-id")
          .executeTakeFirst();
        ctx = { db, user: { id: user.id, email: user.email, name: user.name }, grants: await loadGrants(db, user.id) };
      } else {
        recorded = [];
      }
      await page.load(ctx, db, ids, server, page.paths(ids)[0]);
      const queries = recorded
        .filter((q) => /^\s*(select|with)/i.test(q.sql))
        .map((q) => {
          const plan = explain(sqlite, q);
          return { sql: q.sql, plan, badScans: badScansOf(q.sql, plan) };
        });
      result.push({ page: page.key, singleUser: page.singleUser, queries });
    }
  } finally {
    await db.destroy();
  }
  return result;
}

async function main() {
  const file = process.argv[2] ?? "db/data/scale.sqlite";
  const sqlite = new SQLite(file);
  const kdb = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const ids = await findIds(kdb);
  await kdb.destroy();
  const server = { secret: "bench-secret-bench-secret-bench-secret-0000", publicUrl: "http://127.0.0.1" };
  const plans = await explainPages(file, { ...ids, calendarToken: "" }, server, PAGES.filter((p) => p.key !== "calendar"));
  for (const p of plans) {
    console.log(`\n=== ${p.page}`);
    for (const q of p.queries) {
      console.log(`\n${q.sql}`);
      for (const step of q.plan) console.log(`   ${q.badScans.some((b) => b.startsWith(step)) ? "!!" : "  "} ${step}`);
    }
  }
}

if (process.argv[1]?.endsWith("bench-plans.ts")) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
