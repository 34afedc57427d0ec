/**
 * Fresh databases for tests, on the backend `TEST_DB` names: `sqlite` (the
 * default) or `postgres` (the "postgres" project in vitest.config.ts, whose
 * globalSetup starts the server).
 *
 * `emptyDb()` is a migrated database; `demoDb()` a private copy of the demo
 * data, so every test starts from the same known state. On SQLite they are an
 * in-memory database and a copy of a file seeded once per test file; on
 * PostgreSQL, databases copied from the templates tests/setup/postgres.ts
 * built, dropped again after the test file (tests/setup/postgres-databases.ts).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { migrateToLatest, openDatabase, type Db, type PoolSettings } from "~/db/connection.server";
import { seedDemo } from "../../db/seed/demo";
import { DEMO_TODAY } from "./demo-today";
import { TEMPLATES } from "./postgres";

export { DEMO_TODAY };

export type TestBackend = "sqlite" | "postgres";

export const TEST_BACKEND: TestBackend = backendFromEnv(process.env.TEST_DB);

function backendFromEnv(value: string | undefined): TestBackend {
  if (value === undefined || value === "" || value === "sqlite") return "sqlite";
  if (value === "postgres") return "postgres";
  throw new Error(`TEST_DB must be sqlite or postgres, not ${JSON.stringify(value)}`);
}

export async function emptyDb(): Promise<Db> {
  if (TEST_BACKEND === "postgres") return (await copyOfTemplate(TEMPLATES.empty)).db;
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

/** A new database holding the demo data; returns an open handle and its URL (for a server process of its own). */
export async function demoDb(): Promise<{ db: Db; url: string }> {
  if (TEST_BACKEND === "postgres") return copyOfTemplate(TEMPLATES.demo);
  templatePath ??= buildTemplate();
  const template = await templatePath;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-test-"));
  const file = path.join(dir, "portal.sqlite");
  fs.copyFileSync(template, file);
  const url = `file:${file}`;
  return { db: openDatabase(url), url };
}

/**
 * A migrated, empty database that several connections can share, as several
 * app processes do: `open()` gives another handle on it (on SQLite a file, on
 * PostgreSQL another pool).
 */
export async function sharedEmptyDb(): Promise<{ db: Db; url: string; open(): Db }> {
  if (TEST_BACKEND === "postgres") {
    const copy = await copyOfTemplate(TEMPLATES.empty);
    return { ...copy, open: () => openDatabase(copy.url, TEST_POOL) };
  }
  const url = `file:${path.join(fs.mkdtempSync(path.join(os.tmpdir(), "portal-shared-")), "portal.sqlite")}`;
  const db = openDatabase(url);
  await migrateToLatest(db);
  return { db, url, open: () => openDatabase(url) };
}

/** A database with nothing in it, not even migrated: for tests of the migrations themselves. */
export async function blankDb(): Promise<{ db: Db; url: string }> {
  if (TEST_BACKEND === "postgres") return copyOfTemplate("template1", "superuser");
  const url = `file:${path.join(fs.mkdtempSync(path.join(os.tmpdir(), "portal-blank-")), "portal.sqlite")}`;
  return { db: openDatabase(url), url };
}

// Small pools that let go of idle connections quickly: a test file may open dozens of databases.
const TEST_POOL: PoolSettings = { max: 4, idleTimeoutMs: 1_000, connectionTimeoutMs: 10_000, statementTimeoutMs: 60_000 };

const created: { name: string; db: Db }[] = [];
let adminClient: Promise<pg.Client> | null = null;

function admin(): Promise<pg.Client> {
  adminClient ??= (async () => {
    const client = new pg.Client({ connectionString: inject("postgresAdminUrl") });
    await client.connect();
    return client;
  })();
  return adminClient;
}

/**
 * A new database copied from `template`, opened as the app's role (no
 * superuser, so row-level security applies as in production) or, for tests
 * of the migrations themselves, as the superuser.
 */
async function copyOfTemplate(template: string, as: "app" | "superuser" = "app"): Promise<{ db: Db; url: string }> {
  const name = `test_${process.pid}_${crypto.randomBytes(6).toString("hex")}`;
  await (await admin()).query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  const url = inject(as === "app" ? "postgresAppUrl" : "postgresAdminUrl").replace(/\/postgres$/, `/${name}`);
  const db = openDatabase(url, TEST_POOL);
  created.push({ name, db });
  return { db, url };
}

/** Closes and drops every database this test file made (with FORCE: a server under test may still hold a connection). */
export async function dropTestDatabases(): Promise<void> {
  if (!adminClient) return;
  const client = await admin();
  for (const { name, db } of created.splice(0)) {
    await db.destroy();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
  adminClient = null;
  await client.end();
}
