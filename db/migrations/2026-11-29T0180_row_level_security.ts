import { sql, type Kysely } from "kysely";
import { isPostgres } from "./portable";

/**
 * Row-level security on PostgreSQL (docs/decisions/028-row-level-security.md):
 * a second wall behind the domain's own municipality checks. A row of the
 * participant register is visible and writable only when its municipality is
 * among those the connection's `portal.municipality_ids` setting names (a
 * comma-separated list of ids, or `*` for system work and for staff whose
 * grants span municipalities). The setting is put on every connection the
 * app reserves (app/db/connection.server.ts); unset or empty, no row is seen.
 *
 * FORCE: the app usually connects as the tables' owner, whom RLS otherwise
 * passes by. A superuser or a role with BYPASSRLS still passes by: the app's
 * role must be neither (docs/deployment.md).
 *
 * SQLite has no row-level security: a no-op there.
 */
export const RLS_TABLES = ["participants", "participant_identities"] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`
    create function portal_may_see_municipality(municipality integer) returns boolean
    language sql stable as $$
      select case coalesce(current_setting('portal.municipality_ids', true), '')
        when '*' then true
        when '' then false
        else municipality = any(string_to_array(current_setting('portal.municipality_ids', true), ',')::integer[])
      end
    $$`.execute(db);
  for (const table of RLS_TABLES) {
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
    await sql`alter table ${sql.table(table)} force row level security`.execute(db);
    await sql`create policy municipality_scope on ${sql.table(table)}
      using (portal_may_see_municipality(municipality_id))
      with check (portal_may_see_municipality(municipality_id))`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  for (const table of RLS_TABLES) {
    await sql`drop policy municipality_scope on ${sql.table(table)}`.execute(db);
    await sql`alter table ${sql.table(table)} no force row level security`.execute(db);
    await sql`alter table ${sql.table(table)} disable row level security`.execute(db);
  }
  await sql`drop function portal_may_see_municipality(integer)`.execute(db);
}
