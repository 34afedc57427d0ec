/**
 * The reads that cross municipalities on purpose (docs/decisions/028-row-level-security.md).
 *
 * On PostgreSQL a caller's `ctx.db` sees only their municipalities' rows in
 * the tables under row-level security: a second wall behind the domain's own
 * checks. A few reads must look past it, after the caller's check: to answer
 * and audit an attempt on another municipality's participant, to refuse a
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
import type { Ctx } from "../context.server";

/** The unscoped handle behind the caller's `ctx.db`. Not for a transaction's work: see `acrossMunicipalitiesIn`. */
export function systemDb(ctx: Ctx): Db {
  return systemHandleOf(ctx.db);
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
