/**
 * Password reset by e-mail. A link carries the account id and 32 random
 * bytes; the account keeps only the SHA-256 of the random part and when it
 * expires (30 minutes), one live link per account: a newer link replaces
 * the older one, and using a link clears it, so each works once.
 *
 * Asking for a link answers the same whether or not the address has an
 * account, and does the same work both ways (a limiter count, a lookup, a
 * token, a transaction with an audit entry), so neither the answer nor its
 * time tells which addresses exist. Using a link ends every login session of
 * the account and clears a one-time password's change requirement.
 */
import crypto from "node:crypto";
import type { Transaction } from "kysely";
import type { Db } from "~/db/connection.server";
import type { Database } from "~/db/schema";
import { writeAudit } from "~/domain/audit.server";
import { invalid, ok, refuse, tooManyTries, type Result } from "~/domain/result";
import { queueMail } from "~/mail/outbox.server";
import { INVALID_LINK_MESSAGE } from "~/schemas/auth";
import { hashPassword } from "./password.server";
import { passwordProblem } from "./password-policy.server";
import { recordResetRequest, resetRequestRetryAfter } from "./rate-limit.server";
import { endAllLoginSessionsOf } from "./session.server";

export const RESET_LINK_LIFETIME_MS = 30 * 60 * 1000;
export const RESET_PATH = "/nytt-losenord";


const sha256 = (value: string) => crypto.createHash("sha256").update(value).digest("hex");

function newToken(userId: number | null): { token: string; hash: string } {
  const secret = crypto.randomBytes(32).toString("base64url");
  return { token: `${userId ?? 0}.${secret}`, hash: sha256(secret) };
}

function parseToken(token: string): { userId: number; hash: string } | null {
  const match = /^([1-9][0-9]{0,9})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return match ? { userId: Number(match[1]), hash: sha256(match[2]) } : null;
}

const RESET_TEXT = {
  self: "Någon, förhoppningsvis du, har bett om ett nytt lösenord till ditt konto i Programportalen.",
  admin: "En administratör har skickat dig en länk för att välja ett nytt lösenord till ditt konto i Programportalen.",
};

/**
 * Stores a new reset link for the account and queues the e-mail with it.
 * Runs inside the caller's transaction (no hashing beyond one SHA-256).
 */
export async function issueResetLink(
  trx: Transaction<Database>,
  user: { id: number; email: string },
  requestedBy: "self" | "admin",
  now = Date.now(),
): Promise<void> {
  const { token, hash } = newToken(user.id);
  await trx
    .updateTable("users")
    .set({ password_reset_hash: hash, password_reset_expires_at: new Date(now + RESET_LINK_LIFETIME_MS).toISOString() })
    .where("id", "=", user.id)
    .execute();
  await queueMail(
    trx,
    {
      kind: "password_reset",
      to: user.email,
      recipientUserId: user.id,
      subject: "Välj ett nytt lösenord till Programportalen",
      text: `${RESET_TEXT[requestedBy]} Öppna länken nedan inom 30 minuter och välj ett nytt lösenord. Länken fungerar en gång.\n\nHar du inte bett om det kan du bortse från meddelandet: ditt lösenord är oförändrat.`,
      linkPath: `${RESET_PATH}/${token}`,
    },
    new Date(now),
  );
}

/**
 * "Glömt lösenord?": the same answer (ok) for every well-formed address, a
 * 429 only when the address or the client has asked too often.
 */
export async function requestPasswordReset(db: Db, input: { email: string; ip: string }, now = Date.now()): Promise<Result> {
  const client = { ip: input.ip, account: input.email.trim().toLowerCase() };
  const wait = await resetRequestRetryAfter(db, client, now);
  if (wait > 0) {
    const minutes = Math.ceil(wait / 60);
    return tooManyTries(`Du har redan bett om flera länkar. Vänta ${minutes === 1 ? "1 minut" : `${minutes} minuter`} och försök igen.`, wait);
  }
  await recordResetRequest(db, client, now);
  const user = await db
    .selectFrom("users")
    .select(["id", "email"])
    .where("email", "=", client.account)
    .where("disabled_at", "is", null)
    .where("password_hash", "is not", null)
    .executeTakeFirst();
  await db.transaction().execute(async (trx) => {
    if (user) {
      await issueResetLink(trx, user, "self", now);
      await writeAudit(trx, { actorUserId: null, action: "auth.password_reset_requested", entity: "user", entityId: user.id });
    } else {
      // The same token work and an audit write, so an unknown address takes as long as a known one.
      newToken(null);
      await writeAudit(trx, { actorUserId: null, action: "auth.password_reset_unknown_address", entity: "user", entityId: null });
    }
  });
  return ok();
}

async function liveResetFor(db: Db, token: string, now: number) {
  const parsed = parseToken(token);
  if (!parsed) return null;
  const user = await db
    .selectFrom("users")
    .select(["id", "email", "name", "password_reset_hash", "password_reset_expires_at", "disabled_at"])
    .where("id", "=", parsed.userId)
    .executeTakeFirst();
  if (!user?.password_reset_hash || !user.password_reset_expires_at || user.disabled_at) return null;
  const stored = Buffer.from(user.password_reset_hash, "hex");
  const given = Buffer.from(parsed.hash, "hex");
  if (stored.length !== given.length || !crypto.timingSafeEqual(stored, given)) return null;
  if (Date.parse(user.password_reset_expires_at) <= now) return null;
  return { ...user, hash: parsed.hash, expiresAt: user.password_reset_expires_at };
}

/** Whether a reset link can still be used (the page shows the form or says why not). */
export async function resetLinkIsLive(db: Db, token: string, now = Date.now()): Promise<boolean> {
  return (await liveResetFor(db, token, now)) !== null;
}

/** Sets the new password through a live link, once; ends every login session of the account. */
export async function resetPasswordWithLink(db: Db, input: { token: string; newPassword: string }, now = Date.now()): Promise<Result> {
  const user = await liveResetFor(db, input.token, now);
  if (!user) return refuse(INVALID_LINK_MESSAGE);
  const problem = passwordProblem(input.newPassword, [user.email, user.name]);
  if (problem) return invalid({ newPassword: [problem] });
  const passwordHash = await hashPassword(input.newPassword);
  const used = await db.transaction().execute(async (trx) => {
    // The link's hash in the WHERE: of two uses at once, only one finds it.
    const result = await trx
      .updateTable("users")
      .set({ password_hash: passwordHash, password_reset_hash: null, password_reset_expires_at: null, password_change_required: 0 })
      .where("id", "=", user.id)
      .where("password_reset_hash", "=", user.hash)
      .executeTakeFirst();
    if (!result.numUpdatedRows) return false;
    await endAllLoginSessionsOf(trx, user.id);
    await writeAudit(trx, { actorUserId: user.id, action: "auth.password_reset", entity: "user", entityId: user.id });
    return true;
  });
  return used ? ok() : refuse(INVALID_LINK_MESSAGE);
}
