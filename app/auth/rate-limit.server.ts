/**
 * Brakes on password guessing that slow an attacker without locking others
 * out. Every failed password check (the login form, "Mitt konto", any later
 * re-authentication) counts against three keys:
 *
 * - the client address and the account together: five free tries, then a
 *   growing wait (2, 4, 8 ... at most 15 minutes) for that address only;
 * - the account from any address: twenty free tries, then a growing wait of
 *   at most a minute, so guesses spread over many addresses stay slow while
 *   the owner is never held back for long;
 * - the client address alone, counting also login forms that do not parse:
 *   a hundred in a quarter of an hour, then a quarter of an hour's pause, so
 *   one address cannot spray guesses over many accounts, while colleagues
 *   behind the same address are not stopped by one person's typos.
 *
 * Asking for a password reset link counts too, whether or not the address has
 * an account (the answer must not tell): three requests per address and
 * twenty per client address in an hour, then nothing more until the hour is
 * over, so nobody can fill a colleague's inbox.
 *
 * The counters live in the database (table rate_limits, under a SHA-256 of
 * the key), so several app processes share them; see
 * docs/decisions/018-login-limits-in-the-database.md.
 */
import crypto from "node:crypto";
import { sql } from "kysely";
import type { Db } from "~/db/connection.server";

interface Rule {
  /** Failures within the window that cost nothing. */
  free: number;
  windowMs: number;
  /** The longest wait one failure beyond the free ones can cause. */
  maxDelayMs: number;
  /** Beyond the free ones, wait the longest at once instead of a doubling wait. */
  blockAtOnce?: boolean;
}

const MINUTE = 60_000;

export const LIMITS = {
  ipAccount: { free: 5, windowMs: 15 * MINUTE, maxDelayMs: 15 * MINUTE },
  account: { free: 20, windowMs: 15 * MINUTE, maxDelayMs: MINUTE },
  ip: { free: 100, windowMs: 15 * MINUTE, maxDelayMs: 15 * MINUTE },
  // A request is let through when the count is not yet over `free`: 3 and 20 requests an hour.
  resetAccount: { free: 2, windowMs: 60 * MINUTE, maxDelayMs: 60 * MINUTE, blockAtOnce: true },
  resetIp: { free: 19, windowMs: 60 * MINUTE, maxDelayMs: 60 * MINUTE, blockAtOnce: true },
  // Unknown, revoked or expired links without an account (a 360 rater's, a manager's view of an action plan):
  // a hundred free per address (colleagues behind one address mistype too), then a growing wait; a 256-bit token
  // cannot be guessed in any number of tries, so this only keeps one address from hammering the lookup.
  link: { free: 100, windowMs: 15 * MINUTE, maxDelayMs: 15 * MINUTE },
} satisfies Record<string, Rule>;

type Kind = keyof typeof LIMITS;

/** Who is checking a password: the client's address and the account (lower-case e-mail). */
export interface PasswordClient {
  ip: string;
  account: string;
}

const keyOf = (kind: Kind, value: string) => crypto.createHash("sha256").update(`${kind}:${value}`).digest("hex");

function keysOf(client: PasswordClient): [Kind, string][] {
  return [
    ["ipAccount", keyOf("ipAccount", `${client.ip}|${client.account}`)],
    ["account", keyOf("account", client.account)],
    ["ip", keyOf("ip", client.ip)],
  ];
}

/** Seconds before another try is allowed (0 = go ahead). Without an account, only the address is asked. */
export function passwordRetryAfter(db: Db, client: { ip: string; account?: string }, now = Date.now()): Promise<number> {
  const keys = client.account === undefined ? [keyOf("ip", client.ip)] : keysOf(client as PasswordClient).map(([, key]) => key);
  return retryAfter(db, keys, now);
}

const resetKeysOf = (client: PasswordClient): [Kind, string][] => [
  ["resetAccount", keyOf("resetAccount", client.account)],
  ["resetIp", keyOf("resetIp", client.ip)],
];

/** Seconds before this client may ask for another reset link for this address (0 = go ahead). */
export function resetRequestRetryAfter(db: Db, client: PasswordClient, now = Date.now()): Promise<number> {
  return retryAfter(db, resetKeysOf(client).map(([, key]) => key), now);
}

/** A reset link asked for, whether or not the address has an account. */
export async function recordResetRequest(db: Db, client: PasswordClient, now = Date.now()): Promise<void> {
  for (const [kind, key] of resetKeysOf(client)) await countFailure(db, key, LIMITS[kind], now);
}

async function retryAfter(db: Db, keys: string[], now: number): Promise<number> {
  const row = await db
    .selectFrom("rate_limits")
    .select((eb) => eb.fn.max("blocked_until").as("until"))
    .where("key", "in", keys)
    .where("blocked_until", ">", new Date(now).toISOString())
    .executeTakeFirst();
  return row?.until ? Math.ceil((Date.parse(row.until) - now) / 1000) : 0;
}

/** A wrong password (or unknown account) for this client. */
export async function recordPasswordFailure(db: Db, client: PasswordClient, now = Date.now()): Promise<void> {
  for (const [kind, key] of keysOf(client)) await countFailure(db, key, LIMITS[kind], now);
}

/** A login form that did not parse or validate: counted against the address only (no account is known). */
export async function recordMalformedLogin(db: Db, ip: string, now = Date.now()): Promise<void> {
  await countFailure(db, keyOf("ip", ip), LIMITS.ip, now);
}

/** The right password: the account's own counters start over (the address's does not). */
export async function recordPasswordSuccess(db: Db, client: PasswordClient): Promise<void> {
  const keys = keysOf(client).filter(([kind]) => kind !== "ip").map(([, key]) => key);
  await db.deleteFrom("rate_limits").where("key", "in", keys).execute();
}

/** Seconds before a client address may try another link without an account (0 = go ahead). */
export async function linkRetryAfter(db: Db, ip: string, now = Date.now()): Promise<number> {
  const row = await db
    .selectFrom("rate_limits")
    .select("blocked_until")
    .where("key", "=", keyOf("link", ip))
    .where("blocked_until", ">", new Date(now).toISOString())
    .executeTakeFirst();
  return row?.blocked_until ? Math.ceil((Date.parse(row.blocked_until) - now) / 1000) : 0;
}

/** A link that led nowhere, counted against the client address. */
export async function recordUnknownLink(db: Db, ip: string, now = Date.now()): Promise<void> {
  await countFailure(db, keyOf("link", ip), LIMITS.link, now);
}

async function countFailure(db: Db, key: string, rule: Rule, now: number): Promise<void> {
  const nowIso = new Date(now).toISOString();
  const windowEnd = new Date(now + rule.windowMs).toISOString();
  // One statement, so two processes counting at once both count.
  const { failures } = await db
    .insertInto("rate_limits")
    .values({ key, failures: 1, blocked_until: null, expires_at: windowEnd })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({
        failures: sql`CASE WHEN rate_limits.expires_at <= ${nowIso} THEN 1 ELSE rate_limits.failures + 1 END`,
        expires_at: sql`CASE WHEN rate_limits.expires_at <= ${nowIso} THEN ${windowEnd} ELSE rate_limits.expires_at END`,
      }),
    )
    .returning("failures")
    .executeTakeFirstOrThrow();
  const excess = failures - rule.free;
  if (excess > 0) {
    const until = new Date(now + (rule.blockAtOnce ? rule.maxDelayMs : Math.min(2 ** excess * 1000, rule.maxDelayMs))).toISOString();
    await db
      .updateTable("rate_limits")
      .set({ blocked_until: sql`CASE WHEN blocked_until > ${until} THEN blocked_until ELSE ${until} END` })
      .where("key", "=", key)
      .execute();
  }
  // Counters outlive their window by no more than the next failure anywhere.
  await db.deleteFrom("rate_limits").where("expires_at", "<=", nowIso).where((eb) => eb.or([eb("blocked_until", "is", null), eb("blocked_until", "<=", nowIso)])).execute();
}
