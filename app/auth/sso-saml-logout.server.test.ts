import zlib from "node:zlib";
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "~/db/connection.server";
import type { Ctx } from "~/domain/context.server";
import { saveIdentityProvider } from "~/domain/identity-providers.server";
import { checked } from "~/domain/result";
import { createMunicipality, createUser } from "../../db/seed/factories";
import { emptyDb } from "../../tests/support/db";
import { NS_PERSISTENT, startSamlIdp, type SamlTestIdp } from "../../tests/support/saml-idp";
import { serviceProviderKey } from "./saml-sp-key.server";
import { startLoginSession } from "./session.server";
import { receiveSamlLogoutMessage, startSamlLogout } from "./sso-saml-logout.server";
import { samlEntityId, samlSloUrl } from "./sso-saml.server";

const PUBLIC_URL = "http://portal.test";
const SLO = samlSloUrl(PUBLIC_URL);
const config = { cookieSecure: false, sessionSecret: "s".repeat(40), ssoSecretKey: "k".repeat(40), publicUrl: PUBLIC_URL };

describe("SAML single logout", () => {
  let idp: SamlTestIdp;
  let db: Db;
  let context: AppLoadContext;
  let aneby: number;
  let anna: number;
  let bo: number;
  let providerId: number;

  beforeAll(async () => {
    idp = await startSamlIdp({ nameId: "adfs-anna", email: "anna@aneby.se" });
  });
  afterAll(() => idp.close());

  beforeEach(async () => {
    db = await emptyDb();
    context = { db, config } as unknown as AppLoadContext;
    aneby = await createMunicipality(db, { name: "Aneby" });
    anna = await createUser(db, { email: "anna@aneby.se", name: "Anna", grants: [{ role: "coordinator", municipalityId: aneby }] });
    bo = await createUser(db, { email: "bo@aneby.se", name: "Bo", grants: [{ role: "coordinator", municipalityId: aneby }] });
    const adminId = await createUser(db, { email: "admin@portal.se", name: "Admin", grants: [{ role: "admin" }] });
    const admin: Ctx = { db, user: { id: adminId, email: "admin@portal.se", name: "Admin" }, grants: [{ role: "admin", municipalityId: null, programmeId: null, participantId: null }] };
    const saved = await saveIdentityProvider(
      admin,
      null,
      checked({ protocol: "saml" as const, name: "ADFS Aneby", samlMetadataUrl: idp.metadataUrl, emailDomains: ["aneby.se"], municipalityIds: [aneby], passwordLoginAllowed: false }),
      { secretKey: config.ssoSecretKey },
    );
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    providerId = saved.value.id;
    return () => db.destroy();
  });

  const loginAs = (userId: number, nameId: string, sessionIndex: string) =>
    startLoginSession(context, userId, providerId, { nameId, nameIdFormat: NS_PERSISTENT, sessionIndex });
  const sessionsOf = async (userId: number) =>
    // Sorted here: SQLite and PostgreSQL put nulls at opposite ends.
    (await db.selectFrom("login_sessions").select("saml_session_index").where("user_id", "=", userId).execute()).map((s) => s.saml_session_index ?? "").sort();
  const lastRefusal = async () => {
    const row = await db.selectFrom("audit_log").select("detail").where("action", "=", "auth.sso_logout_refused").orderBy("id", "desc").executeTakeFirst();
    return row?.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null;
  };
  const get = (url: string, cookie?: string) => receiveSamlLogoutMessage(context, new Request(url, { headers: cookie ? { Cookie: cookie } : {} }));

  it("SP-initiated logout: a LogoutRequest to the IdP's SingleLogoutService, signed with the portal's key, naming the login's NameID and SessionIndex", async () => {
    const started = await startSamlLogout(context, providerId, { nameId: "adfs-anna", nameIdFormat: NS_PERSISTENT, sessionIndex: "_idp-session-1" });
    expect(started).not.toBeNull();
    expect(started!.url.startsWith(`${idp.entityId}/slo?`)).toBe(true);
    const request = idp.readLogoutRequest(started!.url);
    expect(request).toMatchObject({ issuer: samlEntityId(PUBLIC_URL), destination: `${idp.entityId}/slo`, nameId: "adfs-anna", nameIdFormat: NS_PERSISTENT, sessionIndex: "_idp-session-1" });
    const key = await serviceProviderKey(db, config.ssoSecretKey);
    expect(request.signedBy(key!.certificate)).toBe(true);
    expect(request.signedBy(idp.certificate)).toBe(false);
    // Changed on the way (another session): the signature no longer holds.
    const changed = new URL(started!.url);
    const xml = zlib.inflateRawSync(Buffer.from(changed.searchParams.get("SAMLRequest")!, "base64")).toString("utf8");
    changed.searchParams.set("SAMLRequest", zlib.deflateRawSync(Buffer.from(xml.replace("_idp-session-1", "_idp-session-2"))).toString("base64"));
    expect(idp.readLogoutRequest(changed.href).signedBy(key!.certificate)).toBe(false);
  });

  it("SP-initiated logout: no SingleLogoutService in the IdP's metadata, no trip to the IdP", async () => {
    await db.updateTable("identity_providers").set({ saml_slo_url: null }).execute();
    expect(await startSamlLogout(context, providerId, { nameId: "adfs-anna", nameIdFormat: NS_PERSISTENT, sessionIndex: "_s" })).toBeNull();
  });

  it("accepts the IdP's signed LogoutResponse to the request this browser sent, and refuses a forged, unsigned, misdirected or unrequested one", async () => {
    const fresh = async () => {
      const started = await startSamlLogout(context, providerId, { nameId: "adfs-anna", nameIdFormat: NS_PERSISTENT, sessionIndex: "_s" });
      return { id: idp.readLogoutRequest(started!.url).id, cookie: started!.cookie.split(";")[0] };
    };
    const ok = await fresh();
    expect(await get(idp.logoutResponseUrl({ slo: SLO, inResponseTo: ok.id }), ok.cookie)).toMatchObject({ kind: "portal_logout_done", confirmed: true });

    const cases = [
      { code: "invalid_response", url: (id: string) => idp.logoutResponseUrl({ slo: SLO, inResponseTo: id, signedBy: "stranger" }) },
      { code: "unsigned", url: (id: string) => idp.logoutResponseUrl({ slo: SLO, inResponseTo: id, signedBy: "none" }) },
      { code: "in_response_to", url: () => idp.logoutResponseUrl({ slo: SLO, inResponseTo: "_another-request" }) },
      { code: "destination", url: (id: string) => idp.logoutResponseUrl({ slo: SLO, inResponseTo: id, destination: "https://another-portal.example/slo" }) },
      { code: "invalid_response", url: (id: string) => idp.logoutResponseUrl({ slo: SLO, inResponseTo: id, issuer: "https://adfs.eksjo.se/adfs/services/trust" }) },
    ];
    for (const c of cases) {
      const pending = await fresh();
      expect(await get(c.url(pending.id), pending.cookie)).toMatchObject({ kind: "portal_logout_done", confirmed: false });
      expect(await lastRefusal()).toEqual({ code: c.code });
    }
    expect(await get(idp.logoutResponseUrl({ slo: SLO, inResponseTo: ok.id }))).toMatchObject({ kind: "portal_logout_done", confirmed: false });
    expect(await lastRefusal()).toEqual({ code: "no_pending_logout" });
  });

  it("refuses a forged or unsigned IdP-initiated LogoutRequest, and one for another address or from an unknown IdP: every session is kept", async () => {
    await loginAs(anna, "adfs-anna", "_s1");
    const attempts = [
      { code: "invalid_request", url: idp.logoutRequestUrl({ slo: SLO, nameId: "adfs-anna", signedBy: "stranger" }) },
      { code: "unsigned", url: idp.logoutRequestUrl({ slo: SLO, nameId: "adfs-anna", signedBy: "none" }) },
      { code: "destination", url: idp.logoutRequestUrl({ slo: SLO, nameId: "adfs-anna", destination: "https://another-portal.example/slo" }) },
      { code: "unknown_issuer", url: idp.logoutRequestUrl({ slo: SLO, nameId: "adfs-anna", issuer: "https://adfs.eksjo.se/adfs/services/trust" }) },
      // Signed by the IdP, then the NameID swapped for someone else's: the query signature no longer holds.
      {
        code: "invalid_request",
        url: (() => {
          const genuine = new URL(idp.logoutRequestUrl({ slo: SLO, nameId: "adfs-bo" }));
          const forged = new URL(idp.logoutRequestUrl({ slo: SLO, nameId: "adfs-anna", signedBy: "none" }));
          genuine.searchParams.set("SAMLRequest", forged.searchParams.get("SAMLRequest")!);
          return genuine.href;
        })(),
      },
    ];
    for (const attempt of attempts) {
      expect(await get(attempt.url)).toEqual({ kind: "refused" });
      expect(await lastRefusal()).toEqual({ code: attempt.code });
    }
    expect(await sessionsOf(anna)).toEqual(["_s1"]);
  });

  it("a valid IdP-initiated LogoutRequest ends exactly that person's login sessions of that SessionIndex, and is answered with a signed LogoutResponse", async () => {
    await loginAs(anna, "adfs-anna", "_s1");
    await loginAs(anna, "adfs-anna", "_s2");
    await loginAs(bo, "adfs-bo", "_s1");
    await startLoginSession(context, anna);

    const url = idp.logoutRequestUrl({ slo: SLO, nameId: "adfs-anna", sessionIndex: "_s1", relayState: "idp-state" });
    const outcome = await get(url);
    expect(outcome.kind).toBe("answered");
    expect(await sessionsOf(anna)).toEqual(["", "_s2"]);
    expect(await sessionsOf(bo)).toEqual(["_s1"]);

    // The answer goes back to the IdP's SingleLogoutService, in response to its request, signed by the portal.
    const answer = new URL((outcome as { redirectTo: string }).redirectTo);
    expect(answer.origin + answer.pathname).toBe(`${idp.entityId}/slo`);
    expect(answer.searchParams.get("RelayState")).toBe("idp-state");
    expect(answer.searchParams.get("Signature")).toBeTruthy();
    const xml = zlib.inflateRawSync(Buffer.from(answer.searchParams.get("SAMLResponse")!, "base64")).toString("utf8");
    const requestId = /ID="([^"]+)"/.exec(zlib.inflateRawSync(Buffer.from(new URL(url).searchParams.get("SAMLRequest")!, "base64")).toString("utf8"))![1];
    expect(xml).toContain(`InResponseTo="${requestId}"`);
    expect(xml).toContain("urn:oasis:names:tc:SAML:2.0:status:Success");

    // Without a SessionIndex: every SAML login of that NameID at that IdP ends, the password login stays.
    await get(idp.logoutRequestUrl({ slo: SLO, nameId: "adfs-anna" }));
    expect(await sessionsOf(anna)).toEqual([""]);
    const audited = await db.selectFrom("audit_log").select(["action", "entity_id"]).where("action", "=", "auth.sso_logout").execute();
    expect(audited).toEqual([
      { action: "auth.sso_logout", entity_id: String(anna) },
      { action: "auth.sso_logout", entity_id: String(anna) },
    ]);
  });
});
