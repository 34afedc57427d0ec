import { sql, type Kysely } from "kysely";

/**
 * Password reset, first login and two-factor (issue 17, part 1).
 *
 * users:
 * - `password_change_required`: the password was given by someone else (a
 *   one-time password) and must be changed before anything else. New rows
 *   get 1 unless their creator says the person chose the password, so a new
 *   way of creating accounts cannot forget it; rows already here get 0.
 * - `password_reset_hash`, `password_reset_expires_at`: the one live reset
 *   link of the account, stored as the SHA-256 of its random part.
 * - `totp_secret`, `totp_enabled_at`, `totp_last_step`: the TOTP secret
 *   (enabled once confirmed with a code), and the last time step accepted,
 *   so no code is accepted twice.
 * - `recovery_code_hashes`: JSON array of SHA-256 hashes of the unused recovery codes.
 *
 * portal_settings: one row of settings for the whole installation.
 * `two_factor_required` (1 in a new installation): administrators and
 * programme leads who log in with a password must use two-factor; the demo
 * seed turns it off (docs/decisions/024-two-factor-required-and-demo-accounts.md).
 *
 * login_sessions.authenticated_at: when the person last proved who they are
 * (login or "Bekräfta att det är du"), for sensitive actions.
 *
 * Plain ADD COLUMN and UPDATE, the same on SQLite and PostgreSQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("users")
    .addColumn("password_change_required", "integer", (c) => c.notNull().defaultTo(1).check(sql`password_change_required IN (0, 1)`))
    .execute();
  await sql`update users set password_change_required = 0`.execute(db);
  await db.schema.alterTable("users").addColumn("password_reset_hash", "text").execute();
  await db.schema.alterTable("users").addColumn("password_reset_expires_at", "text").execute();
  await db.schema.alterTable("users").addColumn("totp_secret", "text").execute();
  await db.schema.alterTable("users").addColumn("totp_enabled_at", "text").execute();
  await db.schema.alterTable("users").addColumn("totp_last_step", "integer").execute();
  await db.schema.alterTable("users").addColumn("recovery_code_hashes", "text").execute();

  await db.schema
    .createTable("portal_settings")
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("two_factor_required", "integer", (c) => c.notNull().defaultTo(1).check(sql`two_factor_required IN (0, 1)`))
    .execute();
  await sql`insert into portal_settings (id, two_factor_required) values (1, 1)`.execute(db);

  await db.schema.alterTable("login_sessions").addColumn("authenticated_at", "text", (c) => c.notNull().defaultTo("")).execute();
  await sql`update login_sessions set authenticated_at = created_at`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("login_sessions").dropColumn("authenticated_at").execute();
  await db.schema.dropTable("portal_settings").execute();
  for (const column of [
    "recovery_code_hashes",
    "totp_last_step",
    "totp_enabled_at",
    "totp_secret",
    "password_reset_expires_at",
    "password_reset_hash",
    "password_change_required",
  ]) {
    await db.schema.alterTable("users").dropColumn(column).execute();
  }
}
