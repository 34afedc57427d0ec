import { createCookie, type AppLoadContext } from "@remix-run/node";
import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import { loginSchema } from "~/schemas/auth";
import { writeAudit } from "~/domain/audit.server";
import { verifyPassword } from "./password.server";
import { checkSecondFactor, type SecondFactorOutcome } from "./second-factor.server";
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
        .select(["id", "password_hash", "disabled_at", "totp_enabled_at"])
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
      if (user.totp_enabled_at) {
        // The login is complete only with the code: its counters start over then
        // (app/auth/second-factor.server.ts), so the password alone cannot buy
        // more guesses at the code.
        await writeAudit(context.db, { actorUserId: user.id, action: "auth.password_accepted", entity: "user", entityId: user.id });
        return user.id;
      }
      await recordPasswordSuccess(context.db, client);
      await writeAudit(context.db, { actorUserId: user.id, action: "auth.login", entity: "user", entityId: user.id });
      return user.id;
    }),
    "password",
  );
  const checked = new Request(request.url, { method: "POST", body: new URLSearchParams(form as unknown as [string, string][]) });
  return authenticator.authenticate("password", checked);
}

const SECOND_STEP_MS = 5 * 60 * 1000;

/** Between the password and the code: which account, where to go after, until when. Signed, so it cannot be made up. */
function secondStepCookie(context: AppLoadContext) {
  return createCookie("pp_login_step", {
    httpOnly: true,
    sameSite: "lax",
    secure: context.config.cookieSecure,
    path: "/",
    secrets: [context.config.sessionSecret],
    maxAge: SECOND_STEP_MS / 1000,
  });
}

/**
 * The code of a login waiting for it: on success the login is complete
 * (audited, with which kind of code), otherwise how long to wait, if at all.
 */
export async function completeSecondStep(context: AppLoadContext, userId: number, code: string): Promise<SecondFactorOutcome> {
  const checked = await checkSecondFactor(context.db, { userId, code, ip: context.clientIp });
  if (checked.ok) {
    const secondFactor = checked.usedRecoveryCode ? "recovery_code" : "totp";
    await writeAudit(context.db, { actorUserId: userId, action: "auth.login", entity: "user", entityId: userId, detail: { secondFactor } });
  }
  return checked;
}

/** Whether the account asks for a code after its password. */
export async function needsSecondFactor(context: AppLoadContext, userId: number): Promise<boolean> {
  const user = await context.db.selectFrom("users").select("totp_enabled_at").where("id", "=", userId).executeTakeFirst();
  return Boolean(user?.totp_enabled_at);
}

/** The password was right and the account has two-factor: the Set-Cookie header that carries the login to its second step. */
export function beginSecondStep(context: AppLoadContext, userId: number, redirectTo: string): Promise<string> {
  return secondStepCookie(context).serialize({ userId, redirectTo, until: Date.now() + SECOND_STEP_MS });
}

/** The login waiting for its code, or null (none, tampered with, or older than five minutes). */
export async function pendingSecondStep(context: AppLoadContext, request: Request): Promise<{ userId: number; redirectTo: string } | null> {
  const value: unknown = await secondStepCookie(context).parse(request.headers.get("Cookie"));
  if (!value || typeof value !== "object") return null;
  const { userId, redirectTo, until } = value as Record<string, unknown>;
  if (typeof userId !== "number" || typeof redirectTo !== "string" || typeof until !== "number" || until <= Date.now()) return null;
  return { userId, redirectTo };
}

/** The Set-Cookie header that forgets the waiting login. */
export function endSecondStep(context: AppLoadContext): Promise<string> {
  return secondStepCookie(context).serialize("", { maxAge: 0 });
}
