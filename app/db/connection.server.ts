/**
 * The database module: the only place that knows the portal runs on SQLite.
 * Everything else talks to Kysely through the `Db` type, so another dialect
 * can be plugged in here when a deployment outgrows one machine.
 */
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect, sql, type MigrationResultSet, type SqliteDatabase } from "kysely";
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
    dialect: new SqliteDialect({ database: withStatementCache(openSqlite(filePath)) }),
  });
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew, and SQLite then parses and plans the same
 * SQL again on every request. Keeping the most recently used prepared
 * statements (by SQL text) saves that work; better-sqlite3 statements can be
 * run again with new parameters, and SQLite re-prepares them by itself after
 * a schema change. A statement still being iterated is never handed out twice.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare(sqlText: string) {
      const cached = cache.get(sqlText);
      if (cached && !cached.busy) {
        // Most recently used last, so the first key is the one to evict.
        cache.delete(sqlText);
        cache.set(sqlText, cached);
        return cached;
      }
      const statement = sqlite.prepare(sqlText);
      if (!cached) {
        cache.set(sqlText, statement);
        if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      return statement;
    },
  };
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
