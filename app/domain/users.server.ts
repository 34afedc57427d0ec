/**
 * Users and their role grants, managed by the system administrator.
 * Disabling a user ends all their sessions at once.
 */
import crypto from "node:crypto";
import { endAllSessionsOf } from "~/auth/session.server";
import { hashPassword } from "~/auth/password.server";
import { nowIso } from "~/db/connection.server";
import type { Role } from "~/db/schema";
import type { GrantInputSchema, NewUserInput } from "~/schemas/users";
import { writeAudit } from "./audit.server";
import { badRequest, notFound, requireGrant, type Ctx } from "./context.server";

const PAGE_SIZE = 50;

export async function listUsers(ctx: Ctx, filter: { q?: string; page?: number }) {
  await requireGrant(ctx, "admin");
  const page = Math.max(1, filter.page ?? 1);
  let query = ctx.db.selectFrom("users");
  if (filter.q) {
    const like = `%${filter.q.toLowerCase()}%`;
    query = query.where((eb) => eb.or([eb("email", "like", like), eb(eb.fn("lower", ["name"]), "like", like)]));
  }
  const total = Number((await query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  const users = await query
    .select(["id", "email", "name", "disabled_at"])
    .orderBy("email")
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE)
    .execute();
  const grants = users.length
    ? await grantRows(ctx).where("g.user_id", "in", users.map((u) => u.id)).execute()
    : [];
  return {
    users: users.map((u) => ({ ...u, grants: grants.filter((g) => g.userId === u.id) })),
    page,
    pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    total,
  };
}

function grantRows(ctx: Ctx) {
  return ctx.db
    .selectFrom("role_grants as g")
    .leftJoin("municipalities as m", "m.id", "g.municipality_id")
    .leftJoin("programmes as p", "p.id", "g.programme_id")
    .select(["g.id", "g.user_id as userId", "g.role", "g.participant_id as participantId", "m.name as municipality", "p.name as programme"]);
}

export async function getUser(ctx: Ctx, userId: number) {
  await requireGrant(ctx, "admin");
  const user = await ctx.db.selectFrom("users").select(["id", "email", "name", "disabled_at", "created_at"]).where("id", "=", userId).executeTakeFirst();
  if (!user) throw notFound();
  const grants = await grantRows(ctx).where("g.user_id", "=", userId).execute();
  const sessions = await ctx.db
    .selectFrom("login_sessions")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .executeTakeFirstOrThrow();
  return { user, grants, activeSessions: Number(sessions.n) };
}

/** Creates a user with a one-time password, shown once to the administrator. */
export async function createUserAccount(ctx: Ctx, input: NewUserInput): Promise<{ userId: number; password: string }> {
  await requireGrant(ctx, "admin");
  const email = input.email.toLowerCase();
  const exists = await ctx.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst();
  if (exists) throw badRequest("Det finns redan en användare med den e-postadressen.");
  const password = oneTimePassword();
  const passwordHash = await hashPassword(password);
  const userId = await ctx.db.transaction().execute(async (trx) => {
    const user = await trx
      .insertInto("users")
      .values({ email, name: input.name, password_hash: passwordHash, disabled_at: null, created_at: nowIso() })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeAudit(trx, { actorUserId: ctx.user.id, action: "user.created", entity: "user", entityId: user.id });
    return user.id;
  });
  return { userId, password };
}

export async function addRoleGrant(ctx: Ctx, userId: number, grant: GrantInputSchema): Promise<void> {
  await requireGrant(ctx, "admin");
  const user = await ctx.db.selectFrom("users").select("id").where("id", "=", userId).executeTakeFirst();
  if (!user) throw notFound();
  const scope = scopeFor(grant.role, grant);
  // A trainee's login is theirs alone: a staff role on it would show their schedule and register to the
  // staff member, and the staff member's work in the trainee's register extract.
  const trainee = await ctx.db.selectFrom("role_grants").select("id").where("user_id", "=", userId).where("role", "=", "participant").executeTakeFirst();
  if (trainee) throw badRequest("Kontot är en deltagares inloggning och kan inte få fler roller. Skapa ett eget konto för personalrollen.");
  // An id from a tampered form must be a 400, not a foreign-key failure (500).
  if (scope.municipality_id && !(await ctx.db.selectFrom("municipalities").select("id").where("id", "=", scope.municipality_id).executeTakeFirst())) {
    throw badRequest("Kommunen finns inte. Välj en kommun i listan.");
  }
  if (scope.programme_id && !(await ctx.db.selectFrom("programmes").select("id").where("id", "=", scope.programme_id).executeTakeFirst())) {
    throw badRequest("Programmet finns inte. Välj ett program i listan.");
  }
  const duplicate = await ctx.db
    .selectFrom("role_grants")
    .select("id")
    .where("user_id", "=", userId)
    .where("role", "=", grant.role)
    .where("municipality_id", "is", scope.municipality_id)
    .where("programme_id", "is", scope.programme_id)
    .executeTakeFirst();
  if (duplicate) throw badRequest("Användaren har redan den behörigheten.");
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("role_grants")
      .values({ user_id: userId, role: grant.role, ...scope, participant_id: null, created_at: nowIso(), created_by: ctx.user.id })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: scope.municipality_id,
      action: "grant.added",
      entity: "role_grant",
      entityId: row.id,
      detail: { userId, role: grant.role, programmeId: scope.programme_id },
    });
  });
}

function scopeFor(role: Role, grant: GrantInputSchema): { municipality_id: number | null; programme_id: number | null } {
  switch (role) {
    case "admin":
      return { municipality_id: null, programme_id: null };
    case "coordinator":
      if (!grant.municipalityId) throw badRequest("Välj kommun för rollen Kommunsamordnare.");
      return { municipality_id: grant.municipalityId, programme_id: null };
    case "programme_lead":
    case "funder":
      if (!grant.programmeId) throw badRequest("Välj program för rollen.");
      return { municipality_id: null, programme_id: grant.programmeId };
    case "participant":
      throw badRequest("Deltagare får inloggning av sin kommuns samordnare.");
  }
}

export async function removeRoleGrant(ctx: Ctx, userId: number, grantId: number): Promise<void> {
  await requireGrant(ctx, "admin");
  if (userId === ctx.user.id) {
    const grant = await ctx.db.selectFrom("role_grants").select("role").where("id", "=", grantId).executeTakeFirst();
    if (grant?.role === "admin") throw badRequest("Du kan inte ta bort din egen administratörsbehörighet.");
  }
  await ctx.db.transaction().execute(async (trx) => {
    const result = await trx.deleteFrom("role_grants").where("id", "=", grantId).where("user_id", "=", userId).executeTakeFirst();
    if (!result.numDeletedRows) throw notFound();
    await writeAudit(trx, { actorUserId: ctx.user.id, action: "grant.removed", entity: "role_grant", entityId: grantId, detail: { userId } });
  });
}

/** Disabling ends every session of the user at once; enabling lets them log in again. */
export async function setUserDisabled(ctx: Ctx, userId: number, disabled: boolean): Promise<void> {
  await requireGrant(ctx, "admin");
  if (userId === ctx.user.id && disabled) throw badRequest("Du kan inte inaktivera ditt eget konto.");
  await ctx.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable("users")
      .set({ disabled_at: disabled ? nowIso() : null })
      .where("id", "=", userId)
      .executeTakeFirst();
    if (!result.numUpdatedRows) throw notFound();
    if (disabled) await endAllSessionsOf(trx, userId);
    await writeAudit(trx, { actorUserId: ctx.user.id, action: disabled ? "user.disabled" : "user.enabled", entity: "user", entityId: userId });
  });
}

/** Twelve or more characters from an alphabet without look-alikes, easy to read out loud. */
export function oneTimePassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = crypto.randomBytes(16);
  let out = "";
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8, 12)}-${out.slice(12, 16)}`;
}

/** Municipalities and programmes to choose from when granting a role. */
export async function grantOptions(ctx: Ctx) {
  await requireGrant(ctx, "admin");
  const municipalities = await ctx.db.selectFrom("municipalities").select(["id", "name"]).orderBy("name").execute();
  const programmes = await ctx.db.selectFrom("programmes").select(["id", "name"]).orderBy("name").execute();
  return { municipalities, programmes };
}

/**
 * Refuses (403, audited) anyone but an administrator, and answers 404 for a
 * user that does not exist: actions call it before reading their input.
 */
export async function requireUserAdministration(ctx: Ctx, userId?: number): Promise<void> {
  await requireGrant(ctx, "admin");
  if (userId === undefined) return;
  const user = await ctx.db.selectFrom("users").select("id").where("id", "=", userId).executeTakeFirst();
  if (!user) throw notFound();
}
