/** The logged-in user's own account: changing the password. */
import { hashPassword, verifyPassword } from "~/auth/password.server";
import { passwordProblem } from "~/auth/password-policy.server";
import { passwordRetryAfter, recordPasswordFailure, recordPasswordSuccess } from "~/auth/rate-limit.server";
import type { ChangePasswordInput } from "~/schemas/account";
import { writeAudit } from "./audit.server";
import type { Ctx } from "./context.server";

export type PasswordChangeResult =
  | { ok: true }
  | { ok: false; field: "currentPassword" | "newPassword"; message: string; retryAfterSeconds?: number };

/**
 * Checks the current password (under the same limits as the login form: a
 * stolen session must not become a way to guess the password) and the
 * policy, stores the new hash and ends the user's other sessions (a changed
 * password should lock out whoever else might have been logged in). Hashing
 * happens before the write, outside any transaction.
 */
export async function changeOwnPassword(
  ctx: Ctx,
  input: ChangePasswordInput,
  request: { sessionKey: string; clientIp: string },
): Promise<PasswordChangeResult> {
  const client = { ip: request.clientIp, account: ctx.user.email.toLowerCase() };
  const wait = await passwordRetryAfter(ctx.db, client);
  if (wait > 0) {
    return {
      ok: false,
      field: "currentPassword",
      message: `För många felaktiga lösenord. Vänta ${wait} sekunder och försök igen.`,
      retryAfterSeconds: wait,
    };
  }
  const user = await ctx.db.selectFrom("users").select("password_hash").where("id", "=", ctx.user.id).executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    await recordPasswordFailure(ctx.db, client);
    await writeAudit(ctx.db, { actorUserId: ctx.user.id, action: "account.password_change_failed", entity: "user", entityId: ctx.user.id });
    return { ok: false, field: "currentPassword", message: "Det nuvarande lösenordet stämmer inte." };
  }
  await recordPasswordSuccess(ctx.db, client);
  const problem = passwordProblem(input.newPassword, [ctx.user.email, ctx.user.name]);
  if (problem) return { ok: false, field: "newPassword", message: problem };
  if (input.newPassword === input.currentPassword) {
    return { ok: false, field: "newPassword", message: "Välj ett annat lösenord än det nuvarande." };
  }
  const hash = await hashPassword(input.newPassword);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable("users").set({ password_hash: hash }).where("id", "=", ctx.user.id).execute();
    await trx.deleteFrom("login_sessions").where("user_id", "=", ctx.user.id).where("id", "!=", request.sessionKey).execute();
    await writeAudit(trx, { actorUserId: ctx.user.id, action: "account.password_changed", entity: "user", entityId: ctx.user.id });
  });
  return { ok: true };
}
