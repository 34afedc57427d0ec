import { sql, type SqlBool } from "kysely";
import type { AuditFilter } from "~/schemas/users";
import { requireGrant, type Ctx } from "./context.server";
import { dialectOf } from "~/db/dialect.server";

const PAGE_SIZE = 50;

/**
 * The administrator's search in the audit log, newest first. The log's rows
 * hold ids only; the names of the users involved (who acted, whose account
 * an entry concerns) are joined in here, for the administrator who manages
 * those accounts anyway. Participants stay ids: the administrator has no
 * access to participant data.
 */
export async function searchAuditLog(ctx: Ctx, filter: AuditFilter) {
  await requireGrant(ctx, "admin");
  let query = ctx.db
    .selectFrom("audit_log as a")
    .leftJoin("users as u", "u.id", "a.actor_user_id")
    // entity_id is text (ids of every kind); the user's id is compared as text, never the other way round.
    .leftJoin("users as subject", (join) => join.on("a.entity", "=", "user").on(sql<SqlBool>`cast(subject.id as varchar(20)) = a.entity_id`))
    .leftJoin("municipalities as m", "m.id", "a.municipality_id");
  if (filter.action) query = query.where("a.action", "=", filter.action);
  if (filter.actor) query = query.where("a.actor_user_id", "=", filter.actor);
  if (filter.entityId) query = query.where("a.entity_id", "=", filter.entityId);
  if (filter.person) {
    const dialect = dialectOf(ctx.db);
    const person = filter.person;
    query = query.where((eb) => eb.or((["u.name", "u.email", "subject.name", "subject.email"] as const).map((column) => dialect.containsIgnoringCase(eb.ref(column), person))));
  }
  if (filter.from) query = query.where("a.at", ">=", `${filter.from}T00:00:00`);
  if (filter.to) query = query.where("a.at", "<", `${filter.to}T99`);
  const total = Number((await query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(filter.page ?? 1, pageCount);
  const entries = await query
    .select([
      "a.id",
      "a.at",
      "a.action",
      "a.entity",
      "a.entity_id as entityId",
      "a.detail",
      "a.actor_user_id as actorId",
      "u.name as actorName",
      "u.email as actorEmail",
      "subject.name as subjectName",
      "m.name as municipality",
    ])
    .orderBy("a.id", "desc")
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE)
    .execute();
  return { entries, total, page, pageCount };
}
