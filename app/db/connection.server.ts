/**
 * The database module: the one place that opens a database. `DATABASE_URL`
 * chooses the engine: `file:…` (the default) is SQLite in one file,
 * `postgres://…` is PostgreSQL through Kysely's own PostgresDialect and `pg`
 * (docs/decisions/025-postgresql-backend.md). Everything else talks to Kysely
 * through the `Db` type; what the two engines do differently is in
 * `./dialect.server.ts`.
 */
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type MigrationResultSet, type PostgresPool, type SqliteDatabase } from "kysely";
import pg from "pg";
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

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** How the PostgreSQL connection pool behaves (validated in app/config.server.ts). */
export interface PoolSettings {
  /** Connections this process keeps at most. */
  max: number;
  /** An unused connection is closed after this long. */
  idleTimeoutMs: number;
  /** Waiting for a connection (new or from a full pool) fails after this long. */
  connectionTimeoutMs: number;
  /** The server cancels a statement that runs longer (0: never). */
  statementTimeoutMs: number;
}

export const DEFAULT_POOL_SETTINGS: PoolSettings = {
  max: 10,
  idleTimeoutMs: 30_000,
  connectionTimeoutMs: 10_000,
  statementTimeoutMs: 30_000,
};

/** Opens the database a URL names: `postgres://…` or `postgresql://…`, otherwise an SQLite file (or `:memory:`). */
export function openDatabase(url: string, pool: PoolSettings = DEFAULT_POOL_SETTINGS): Db {
  if (isPostgresUrl(url)) {
    const rawPool = openPostgresPool(url, pool);
    const db = postgresHandle(rawPool, SYSTEM_SCOPE, () => rawPool.end());
    scopedHandles.set(db, { rawPool, byScope: new Map() });
    return db;
  }
  const filePath = databasePathFromUrl(url);
  return new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(openSqlite(filePath)) }),
  });
}

/**
 * Which municipalities' rows a database handle may see where row-level
 * security applies (PostgreSQL only; db/migrations/2026-11-29T0180_row_level_security.ts):
 * `"all"` for system work and for staff whose grants span municipalities.
 */
export type MunicipalityScope = readonly number[] | "all";

const SYSTEM_SCOPE = "*";

function scopeSetting(scope: MunicipalityScope): string {
  return scope === "all" ? SYSTEM_SCOPE : [...new Set(scope)].sort((a, b) => a - b).join(",");
}

/** The value of `portal.municipality_ids` each pooled connection holds now, so it is set only when it changes. */
const settingOfClient = new WeakMap<pg.PoolClient, string>();

/**
 * Kysely over the shared pool, putting `setting` on each connection it
 * reserves, before the first query or `begin`: every handle over the pool
 * does so, so a connection never carries another handle's scope into a
 * query. A session-level setting (not `set_config(…, true)`): Kysely runs a
 * query outside a transaction on its own, and a transaction-local value
 * would end with the `select` that set it.
 */
function postgresHandle(rawPool: pg.Pool, setting: string, end: () => Promise<void>): Db {
  const pool: PostgresPool = {
    async connect() {
      const client = await rawPool.connect();
      if (settingOfClient.get(client) !== setting) {
        try {
          await client.query("select set_config('portal.municipality_ids', $1, false)", [setting]);
        } catch (error) {
          client.release(true);
          throw error;
        }
        settingOfClient.set(client, setting);
      }
      return client;
    },
    end,
  };
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

const scopedHandles = new WeakMap<Db, { rawPool: pg.Pool; byScope: Map<string, Db> }>();
/** Each scoped handle's system handle, for the few reads that cross municipalities on purpose. */
const systemHandleOfScoped = new WeakMap<Db, Db>();
// Distinct scopes are few (a coordinator's municipality, a few multi-municipality staff); a bound keeps a strange day finite.
const MAX_SCOPED_HANDLES = 1_000;

/**
 * A handle on the same database (and the same pool) that sees only the
 * scope's municipalities in the tables under row-level security. On SQLite,
 * which has none, the handle itself. Destroying a scoped handle leaves the
 * pool open: the handle it came from owns it.
 */
export function withMunicipalityScope(db: Db, scope: MunicipalityScope): Db {
  const handles = scopedHandles.get(db);
  if (!handles) return db;
  const setting = scopeSetting(scope);
  if (setting === SYSTEM_SCOPE) return db;
  let scoped = handles.byScope.get(setting);
  if (!scoped) {
    if (handles.byScope.size >= MAX_SCOPED_HANDLES) handles.byScope.clear();
    scoped = postgresHandle(handles.rawPool, setting, async () => {});
    handles.byScope.set(setting, scoped);
    systemHandleOfScoped.set(scoped, db);
  }
  return scoped;
}

/**
 * The unscoped (system) handle a handle came from: itself for a system
 * handle, and on SQLite. Only `app/domain/internal/system-handle.server.ts`
 * may call this (ESLint): a read that crosses municipalities on purpose goes
 * through there, named and commented, after the caller's own check. A
 * transaction of a scoped handle is not in the map and stays scoped: the
 * wall stays up, it does not fall.
 */
export function systemHandleOf(db: Db): Db {
  return systemHandleOfScoped.get(db) ?? db;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * `pg` returns bigint (count(*), sum of integers) and numeric (avg) as strings,
 * because they may not fit a JavaScript number. Ours always do (counts, minutes,
 * öre), and SQLite returns them as numbers: read them as numbers here, so the
 * same code gets the same types from both. Parsers are set on this pool only,
 * not globally in `pg`.
 */
const portalTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

function openPostgresPool(url: string, settings: PoolSettings): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: settings.max,
    idleTimeoutMillis: settings.idleTimeoutMs,
    connectionTimeoutMillis: settings.connectionTimeoutMs,
    statement_timeout: settings.statementTimeoutMs || undefined,
    application_name: "programportalen",
    // Timestamps are stored as UTC ISO text; casts to timestamptz in SQL must not depend on the server's zone.
    options: "-c TimeZone=UTC",
    types: portalTypes,
    // Idle connections do not keep a script or test process alive; a server is kept alive by its listener.
    allowExitOnIdle: true,
  });
  // An idle connection that the server closes (restart, failover) must not bring the process down;
  // the pool opens a new one for the next query.
  pool.on("error", (error) => console.warn(`PostgreSQL: an idle connection was closed: ${error.message}`));
  return pool;
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
