import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "~/db/connection.server";
import type { Ctx } from "~/domain/context.server";
import { saveIdentityProvider } from "~/domain/identity-providers.server";
import { checked } from "~/domain/result";
import { createMunicipality, createUser } from "../../db/seed/factories";
import { emptyDb } from "../../tests/support/db";
import { startSamlIdp, type AssertionOptions, type SamlTestIdp } from "../../tests/support/saml-idp";
import { serviceProviderKey } from "./saml-sp-key.server";
import { finishSamlLogin, SAML_CLOCK_SKEW_MS, samlAcsUrl, samlEntityId, samlSloUrl, serviceProviderMetadata, startSamlLogin } from "./sso-saml.server";

const PUBLIC_URL = "http://portal.test";
const ACS = samlAcsUrl(PUBLIC_URL);
const ENTITY_ID = samlEntityId(PUBLIC_URL);
const config = { cookieSecure: false, sessionSecret: "s".repeat(40), ssoSecretKey: "k".repeat(40), publicUrl: PUBLIC_URL };

describe("SAML login through a municipality's identity provider", () => {
  let idp: SamlTestIdp;
  let db: Db;
  let context: AppLoadContext;
  let aneby: number;
  let eksjo: number;
  let anna: number;
  let admin: Ctx;

  // One IdP (its keys made by openssl) for the file; each test has its own database.
  beforeAll(async () => {
    idp = await startSamlIdp({ nameId: "adfs-anna", email: "anna@aneby.se" });
  });
  afterAll(() => idp.close());

  async function connect(input: { domains: string; municipalityIds: number[]; issuer?: string }) {
    const saved = await saveIdentityProvider(
      admin,
      null,
      checked({
        protocol: "saml" as const,
        name: `ADFS ${input.domains}`,
        issuer: input.issuer ?? idp.entityId,
        samlSsoUrl: idp.ssoUrl,
        samlCertificate: idp.certificate,
        emailDomains: input.domains.split(","),
        municipalityIds: input.municipalityIds,
        passwordLoginAllowed: false,
      }),
      { secretKey: config.ssoSecretKey },
    );
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    return saved.value.id;
  }

  /** The browser's round trip: the portal's redirect to the IdP, and the IdP's response posted back with the pending-login cookie. */
  async function start(providerId: number, returnTo?: string) {
    const started = await startSamlLogin(context, providerId, returnTo);
    expect(started).not.toBeNull();
    return { request: idp.readRequest(started!.url), cookie: started!.cookie.split(";")[0] };
  }
  const post = (cookie: string | null, samlResponse: string | null) =>
    finishSamlLogin(context, new Request(ACS, { method: "POST", headers: cookie ? { Cookie: cookie } : {} }), samlResponse);

  async function roundTrip(providerId: number, overrides: Partial<AssertionOptions> = {}, returnTo?: string) {
    const { request, cookie } = await start(providerId, returnTo);
    return post(cookie, idp.response({ inResponseTo: request.id, acs: request.acs, audience: request.issuer, ...overrides }));
  }

  const lastRefusal = async () => {
    const row = await db.selectFrom("audit_log").select("detail").where("action", "=", "auth.sso_refused").orderBy("id", "desc").executeTakeFirst();
    return row?.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null;
  };
  const links = () => db.selectFrom("linked_identities").select(["issuer", "subject", "user_id"]).execute();

  beforeEach(async () => {
    db = await emptyDb();
    context = { db, config } as unknown as AppLoadContext;
    aneby = await createMunicipality(db, { name: "Aneby" });
    eksjo = await createMunicipality(db, { name: "Eksjö" });
    anna = await createUser(db, { email: "anna@aneby.se", name: "Anna", grants: [{ role: "coordinator", municipalityId: aneby }] });
    const adminId = await createUser(db, { email: "admin@portal.se", name: "Admin", grants: [{ role: "admin" }] });
    admin = { db, user: { id: adminId, email: "admin@portal.se", name: "Admin" }, grants: [{ role: "admin", municipalityId: null, programmeId: null, participantId: null }] };
    return () => db.destroy();
  });

  it("publishes SP metadata with the entity id, ACS and single logout address the admin page shows, asking for signed assertions", async () => {
    const key = await serviceProviderKey(db, config.ssoSecretKey);
    expect(key).not.toBeNull();
    const metadata = serviceProviderMetadata(PUBLIC_URL, key);
    expect(metadata).toContain(`entityID="${ENTITY_ID}"`);
    expect(metadata).toContain(`Location="${ACS}"`);
    expect(metadata).toContain('WantAssertionsSigned="true"');
    expect(metadata).toMatch(new RegExp(`<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${samlSloUrl(PUBLIC_URL)}"`));
    // The certificate the portal's logout messages are signed with; login requests stay unsigned.
    expect(metadata.replace(/\s/g, "")).toContain(key!.certificate.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ""));
    expect(metadata).toContain('AuthnRequestsSigned="false"');
    // Made once: a second look gives the same key.
    expect((await serviceProviderKey(db, config.ssoSecretKey))!.certificate).toBe(key!.certificate);
  });

  it("sends an AuthnRequest naming the portal and its ACS, links the account at the first login, matches on the NameID later", async () => {
    const id = await connect({ domains: "aneby.se", municipalityIds: [aneby] });
    const { request } = await start(id);
    expect(request).toMatchObject({ acs: ACS, issuer: ENTITY_ID });
    expect(request.id).toMatch(/^_[0-9a-f]{40}$/);

    const first = await roundTrip(id, {}, "/deltagare");
    expect(first.outcome).toEqual({ ok: true, userId: anna, linked: true });
    expect(first.returnTo).toBe("/deltagare");
    // A changed address at the IdP: the (issuer, NameID) link decides.
    const later = await roundTrip(id, { email: "anna.andersson@aneby.se" });
    expect(later.outcome).toEqual({ ok: true, userId: anna, linked: false });
    expect(await links()).toEqual([{ issuer: idp.entityId, subject: "adfs-anna", user_id: anna }]);
    const actions = await db.selectFrom("audit_log").select("action").where("action", "like", "auth.%").orderBy("id").execute();
    expect(actions.map((a) => a.action)).toEqual(["auth.sso_linked", "auth.login", "auth.login"]);
  });

  it("never creates an account: an unknown person is refused", async () => {
    const id = await connect({ domains: "aneby.se", municipalityIds: [aneby] });
    expect((await roundTrip(id, { nameId: "someone", email: "okand@aneby.se" })).outcome).toEqual({ ok: false, reason: "no_account" });
    expect(await db.selectFrom("users").select("id").where("email", "=", "okand@aneby.se").executeTakeFirst()).toBeUndefined();
  });

  it("refuses an assertion for another audience", async () => {
    const id = await connect({ domains: "aneby.se", municipalityIds: [aneby] });
    expect((await roundTrip(id, { audience: "https://another-portal.example/saml" })).outcome).toEqual({ ok: false, reason: "flow" });
    expect(await lastRefusal()).toMatchObject({ code: "audience" });
    expect(await links()).toEqual([]);
  });

  it("refuses an expired assertion, allowing only a small clock skew", async () => {
    const id = await connect({ domains: "aneby.se", municipalityIds: [aneby] });
    const issuedAt = new Date(Date.now() - 10 * 60 * 1000);
    const longAgo = await roundTrip(id, { issuedAt, notOnOrAfter: new Date(Date.now() - SAML_CLOCK_SKEW_MS - 5000) });
    expect(longAgo.outcome).toEqual({ ok: false, reason: "flow" });
    expect(await lastRefusal()).toMatchObject({ code: "expired" });
    // Expired a moment ago by the portal's clock, within the skew: the IdP's clock may be behind.
    const justNow = await roundTrip(id, { issuedAt, notOnOrAfter: new Date(Date.now() - SAML_CLOCK_SKEW_MS / 2) });
    expect(justNow.outcome).toMatchObject({ ok: true });
  });

  it("refuses an assertion signed with a key that is not the IdP's certificate", async () => {
    const id = await connect({ domains: "aneby.se", municipalityIds: [aneby] });
    expect((await roundTrip(id, { signedBy: "stranger" })).outcome).toEqual({ ok: false, reason: "flow" });
    expect(await lastRefusal()).toMatchObject({ code: "signature" });
  });

  it("refuses an unsigned assertion", async () => {
    const id = await connect({ domains: "aneby.se", municipalityIds: [aneby] });
    expect((await roundTrip(id, { signedBy: "none" })).outcome).toEqual({ ok: false, reason: "flow" });
    expect(await lastRefusal()).toMatchObject({ code: "signature" });
    expect(await links()).toEqual([]);
  });

  it("refuses a signed assertion changed after signing (another person's e-mail)", async () => {
    const id = await connect({ domains: "aneby.se", municipalityIds: [aneby] });
    await createUser(db, { email: "bo@aneby.se", name: "Bo", grants: [{ role: "coordinator", municipalityId: aneby }] });
    const { request, cookie } = await start(id);
    const genuine = Buffer.from(idp.response({ inResponseTo: request.id, acs: ACS, audience: ENTITY_ID }), "base64").toString("utf8");
    const forged = Buffer.from(genuine.replace("anna@aneby.se", "bo@aneby.se").replace("adfs-anna", "adfs-bo")).toString("base64");
    expect((await post(cookie, forged)).outcome).toEqual({ ok: false, reason: "flow" });
    expect(await links()).toEqual([]);
  });

  it("refuses a replayed assertion", async () => {
    const id = await connect({ domains: "aneby.se", municipalityIds: [aneby] });
    const { request, cookie } = await start(id);
    const response = idp.response({ inResponseTo: request.id, acs: ACS, audience: ENTITY_ID });
    expect((await post(cookie, response)).outcome).toMatchObject({ ok: true });
    expect((await post(cookie, response)).outcome).toEqual({ ok: false, reason: "flow" });
    expect(await lastRefusal()).toMatchObject({ code: "replayed" });
    // The same assertion id again in a freshly signed response for a new login: still used.
    const again = await start(id);
    const replayedId = await roundTrip(id, { assertionId: "_the-same-assertion" });
    expect(replayedId.outcome).toMatchObject({ ok: true });
    const reused = idp.response({ inResponseTo: again.request.id, acs: ACS, audience: ENTITY_ID, assertionId: "_the-same-assertion" });
    expect((await post(again.cookie, reused)).outcome).toEqual({ ok: false, reason: "flow" });
    expect(await lastRefusal()).toMatchObject({ code: "replayed" });
  });

  it("refuses a response to another login's request, an unsolicited one, and one without the pending-login cookie", async () => {
    const id = await connect({ domains: "aneby.se", municipalityIds: [aneby] });
    const mine = await start(id);
    const someoneElses = await start(id);
    expect((await post(mine.cookie, idp.response({ inResponseTo: someoneElses.request.id, acs: ACS, audience: ENTITY_ID }))).outcome).toEqual({ ok: false, reason: "flow" });
    expect(await lastRefusal()).toMatchObject({ code: "in_response_to" });
    expect((await post(mine.cookie, idp.response({ inResponseTo: null, acs: ACS, audience: ENTITY_ID }))).outcome).toEqual({ ok: false, reason: "flow" });
    expect((await post(null, idp.response({ inResponseTo: mine.request.id, acs: ACS, audience: ENTITY_ID }))).outcome).toEqual({ ok: false, reason: "flow" });
    expect(await lastRefusal()).toMatchObject({ code: "no_pending_login" });
    expect(await links()).toEqual([]);
  });

  it("refuses an assertion for another recipient, another destination or from another issuer", async () => {
    const id = await connect({ domains: "aneby.se", municipalityIds: [aneby] });
    expect((await roundTrip(id, { recipient: "https://another-portal.example/acs" })).outcome).toEqual({ ok: false, reason: "flow" });
    expect(await lastRefusal()).toMatchObject({ code: "recipient" });
    expect((await roundTrip(id, { destination: "https://another-portal.example/acs" })).outcome).toEqual({ ok: false, reason: "flow" });
    expect(await lastRefusal()).toMatchObject({ code: "destination" });
    expect((await roundTrip(id, { issuer: "https://adfs.eksjo.se/adfs/services/trust" })).outcome).toEqual({ ok: false, reason: "flow" });
    expect(await lastRefusal()).toMatchObject({ code: "issuer" });
  });

  it("refuses a transient NameID, which would lock the person out at the next login", async () => {
    const id = await connect({ domains: "aneby.se", municipalityIds: [aneby] });
    expect((await roundTrip(id, { nameIdFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:transient" })).outcome).toEqual({ ok: false, reason: "flow" });
    expect(await lastRefusal()).toMatchObject({ code: "transient_name_id" });
  });

  it("refuses a user of municipality A presenting municipality B's IdP (another domain, or a shared one)", async () => {
    const idpOfEksjo = await connect({ domains: "eksjo.se", municipalityIds: [eksjo] });
    expect((await roundTrip(idpOfEksjo)).outcome).toEqual({ ok: false, reason: "domain_not_served" });
    await createUser(db, { email: "bo@region.se", name: "Bo", grants: [{ role: "coordinator", municipalityId: aneby }] });
    await db.insertInto("identity_provider_domains").values({ domain: "region.se", identity_provider_id: idpOfEksjo }).execute();
    expect((await roundTrip(idpOfEksjo, { nameId: "bo", email: "bo@region.se" })).outcome).toEqual({ ok: false, reason: "municipality_not_served" });
    expect(await links()).toEqual([]);
  });

  it("takes the IdP's entity id, sign-in address and certificate from its metadata, by URL or pasted, and refuses what cannot be read", async () => {
    const save = (fields: Record<string, string>) =>
      saveIdentityProvider(
        admin,
        null,
        checked({ protocol: "saml" as const, name: "ADFS Aneby", emailDomains: ["aneby.se"], municipalityIds: [aneby], passwordLoginAllowed: false, ...fields }),
        { secretKey: config.ssoSecretKey },
      );
    const byUrl = await save({ samlMetadataUrl: idp.metadataUrl });
    expect(byUrl.ok).toBe(true);
    const stored = await db.selectFrom("identity_providers").select(["issuer", "saml_sso_url", "saml_certificate"]).executeTakeFirstOrThrow();
    expect(stored.issuer).toBe(idp.entityId);
    expect(stored.saml_sso_url).toBe(idp.ssoUrl);
    // Only the signing certificate, not the encryption one the metadata also lists.
    expect(stored.saml_certificate!.replace(/\s+/g, "")).toBe(idp.certificate.replace(/\s+/g, ""));
    // A login works with what the metadata gave.
    if (!byUrl.ok) return;
    expect((await roundTrip(byUrl.value.id)).outcome).toMatchObject({ ok: true });

    const metadata = await (await fetch(idp.metadataUrl)).text();
    await db.deleteFrom("linked_identities").execute();
    await db.deleteFrom("identity_providers").execute();
    expect((await save({ samlMetadata: metadata })).ok).toBe(true);

    expect(await save({ samlMetadata: "<not-metadata/>" })).toMatchObject({ ok: false, fieldErrors: { samlMetadata: [expect.stringContaining("gick inte att läsa")] } });
    expect(await save({ samlMetadataUrl: `${idp.entityId}/no-such-file` })).toMatchObject({ ok: false, fieldErrors: { samlMetadataUrl: [expect.any(String)] } });
    expect(await save({ issuer: "urn:x", samlSsoUrl: idp.ssoUrl, samlCertificate: "A".repeat(120) })).toMatchObject({ ok: false, fieldErrors: { samlCertificate: [expect.stringContaining("gick inte att läsa")] } });
    expect(await save({ issuer: "urn:x" })).toMatchObject({ ok: false, fieldErrors: { samlSsoUrl: [expect.any(String)], samlCertificate: [expect.any(String)] } });
  });

  it("sends an open redirect via returnTo to the start page instead", async () => {
    const id = await connect({ domains: "aneby.se", municipalityIds: [aneby] });
    for (const returnTo of ["//evil.example/", "https://evil.example/", "/\\evil.example"]) {
      const result = await roundTrip(id, { nameId: "adfs-anna" }, returnTo);
      expect(result.outcome.ok).toBe(true);
      expect(result.returnTo).toBe("/");
    }
  });
});
