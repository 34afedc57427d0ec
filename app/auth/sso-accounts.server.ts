/**
 * Which portal account an identity from a municipality's IdP logs in as.
 * The IdP never creates an account (docs/decisions/027-sso-links-accounts.md):
 * a known (issuer, subject) logs in as its linked account; otherwise a
 * verified e-mail of a domain this IdP serves, belonging to an existing
 * account in a municipality this IdP serves, is linked at its first login.
 * Every outcome is audited with the IdP's id and never with the e-mail.
 */
import type { Db } from "~/db/connection.server";
import { nowIso } from "~/db/connection.server";
import { writeAudit } from "~/domain/audit.server";

export interface ProviderRef {
  id: number;
  issuer: string;
}

export interface AssertedIdentity {
  subject: string;
  email: string | null;
  emailVerified: boolean;
}

export type SsoRefusalReason = "email_unverified" | "no_account" | "domain_not_served" | "municipality_not_served" | "disabled" | "already_linked";

export type SsoOutcome = { ok: true; userId: number; linked: boolean } | { ok: false; reason: SsoRefusalReason };

/** What the login page tells a person the IdP vouched for but the portal refused (Swedish, no detail an attacker could use). */
export const SSO_REFUSAL_MESSAGES: Record<SsoRefusalReason | "flow", string> = {
  email_unverified: "Din kommuns inloggning har inte bekräftat din e-postadress. Kontakta din kommuns IT-support.",
  no_account: "Det finns inget konto i Programportalen för dig ännu. Kontakta din kommunsamordnare, som kan lägga upp det.",
  domain_not_served: "Din e-postadress hör inte till den här kommunens inloggning. Kontakta din kommunsamordnare.",
  municipality_not_served: "Ditt konto hör inte till en kommun som den här inloggningen gäller för. Kontakta din kommunsamordnare.",
  disabled: "Ditt konto är spärrat. Kontakta din kommunsamordnare.",
  already_linked: "Ditt konto är redan kopplat till en annan identitet hos kommunens inloggning. Kontakta din kommunsamordnare.",
  flow: "Inloggningen via kommunen kunde inte slutföras. Försök igen från inloggningssidan.",
};

/** The municipalities an account belongs to: its scoped grants and, for a participant, the participant's municipality. */
async function municipalitiesOf(db: Db, userId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("role_grants as g")
    .leftJoin("participants as p", "p.id", "g.participant_id")
    .select(["g.municipality_id", "p.municipality_id as participant_municipality_id"])
    .where("g.user_id", "=", userId)
    .execute();
  return [...new Set(rows.flatMap((r) => [r.municipality_id, r.participant_municipality_id]).filter((id): id is number => id !== null))];
}

async function refuse(db: Db, provider: ProviderRef, reason: SsoRefusalReason, userId: number | null): Promise<SsoOutcome> {
  await writeAudit(db, { actorUserId: userId, action: "auth.sso_refused", entity: "identity_provider", entityId: provider.id, detail: { reason } });
  return { ok: false, reason };
}

export async function accountForIdentity(db: Db, provider: ProviderRef, identity: AssertedIdentity): Promise<SsoOutcome> {
  const now = nowIso();
  const link = await db
    .selectFrom("linked_identities as l")
    .innerJoin("users as u", "u.id", "l.user_id")
    .select(["l.id", "l.user_id", "u.disabled_at"])
    .where("l.issuer", "=", provider.issuer)
    .where("l.subject", "=", identity.subject)
    .executeTakeFirst();
  if (link) {
    if (link.disabled_at) return refuse(db, provider, "disabled", link.user_id);
    await db.updateTable("linked_identities").set({ last_login_at: now }).where("id", "=", link.id).execute();
    await writeAudit(db, { actorUserId: link.user_id, action: "auth.login", entity: "user", entityId: link.user_id, detail: { identityProviderId: provider.id } });
    return { ok: true, userId: link.user_id, linked: false };
  }

  if (!identity.email || !identity.emailVerified) return refuse(db, provider, "email_unverified", null);
  const email = identity.email.trim().toLowerCase();
  const domain = email.slice(email.lastIndexOf("@") + 1);
  const served = await db.selectFrom("identity_provider_domains").select("domain").where("identity_provider_id", "=", provider.id).where("domain", "=", domain).executeTakeFirst();
  if (!served) return refuse(db, provider, "domain_not_served", null);
  const user = await db.selectFrom("users").select(["id", "disabled_at"]).where("email", "=", email).executeTakeFirst();
  if (!user) return refuse(db, provider, "no_account", null);
  if (user.disabled_at) return refuse(db, provider, "disabled", user.id);
  const servedMunicipalities = await db
    .selectFrom("identity_provider_municipalities")
    .select("municipality_id")
    .where("identity_provider_id", "=", provider.id)
    .execute();
  const own = await municipalitiesOf(db, user.id);
  if (!own.some((m) => servedMunicipalities.some((s) => s.municipality_id === m))) return refuse(db, provider, "municipality_not_served", user.id);
  const elsewhere = await db.selectFrom("linked_identities").select("id").where("user_id", "=", user.id).where("issuer", "=", provider.issuer).executeTakeFirst();
  if (elsewhere) return refuse(db, provider, "already_linked", user.id);

  await db
    .insertInto("linked_identities")
    .values({ identity_provider_id: provider.id, issuer: provider.issuer, subject: identity.subject, user_id: user.id, created_at: now, last_login_at: now })
    .execute();
  await writeAudit(db, { actorUserId: user.id, action: "auth.sso_linked", entity: "user", entityId: user.id, detail: { identityProviderId: provider.id } });
  await writeAudit(db, { actorUserId: user.id, action: "auth.login", entity: "user", entityId: user.id, detail: { identityProviderId: provider.id } });
  return { ok: true, userId: user.id, linked: true };
}

/** An account linked to an IdP that does not allow passwords may not log in with one. */
export async function passwordLoginBlocked(db: Db, userId: number): Promise<boolean> {
  const blocking = await db
    .selectFrom("linked_identities as l")
    .innerJoin("identity_providers as p", "p.id", "l.identity_provider_id")
    .select("l.id")
    .where("l.user_id", "=", userId)
    .where("p.password_login_allowed", "=", 0)
    .executeTakeFirst();
  return Boolean(blocking);
}

/** The IdP that serves an e-mail address's domain, for home-realm discovery. */
export async function providerForEmail(db: Db, email: string): Promise<{ id: number; name: string; protocol: "oidc" | "saml"; passwordLoginAllowed: boolean } | null> {
  const domain = email.trim().toLowerCase().slice(email.lastIndexOf("@") + 1);
  const row = await db
    .selectFrom("identity_provider_domains as d")
    .innerJoin("identity_providers as p", "p.id", "d.identity_provider_id")
    .select(["p.id", "p.name", "p.protocol", "p.password_login_allowed"])
    .where("d.domain", "=", domain)
    .executeTakeFirst();
  return row ? { id: row.id, name: row.name, protocol: row.protocol, passwordLoginAllowed: row.password_login_allowed === 1 } : null;
}
