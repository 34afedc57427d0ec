/**
 * Migrations run from an empty database and from every released schema kept
 * in db/fixtures (written by `npm run db:fixture` at each release), keeping
 * every row and leaving a sound database.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Migrator, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "~/db/connection.server";
import { migrations } from "./index";

const FIXTURES = path.resolve("db/fixtures");
const fixtures = fs.readdirSync(FIXTURES).filter((f) => f.endsWith(".sql")).sort();

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

describe("migrations", () => {
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
});

describe("2026-11-28T1400_certified_snapshots", () => {
  it("freezes what reports certified before it showed: unit cost, value, certification, and lines without a doubled kind", async () => {
    const file = tempFile();
    const db = openDatabase(`file:${file}`);
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
