/**
 * Fresh databases for tests. `emptyDb()` is a migrated in-memory database;
 * `demoDb()` is a private copy of a file seeded once per test process with
 * the demo data, so every test starts from the same known state.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrateToLatest, openDatabase, type Db } from "~/db/connection.server";
import { seedDemo } from "../../db/seed/demo";

/** The day the demo data is laid around in tests, so dates in assertions are stable. */
export const DEMO_TODAY = "2026-11-26";

export async function emptyDb(): Promise<Db> {
  const db = openDatabase(":memory:");
  await migrateToLatest(db);
  return db;
}

let templatePath: Promise<string> | null = null;

async function buildTemplate(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-template-"));
  const file = path.join(dir, "demo.sqlite");
  const db = openDatabase(`file:${file}`);
  await migrateToLatest(db);
  await seedDemo(db, DEMO_TODAY);
  await db.destroy();
  return file;
}

/** A new database file holding the demo data; returns its URL and an open handle. */
export async function demoDb(): Promise<{ db: Db; url: string; file: string }> {
  templatePath ??= buildTemplate();
  const template = await templatePath;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-test-"));
  const file = path.join(dir, "portal.sqlite");
  fs.copyFileSync(template, file);
  const url = `file:${file}`;
  return { db: openDatabase(url), url, file };
}
