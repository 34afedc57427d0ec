/**
 * Migrations run from an empty database and from every released schema kept
 * in db/fixtures (written by `npm run db:fixture` at each release), keeping
 * every row and leaving a sound database.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
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
