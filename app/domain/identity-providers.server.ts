/**
 * The identity providers (IdPs) municipalities log in through, as an
 * administrator configures them. Only administrators read or change them;
 * the client secret goes in and never comes out (a page learns only whether
 * one is stored).
 */
import crypto from "node:crypto";
import { auditCertificateChanges, CERTIFICATE_WARNING_MS, certificateFacts } from "~/auth/saml-certificates.server";
import { fetchIdpMetadata, readIdpMetadata, type IdpMetadata } from "~/auth/saml-metadata.server";
import { sealSecret } from "~/auth/secret-box.server";
import { nowIso } from "~/db/connection.server";
import type { IdentityProtocol } from "~/db/schema";
import type { IdentityProviderInput } from "~/schemas/identity-providers";
import { writeAudit } from "./audit.server";
import { notFound, requireGrant, type Ctx } from "./context.server";
import { conflict, INPUT_REFUSED, invalid, ok, type Checked, type Result } from "./result";

export interface IdentityProviderSummary {
  id: number;
  name: string;
  protocol: IdentityProtocol;
  issuer: string;
  emailDomains: string[];
  municipalityNames: string[];
  passwordLoginAllowed: boolean;
  linkedAccounts: number;
  /** Until when the SAML IdP's newest certificate is valid (logins work until then), and whether that is within 30 days (or past). */
  certificateValidTo: { validTo: string; soon: boolean } | null;
}

export interface CertificateSummary {
  fingerprint: string;
  subject: string;
  validTo: string;
  /** Expires within 30 days. */
  expiresSoon: boolean;
  expired: boolean;
}

export interface IdentityProviderDetails {
  id: number;
  name: string;
  protocol: IdentityProtocol;
  issuer: string;
  clientId: string | null;
  hasClientSecret: boolean;
  samlSsoUrl: string | null;
  samlSloUrl: string | null;
  samlCertificate: string | null;
  /** Set: the IdP's settings follow its metadata (fetched daily, ADR 037). */
  samlMetadataUrl: string | null;
  samlMetadataCheckedAt: string | null;
  certificates: CertificateSummary[];
  emailDomains: string[];
  municipalityIds: number[];
  passwordLoginAllowed: boolean;
  version: number;
}

type SamlInput = Extract<IdentityProviderInput, { protocol: "saml" }>;

/**
 * A SAML IdP's entity id, addresses and certificates. Given a metadata URL,
 * they come from the metadata and follow it later (the URL is kept, ADR 037);
 * given pasted metadata, what the administrator typed goes first and the
 * rest comes from it; otherwise all is typed. The certificates must be
 * readable: a typo here would lock a municipality out.
 */
async function samlSettings(
  input: SamlInput,
): Promise<Result<{ issuer: string; samlSsoUrl: string; samlSloUrl: string | null; samlCertificate: string; samlMetadataUrl: string | null }>> {
  let metadata: IdpMetadata | null = null;
  if (input.samlMetadata) {
    metadata = readIdpMetadata(input.samlMetadata);
    if (!metadata) return invalid({ samlMetadata: ["Metadatan gick inte att läsa: klistra in hela XML-filen med IDPSSODescriptor, inloggningsadress (HTTP-Redirect) och signeringscertifikat."] });
  } else if (input.samlMetadataUrl) {
    metadata = await fetchIdpMetadata(input.samlMetadataUrl);
    if (!metadata) return invalid({ samlMetadataUrl: ["Metadatan gick inte att hämta eller läsa från adressen. Kontrollera adressen, eller klistra in metadatan."] });
  }
  const byUrl = Boolean(input.samlMetadataUrl);
  if (byUrl && metadata && input.issuer && input.issuer !== metadata.entityId) {
    return invalid({ issuer: [`Metadatan anger entity id ${metadata.entityId}. Lämna fältet tomt eller skriv samma.`] });
  }
  const issuer = input.issuer ?? metadata?.entityId;
  const samlSsoUrl = byUrl ? metadata?.ssoUrl : (input.samlSsoUrl ?? metadata?.ssoUrl);
  const samlSloUrl = (byUrl ? metadata?.sloUrl : (input.samlSloUrl ?? metadata?.sloUrl)) ?? null;
  const samlCertificate = byUrl ? metadata?.certificate : (input.samlCertificate ?? metadata?.certificate);
  const missing: Record<string, string[]> = {};
  if (!issuer) missing.issuer = ["Skriv identitetstjänstens entity id, eller ange dess metadata."];
  if (!samlSsoUrl) missing.samlSsoUrl = ["Skriv adressen för inloggning, eller ange identitetstjänstens metadata."];
  if (!samlCertificate) missing.samlCertificate = ["Klistra in signeringscertifikatet, eller ange identitetstjänstens metadata."];
  else if (!isCertificate(samlCertificate)) missing.samlCertificate = ["Certifikatet gick inte att läsa. Klistra in det som PEM (-----BEGIN CERTIFICATE-----)."];
  if (Object.keys(missing).length || !issuer || !samlSsoUrl || !samlCertificate) return invalid(missing);
  return ok({ issuer, samlSsoUrl, samlSloUrl, samlCertificate, samlMetadataUrl: input.samlMetadataUrl ?? null });
}

function certificateSummaries(stored: string | null, now: number): CertificateSummary[] {
  return certificateFacts(stored)
    .sort((a, b) => a.validTo.localeCompare(b.validTo))
    .map((c) => ({
      fingerprint: c.fingerprint,
      subject: c.subject,
      validTo: c.validTo,
      expiresSoon: Date.parse(c.validTo) - now <= CERTIFICATE_WARNING_MS,
      expired: Date.parse(c.validTo) <= now,
    }));
}

function isCertificate(text: string): boolean {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [`-----BEGIN CERTIFICATE-----\n${text.replace(/\s+/g, "")}\n-----END CERTIFICATE-----`];
  try {
    for (const block of blocks) new crypto.X509Certificate(block);
    return true;
  } catch {
    return false;
  }
}

export async function listIdentityProviders(ctx: Ctx): Promise<IdentityProviderSummary[]> {
  await requireGrant(ctx, "admin");
  const providers = await ctx.db
    .selectFrom("identity_providers as p")
    .select(["p.id", "p.name", "p.protocol", "p.issuer", "p.password_login_allowed", "p.saml_certificate"])
    .select((eb) => eb.selectFrom("linked_identities as l").select(eb.fn.countAll<number>().as("n")).whereRef("l.identity_provider_id", "=", "p.id").as("linked"))
    .orderBy("p.name")
    .execute();
  const domains = await ctx.db.selectFrom("identity_provider_domains").select(["identity_provider_id", "domain"]).orderBy("domain").execute();
  const municipalities = await ctx.db
    .selectFrom("identity_provider_municipalities as pm")
    .innerJoin("municipalities as m", "m.id", "pm.municipality_id")
    .select(["pm.identity_provider_id", "m.name"])
    .orderBy("m.name")
    .execute();
  return providers.map((p) => ({
    id: p.id,
    name: p.name,
    protocol: p.protocol,
    issuer: p.issuer,
    emailDomains: domains.filter((d) => d.identity_provider_id === p.id).map((d) => d.domain),
    municipalityNames: municipalities.filter((m) => m.identity_provider_id === p.id).map((m) => m.name),
    passwordLoginAllowed: p.password_login_allowed === 1,
    linkedAccounts: Number(p.linked ?? 0),
    certificateValidTo: lastExpiry(p.saml_certificate),
  }));
}

function lastExpiry(stored: string | null): { validTo: string; soon: boolean } | null {
  const last = certificateSummaries(stored, Date.now()).at(-1);
  return last ? { validTo: last.validTo, soon: last.expiresSoon } : null;
}

/** One provider as its edit form shows it: everything but the secret. */
export async function identityProviderDetails(ctx: Ctx, id: number): Promise<IdentityProviderDetails> {
  await requireGrant(ctx, "admin");
  const p = await ctx.db.selectFrom("identity_providers").selectAll().where("id", "=", id).executeTakeFirst();
  if (!p) throw notFound();
  const domains = await ctx.db.selectFrom("identity_provider_domains").select("domain").where("identity_provider_id", "=", id).orderBy("domain").execute();
  const municipalities = await ctx.db.selectFrom("identity_provider_municipalities").select("municipality_id").where("identity_provider_id", "=", id).execute();
  return {
    id: p.id,
    name: p.name,
    protocol: p.protocol,
    issuer: p.issuer,
    clientId: p.client_id,
    hasClientSecret: p.client_secret_encrypted !== null,
    samlSsoUrl: p.saml_sso_url,
    samlSloUrl: p.saml_slo_url,
    samlCertificate: p.saml_certificate,
    samlMetadataUrl: p.saml_metadata_url,
    samlMetadataCheckedAt: p.saml_metadata_checked_at,
    certificates: certificateSummaries(p.saml_certificate, Date.now()),
    emailDomains: domains.map((d) => d.domain),
    municipalityIds: municipalities.map((m) => m.municipality_id),
    passwordLoginAllowed: p.password_login_allowed === 1,
    version: p.version,
  };
}

/** The municipalities an IdP can be set to serve. */
export async function municipalityChoices(ctx: Ctx): Promise<{ id: number; name: string }[]> {
  await requireGrant(ctx, "admin");
  return ctx.db.selectFrom("municipalities").select(["id", "name"]).orderBy("name").execute();
}

/**
 * Adds (id null) or changes an identity provider. On a change an empty
 * client secret keeps the stored one; `secretKey` is the material it is
 * sealed under (config.ssoSecretKey).
 */
export async function saveIdentityProvider(
  ctx: Ctx,
  id: number | null,
  submitted: Checked<IdentityProviderInput>,
  options: { secretKey: string },
): Promise<Result<{ id: number }>> {
  await requireGrant(ctx, "admin");
  const existing = id === null ? null : await ctx.db.selectFrom("identity_providers").select(["id", "version", "client_secret_encrypted", "saml_certificate"]).where("id", "=", id).executeTakeFirst();
  if (id !== null && !existing) throw notFound();
  if (submitted.status !== "success") return INPUT_REFUSED;
  const given = submitted.value;
  const saml = given.protocol === "saml" ? await samlSettings(given) : null;
  if (saml && !saml.ok) return saml;
  const input = given;
  const issuer = input.protocol === "oidc" ? input.issuer : saml?.ok ? saml.value.issuer : "";

  const secret = input.protocol === "oidc" && input.clientSecret?.trim() ? sealSecret(options.secretKey, input.clientSecret.trim()) : null;
  if (input.protocol === "oidc" && !secret && !existing?.client_secret_encrypted) {
    return invalid({ clientSecret: ["Skriv klienthemligheten (client secret)."] });
  }
  const known = await ctx.db.selectFrom("municipalities").select("id").where("id", "in", input.municipalityIds).execute();
  if (known.length !== input.municipalityIds.length) return invalid({ municipalityIds: ["Välj kommuner ur listan."] });
  const takenDomains = await ctx.db
    .selectFrom("identity_provider_domains")
    .select("domain")
    .where("domain", "in", input.emailDomains)
    .$if(id !== null, (q) => q.where("identity_provider_id", "!=", id!))
    .execute();
  if (takenDomains.length) {
    return invalid({ emailDomains: [`${takenDomains.map((d) => d.domain).join(", ")} hör redan till en annan inloggningstjänst.`] });
  }
  const sameIssuer = await ctx.db
    .selectFrom("identity_providers")
    .select("id")
    .where("issuer", "=", issuer)
    .$if(id !== null, (q) => q.where("id", "!=", id!))
    .executeTakeFirst();
  if (sameIssuer) return invalid({ issuer: ["Det finns redan en inloggningstjänst med den utfärdaren."] });

  const now = nowIso();
  const values = {
    name: input.name,
    protocol: input.protocol,
    issuer,
    client_id: input.protocol === "oidc" ? input.clientId : null,
    saml_sso_url: saml?.ok ? saml.value.samlSsoUrl : null,
    saml_slo_url: saml?.ok ? saml.value.samlSloUrl : null,
    saml_certificate: saml?.ok ? saml.value.samlCertificate : null,
    saml_metadata_url: saml?.ok ? saml.value.samlMetadataUrl : null,
    // Fetched just now when by URL: the worker's next fetch is a day away.
    saml_metadata_checked_at: saml?.ok && saml.value.samlMetadataUrl ? now : null,
    password_login_allowed: input.passwordLoginAllowed ? 1 : 0,
    updated_at: now,
  };
  const saved = await ctx.db.transaction().execute(async (trx) => {
    let providerId: number;
    if (existing) {
      const updated = await trx
        .updateTable("identity_providers")
        .set({
          ...values,
          client_secret_encrypted: input.protocol === "oidc" ? (secret ?? existing.client_secret_encrypted) : null,
          version: existing.version + 1,
        })
        .where("id", "=", existing.id)
        .where("version", "=", input.version ?? existing.version)
        .executeTakeFirst();
      if (!updated.numUpdatedRows) return null;
      providerId = existing.id;
      await trx.deleteFrom("identity_provider_domains").where("identity_provider_id", "=", providerId).execute();
      await trx.deleteFrom("identity_provider_municipalities").where("identity_provider_id", "=", providerId).execute();
    } else {
      const row = await trx
        .insertInto("identity_providers")
        .values({ ...values, client_secret_encrypted: secret, created_at: now })
        .returning("id")
        .executeTakeFirstOrThrow();
      providerId = row.id;
    }
    await trx.insertInto("identity_provider_domains").values(input.emailDomains.map((domain) => ({ domain, identity_provider_id: providerId }))).execute();
    await trx
      .insertInto("identity_provider_municipalities")
      .values(input.municipalityIds.map((municipality_id) => ({ municipality_id, identity_provider_id: providerId })))
      .execute();
    await auditCertificateChanges(trx, {
      providerId,
      before: existing?.saml_certificate ?? null,
      after: values.saml_certificate,
      actorUserId: ctx.user.id,
      source: "administrator",
    });
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      action: existing ? "identity_provider.updated" : "identity_provider.created",
      entity: "identity_provider",
      entityId: providerId,
      detail: { protocol: input.protocol, secretChanged: secret !== null, municipalityIds: input.municipalityIds },
    });
    return providerId;
  });
  if (saved === null) return conflict("Någon annan har ändrat inloggningstjänsten sedan du öppnade sidan. Ladda om och gör ändringen igen.");
  return ok({ id: saved });
}
