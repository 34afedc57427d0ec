/**
 * The few things SQLite and PostgreSQL do differently, behind one interface
 * (docs/decisions/025-postgresql-backend.md). Everything else in the portal is
 * written once, in SQL both accept.
 *
 * Each helper returns a Kysely expression to put in a query, or answers a
 * question about an error; `dialectOf(db)` picks the implementation for a
 * database handle or a transaction. Both implementations give the same answer
 * for the same data: app/db/dialect.test.ts runs every helper on both.
 */
import { sql, type Expression, type RawBuilder, type SqlBool } from "kysely";

export type DialectName = "sqlite" | "postgres";

/** A database handle or a transaction (anything Kysely can run a query on), whatever its tables. */
type Queryable = Parameters<RawBuilder<unknown>["execute"]>[0];

export interface DbDialect {
  readonly name: DialectName;
  /**
   * A value that changes whenever anything is committed to the database, by
   * this process or another, so a cache can tell that what it holds may be old.
   * Equal values mean nothing was committed in between; a different value may
   * also come from a write that touched nothing a cache holds.
   */
  changeCounter(db: Queryable): Promise<string>;
  /**
   * A `YYYY-MM-DD` date plus whole calendar months; a day the shorter month
   * lacks becomes its last day (31 Aug + 6 months = 28 Feb), as
   * `addMonthsToDate` counts in JS.
   */
  addMonths(date: Expression<string>, months: number): RawBuilder<string>;
  /** A `YYYY-MM-DD` date plus (or minus) whole days. */
  addDays(date: Expression<string>, days: number): RawBuilder<string>;
  /**
   * True when `text` contains `needle`, ignoring case also for å, ä, ö and
   * other letters beyond A–Z. `%`, `_` and `\` in the needle are plain characters.
   */
  containsIgnoringCase(text: Expression<string | null>, needle: string): Expression<SqlBool>;
  /** The Stockholm calendar month (`YYYY-MM`) of a UTC ISO timestamp, as the time reports count months. */
  stockholmMonth(timestamp: Expression<string>): RawBuilder<string>;
  /**
   * Inside a transaction: waits until no other transaction holds `table`'s
   * writer's turn, then holds it until this transaction ends. For a job that
   * reads what it is about to write (queue what was not queued yet) and may
   * run in several processes at once: the second one then reads what the
   * first wrote. Readers and other writers of the table are not held back on
   * PostgreSQL (an advisory lock named after the table); SQLite has one
   * writer at a time anyway, and this takes that turn at once.
   */
  takeWriterTurn(trx: Queryable, table: string): Promise<void>;
  /** The write broke a unique index or primary key. */
  isUniqueViolation(error: unknown): boolean;
  /** The transaction met another writer (SQLite busy, PostgreSQL serialization failure or deadlock) and may simply be run again. */
  isRetryableConflict(error: unknown): boolean;
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

function likePattern(needle: string): string {
  return `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * SQLite's LIKE ignores case for A–Z only, so "åsa" would not find "Åsa":
 * the needle is searched in the spellings people type (as typed, lower case,
 * capitalised words, upper case).
 */
function caseVariants(term: string): string[] {
  const lower = term.toLocaleLowerCase("sv");
  const capitalised = lower.replace(/(^|[\s-])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toLocaleUpperCase("sv"));
  return [...new Set([term, lower, capitalised, term.toLocaleUpperCase("sv")])];
}

/** Months whose first day in Stockholm is on summer time (CEST, UTC+2): April to October, under the EU rule Sweden follows since 1996. */
const SUMMER_TIME_MONTHS = sql.raw(`('04', '05', '06', '07', '08', '09', '10')`);

export const sqliteDialect: DbDialect = {
  name: "sqlite",
  async changeCounter(db) {
    // total_changes(): this connection's own writes (Kysely's SQLite driver uses one connection per
    // process); data_version: commits by any other connection to the file (another process, a script).
    const { rows } = await sql<{ counter: string }>`select total_changes() || ':' || data_version as counter from pragma_data_version`.execute(db);
    return rows[0].counter;
  },
  addMonths(date, months) {
    // date(x, '+6 months') runs 31 Aug on to 3 Mar; the last day of the month six months on bounds it.
    const plus = (n: number) => `${n >= 0 ? "+" : ""}${n} months`;
    return sql<string>`min(date(${date}, ${plus(months)}), date(${date}, 'start of month', ${plus(months + 1)}, '-1 day'))`;
  },
  addDays(date, days) {
    return sql<string>`date(${date}, ${`${days >= 0 ? "+" : ""}${days} days`})`;
  },
  containsIgnoringCase(text, needle) {
    const variants = caseVariants(needle).map((v) => sql<SqlBool>`${text} like ${likePattern(v)} escape '\\'`);
    return sql<SqlBool>`(${sql.join(variants, sql` or `)})`;
  },
  stockholmMonth(timestamp) {
    // SQLite has no time zones. A Stockholm month begins at local midnight: 22:00 UTC the day before
    // for April–October (summer time), 23:00 UTC otherwise. Two hours ahead of UTC lands in the right
    // month when that month begins on summer time; otherwise one hour ahead does.
    return sql<string>`(case when strftime('%m', ${timestamp}, '+2 hours') in ${SUMMER_TIME_MONTHS}
      then strftime('%Y-%m', ${timestamp}, '+2 hours') else strftime('%Y-%m', ${timestamp}, '+1 hours') end)`;
  },
  async takeWriterTurn(trx, table) {
    // A write that changes nothing still takes the database's write lock, from this statement on; a
    // transaction that only read first could not upgrade later once another process had committed.
    await sql`delete from ${sql.table(table)} where 0 = 1`.execute(trx);
  },
  isUniqueViolation(error) {
    const code = errorCode(error);
    return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
  },
  isRetryableConflict(error) {
    return errorCode(error)?.startsWith("SQLITE_BUSY") ?? false;
  },
};

/** SQLSTATEs: https://www.postgresql.org/docs/current/errcodes-appendix.html */
const UNIQUE_VIOLATION = "23505";
const SERIALIZATION_FAILURE = "40001";
const DEADLOCK_DETECTED = "40P01";

export const postgresDialect: DbDialect = {
  name: "postgres",
  async changeCounter(db) {
    // Every transaction that writes gets a transaction id; the current snapshot (the next id to be
    // given, and the ids still running) changes when any of them ends. Ids are shared by all the
    // server's databases, so another database's writes change it too: a cache recounts more often
    // than needed, never less. Read-only transactions get no id and change nothing.
    const { rows } = await sql<{ counter: string }>`select pg_current_snapshot()::text as counter`.execute(db);
    return rows[0].counter;
  },
  addMonths(date, months) {
    return sql<string>`to_char((${date})::date + make_interval(months => ${months}), 'YYYY-MM-DD')`;
  },
  addDays(date, days) {
    return sql<string>`to_char((${date})::date + ${days}::integer, 'YYYY-MM-DD')`;
  },
  containsIgnoringCase(text, needle) {
    return sql<SqlBool>`${text} ilike ${likePattern(needle)} escape '\\'`;
  },
  stockholmMonth(timestamp) {
    return sql<string>`to_char((${timestamp})::timestamptz at time zone 'Europe/Stockholm', 'YYYY-MM')`;
  },
  async takeWriterTurn(trx, table) {
    await sql`select pg_advisory_xact_lock(hashtext(${`portal.${table}`}))`.execute(trx);
  },
  isUniqueViolation(error) {
    return errorCode(error) === UNIQUE_VIOLATION;
  },
  isRetryableConflict(error) {
    const code = errorCode(error);
    return code === SERIALIZATION_FAILURE || code === DEADLOCK_DETECTED;
  },
};

/**
 * The dialect of a database handle or transaction. Told apart by how Kysely
 * writes a parameter ("$1" for PostgreSQL, "?" for SQLite), which needs no
 * internal API and works the same for a `Transaction`.
 */
export function dialectOf(db: Queryable): DbDialect {
  return sql`${0}`.compile(db).sql === "$1" ? postgresDialect : sqliteDialect;
}
