/**
 * The second factor of a password login, and of "Bekräfta att det är du":
 * a TOTP code or a recovery code, under the same limits as a password (each
 * wrong code counts as a wrong password for the address and the account).
 * Using a code moves the account's stored state in one conditional UPDATE,
 * so a code is used once even when two requests carry it at the same time.
 */
import type { Db } from "~/db/connection.server";
import { writeAudit } from "~/domain/audit.server";
import {
  passwordRetryAfter,
  recordPasswordFailure,
  recordPasswordSuccess,
} from "./rate-limit.server";
import { acceptedTotpStep, withoutRecoveryCode } from "./totp.server";

export type SecondFactorOutcome =
  | { ok: true; usedRecoveryCode: boolean }
  | { ok: false; retryAfterSeconds: number };

export async function checkSecondFactor(
  db: Db,
  input: { userId: number; code: string; ip: string },
  now = Date.now()
): Promise<SecondFactorOutcome> {
  const user = await db
    .selectFrom("users")
    .select([
      "id",
      "email",
      "totp_secret",
      "totp_enabled_at",
      "totp_last_step",
      "recovery_code_hashes",
    ])
    .where("id", "=", input.userId)
    .executeTakeFirst();
  if (!user?.totp_secret || !user.totp_enabled_at)
    return { ok: false, retryAfterSeconds: 0 };
  const client = { ip: input.ip, account: user.email.toLowerCase() };
  const wait = await passwordRetryAfter(db, client, now);
  if (wait > 0) return { ok: false, retryAfterSeconds: wait };

  const step = acceptedTotpStep(
    user.totp_secret,
    input.code,
    user.totp_last_step,
    now
  );
  if (step !== null) {
    const moved = await db
      .updateTable("users")
      .set({ totp_last_step: step })
      .where("id", "=", user.id)
      .where((eb) =>
        eb.or([
          eb("totp_last_step", "is", null),
          eb("totp_last_step", "<", step),
        ])
      )
      .executeTakeFirst();
    if (moved.numUpdatedRows) {
      await recordPasswordSuccess(db, client);
      return { ok: true, usedRecoveryCode: false };
    }
  }
  const remaining = withoutRecoveryCode(user.recovery_code_hashes, input.code);
  if (remaining !== null) {
    const used = await db
      .updateTable("users")
      .set({ recovery_code_hashes: remaining })
      .where("id", "=", user.id)
      .where("recovery_code_hashes", "=", user.recovery_code_hashes)
      .executeTakeFirst();
    if (used.numUpdatedRows) {
      await recordPasswordSuccess(db, client);
      await writeAudit(db, {
        actorUserId: user.id,
        action: "auth.recovery_code_used",
        entity: "user",
        entityId: user.id,
      });
      return { ok: true, usedRecoveryCode: true };
    }
  }
  await recordPasswordFailure(db, client, now);
  await writeAudit(db, {
    actorUserId: user.id,
    action: "auth.second_factor_failed",
    entity: "user",
    entityId: user.id,
  });
  return { ok: false, retryAfterSeconds: 0 };
}
