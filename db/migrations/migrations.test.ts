/**
 * Migrations run from an empty database and from every released schema kept
 * in db/fixtures (written by `npm run db:fixture` at each release), keeping
 * every row and leaving a sound database, on SQLite and on PostgreSQL
 * (TEST_DB, see tests/support/db.ts). On SQLite they still make, byte for
 * byte, the schema they made before they learned PostgreSQL (ADR 020).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Migrator, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase, type Db } from "~/db/connection.server";
import { blankDb, emptyDb, TEST_BACKEND } from "../../tests/support/db";
import { migrations } from "./index";

const FIXTURES = path.resolve("db/fixtures");
const fixtures = fs.readdirSync(FIXTURES).filter((f) => f.endsWith(".sql")).sort();

/** The last migration written before the migrations learned PostgreSQL, and the SQLite schema they made up to it then. */
const BEFORE_POSTGRES = "2026-11-28T1500_login_limits_hashed_keys";
const SQLITE_SCHEMA_BEFORE_POSTGRES = path.resolve("db/migrations/sqlite-schema-2026-11-28T1500.sql");

function tempFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "portal-migrate-")), "portal.sqlite");
}

function soundness(file: string) {
  const sqlite = new SQLite(file, { readonly: true });
  const result = {
    integrity: sqlite.pragma("integrity_check", { simple: true }),
    foreignKeyProblems: sqlite.pragma("foreign_key_check") as unknown[],
    applied: sqlite.prepare("select name from kysely_migration order by name").pluck().all() as string[],
  };
  sqlite.close();
  return result;
}

/** Every object in sqlite_master, in the order it was made, with the SQL SQLite keeps for it. */
async function sqliteSchema(db: Db): Promise<string> {
  const { rows } = await sql<{ type: string; name: string; tbl_name: string; sql: string | null }>`
    select type, name, tbl_name, sql from sqlite_master order by rowid`.execute(db);
  return rows.map((o) => `-- ${o.type} ${o.name} on ${o.tbl_name}\n${o.sql ?? "(automatic)"};`).join("\n") + "\n";
}

interface Column {
  t: string;
  c: string;
  not_null: number;
  pk: number;
}

async function appliedMigrations(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.map((r) => r.name);
}

/** The rows of a fixture file: its INSERT statements, which both databases read alike (the migration history left out). */
function fixtureRows(fixture: string): { table: string; statement: string }[] {
  return fs
    .readFileSync(path.join(FIXTURES, fixture), "utf8")
    .split("\n")
    .filter((line) => line.startsWith("INSERT INTO "))
    .map((statement) => ({ table: /^INSERT INTO "([^"]+)"/.exec(statement)![1], statement: statement.replace(/;$/, "") }))
    .filter((row) => !row.table.startsWith("kysely_migration"));
}

describe.runIf(TEST_BACKEND === "sqlite")("migrations on SQLite", () => {
  it("has names that sort by date, so they run in the order they were written", () => {
    const names = Object.keys(migrations);
    expect(names).toEqual([...names].sort());
    for (const name of names) expect(name).toMatch(/^\d{4}-\d{2}-\d{2}T\d{4}_[a-z0-9_]+$/);
  });

  it("run from an empty database", async () => {
    const file = tempFile();
    const db = openDatabase(`file:${file}`);
    await migrateToLatest(db);
    await db.destroy();
    const result = soundness(file);
    expect(result.integrity).toBe("ok");
    expect(result.foreignKeyProblems).toEqual([]);
    expect(result.applied).toEqual(Object.keys(migrations).sort());
  });

  it("keeps at least one released schema as a fixture", () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  for (const fixture of fixtures) {
    it(`run from the released schema ${fixture}, keeping its data`, async () => {
      const file = tempFile();
      const sqlite = new SQLite(file);
      sqlite.exec(fs.readFileSync(path.join(FIXTURES, fixture), "utf8"));
      const tables = sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").pluck().all() as string[];
      const before = Object.fromEntries(tables.map((t) => [t, sqlite.prepare(`select count(*) from "${t}"`).pluck().get() as number]));
      sqlite.close();
      expect(Object.values(before).reduce((a, b) => a + b, 0)).toBeGreaterThan(10);

      const db = openDatabase(`file:${file}`);
      await migrateToLatest(db);
      await db.destroy();

      const result = soundness(file);
      expect(result.integrity).toBe("ok");
      expect(result.foreignKeyProblems).toEqual([]);
      expect(result.applied).toEqual(Object.keys(migrations).sort());
      const after = new SQLite(file, { readonly: true });
      for (const [table, count] of Object.entries(before)) {
        if (table.startsWith("kysely_migration")) continue;
        expect(after.prepare(`select count(*) from "${table}"`).pluck().get(), table).toBe(count);
      }
      after.close();
    });
  }

  it(`make exactly the schema they made before they learned PostgreSQL (up to ${BEFORE_POSTGRES})`, async () => {
    const db = openDatabase(":memory:");
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    expect((await migrator.migrateTo(BEFORE_POSTGRES)).error).toBeUndefined();
    expect(await sqliteSchema(db)).toBe(fs.readFileSync(SQLITE_SCHEMA_BEFORE_POSTGRES, "utf8"));
    await db.destroy();
  });
});

describe.runIf(TEST_BACKEND === "postgres")("migrations on PostgreSQL", () => {
  it("run from an empty database", async () => {
    const { db } = await blankDb();
    await migrateToLatest(db);
    expect(await appliedMigrations(db)).toEqual(Object.keys(migrations).sort());
  });

  for (const fixture of fixtures) {
    it(`run from the released schema ${fixture}, keeping its data`, async () => {
      const { db } = await blankDb();
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
      expect((await migrator.migrateTo(fixture.replace(/\.sql$/, ""))).error).toBeUndefined();
      const rows = fixtureRows(fixture);
      for (const { statement } of rows) await sql.raw(statement).execute(db);
      expect(rows.length).toBeGreaterThan(10);

      await migrateToLatest(db);

      expect(await appliedMigrations(db)).toEqual(Object.keys(migrations).sort());
      const expected = new Map<string, number>();
      for (const { table } of rows) expected.set(table, (expected.get(table) ?? 0) + 1);
      for (const [table, count] of expected) {
        const { rows: counted } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
        expect(counted[0].n, table).toBe(count);
      }
    });
  }

  it("make the tables, columns, NOT NULLs, numbered ids and indexes that SQLite gets", async () => {
    const sqlite = openDatabase(":memory:");
    await migrateToLatest(sqlite);
    const { db } = await blankDb();
    await migrateToLatest(db);

    const sqliteColumns = await sql<Column>`
      select m.name as t, p.name as c, p."notnull" as not_null, p.pk as pk
      from sqlite_master m join pragma_table_info(m.name) p
      where m.type = 'table' and m.name not like 'sqlite_%' order by 1, 2`.execute(sqlite);
    const postgresColumns = await sql<Column>`
      select c.table_name as t, c.column_name as c, (c.is_nullable = 'NO')::int as not_null,
        coalesce((select k.ordinal_position from information_schema.key_column_usage k
          join information_schema.table_constraints tc on tc.constraint_name = k.constraint_name and tc.table_name = k.table_name
          where tc.constraint_type = 'PRIMARY KEY' and k.table_name = c.table_name and k.column_name = c.column_name), 0) as pk
      from information_schema.columns c where c.table_schema = 'public' order by 1, 2`.execute(db);
    // SQLite lets a (non-integer) primary key column hold NULL unless it says NOT NULL; PostgreSQL never does.
    const shape = (r: Column) => `${r.t}.${r.c}${r.not_null || r.pk ? " not null" : ""}${r.pk ? ` pk${r.pk}` : ""}`;
    expect(postgresColumns.rows.map(shape)).toEqual(sqliteColumns.rows.map(shape));

    const autoincrement = await sql<{ t: string }>`select name as t from sqlite_master where sql like '%autoincrement%' order by 1`.execute(sqlite);
    const identity = await sql<{ t: string }>`select table_name as t from information_schema.columns where is_identity = 'YES' and column_name = 'id' order by 1`.execute(db);
    expect(identity.rows).toEqual(autoincrement.rows);

    const sqliteIndexes = await sql<{ name: string }>`select name from sqlite_master where type = 'index' and sql is not null order by 1`.execute(sqlite);
    const postgresIndexes = await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = 'public' order by 1`.execute(db);
    expect(postgresIndexes.rows.map((r) => r.name)).toEqual(expect.arrayContaining(sqliteIndexes.rows.map((r) => r.name)));
    await sqlite.destroy();
  });
});

describe(`the schema on ${TEST_BACKEND}`, () => {
  it("keeps the audit log append-only: the database refuses to change or delete an entry", async () => {
    const db = await emptyDb();
    await db.insertInto("audit_log").values({ at: "2026-11-26T10:00:00.000Z", action: "test.entry" }).execute();
    await expect(db.updateTable("audit_log").set({ action: "test.changed" }).execute()).rejects.toThrow(/audit_log is append-only/);
    await expect(db.deleteFrom("audit_log").execute()).rejects.toThrow(/audit_log is append-only/);
    expect(await db.selectFrom("audit_log").select("action").execute()).toEqual([{ action: "test.entry" }]);
  });

  it("takes only YYYY-MM as the month of a time report or SCB report", async () => {
    const db = await emptyDb();
    const municipality = await db.insertInto("municipalities").values({ name: "Aneby", slug: "aneby", county: "Jönköpings län", created_at: "2026-01-01" }).returning("id").executeTakeFirstOrThrow();
    const programme = await db
      .insertInto("programmes")
      .values({ name: "P", kind: "ledarutveckling", funding: "esf", owner_municipality_id: municipality.id, esf_project_number: null, starts_on: "2026-01-01", ends_on: "2026-12-31", description: "", created_at: "2026-01-01", updated_at: "2026-01-01" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const report = (month: string) =>
      db.insertInto("scb_reports").values({ programme_id: programme.id, municipality_id: null, month, reported_at: "2026-11-01", reported_by: null, row_count: 0, fingerprint: "x", needs_rereport: 0, flagged_at: null, corrected_at: null }).execute();
    for (const bad of ["2026-1", "2026-11-01", "26-11", "2026-21", "abcd-11", " 2026-11"]) await expect(report(bad), bad).rejects.toThrow();
    await report("2026-11");
    expect(await db.selectFrom("scb_reports").select("month").execute()).toEqual([{ month: "2026-11" }]);
  });
});

describe("2026-11-28T1400_certified_snapshots", () => {
  it("freezes what reports certified before it showed: unit cost, value, certification, and lines without a doubled kind", async () => {
    const { db } = await blankDb();
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    expect((await migrator.migrateTo("2026-11-26T2160_privacy_retention")).error).toBeUndefined();
    await sql`insert into municipalities (id, name, slug, county, created_at) values (1, 'Vimmerby', 'vimmerby', 'Kalmar län', '2026-01-01')`.execute(db);
    await sql`insert into programmes (id, name, kind, funding, owner_municipality_id, esf_project_number, starts_on, ends_on, description, created_at, updated_at)
              values (1, 'ESF', 'ledarutveckling', 'esf', 1, null, '2026-01-01', '2026-12-31', '', '2026-01-01', '2026-01-01')`.execute(db);
    await sql`insert into cohorts (id, programme_id, name, starts_on, ends_on, capacity, created_at, updated_at) values (1, 1, 'Omgång 1', '2026-01-01', '2026-12-31', 10, '2026-01-01', '2026-01-01')`.execute(db);
    await sql`insert into sessions (id, cohort_id, title, kind, starts_at, ends_at, host_municipality_id, venue, address, meeting_url, facilitator, description, status, sequence, created_at, updated_at)
              values (7, 1, 'Studiebesök: samverkan i praktiken', 'studiebesok', '2026-09-08T07:00:00Z', '2026-09-08T14:00:00Z', 1, '', '', '', '', '', 'planned', 0, '2026-01-01', '2026-01-01')`.execute(db);
    await sql`insert into participants (id, municipality_id, first_name, last_name, email, department, title, gender, birth_year, education_level, salary_group, ended_on, end_reason, created_at, updated_at)
              values (1, 1, 'Anna', 'Berg', 'anna@example.se', '', '', 'kvinna', 1985, null, '2', null, null, '2026-01-01', '2026-01-01')`.execute(db);
    await sql`insert into unit_costs (programme_id, salary_group, year, hourly_cost_ore, updated_by, updated_at) values (1, '2', 2026, 45200, null, '2026-01-01')`.execute(db);
    const lines = JSON.stringify([{ date: "2026-09-08", source: "session", sourceId: 7, activity: "Studiebesök: Studiebesök: samverkan i praktiken", minutes: 420 }]);
    await sql`insert into time_reports (participant_id, municipality_id, programme_id, month, status, certified_by, certified_at, needs_review, rounding, certified_raw_minutes, certified_minutes, certified_salary_group, certified_lines, version, created_at, updated_at)
              values (1, 1, 1, '2026-09', 'certified', null, '2026-10-04T08:00:00Z', 0, 'hour_down', 420, 420, '2', ${lines}, 2, '2026-09-01', '2026-10-04')`.execute(db);

    await migrateToLatest(db);

    const report = await db
      .selectFrom("time_reports")
      .select(["certified_hourly_cost_ore", "certified_value_ore", "certified_as", "certified_lines"])
      .executeTakeFirstOrThrow();
    expect({ ...report, certified_lines: JSON.parse(report.certified_lines!) }).toEqual({
      certified_hourly_cost_ore: 45_200,
      certified_value_ore: 316_400,
      certified_as: "on_behalf",
      certified_lines: [{ date: "2026-09-08", source: "session", sourceId: 7, kind: "studiebesok", title: "Studiebesök: samverkan i praktiken", minutes: 420 }],
    });
    // The programme keeps letting coordinators certify on the manager's behalf, as they did.
    expect(await db.selectFrom("programme_settings").select(["on_behalf_allowed", "rounding"]).executeTakeFirstOrThrow()).toEqual({ on_behalf_allowed: 1, rounding: "hour_down" });
    await db.destroy();
  });
});
