import { sql, type Kysely } from "kysely";

/**
 * Tenancy by identity (issue 13):
 * - `mail_outbox.recipient_user_id`: whose e-mail a message is. A register
 *   extract and an anonymisation find a person's e-mail by this id, never by
 *   comparing addresses (another municipality may type the same address).
 *   Existing rows are matched to the account that has their address.
 * - `programme_settings.coordinators_plan_sessions`: whether coordinators may
 *   plan the sessions their municipality hosts (off: only the programme lead;
 *   docs/decisions/013-sessions-in-shared-cohorts.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("mail_outbox")
    .addColumn("recipient_user_id", "integer", (c) => c.references("users.id"))
    .execute();
  await sql`update mail_outbox set recipient_user_id = (select u.id from users u where lower(u.email) = lower(mail_outbox.to_address))`.execute(db);
  await db.schema.createIndex("mail_outbox_recipient_idx").on("mail_outbox").column("recipient_user_id").execute();

  await db.schema
    .alterTable("programme_settings")
    .addColumn("coordinators_plan_sessions", "integer", (c) => c.notNull().defaultTo(0).check(sql`coordinators_plan_sessions IN (0, 1)`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("programme_settings").dropColumn("coordinators_plan_sessions").execute();
  await db.schema.dropIndex("mail_outbox_recipient_idx").execute();
  await db.schema.alterTable("mail_outbox").dropColumn("recipient_user_id").execute();
}
