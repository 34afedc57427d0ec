/**
 * The logged-in user's own account: changing the password (also the one-time
 * password given at first login, which must be changed before anything else).
 * Two-factor lives in two-factor.server.ts.
 */
import { hashPassword, verifyPassword } from "~/auth/password.server";
import { passwordProblem } from "~/auth/password-policy.server";
import { passwordRetryAfter, recordPasswordFailure, recordPasswordSuccess } from "~/auth/rate-limit.server";
import { endAllLoginSessionsOf } from "~/auth/session.server";
import { nowIso } from "~/db/connection.server";
import type { ChangePasswordInput } from "~/schemas/account";
import { writeAudit } from "./audit.server";
import type { Ctx } from "./context.server";
import { invalid, ok, refuse, type Result } from "./result";

/** Where the request comes from: this browser's login session and the client's address. */
export interface Caller {
  loginSessionKey: string;
  clientIp: string;
}

export const tooManyPasswords = (seconds: number) => `För många felaktiga lösenord eller koder. Vänta ${seconds === 1 ? "1 sekund" : `${seconds} sekunder`} och försök igen.`;

/**
 * Checks the current password (under the same limits as the login form: a
 * stolen login session must not become a way to guess the password) and the
 * policy, stores the new hash and ends the user's other login sessions (a
 * changed password should lock out whoever else might have been logged in).
 * Hashing happens before the write, outside any transaction.
 */
export async function changeOwnPassword(ctx: Ctx, input: ChangePasswordInput, caller: Caller): Promise<Result> {
  const client = { ip: caller.clientIp, account: ctx.user.email.toLowerCase() };
  const wait = await passwordRetryAfter(ctx.db, client);
  if (wait > 0) return { ok: false, status: 429, retryAfterSeconds: wait, fieldErrors: { currentPassword: [tooManyPasswords(wait)] } };
  const user = await ctx.db.selectFrom("users").select("password_hash").where("id", "=", ctx.user.id).executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    await recordPasswordFailure(ctx.db, client);
    await writeAudit(ctx.db, { actorUserId: ctx.user.id, action: "account.password_change_failed", entity: "user", entityId: ctx.user.id });
    return invalid({ currentPassword: ["Det nuvarande lösenordet stämmer inte."] });
  }
  await recordPasswordSuccess(ctx.db, client);
  const problem = passwordProblem(input.newPassword, [ctx.user.email, ctx.user.name]);
  if (problem) return invalid({ newPassword: [problem] });
  if (input.newPassword === input.currentPassword) return invalid({ newPassword: ["Välj ett annat lösenord än det nuvarande."] });
  const hash = await hashPassword(input.newPassword);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable("users").set({ password_hash: hash, password_change_required: 0 }).where("id", "=", ctx.user.id).execute();
    await endAllLoginSessionsOf(trx, ctx.user.id, caller.loginSessionKey);
    await trx.updateTable("login_sessions").set({ authenticated_at: nowIso() }).where("id", "=", caller.loginSessionKey).execute();
    await writeAudit(trx, { actorUserId: ctx.user.id, action: "account.password_changed", entity: "user", entityId: ctx.user.id });
  });
  return ok();
}

/**
 * "Bekräfta att det är du": the password again, under the same limits as the
 * login form, opens sensitive actions for this login session for fifteen
 * minutes (app/auth/session.server.ts, requireRecentAuthentication).
 */
export async function confirmIdentity(ctx: Ctx, password: string, caller: Caller): Promise<Result> {
  const client = { ip: caller.clientIp, account: ctx.user.email.toLowerCase() };
  const wait = await passwordRetryAfter(ctx.db, client);
  if (wait > 0) return { ok: false, status: 429, retryAfterSeconds: wait, fieldErrors: { password: [tooManyPasswords(wait)] } };
  const user = await ctx.db.selectFrom("users").select("password_hash").where("id", "=", ctx.user.id).executeTakeFirstOrThrow();
  if (user.password_hash === null) return refuse("Kontot har inget lösenord. Logga ut och logga in igen för att fortsätta.");
  if (!(await verifyPassword(user.password_hash, password))) {
    await recordPasswordFailure(ctx.db, client);
    await writeAudit(ctx.db, { actorUserId: ctx.user.id, action: "auth.reauthentication_failed", entity: "user", entityId: ctx.user.id });
    return invalid({ password: ["Lösenordet stämmer inte."] });
  }
  await recordPasswordSuccess(ctx.db, client);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable("login_sessions").set({ authenticated_at: nowIso() }).where("id", "=", caller.loginSessionKey).execute();
    await writeAudit(trx, { actorUserId: ctx.user.id, action: "auth.reauthenticated", entity: "user", entityId: ctx.user.id });
  });
  return ok();
}
