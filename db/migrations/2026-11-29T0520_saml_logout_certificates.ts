import type { Kysely } from "kysely";

/**
 * SAML single logout and IdP certificate roll-over (issue 17;
 * docs/decisions/037-saml-logout-and-certificate-rollover.md).
 *
 * login_sessions.saml_name_id, saml_name_id_format, saml_session_index: what
 * the IdP's assertion said about a SAML login, so that the portal's logout can
 * name it in a LogoutRequest and an IdP-initiated LogoutRequest can find the
 * login sessions it ends.
 *
 * identity_providers.saml_metadata_url: the IdP's metadata address, kept when
 * the administrator gave one, so that the portal fetches it again (daily, and
 * when a signature does not verify) and follows a certificate roll-over.
 * saml_metadata_checked_at: when it was last fetched (or claimed for fetching
 * by one app process). saml_slo_url: the IdP's SingleLogoutService
 * (HTTP-Redirect). saml_certificate may now hold several PEM certificates.
 *
 * portal_settings.saml_sp_private_key_encrypted / saml_sp_certificate: the
 * portal's own key pair that signs its LogoutRequests and LogoutResponses,
 * made at first need; the key sealed like client secrets.
 *
 * Plain ADD COLUMNs, the same on SQLite and PostgreSQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("login_sessions").addColumn("saml_name_id", "text").execute();
  await db.schema.alterTable("login_sessions").addColumn("saml_name_id_format", "text").execute();
  await db.schema.alterTable("login_sessions").addColumn("saml_session_index", "text").execute();
  await db.schema.alterTable("identity_providers").addColumn("saml_metadata_url", "text").execute();
  await db.schema.alterTable("identity_providers").addColumn("saml_metadata_checked_at", "text").execute();
  await db.schema.alterTable("identity_providers").addColumn("saml_slo_url", "text").execute();
  await db.schema.alterTable("portal_settings").addColumn("saml_sp_private_key_encrypted", "text").execute();
  await db.schema.alterTable("portal_settings").addColumn("saml_sp_certificate", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("portal_settings").dropColumn("saml_sp_certificate").execute();
  await db.schema.alterTable("portal_settings").dropColumn("saml_sp_private_key_encrypted").execute();
  await db.schema.alterTable("identity_providers").dropColumn("saml_slo_url").execute();
  await db.schema.alterTable("identity_providers").dropColumn("saml_metadata_checked_at").execute();
  await db.schema.alterTable("identity_providers").dropColumn("saml_metadata_url").execute();
  await db.schema.alterTable("login_sessions").dropColumn("saml_session_index").execute();
  await db.schema.alterTable("login_sessions").dropColumn("saml_name_id_format").execute();
  await db.schema.alterTable("login_sessions").dropColumn("saml_name_id").execute();
}
