import type { AppLoadContext } from "@remix-run/node";
import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import { loginSchema } from "~/schemas/auth";
import { writeAudit } from "~/domain/audit.server";
import { loadGrants } from "~/domain/context.server";
import { verifyPassword } from "./password.server";
import { twoFactorDueFrom, twoFactorRequired } from "./two-factor-policy.server";
import { passwordRetryAfter, recordMalformedLogin, recordPasswordFailure, recordPasswordSuccess } from "./rate-limit.server";

export const GENERIC_LOGIN_ERROR = "Fel e-postadress eller lösenord.";

export class LoginFailed extends Error {}

/** Seconds this client must wait before trying to log in (as `email`, when known) again; 0 = go ahead. */
export function loginRetryAfter(context: AppLoadContext, email?: string): Promise<number> {
  return passwordRetryAfter(context.db, { ip: context.clientIp, account: email?.trim().toLowerCase() });
}

/** A login form that did not parse or validate counts against the client's address. */
export function recordMalformedLoginForm(context: AppLoadContext): Promise<void> {
  return recordMalformedLogin(context.db, context.clientIp);
}

/**
 * Checks the posted credentials through remix-auth's FormStrategy and returns
 * the user id. Any failure is a LoginFailed with the one generic message.
 * FormStrategy reads the body itself with `request.formData()`, so it gets a
 * request rebuilt from the form the action has already read under limits
 * (app/utils/form-data.server.ts), never the client's own body.
 */
export async function authenticateWithPassword(request: Request, form: FormData, context: AppLoadContext): Promise<number> {
  const authenticator = new Authenticator<number>();
  authenticator.use(
    new FormStrategy(async ({ form }) => {
      const parsed = loginSchema.safeParse(Object.fromEntries(form));
      if (!parsed.success) throw new LoginFailed(GENERIC_LOGIN_ERROR);
      const email = parsed.data.email.toLowerCase();
      const client = { ip: context.clientIp, account: email };
      const user = await context.db
        .selectFrom("users")
        .select(["id", "password_hash", "disabled_at", "totp_enabled_at", "two_factor_due_at"])
        .where("email", "=", email)
        .executeTakeFirst();
      const passwordOk = await verifyPassword(user?.password_hash ?? null, parsed.data.password);
      if (!user || !passwordOk || user.disabled_at) {
        await recordPasswordFailure(context.db, client);
        await writeAudit(context.db, {
          actorUserId: user?.id ?? null,
          action: "auth.login_failed",
          entity: "user",
          entityId: user?.id ?? null,
        });
        throw new LoginFailed(GENERIC_LOGIN_ERROR);
      }
      await recordPasswordSuccess(context.db, client);
      // The grace period for two-factor starts at the first login the role requires it (ADR 020).
      if (!user.totp_enabled_at && !user.two_factor_due_at && twoFactorRequired(await loadGrants(context.db, user.id), true)) {
        await context.db.updateTable("users").set({ two_factor_due_at: twoFactorDueFrom() }).where("id", "=", user.id).execute();
      }
      await writeAudit(context.db, { actorUserId: user.id, action: "auth.login", entity: "user", entityId: user.id });
      return user.id;
    }),
    "password",
  );
  const checked = new Request(request.url, { method: "POST", body: new URLSearchParams(form as unknown as [string, string][]) });
  return authenticator.authenticate("password", checked);
}
