/** The logged-in user's own account: changing the password. */
import { hashPassword, verifyPassword } from "~/auth/password.server";
import { passwordProblem } from "~/auth/password-policy.server";
import type { ChangePasswordInput } from "~/schemas/account";
import { writeAudit } from "./audit.server";
import type { Ctx } from "./context.server";

export type PasswordChangeResult = { ok: true } | { ok: false; field: "currentPassword" | "newPassword"; message: string };

/**
 * Checks the current password and the policy, stores the new hash and ends
 * the user's other sessions (a changed password should lock out whoever else
 * might have been logged in). Hashing happens before the write, outside any transaction.
 */
export async function changeOwnPassword(ctx: Ctx, input: ChangePasswordInput, currentSessionId: string): Promise<PasswordChangeResult> {
  const user = await ctx.db.selectFrom("users").select("password_hash").where("id", "=", ctx.user.id).executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    await writeAudit(ctx.db, { actorUserId: ctx.user.id, action: "account.password_change_failed", entity: "user", entityId: ctx.user.id });
    return { ok: false, field: "currentPassword", message: "Det nuvarande lösenordet stämmer inte." };
  }
  const problem = passwordProblem(input.newPassword);
  if (problem) return { ok: false, field: "newPassword", message: problem };
  if (input.newPassword === input.currentPassword) {
    return { ok: false, field: "newPassword", message: "Välj ett annat lösenord än det nuvarande." };
  }
  const hash = await hashPassword(input.newPassword);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable("users").set({ password_hash: hash }).where("id", "=", ctx.user.id).execute();
    await trx.deleteFrom("login_sessions").where("user_id", "=", ctx.user.id).where("id", "!=", currentSessionId).execute();
    await writeAudit(trx, { actorUserId: ctx.user.id, action: "account.password_changed", entity: "user", entityId: ctx.user.id });
  });
  return { ok: true };
}
