import { sql, type Kysely } from "kysely";
import { autoId } from "./portable";

/**
 * Trainees' schedule: personal calendar feeds, notices on the start page,
 * the e-mail outbox and the record of reminders already queued.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Only a hash of the feed token is stored. The token is an HMAC of token_seed under the
  // server's secret, so the page can show the address again but the database alone cannot.
  await db.schema
    .createTable("calendar_feeds")
    .addColumn("id", "integer", autoId(db))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("scope", "text", (c) => c.notNull().check(sql`scope IN ('participant', 'staff')`))
    .addColumn("token_seed", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("calendar_feeds_user_scope_key", ["user_id", "scope"])
    .execute();

  await db.schema
    .createTable("notifications")
    .addColumn("id", "integer", autoId(db))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("session_id", "integer", (c) => c.references("sessions.id").onDelete("cascade"))
    .addColumn("enrolment_id", "integer", (c) => c.references("enrolments.id").onDelete("cascade"))
    .addColumn("message", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("seen_at", "text")
    .execute();
  await db.schema.createIndex("notifications_user_unseen_idx").on("notifications").columns(["user_id", "seen_at"]).execute();

  // Messages are never deleted by the worker: a failed send waits for its next attempt.
  await db.schema
    .createTable("mail_outbox")
    .addColumn("id", "integer", autoId(db))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("to_address", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body_text", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text")
    .addColumn("last_error", "text")
    // Path inside the portal the message links to; the worker puts PUBLIC_URL in front.
    .addColumn("link_path", "text")
    .execute();
  await db.schema.createIndex("mail_outbox_due_idx").on("mail_outbox").columns(["sent_at", "next_attempt_at"]).execute();

  await db.schema
    .createTable("session_reminders")
    .addColumn("session_id", "integer", (c) => c.notNull().references("sessions.id").onDelete("cascade"))
    .addColumn("participant_id", "integer", (c) => c.notNull().references("participants.id").onDelete("cascade"))
    .addColumn("mail_id", "integer", (c) => c.notNull().references("mail_outbox.id"))
    .addColumn("queued_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("session_reminders_pk", ["session_id", "participant_id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("session_reminders").execute();
  await db.schema.dropTable("mail_outbox").execute();
  await db.schema.dropTable("notifications").execute();
  await db.schema.dropTable("calendar_feeds").execute();
}
