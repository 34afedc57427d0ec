/**
 * The logged-in user's two-factor: enrolment (a new secret shown as a QR
 * code and as text, confirmed with a first code, then ten recovery codes
 * shown once), and turning it off where the role does not require it.
 * Codes are checked under the same limits as passwords (app/auth/second-factor.server.ts).
 */
import { checkSecondFactor } from "~/auth/second-factor.server";
import {
  twoFactorRequired,
  twoFactorRequiredHere,
} from "~/auth/two-factor-policy.server";
import {
  acceptedTotpStep,
  groupedSecret,
  newRecoveryCodes,
  newTotpSecret,
  recoveryCodesLeft,
  totpQrSvg,
} from "~/auth/totp.server";
import {
  passwordRetryAfter,
  recordPasswordFailure,
  recordPasswordSuccess,
} from "~/auth/rate-limit.server";
import { nowIso } from "~/db/connection.server";
import { writeAudit } from "./audit.server";
import type { Ctx } from "./context.server";
import type { Caller } from "./account.server";
import { tooManyPasswords } from "./account.server";
import { invalid, ok, refuse, type Result } from "./result";

const WRONG_CODE =
  "Koden stämmer inte. Skriv de sex siffrorna som appen visar just nu.";

async function account(ctx: Ctx) {
  const user = await ctx.db
    .selectFrom("users")
    .select([
      "password_hash",
      "totp_secret",
      "totp_enabled_at",
      "recovery_code_hashes",
    ])
    .where("id", "=", ctx.user.id)
    .executeTakeFirstOrThrow();
  const required = twoFactorRequired({
    grants: ctx.grants,
    hasPassword: user.password_hash !== null,
    requiredHere: await twoFactorRequiredHere(ctx.db),
  });
  return { ...user, required };
}

/** What Mitt konto shows: on or off, whether the role requires it, and an enrolment under way (secret and QR code). */
export async function twoFactorView(ctx: Ctx) {
  const user = await account(ctx);
  const pending =
    user.totp_secret && !user.totp_enabled_at ? user.totp_secret : null;
  return {
    enabled: user.totp_enabled_at !== null,
    required: user.required,
    recoveryCodesLeft: user.totp_enabled_at
      ? recoveryCodesLeft(user.recovery_code_hashes)
      : 0,
    enrolment: pending
      ? {
          secret: groupedSecret(pending),
          qrSvg: await totpQrSvg(pending, ctx.user.email),
        }
      : null,
  };
}

/** Starts (or starts over) an enrolment with a new secret; two-factor is not on until a code confirms it. */
export async function startTwoFactorEnrolment(ctx: Ctx): Promise<Result> {
  const user = await account(ctx);
  if (user.totp_enabled_at) return refuse("Tvåstegsverifiering är redan på.");
  await ctx.db
    .updateTable("users")
    .set({ totp_secret: newTotpSecret(), totp_last_step: null })
    .where("id", "=", ctx.user.id)
    .execute();
  return ok();
}

/**
 * The first code from the app confirms the enrolment: two-factor is on, and
 * the ten recovery codes are returned to be shown once.
 */
export async function confirmTwoFactorEnrolment(
  ctx: Ctx,
  code: string,
  caller: Caller,
  now = Date.now()
): Promise<Result<{ recoveryCodes: string[] }>> {
  const user = await account(ctx);
  if (user.totp_enabled_at) return refuse("Tvåstegsverifiering är redan på.");
  if (!user.totp_secret)
    return refuse("Börja om: välj Aktivera tvåstegsverifiering.");
  const client = { ip: caller.clientIp, account: ctx.user.email.toLowerCase() };
  const wait = await passwordRetryAfter(ctx.db, client, now);
  if (wait > 0)
    return {
      ok: false,
      status: 429,
      retryAfterSeconds: wait,
      fieldErrors: { code: [tooManyPasswords(wait)] },
    };
  const step = acceptedTotpStep(user.totp_secret, code, null, now);
  if (step === null) {
    await recordPasswordFailure(ctx.db, client, now);
    return invalid({ code: [WRONG_CODE] });
  }
  await recordPasswordSuccess(ctx.db, client);
  const { codes, stored } = newRecoveryCodes();
  const done = await ctx.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable("users")
      .set({
        totp_enabled_at: new Date(now).toISOString(),
        totp_last_step: step,
        recovery_code_hashes: stored,
      })
      .where("id", "=", ctx.user.id)
      .where("totp_secret", "=", user.totp_secret)
      .where("totp_enabled_at", "is", null)
      .executeTakeFirst();
    if (!result.numUpdatedRows) return false;
    await trx
      .updateTable("login_sessions")
      .set({ authenticated_at: nowIso() })
      .where("id", "=", caller.loginSessionKey)
      .execute();
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      action: "account.two_factor_enabled",
      entity: "user",
      entityId: ctx.user.id,
    });
    return true;
  });
  return done
    ? ok({ recoveryCodes: codes })
    : refuse(
        "Aktiveringen ändrades i en annan flik. Ladda om sidan och försök igen.",
        409
      );
}

/** Turns two-factor off, with a current code; not for a role that requires it. */
export async function disableTwoFactor(
  ctx: Ctx,
  code: string,
  caller: Caller
): Promise<Result> {
  const user = await account(ctx);
  if (!user.totp_enabled_at) return refuse("Tvåstegsverifiering är redan av.");
  if (user.required) {
    return refuse(
      "Din roll kräver tvåstegsverifiering, så den kan inte stängas av."
    );
  }
  const checked = await checkSecondFactor(ctx.db, {
    userId: ctx.user.id,
    code,
    ip: caller.clientIp,
  });
  if (!checked.ok) {
    return checked.retryAfterSeconds
      ? {
          ok: false,
          status: 429,
          retryAfterSeconds: checked.retryAfterSeconds,
          fieldErrors: { code: [tooManyPasswords(checked.retryAfterSeconds)] },
        }
      : invalid({ code: [WRONG_CODE] });
  }
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable("users")
      .set({
        totp_secret: null,
        totp_enabled_at: null,
        totp_last_step: null,
        recovery_code_hashes: null,
      })
      .where("id", "=", ctx.user.id)
      .execute();
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      action: "account.two_factor_disabled",
      entity: "user",
      entityId: ctx.user.id,
    });
  });
  return ok();
}
