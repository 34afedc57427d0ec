import crypto from "node:crypto";
import type { Kysely } from "kysely";

const sha256 = (value: string) => crypto.createHash("sha256").update(value).digest("hex");

/**
 * Failed-login counters kept in the database (shared by every app process,
 * see docs/decisions/018-login-limits-in-the-database.md), and no usable key
 * left in it: login sessions are stored by the SHA-256 of the cookie's id,
 * and calendar feeds lose the seed from which their address could be rebuilt
 * (their token's hash was already the key). Live sessions and feeds keep working.
 */
export async function up(db: Kysely<{ login_sessions: { id: string } }>): Promise<void> {
  await db.schema
    .createTable("rate_limits")
    // SHA-256 of the limited thing ("ip:…", "account:…", "ip-account:…"), so no address or e-mail is stored.
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("blocked_until", "text")
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("rate_limits_expires_idx").on("rate_limits").column("expires_at").execute();

  const sessions = await db.selectFrom("login_sessions").select("id").execute();
  for (const { id } of sessions) {
    await db.updateTable("login_sessions").set({ id: sha256(id) }).where("id", "=", id).execute();
  }

  await db.schema.alterTable("calendar_feeds").dropColumn("token_seed").execute();
}

export async function down(): Promise<void> {
  throw new Error("Hashed session ids and dropped feed seeds cannot be restored.");
}
