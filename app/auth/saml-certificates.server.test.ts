import type { AppLoadContext } from "@remix-run/node";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "~/db/connection.server";
import type { Ctx } from "~/domain/context.server";
import { identityProviderDetails, saveIdentityProvider } from "~/domain/identity-providers.server";
import { checked } from "~/domain/result";
import { createMunicipality, createUser } from "../../db/seed/factories";
import { emptyDb } from "../../tests/support/db";
import { startSamlIdp, type AssertionOptions, type SamlTestIdp } from "../../tests/support/saml-idp";
import { METADATA_REFRESH_MS, refreshDueIdpMetadata } from "./saml-certificates.server";
import { finishSamlLogin, samlAcsUrl, startSamlLogin } from "./sso-saml.server";

const PUBLIC_URL = "http://portal.test";
const ACS = samlAcsUrl(PUBLIC_URL);
const config = { cookieSecure: false, sessionSecret: "s".repeat(40), ssoSecretKey: "k".repeat(40), publicUrl: PUBLIC_URL };
const DAY = 24 * 60 * 60 * 1000;

describe("SAML IdP certificate roll-over", () => {
  let idp: SamlTestIdp;
  let db: Db;
  let context: AppLoadContext;
  let aneby: number;
  let admin: Ctx;

  // Each test rolls the IdP's key over: an IdP of its own.
  beforeEach(async () => {
    idp = await startSamlIdp({ nameId: "adfs-anna", email: "anna@aneby.se" });
    db = await emptyDb();
    context = { db, config } as unknown as AppLoadContext;
    aneby = await createMunicipality(db, { name: "Aneby" });
    await createUser(db, { email: "anna@aneby.se", name: "Anna", grants: [{ role: "coordinator", municipalityId: aneby }] });
    const adminId = await createUser(db, { email: "admin@portal.se", name: "Admin", grants: [{ role: "admin" }] });
    admin = { db, user: { id: adminId, email: "admin@portal.se", name: "Admin" }, grants: [{ role: "admin", municipalityId: null, programmeId: null, participantId: null }] };
  });
  afterEach(async () => {
    vi.useRealTimers();
    await idp.close();
    await db.destroy();
  });

  async function connect(fields: Record<string, unknown>) {
    const saved = await saveIdentityProvider(
      admin,
      null,
      checked({ protocol: "saml" as const, name: "ADFS Aneby", emailDomains: ["aneby.se"], municipalityIds: [aneby], passwordLoginAllowed: false, ...fields }),
      { secretKey: config.ssoSecretKey },
    );
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    return saved.value.id;
  }

  async function login(providerId: number, overrides: Partial<AssertionOptions> = {}) {
    const started = await startSamlLogin(context, providerId, undefined);
    const request = idp.readRequest(started!.url);
    const response = idp.response({ inResponseTo: request.id, acs: request.acs, audience: request.issuer, ...overrides });
    return finishSamlLogin(context, new Request(ACS, { method: "POST", headers: { Cookie: started!.cookie.split(";")[0] } }), response);
  }
  const lastRefusal = async () => {
    const row = await db.selectFrom("audit_log").select("detail").where("action", "=", "auth.sso_refused").orderBy("id", "desc").executeTakeFirst();
    return row?.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null;
  };
  const certificateEvents = () => db.selectFrom("audit_log").select(["action", "actor_user_id"]).where("action", "like", "identity_provider.certificate_%").orderBy("id").execute();
  const storedCertificates = async (id: number) => (await identityProviderDetails(admin, id)).certificates.length;

  it("the daily refresh picks up a second certificate from the metadata, and an assertion signed with the new key is accepted", async () => {
    const id = await connect({ samlMetadataUrl: idp.metadataUrl });
    // Before the IdP publishes it, the new key is a stranger's.
    idp.addSigningKey();
    idp.listed = ["idp"];
    expect((await login(id, { signedBy: "next" })).outcome).toEqual({ ok: false, reason: "flow" });
    expect(await lastRefusal()).toMatchObject({ code: "signature" });

    idp.listed = ["idp", "next"];
    // Not yet a day since the save: nothing is due.
    expect(await refreshDueIdpMetadata(db)).toEqual({ changed: 0, unchanged: 0, not_due: 0, failed: 0 });
    expect(await refreshDueIdpMetadata(db, new Date(Date.now() + METADATA_REFRESH_MS + 1000))).toMatchObject({ changed: 1 });
    expect(await storedCertificates(id)).toBe(2);
    expect((await login(id, { signedBy: "next" })).outcome).toMatchObject({ ok: true });
    // The old certificate stays while the metadata lists it.
    expect((await login(id, { signedBy: "idp" })).outcome).toMatchObject({ ok: true });
    expect(await certificateEvents()).toEqual([
      { action: "identity_provider.certificate_added", actor_user_id: admin.user.id },
      { action: "identity_provider.certificate_added", actor_user_id: null },
    ]);
  });

  it("a signature no stored certificate verifies makes the portal fetch the metadata again (at most every few minutes) and retry", async () => {
    const id = await connect({ samlMetadataUrl: idp.metadataUrl });
    idp.addSigningKey();
    // Saved just now: a forged response does not make the portal fetch the metadata again at once.
    const fetches = idp.metadataFetches;
    expect((await login(id, { signedBy: "stranger" })).outcome).toEqual({ ok: false, reason: "flow" });
    expect(idp.metadataFetches).toBe(fetches);

    await db.updateTable("identity_providers").set({ saml_metadata_checked_at: new Date(Date.now() - 10 * 60 * 1000).toISOString() }).execute();
    expect((await login(id, { signedBy: "next" })).outcome).toMatchObject({ ok: true });
    expect(idp.metadataFetches).toBe(fetches + 1);
    expect(await storedCertificates(id)).toBe(2);
  });

  it("a certificate the metadata no longer lists stops being accepted", async () => {
    const id = await connect({ samlMetadataUrl: idp.metadataUrl });
    idp.addSigningKey();
    const later = Date.now() + METADATA_REFRESH_MS + 1000;
    await refreshDueIdpMetadata(db, new Date(later));
    idp.listed = ["next"];
    expect(await refreshDueIdpMetadata(db, new Date(later + METADATA_REFRESH_MS + 1000))).toMatchObject({ changed: 1 });
    expect(await storedCertificates(id)).toBe(1);
    expect((await login(id, { signedBy: "idp" })).outcome).toEqual({ ok: false, reason: "flow" });
    expect(await lastRefusal()).toMatchObject({ code: "signature" });
    expect((await login(id, { signedBy: "next" })).outcome).toMatchObject({ ok: true });
    expect((await certificateEvents()).map((e) => e.action)).toEqual([
      "identity_provider.certificate_added",
      "identity_provider.certificate_added",
      "identity_provider.certificate_removed",
    ]);
  });

  it("an expired certificate stops being accepted, and the admin page warns 30 days before", async () => {
    const id = await connect({ issuer: idp.entityId, samlSsoUrl: idp.ssoUrl, samlCertificate: idp.certificate });
    // The test IdP's certificate is valid for two days: the warning shows from the start.
    const [certificate] = (await identityProviderDetails(admin, id)).certificates;
    expect(certificate).toMatchObject({ expiresSoon: true, expired: false });
    expect((await login(id)).outcome).toMatchObject({ ok: true });

    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 3 * DAY });
    expect((await identityProviderDetails(admin, id)).certificates[0]).toMatchObject({ expired: true });
    expect((await login(id)).outcome).toEqual({ ok: false, reason: "flow" });
    expect(await lastRefusal()).toMatchObject({ code: "certificate_expired" });
  });

  it("metadata that names another entity id, or cannot be fetched, changes nothing and is audited", async () => {
    const id = await connect({ samlMetadataUrl: idp.metadataUrl });
    await db.updateTable("identity_providers").set({ issuer: "https://adfs.eksjo.se/adfs/services/trust" }).execute();
    idp.addSigningKey();
    expect(await refreshDueIdpMetadata(db, new Date(Date.now() + 2 * DAY))).toMatchObject({ failed: 1 });
    await db.updateTable("identity_providers").set({ saml_metadata_url: `${idp.entityId}/no-such-file` }).execute();
    expect(await refreshDueIdpMetadata(db, new Date(Date.now() + 4 * DAY))).toMatchObject({ failed: 1 });
    expect(await storedCertificates(id)).toBe(1);
    const failures = await db.selectFrom("audit_log").select("detail").where("action", "=", "identity_provider.metadata_refresh_failed").orderBy("id").execute();
    expect(failures.map((f) => JSON.parse(f.detail!))).toEqual([{ reason: "entity_id_changed" }, { reason: "unreadable" }]);
  });
});
