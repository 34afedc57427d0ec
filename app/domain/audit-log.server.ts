import type { AuditFilter } from "~/schemas/users";
import { requireGrant, type Ctx } from "./context.server";

const PAGE_SIZE = 50;

/** The administrator's search in the audit log, newest first. */
export async function searchAuditLog(ctx: Ctx, filter: AuditFilter) {
  await requireGrant(ctx, "admin");
  const page = filter.page ?? 1;
  let query = ctx.db.selectFrom("audit_log as a").leftJoin("users as u", "u.id", "a.actor_user_id").leftJoin("municipalities as m", "m.id", "a.municipality_id");
  if (filter.action) query = query.where("a.action", "like", `${filter.action}%`);
  if (filter.actor) query = query.where("a.actor_user_id", "=", filter.actor);
  if (filter.entityId) query = query.where("a.entity_id", "=", filter.entityId);
  if (filter.from) query = query.where("a.at", ">=", `${filter.from}T00:00:00`);
  if (filter.to) query = query.where("a.at", "<", `${filter.to}T99`);
  const total = Number((await query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  const entries = await query
    .select(["a.id", "a.at", "a.action", "a.entity", "a.entity_id as entityId", "a.detail", "a.actor_user_id as actorId", "u.email as actor", "m.name as municipality"])
    .orderBy("a.id", "desc")
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE)
    .execute();
  const actions = await ctx.db.selectFrom("audit_log").select("action").distinct().orderBy("action").execute();
  return { entries, total, page, pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)), actions: actions.map((a) => a.action) };
}
