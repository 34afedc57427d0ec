/**
 * Users and their role grants, managed by the system administrator.
 * Disabling a user ends all their login sessions at once. An administrator
 * never sees or sets a user's own password: a new account gets a one-time
 * password that must be changed at first login, and a forgotten one is
 * replaced through a reset link sent to the user.
 */
import crypto from "node:crypto";
import { hashPassword } from "~/auth/password.server";
import { issueResetLink } from "~/auth/password-reset.server";
import { endAllLoginSessionsOf } from "~/auth/session.server";
import { nowIso } from "~/db/connection.server";
import { dialectOf } from "~/db/dialect.server";
import type { Role } from "~/db/schema";
import type { GrantInputSchema, NewUserInput, UserIntent } from "~/schemas/users";
import { writeAudit } from "./audit.server";
import { notFound, requireGrant, type Ctx } from "./context.server";
import { invalid, ok, refuse, type Result } from "./result";

const PAGE_SIZE = 50;

export async function listUsers(ctx: Ctx, filter: { q?: string; page?: number }) {
  await requireGrant(ctx, "admin");
  const page = Math.max(1, filter.page ?? 1);
  let query = ctx.db.selectFrom("users");
  if (filter.q) {
    const { q } = filter;
    const dialect = dialectOf(ctx.db);
    query = query.where((eb) => eb.or([dialect.containsIgnoringCase(eb.ref("email"), q), dialect.containsIgnoringCase(eb.ref("name"), q)]));
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

/** A user's page: the account, its roles, its login sessions, and what to grant from. */
export async function getUser(ctx: Ctx, userId: number) {
  await requireGrant(ctx, "admin");
  const user = await ctx.db
    .selectFrom("users")
    .select(["id", "email", "name", "disabled_at", "created_at", "password_change_required", "totp_enabled_at", "password_reset_expires_at"])
    .where("id", "=", userId)
    .executeTakeFirst();
  if (!user) throw notFound();
  const grants = await grantRows(ctx).where("g.user_id", "=", userId).execute();
  const loginSessions = await ctx.db
    .selectFrom("login_sessions")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .executeTakeFirstOrThrow();
  const { password_change_required, totp_enabled_at, password_reset_expires_at, ...account } = user;
  return {
    user: account,
    oneTimePasswordPending: password_change_required === 1,
    twoFactorEnabled: totp_enabled_at !== null,
    resetLinkExpiresAt: password_reset_expires_at && password_reset_expires_at > nowIso() ? password_reset_expires_at : null,
    grants,
    activeLoginSessions: Number(loginSessions.n),
    options: await grantOptions(ctx),
  };
}

/** The page for a new user: only administrators. */
export async function requireUserCreation(ctx: Ctx): Promise<void> {
  await requireGrant(ctx, "admin");
}

/**
 * Creates a user with a one-time password, shown once to the administrator;
 * the user must change it at first login. `input` is null when the form did
 * not parse: the caller is still checked first.
 */
export async function createUserAccount(ctx: Ctx, input: NewUserInput | null): Promise<Result<{ userId: number; password: string }>> {
  await requireGrant(ctx, "admin");
  if (!input) return invalid({});
  const email = input.email.toLowerCase();
  const exists = await ctx.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst();
  if (exists) return invalid({ email: ["Det finns redan en användare med den e-postadressen."] });
  const password = oneTimePassword();
  const passwordHash = await hashPassword(password);
  const userId = await ctx.db.transaction().execute(async (trx) => {
    const user = await trx
      .insertInto("users")
      .values({ email, name: input.name, password_hash: passwordHash, password_change_required: 1, disabled_at: null, created_at: nowIso() })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeAudit(trx, { actorUserId: ctx.user.id, action: "user.created", entity: "user", entityId: user.id });
    return user.id;
  });
  return ok({ userId, password });
}

/**
 * Everything an administrator does on a user's page, checked once: the
 * caller, then the user (404), then the input (null: the form did not parse).
 */
export async function administerUser(ctx: Ctx, userId: number, intent: UserIntent | null): Promise<Result> {
  await requireGrant(ctx, "admin");
  const user = await ctx.db.selectFrom("users").select(["id", "email", "disabled_at", "password_hash"]).where("id", "=", userId).executeTakeFirst();
  if (!user) throw notFound();
  if (!intent) return refuse("Välj en roll och dess omfattning.");
  switch (intent.intent) {
    case "add-grant":
      return addRoleGrant(ctx, userId, intent);
    case "remove-grant":
      return removeRoleGrant(ctx, userId, intent.grantId);
    case "disable":
      return setUserDisabled(ctx, userId, true);
    case "enable":
      return setUserDisabled(ctx, userId, false);
    case "send-reset-link":
      return sendResetLink(ctx, user);
  }
}

async function addRoleGrant(ctx: Ctx, userId: number, grant: GrantInputSchema): Promise<Result> {
  const scope = scopeFor(grant.role, grant);
  if (!scope.ok) return scope;
  const { municipality_id, programme_id } = scope.value;
  // A trainee's login is theirs alone: a staff role on it would show their schedule and register to the
  // staff member, and the staff member's work in the trainee's register extract.
  const trainee = await ctx.db.selectFrom("role_grants").select("id").where("user_id", "=", userId).where("role", "=", "participant").executeTakeFirst();
  if (trainee) return refuse("Kontot är en deltagares inloggning och kan inte få fler roller. Skapa ett eget konto för personalrollen.");
  // An id from a tampered form must be a 400, not a foreign-key failure (500).
  if (municipality_id && !(await ctx.db.selectFrom("municipalities").select("id").where("id", "=", municipality_id).executeTakeFirst())) {
    return refuse("Kommunen finns inte. Välj en kommun i listan.");
  }
  if (programme_id && !(await ctx.db.selectFrom("programmes").select("id").where("id", "=", programme_id).executeTakeFirst())) {
    return refuse("Programmet finns inte. Välj ett program i listan.");
  }
  const duplicate = await ctx.db
    .selectFrom("role_grants")
    .select("id")
    .where("user_id", "=", userId)
    .where("role", "=", grant.role)
    .where("municipality_id", "is not distinct from", municipality_id)
    .where("programme_id", "is not distinct from", programme_id)
    .executeTakeFirst();
  if (duplicate) return refuse("Användaren har redan den behörigheten.");
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("role_grants")
      .values({ user_id: userId, role: grant.role, municipality_id, programme_id, participant_id: null, created_at: nowIso(), created_by: ctx.user.id })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: municipality_id,
      action: "grant.added",
      entity: "role_grant",
      entityId: row.id,
      detail: { userId, role: grant.role, programmeId: programme_id },
    });
  });
  return ok();
}

function scopeFor(role: Role, grant: GrantInputSchema): Result<{ municipality_id: number | null; programme_id: number | null }> {
  switch (role) {
    case "admin":
      return ok({ municipality_id: null, programme_id: null });
    case "coordinator":
      if (!grant.municipalityId) return refuse("Välj kommun för rollen Kommunsamordnare.");
      return ok({ municipality_id: grant.municipalityId, programme_id: null });
    case "programme_lead":
    case "funder":
    case "coach":
      if (!grant.programmeId) return refuse("Välj program för rollen.");
      return ok({ municipality_id: null, programme_id: grant.programmeId });
    case "participant":
      return refuse("Deltagare får inloggning av sin kommuns samordnare.");
  }
}

async function removeRoleGrant(ctx: Ctx, userId: number, grantId: number): Promise<Result> {
  if (userId === ctx.user.id) {
    const grant = await ctx.db.selectFrom("role_grants").select("role").where("id", "=", grantId).executeTakeFirst();
    if (grant?.role === "admin") return refuse("Du kan inte ta bort din egen administratörsbehörighet.");
  }
  await ctx.db.transaction().execute(async (trx) => {
    const result = await trx.deleteFrom("role_grants").where("id", "=", grantId).where("user_id", "=", userId).executeTakeFirst();
    if (!result.numDeletedRows) throw notFound();
    await writeAudit(trx, { actorUserId: ctx.user.id, action: "grant.removed", entity: "role_grant", entityId: grantId, detail: { userId } });
  });
  return ok();
}

/** Disabling ends every login session of the user at once; enabling lets them log in again. */
async function setUserDisabled(ctx: Ctx, userId: number, disabled: boolean): Promise<Result> {
  if (userId === ctx.user.id && disabled) return refuse("Du kan inte inaktivera ditt eget konto.");
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable("users").set({ disabled_at: disabled ? nowIso() : null }).where("id", "=", userId).execute();
    if (disabled) await endAllLoginSessionsOf(trx, userId);
    await writeAudit(trx, { actorUserId: ctx.user.id, action: disabled ? "user.disabled" : "user.enabled", entity: "user", entityId: userId });
  });
  return ok();
}

/** E-mails the user a reset link (the administrator never sees a password). */
async function sendResetLink(ctx: Ctx, user: { id: number; email: string; disabled_at: string | null; password_hash: string | null }): Promise<Result> {
  if (user.disabled_at) return refuse("Kontot är inaktiverat. Aktivera det innan du skickar en länk.");
  if (user.password_hash === null) return refuse("Kontot loggar inte in med lösenord.");
  await ctx.db.transaction().execute(async (trx) => {
    await issueResetLink(trx, user, "admin");
    await writeAudit(trx, { actorUserId: ctx.user.id, action: "user.password_reset_sent", entity: "user", entityId: user.id });
  });
  return ok();
}

/** Twelve or more characters from an alphabet without look-alikes, easy to read out loud. */
function oneTimePassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = crypto.randomBytes(16);
  let out = "";
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8, 12)}-${out.slice(12, 16)}`;
}

/** Municipalities and programmes to choose from when granting a role. */
async function grantOptions(ctx: Ctx) {
  const municipalities = await ctx.db.selectFrom("municipalities").select(["id", "name"]).orderBy("name").execute();
  const programmes = await ctx.db.selectFrom("programmes").select(["id", "name"]).orderBy("name").execute();
  return { municipalities, programmes };
}
