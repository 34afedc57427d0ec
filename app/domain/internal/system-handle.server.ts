/**
 * The reads that cross municipalities on purpose (docs/decisions/028-row-level-security.md).
 *
 * On PostgreSQL a caller's `ctx.db` sees only their municipalities' rows in
 * the tables under row-level security: a second wall behind the domain's own
 * checks. A few reads must look past it, after the caller's check: to answer
 * and audit an attempt on another municipality's row (`refuseUnseen`), to refuse a
 * login address another municipality's participant holds, to show a shared
 * cohort's roster, to tell every trainee of a cohort about a session its host
 * municipality's coordinator moved. Each goes through here, with a comment at
 * the call saying why it may cross, and hands the caller nothing beyond what
 * the domain's checks allow. On SQLite both are the handle itself.
 *
 * Only this module may import `systemHandleOf` (ESLint), and only domain
 * modules may import this one (routes, components, mail and UI code may not).
 */
import { sql, type Kysely } from "kysely";
import { systemHandleOf, type Db } from "~/db/connection.server";
import { dialectOf } from "~/db/dialect.server";
import type { Database } from "~/db/schema";
import { denied, notFound, type Ctx, type Permission } from "../context.server";

/** The unscoped handle behind the caller's `ctx.db`. Not for a transaction's work: see `acrossMunicipalitiesIn`. */
export function systemDb(ctx: Ctx): Db {
  return systemHandleOf(ctx.db);
}

/** Tables under row-level security (or reached through one) whose rows a caller asks for by id. */
type ScopedTable = "participants" | "enrolments" | "time_reports" | "own_activities";

/**
 * For a row the caller asked for by id and their scoped handle does not see:
 * 404, as for a made-up id, and when it exists in another municipality the
 * attempt is audited with that municipality, as the grant check does for a
 * row it sees. Crosses municipalities on purpose, reading only the row's
 * `municipality_id`, and only to refuse.
 */
export async function refuseUnseen(
  ctx: Ctx,
  row: { table: ScopedTable; id: number; entity: string },
  permission: Permission | Permission[],
): Promise<never> {
  const elsewhere = await systemDb(ctx).selectFrom(row.table).select("municipality_id").where("id", "=", row.id).executeTakeFirst();
  if (elsewhere) await denied(ctx, permission, { entity: row.entity, entityId: row.id, municipalityId: elsewhere.municipality_id });
  throw notFound();
}

/**
 * Inside a transaction of a caller's scoped handle: runs `work` on that
 * transaction with the scope lifted, and puts it back after. A transaction
 * holds one connection, so the system handle (another connection) would not
 * see its uncommitted writes nor take part in it. Transaction-local
 * (`set_config(…, true)`): whatever happens, the connection's own setting
 * returns when the transaction ends.
 */
export async function acrossMunicipalitiesIn<T>(trx: Kysely<Database>, work: () => Promise<T>): Promise<T> {
  if (!trx.isTransaction) throw new Error("acrossMunicipalitiesIn needs a transaction: outside one, use systemDb.");
  if (dialectOf(trx).name !== "postgres") return work();
  const { rows } = await sql<{ scope: string | null }>`select current_setting('portal.municipality_ids', true) as scope`.execute(trx);
  const scope = rows[0].scope ?? "";
  if (scope === "*") return work();
  await sql`select set_config('portal.municipality_ids', '*', true)`.execute(trx);
  const result = await work();
  await sql`select set_config('portal.municipality_ids', ${scope}, true)`.execute(trx);
  return result;
}
