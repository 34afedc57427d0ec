/**
 * What a migration writes differently for SQLite and PostgreSQL
 * (docs/decisions/025-postgresql-backend.md). On SQLite each helper produces
 * exactly the SQL the migrations wrote before they knew PostgreSQL, which
 * db/migrations/migrations.test.ts proves against the schema they made then.
 *
 * Landed migrations call these: never change what one produces. A new need is
 * a new helper.
 */
import { sql, type ColumnDefinitionBuilder, type Kysely, type RawBuilder } from "kysely";
import { dialectOf } from "../../app/db/dialect.server";

export function isPostgres<DB>(db: Kysely<DB>): boolean {
  return dialectOf(db).name === "postgres";
}

/**
 * An integer primary key the database numbers: SQLite's AUTOINCREMENT (never
 * reuses a number), PostgreSQL's identity column. "By default", so that a copy
 * or a test may still insert a row with its own id.
 */
export function autoId<DB>(db: Kysely<DB>) {
  return (column: ColumnDefinitionBuilder) =>
    isPostgres(db) ? column.primaryKey().generatedByDefaultAsIdentity() : column.primaryKey().autoIncrement();
}

/** A CHECK that `column` looks like a month, `YYYY-MM` (SQLite GLOB; PostgreSQL a regular expression that accepts the same strings). */
export function isMonthText<DB>(db: Kysely<DB>, column: string): RawBuilder<boolean> {
  return isPostgres(db)
    ? sql<boolean>`${sql.ref(column)} ~ '^[0-9]{4}-[0-1][0-9]$'`
    : sql<boolean>`${sql.raw(column)} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'`;
}

/**
 * PostgreSQL: the table refuses UPDATE, DELETE and TRUNCATE with `message`,
 * as SQLite's BEFORE UPDATE/DELETE triggers with RAISE(ABORT) do.
 */
export async function refuseChangesOnPostgres<DB>(db: Kysely<DB>, table: string, message: string): Promise<void> {
  const fn = sql.id(`${table}_append_only`);
  await sql`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS ${sql.raw(`$$ BEGIN RAISE EXCEPTION '${message.replace(/'/g, "''")}'; END $$`)}`.execute(db);
  await sql`CREATE TRIGGER ${sql.id(`${table}_no_update`)} BEFORE UPDATE ON ${sql.table(table)} FOR EACH ROW EXECUTE FUNCTION ${fn}()`.execute(db);
  await sql`CREATE TRIGGER ${sql.id(`${table}_no_delete`)} BEFORE DELETE ON ${sql.table(table)} FOR EACH ROW EXECUTE FUNCTION ${fn}()`.execute(db);
  await sql`CREATE TRIGGER ${sql.id(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${sql.table(table)} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`.execute(db);
}
