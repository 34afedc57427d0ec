import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { createMunicipality } from "../../db/seed/factories";
import { seedDemo } from "../../db/seed/demo";
import { blankDb, DEMO_TODAY, TEST_BACKEND } from "../../tests/support/db";
import { migrateToLatest, openDatabase } from "./connection.server";
import { copyDatabase, CopyRefused } from "./copy.server";

async function demoSqliteFile(): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "portal-copy-")), "portal.sqlite");
  const db = openDatabase(`file:${file}`);
  await migrateToLatest(db);
  await seedDemo(db, DEMO_TODAY);
  await db.destroy();
  return file;
}

// Needs the test PostgreSQL server, which only the "postgres" project starts.
describe.runIf(TEST_BACKEND === "postgres")("npm run db:copy (SQLite to PostgreSQL)", () => {
  it("copies every table with its ids, verifies counts and checksums, and new rows continue after the copied ids", async () => {
    const file = await demoSqliteFile();
    const target = await blankDb();
    const copied = await copyDatabase(`file:${file}`, target.url);

    const sqlite = new SQLite(file, { readonly: true });
    const tables = sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'").pluck().all() as string[];
    expect(copied.map((t) => t.table).toSorted()).toEqual(tables.toSorted());
    for (const { table, rows } of copied) expect(rows, table).toBe(sqlite.prepare(`select count(*) from "${table}"`).pluck().get());
    expect(copied.find((t) => t.table === "attendance")!.rows).toBeGreaterThan(100);

    // Read back independently of the copy's own check: the same rows, value for value.
    const participants = sqlite.prepare("select * from participants order by id").all();
    expect(await target.db.selectFrom("participants").selectAll().orderBy("id").execute()).toEqual(participants);
    const maxMunicipality = sqlite.prepare("select max(id) from municipalities").pluck().get() as number;
    sqlite.close();
    expect(await createMunicipality(target.db, { name: "Ny kommun" })).toBe(maxMunicipality + 1);

    // Only into an empty database, and then nothing changes.
    await expect(copyDatabase(`file:${file}`, target.url)).rejects.toThrow(/not empty/);
  }, 120_000);

  it("refuses a source that is not at this version's schema, and leaves the target untouched", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "portal-copy-")), "old.sqlite");
    new SQLite(file).close();
    const target = await blankDb();
    const refusal = await copyDatabase(`file:${file}`, target.url).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(CopyRefused);
    expect((refusal as Error).message).toContain("start this version of the portal on it once");
    expect(await target.db.introspection.getTables()).toEqual([]);
  });

  it("answers wrong arguments with the usage and exit code 2", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/db-copy.ts", "--from", "file:x.sqlite"], { encoding: "utf8" });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("Both --from and --to are needed.");
    expect(result.stderr).toContain("usage: npm run db:copy");
  });
});
