import { sql, type Kysely } from "kysely";
import { autoId } from "./portable";

/**
 * Single sign-on per municipality (issue 17, part 2).
 *
 * identity_providers: one identity provider (IdP) an administrator connected.
 * `issuer` is the OIDC issuer (discovery at its /.well-known address) or the
 * SAML IdP's entity id; `client_secret_encrypted` is AES-256-GCM under a key
 * derived from the session secret or SSO_SECRET_KEY (app/auth/secret-box.server.ts),
 * never read back to a page. `password_login_allowed` = 0: accounts linked to
 * this IdP may not also log in with a password.
 *
 * identity_provider_domains: the e-mail domains an IdP serves; one IdP per
 * domain, so home-realm discovery on the login page has one answer.
 * identity_provider_municipalities: the municipalities whose accounts it may link.
 *
 * linked_identities: (issuer, subject) → user, made at the first SSO login of
 * an existing account, never by creating one.
 *
 * saml_assertion_ids: assertion ids already used, kept until they expire, so
 * a replayed assertion is refused.
 *
 * login_sessions.identity_provider_id: the IdP a login session came through,
 * for RP-initiated logout.
 *
 * Plain tables and a plain ADD COLUMN, the same on SQLite and PostgreSQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("identity_providers")
    .addColumn("id", "integer", autoId(db))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("protocol", "text", (c) => c.notNull().check(sql`protocol IN ('oidc', 'saml')`))
    .addColumn("issuer", "text", (c) => c.notNull().unique())
    .addColumn("client_id", "text")
    .addColumn("client_secret_encrypted", "text")
    .addColumn("saml_sso_url", "text")
    .addColumn("saml_certificate", "text")
    .addColumn("password_login_allowed", "integer", (c) => c.notNull().defaultTo(0).check(sql`password_login_allowed IN (0, 1)`))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("identity_provider_domains")
    .addColumn("domain", "text", (c) => c.primaryKey())
    .addColumn("identity_provider_id", "integer", (c) => c.notNull().references("identity_providers.id").onDelete("cascade"))
    .execute();
  await db.schema
    .createTable("identity_provider_municipalities")
    .addColumn("identity_provider_id", "integer", (c) => c.notNull().references("identity_providers.id").onDelete("cascade"))
    .addColumn("municipality_id", "integer", (c) => c.notNull().references("municipalities.id"))
    .addPrimaryKeyConstraint("identity_provider_municipalities_pk", ["identity_provider_id", "municipality_id"])
    .execute();
  await db.schema
    .createTable("linked_identities")
    .addColumn("id", "integer", autoId(db))
    .addColumn("identity_provider_id", "integer", (c) => c.notNull().references("identity_providers.id"))
    .addColumn("issuer", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_login_at", "text")
    .addUniqueConstraint("linked_identities_issuer_subject", ["issuer", "subject"])
    .execute();
  await db.schema.createIndex("linked_identities_user").on("linked_identities").column("user_id").execute();
  await db.schema
    .createTable("saml_assertion_ids")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.alterTable("login_sessions").addColumn("identity_provider_id", "integer").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("login_sessions").dropColumn("identity_provider_id").execute();
  await db.schema.dropTable("saml_assertion_ids").execute();
  await db.schema.dropTable("linked_identities").execute();
  await db.schema.dropTable("identity_provider_municipalities").execute();
  await db.schema.dropTable("identity_provider_domains").execute();
  await db.schema.dropTable("identity_providers").execute();
}
