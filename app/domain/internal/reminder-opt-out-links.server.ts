/**
 * The one-click opt-out link in each reminder: a random token whose SHA-256
 * alone is stored, good for one thing only (no more reminders for that
 * participant), no login needed. Each reminder gets its own link.
 */
import crypto from "node:crypto";
import type { Db } from "~/db/connection.server";

export const OPT_OUT_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const optOutTokenHash = (token: string) => crypto.createHash("sha256").update(`reminder-opt-out:${token}`).digest("hex");

/** Stores a new link's hash; returns the path to put in the e-mail. */
export async function newOptOutLink(trx: Db, participant: { participantId: number; municipalityId: number }, now: Date): Promise<string> {
  const token = crypto.randomBytes(32).toString("base64url");
  await trx
    .insertInto("reminder_opt_out_links")
    .values({ token_hash: optOutTokenHash(token), participant_id: participant.participantId, municipality_id: participant.municipalityId, created_at: now.toISOString() })
    .execute();
  return `/avsluta-paminnelser/${token}`;
}
