/**
 * A SAML IdP's signing certificates and how they roll over
 * (docs/decisions/037-saml-logout-and-certificate-rollover.md).
 *
 * `identity_providers.saml_certificate` holds every certificate the IdP
 * signs with, as PEM blocks. An IdP configured by a metadata URL is fetched
 * again daily (the worker) and when a signature does not verify (at most once
 * in a few minutes, so forged responses cannot make the portal hammer the
 * IdP). The stored set becomes exactly what the metadata lists: the old
 * certificate stays while the IdP still lists it beside the new one, and goes
 * when it no longer does. An expired certificate is never used, whatever the
 * metadata says. Every certificate added or removed is audited.
 */
import crypto from "node:crypto";
import type { Transaction } from "kysely";
import type { Db } from "~/db/connection.server";
import { nowIso } from "~/db/connection.server";
import type { Database } from "~/db/schema";
import { writeAudit } from "~/domain/audit.server";
import { fetchIdpMetadata } from "./saml-metadata.server";

/** How often the worker fetches an IdP's metadata again. */
export const METADATA_REFRESH_MS = 24 * 60 * 60 * 1000;
/** After a failed signature check the metadata is fetched again, but not more often than this. */
export const METADATA_RETRY_MS = 5 * 60 * 1000;
/** The admin page warns this long before a certificate expires. */
export const CERTIFICATE_WARNING_MS = 30 * 24 * 60 * 60 * 1000;

export interface CertificateFacts {
  /** SHA-256 of the DER, as ADFS and openssl show it (AB:CD:…). */
  fingerprint: string;
  subject: string;
  validFrom: string;
  validTo: string;
  pem: string;
}

const pemOf = (base64: string) => `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)!.join("\n")}\n-----END CERTIFICATE-----`;

/** The PEM blocks of a stored value (one bare base64 certificate counts too). */
export function certificateBlocks(stored: string | null): string[] {
  if (!stored) return [];
  const blocks = stored.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  return blocks ?? [pemOf(stored.replace(/\s+/g, ""))];
}

/** Each readable certificate of a stored value; one that cannot be read is left out. */
export function certificateFacts(stored: string | null): CertificateFacts[] {
  return certificateBlocks(stored).flatMap((pem) => {
    try {
      const c = new crypto.X509Certificate(pem);
      return [{ fingerprint: c.fingerprint256, subject: c.subject.replace(/\n/g, ", "), validFrom: new Date(c.validFrom).toISOString(), validTo: new Date(c.validTo).toISOString(), pem }];
    } catch {
      return [];
    }
  });
}

/** The certificates a signature may be checked against now: those within their validity. */
export function usableCertificates(stored: string | null, now = new Date()): string[] {
  return certificateFacts(stored)
    .filter((c) => Date.parse(c.validFrom) <= now.getTime() && now.getTime() < Date.parse(c.validTo))
    .map((c) => c.pem);
}

/** Audits each certificate that came or went between two stored values. */
export async function auditCertificateChanges(
  db: Db | Transaction<Database>,
  change: { providerId: number; before: string | null; after: string | null; actorUserId: number | null; source: "metadata" | "administrator" },
): Promise<number> {
  const before = certificateFacts(change.before);
  const after = certificateFacts(change.after);
  const added = after.filter((c) => !before.some((b) => b.fingerprint === c.fingerprint));
  const removed = before.filter((c) => !after.some((a) => a.fingerprint === c.fingerprint));
  const about = { entity: "identity_provider", entityId: change.providerId, actorUserId: change.actorUserId };
  const detail = (c: CertificateFacts) => ({ fingerprint: c.fingerprint, validTo: c.validTo, source: change.source });
  for (const c of added) await writeAudit(db, { ...about, action: "identity_provider.certificate_added", detail: detail(c) });
  for (const c of removed) await writeAudit(db, { ...about, action: "identity_provider.certificate_removed", detail: detail(c) });
  return added.length + removed.length;
}

export type RefreshOutcome = "changed" | "unchanged" | "not_due" | "failed";

/**
 * Fetches an IdP's metadata again when the last fetch is older than
 * `olderThanMs`, and takes its sign-in and logout addresses and certificates.
 * The claim (moving saml_metadata_checked_at to now, only where it is old) is
 * one statement: of several app processes, one fetches. The metadata must
 * still name the entity id the administrator saved; otherwise nothing changes.
 */
export async function refreshIdpMetadata(db: Db, providerId: number, options: { olderThanMs: number; now?: Date }): Promise<RefreshOutcome> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.olderThanMs).toISOString();
  const row = await db.selectFrom("identity_providers").select(["issuer", "saml_metadata_url"]).where("id", "=", providerId).where("protocol", "=", "saml").executeTakeFirst();
  if (!row?.saml_metadata_url) return "not_due";
  const url = row.saml_metadata_url;
  const claimed = await db
    .updateTable("identity_providers")
    .set({ saml_metadata_checked_at: now.toISOString() })
    .where("id", "=", providerId)
    .where("saml_metadata_url", "=", url)
    .where((eb) => eb.or([eb("saml_metadata_checked_at", "is", null), eb("saml_metadata_checked_at", "<=", cutoff)]))
    .executeTakeFirst();
  if (!Number(claimed.numUpdatedRows)) return "not_due";

  const metadata = await fetchIdpMetadata(url);
  const failure = !metadata ? "unreadable" : metadata.entityId !== row.issuer ? "entity_id_changed" : certificateFacts(metadata.certificate).length === 0 ? "no_certificate" : null;
  if (!metadata || failure) {
    await writeAudit(db, { actorUserId: null, action: "identity_provider.metadata_refresh_failed", entity: "identity_provider", entityId: providerId, detail: { reason: failure } });
    return "failed";
  }
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom("identity_providers").select(["saml_certificate", "saml_sso_url", "saml_slo_url"]).where("id", "=", providerId).where("saml_metadata_url", "=", url).executeTakeFirst();
    // The administrator changed the provider while the metadata was on its way: their save stands.
    if (!current) return "unchanged" as const;
    const certificateChanges = await auditCertificateChanges(trx, { providerId, before: current.saml_certificate, after: metadata.certificate, actorUserId: null, source: "metadata" });
    if (!certificateChanges && current.saml_sso_url === metadata.ssoUrl && current.saml_slo_url === metadata.sloUrl) return "unchanged" as const;
    await trx
      .updateTable("identity_providers")
      .set({ saml_certificate: metadata.certificate, saml_sso_url: metadata.ssoUrl, saml_slo_url: metadata.sloUrl, updated_at: nowIso() })
      .where("id", "=", providerId)
      .execute();
    return "changed" as const;
  });
}

/** The worker's daily round: every metadata-configured IdP whose last fetch is a day old. */
export async function refreshDueIdpMetadata(db: Db, now = new Date()): Promise<Record<RefreshOutcome, number>> {
  const cutoff = new Date(now.getTime() - METADATA_REFRESH_MS).toISOString();
  const due = await db
    .selectFrom("identity_providers")
    .select("id")
    .where("protocol", "=", "saml")
    .where("saml_metadata_url", "is not", null)
    .where((eb) => eb.or([eb("saml_metadata_checked_at", "is", null), eb("saml_metadata_checked_at", "<=", cutoff)]))
    .execute();
  const counts: Record<RefreshOutcome, number> = { changed: 0, unchanged: 0, not_due: 0, failed: 0 };
  for (const { id } of due) counts[await refreshIdpMetadata(db, id, { olderThanMs: METADATA_REFRESH_MS, now })] += 1;
  return counts;
}
