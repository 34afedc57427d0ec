import type { AppLoadContext } from "@remix-run/node";
import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import { loginSchema } from "~/schemas/auth";
import { writeAudit } from "~/domain/audit.server";
import { verifyPassword } from "./password.server";
import { LoginRateLimiter } from "./rate-limit.server";

export const GENERIC_LOGIN_ERROR = "Fel e-postadress eller lösenord.";

export class LoginFailed extends Error {}

const limiter = new LoginRateLimiter();

/** Seconds this client must wait before trying to log in as `email` again (0 = go ahead). */
export function loginRetryAfter(context: AppLoadContext, email: string): number {
  return limiter.retryAfterSeconds(context.clientIp, email.trim().toLowerCase());
}

/**
 * Checks the posted credentials through remix-auth's FormStrategy and returns
 * the user id. Any failure is a LoginFailed with the one generic message.
 */
export async function authenticateWithPassword(request: Request, context: AppLoadContext): Promise<number> {
  const authenticator = new Authenticator<number>();
  authenticator.use(
    new FormStrategy(async ({ form }) => {
      const parsed = loginSchema.safeParse(Object.fromEntries(form));
      if (!parsed.success) throw new LoginFailed(GENERIC_LOGIN_ERROR);
      const email = parsed.data.email.toLowerCase();
      const user = await context.db
        .selectFrom("users")
        .select(["id", "password_hash", "disabled_at"])
        .where("email", "=", email)
        .executeTakeFirst();
      const passwordOk = await verifyPassword(user?.password_hash ?? null, parsed.data.password);
      if (!user || !passwordOk || user.disabled_at) {
        limiter.recordFailure(context.clientIp, email);
        await writeAudit(context.db, {
          actorUserId: user?.id ?? null,
          action: "auth.login_failed",
          entity: "user",
          entityId: user?.id ?? null,
        });
        throw new LoginFailed(GENERIC_LOGIN_ERROR);
      }
      limiter.recordSuccess(email);
      await writeAudit(context.db, { actorUserId: user.id, action: "auth.login", entity: "user", entityId: user.id });
      return user.id;
    }),
    "password",
  );
  return authenticator.authenticate("password", request);
}
