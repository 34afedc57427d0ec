/**
 * The database module: the only place that knows the portal runs on SQLite.
 * Everything else talks to Kysely through the `Db` type, so another dialect
 * can be plugged in here when a deployment outgrows one machine.
 */
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect, sql, type MigrationResultSet } from "kysely";
import { migrations } from "../../db/migrations/index";
import type { Database } from "./schema";

export type Db = Kysely<Database>;

/** `file:db/data/portal.sqlite`, a plain path, or `:memory:`. */
export function databasePathFromUrl(url: string): string {
  if (url === ":memory:" || url === "file::memory:") return ":memory:";
  const filePath = url.startsWith("file:") ? url.slice("file:".length) : url;
  return path.resolve(filePath);
}

export function openSqlite(filePath: string): SQLite.Database {
  if (filePath !== ":memory:") fs.mkdirSync(path.dirname(filePath), { recursive: true });
  const sqlite = new SQLite(filePath);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  return sqlite;
}

export function openDatabase(url: string): Db {
  const filePath = databasePathFromUrl(url);
  return new Kysely<Database>({
    dialect: new SqliteDialect({ database: openSqlite(filePath) }),
  });
}

export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

/** True when the database has no municipalities yet: a brand-new portal. */
export async function isEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom("municipalities").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n) === 0;
}

export function nowIso(): string {
  return new Date().toISOString();
}

/** For the health check: true when the database answers a trivial query. */
export async function pingDatabase(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
