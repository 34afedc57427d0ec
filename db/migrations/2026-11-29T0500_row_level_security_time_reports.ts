import { sql, type Kysely } from "kysely";
import { isPostgres } from "./portable";

/**
 * Row-level security on a participant's hours (docs/decisions/028-row-level-security.md):
 * `time_reports` (months of hours, salary group, certified cost) and
 * `own_activities` (hours a participant reports beside the sessions). The
 * same policy as the register's (2026-11-29T0180), keyed by the row's own
 * `municipality_id`. Every request that reads them reads its own
 * municipalities' rows, or is staff whose scope is all; jobs and the mail
 * worker are system work.
 *
 * SQLite has no row-level security: a no-op there.
 */
const TABLES = ["time_reports", "own_activities"] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  for (const table of TABLES) {
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
    await sql`alter table ${sql.table(table)} force row level security`.execute(db);
    await sql`create policy municipality_scope on ${sql.table(table)}
      using (portal_may_see_municipality(municipality_id))
      with check (portal_may_see_municipality(municipality_id))`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  for (const table of TABLES) {
    await sql`drop policy municipality_scope on ${sql.table(table)}`.execute(db);
    await sql`alter table ${sql.table(table)} no force row level security`.execute(db);
    await sql`alter table ${sql.table(table)} disable row level security`.execute(db);
  }
}
