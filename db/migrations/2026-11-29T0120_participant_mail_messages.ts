import { type Kysely } from "kysely";
import { autoId } from "./portable";

/**
 * Mail to every participant, reminder opt-outs and cohort messages (issue 15):
 * - `mail_outbox.recipient_participant_id`: the participant a message is for,
 *   with or without a login; the extract and anonymisation find it by this.
 * - `mail_outbox.attachments`: JSON array of { filename, contentType, content }
 *   (the .ics of a changed session), written into the message when it is sent.
 * - `mail_outbox.unsubscribe_path`: the reminder's one-click opt-out link.
 * - `reminder_opt_outs`: participants who asked for no reminders.
 * - `reminder_opt_out_links`: SHA-256 of each reminder's opt-out token.
 * - `cohort_messages` and `cohort_message_recipients`: what staff sent to a cohort and to whom.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("mail_outbox").addColumn("recipient_participant_id", "integer", (c) => c.references("participants.id")).execute();
  await db.schema.alterTable("mail_outbox").addColumn("attachments", "text").execute();
  await db.schema.alterTable("mail_outbox").addColumn("unsubscribe_path", "text").execute();
  await db.schema.createIndex("mail_outbox_participant_idx").on("mail_outbox").column("recipient_participant_id").execute();

  await db.schema
    .createTable("reminder_opt_outs")
    .addColumn("participant_id", "integer", (c) => c.primaryKey())
    .addColumn("municipality_id", "integer", (c) => c.notNull())
    .addColumn("opted_out_at", "text", (c) => c.notNull())
    .addForeignKeyConstraint("reminder_opt_outs_participant_fk", ["municipality_id", "participant_id"], "participants", ["municipality_id", "id"], (fk) =>
      fk.onDelete("cascade"),
    )
    .execute();

  await db.schema
    .createTable("reminder_opt_out_links")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("participant_id", "integer", (c) => c.notNull())
    .addColumn("municipality_id", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addForeignKeyConstraint("reminder_opt_out_links_participant_fk", ["municipality_id", "participant_id"], "participants", ["municipality_id", "id"], (fk) =>
      fk.onDelete("cascade"),
    )
    .execute();
  await db.schema.createIndex("reminder_opt_out_links_participant_idx").on("reminder_opt_out_links").column("participant_id").execute();

  await db.schema
    .createTable("cohort_messages")
    .addColumn("id", "integer", autoId(db))
    .addColumn("cohort_id", "integer", (c) => c.notNull().references("cohorts.id").onDelete("cascade"))
    .addColumn("sender_user_id", "integer", (c) => c.notNull().references("users.id"))
    // The coordinator's municipality; null when the programme lead wrote to the whole cohort.
    .addColumn("municipality_id", "integer", (c) => c.references("municipalities.id"))
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("recipient_count", "integer", (c) => c.notNull())
    // The form's one-time key: a second submit of the same form sends nothing.
    .addColumn("idempotency_key", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("cohort_messages_cohort_idx").on("cohort_messages").columns(["cohort_id", "created_at"]).execute();

  await db.schema
    .createTable("cohort_message_recipients")
    .addColumn("message_id", "integer", (c) => c.notNull().references("cohort_messages.id").onDelete("cascade"))
    .addColumn("participant_id", "integer", (c) => c.notNull())
    .addColumn("municipality_id", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("cohort_message_recipients_pk", ["message_id", "participant_id"])
    .addForeignKeyConstraint("cohort_message_recipients_participant_fk", ["municipality_id", "participant_id"], "participants", ["municipality_id", "id"])
    .execute();
  await db.schema.createIndex("cohort_message_recipients_participant_idx").on("cohort_message_recipients").column("participant_id").execute();

  await db.schema.alterTable("notifications").addColumn("cohort_message_id", "integer", (c) => c.references("cohort_messages.id").onDelete("cascade")).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("notifications").dropColumn("cohort_message_id").execute();
  await db.schema.dropTable("cohort_message_recipients").execute();
  await db.schema.dropTable("cohort_messages").execute();
  await db.schema.dropTable("reminder_opt_out_links").execute();
  await db.schema.dropTable("reminder_opt_outs").execute();
  await db.schema.dropIndex("mail_outbox_participant_idx").execute();
  await db.schema.alterTable("mail_outbox").dropColumn("unsubscribe_path").execute();
  await db.schema.alterTable("mail_outbox").dropColumn("attachments").execute();
  await db.schema.alterTable("mail_outbox").dropColumn("recipient_participant_id").execute();
}
