import type { AppLoadContext } from "@remix-run/node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "~/db/connection.server";
import type { Ctx } from "~/domain/context.server";
import { saveIdentityProvider } from "~/domain/identity-providers.server";
import { checked } from "~/domain/result";
import { createMunicipality, createUser } from "../../db/seed/factories";
import { emptyDb } from "../../tests/support/db";
import { startTestIdp, type TestIdp } from "../../tests/support/oidc-idp";
import { openSecret } from "./secret-box.server";
import { passwordLoginBlocked } from "./sso-accounts.server";
import { finishOidcLogin, OIDC_CALLBACK_PATH, oidcLogoutUrl, startOidcLogin } from "./sso-oidc.server";

const PUBLIC_URL = "http://portal.test";
const config = { cookieSecure: false, sessionSecret: "s".repeat(40), ssoSecretKey: "k".repeat(40), publicUrl: PUBLIC_URL };

describe("OIDC login through a municipality's identity provider", () => {
  let db: Db;
  let idp: TestIdp;
  let context: AppLoadContext;
  let aneby: number;
  let eksjo: number;
  let anna: number;
  let admin: Ctx;

  async function connect(input: { issuer: string; domains: string; municipalityIds: number[]; passwordLoginAllowed?: boolean }) {
    const saved = await saveIdentityProvider(
      admin,
      null,
      checked({
        protocol: "oidc" as const,
        name: `IdP ${input.domains}`,
        issuer: input.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        emailDomains: input.domains.split(","),
        municipalityIds: input.municipalityIds,
        passwordLoginAllowed: input.passwordLoginAllowed ?? false,
      }),
      { secretKey: config.ssoSecretKey },
    );
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    return saved.value.id;
  }

  /** The browser's round trip: start, the IdP "logs in" the person, back to the callback (optionally with another state). */
  async function roundTrip(providerId: number, options: { returnTo?: string; state?: string } = {}) {
    const started = await startOidcLogin(context, providerId, options.returnTo);
    expect(started).not.toBeNull();
    const request = idp.authorize(started!.url);
    const cookie = started!.cookie.split(";")[0];
    const callback = `${PUBLIC_URL}${OIDC_CALLBACK_PATH}?code=the-code&state=${encodeURIComponent(options.state ?? request.state)}`;
    return finishOidcLogin(context, new Request(callback, { headers: { Cookie: cookie } }));
  }

  const auditActions = async () => (await db.selectFrom("audit_log").select(["action", "detail"]).orderBy("id").execute()).filter((a) => a.action.startsWith("auth."));

  beforeEach(async () => {
    db = await emptyDb();
    context = { db, config } as unknown as AppLoadContext;
    aneby = await createMunicipality(db, { name: "Aneby" });
    eksjo = await createMunicipality(db, { name: "Eksjö" });
    anna = await createUser(db, { email: "anna@aneby.se", name: "Anna", password: "annas lösenord som är långt", grants: [{ role: "coordinator", municipalityId: aneby }] });
    const adminId = await createUser(db, { email: "admin@portal.se", name: "Admin", grants: [{ role: "admin" }] });
    admin = { db, user: { id: adminId, email: "admin@portal.se", name: "Admin" }, grants: [{ role: "admin", municipalityId: null, programmeId: null, participantId: null }] };
    idp = await startTestIdp({ subject: "entra-oid-anna", email: "anna@aneby.se" });
  });
  afterEach(async () => {
    await idp.close();
    await db.destroy();
  });

  it("keeps the client secret sealed: not in the database in clear, opened only with the key", async () => {
    const id = await connect({ issuer: idp.issuer, domains: "aneby.se", municipalityIds: [aneby] });
    const row = await db.selectFrom("identity_providers").select("client_secret_encrypted").where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.client_secret_encrypted).not.toContain(idp.clientSecret);
    expect(openSecret(config.ssoSecretKey, row.client_secret_encrypted!)).toBe(idp.clientSecret);
    expect(openSecret("another key entirely, 32 characters or more", row.client_secret_encrypted!)).toBeNull();
  });

  it("links the existing account at the first login, matches on (issuer, subject) later, and audits both", async () => {
    const id = await connect({ issuer: idp.issuer, domains: "aneby.se", municipalityIds: [aneby] });
    const first = await roundTrip(id, { returnTo: "/deltagare" });
    expect(first.outcome).toEqual({ ok: true, userId: anna, linked: true });
    expect(first.returnTo).toBe("/deltagare");
    // The address changes at the IdP: the link, not the e-mail, decides.
    idp.nextClaims = { email: "anna.andersson@aneby.se" };
    const later = await roundTrip(id);
    expect(later.outcome).toEqual({ ok: true, userId: anna, linked: false });
    const links = await db.selectFrom("linked_identities").select(["issuer", "subject", "user_id"]).execute();
    expect(links).toEqual([{ issuer: idp.issuer, subject: "entra-oid-anna", user_id: anna }]);
    expect((await auditActions()).map((a) => a.action)).toEqual(["auth.sso_linked", "auth.login", "auth.login"]);
    expect(await passwordLoginBlocked(db, anna)).toBe(true);
  });

  it("never creates an account: an unknown person is refused and told to contact the coordinator", async () => {
    const id = await connect({ issuer: idp.issuer, domains: "aneby.se", municipalityIds: [aneby] });
    idp.nextClaims = { sub: "someone-else", email: "okand@aneby.se" };
    const result = await roundTrip(id);
    expect(result.outcome).toEqual({ ok: false, reason: "no_account" });
    expect(await db.selectFrom("users").select("id").where("email", "=", "okand@aneby.se").executeTakeFirst()).toBeUndefined();
  });

  it("refuses an unverified e-mail", async () => {
    const id = await connect({ issuer: idp.issuer, domains: "aneby.se", municipalityIds: [aneby] });
    idp.nextClaims = { email_verified: false };
    expect((await roundTrip(id)).outcome).toEqual({ ok: false, reason: "email_unverified" });
    expect(await db.selectFrom("linked_identities").selectAll().execute()).toEqual([]);
  });

  it("reads the e-mail from the userinfo endpoint when the ID token leaves it out", async () => {
    const id = await connect({ issuer: idp.issuer, domains: "aneby.se", municipalityIds: [aneby] });
    idp.emailOnlyInUserinfo = true;
    expect((await roundTrip(id)).outcome).toMatchObject({ ok: true, userId: anna });
  });

  it("refuses an unverified e-mail from the userinfo endpoint", async () => {
    const id = await connect({ issuer: idp.issuer, domains: "aneby.se", municipalityIds: [aneby] });
    idp.emailOnlyInUserinfo = true;
    idp.userinfo = { email_verified: false };
    expect((await roundTrip(id)).outcome).toEqual({ ok: false, reason: "email_unverified" });
  });

  it("refuses userinfo about another subject than the ID token's", async () => {
    const id = await connect({ issuer: idp.issuer, domains: "aneby.se", municipalityIds: [aneby] });
    idp.emailOnlyInUserinfo = true;
    idp.userinfo = { sub: "entra-oid-someone-else" };
    expect((await roundTrip(id)).outcome).toEqual({ ok: false, reason: "flow" });
    expect(await db.selectFrom("linked_identities").selectAll().execute()).toEqual([]);
  });

  it("refuses an ID token for another audience", async () => {
    const id = await connect({ issuer: idp.issuer, domains: "aneby.se", municipalityIds: [aneby] });
    idp.nextClaims = { aud: "some-other-client" };
    expect((await roundTrip(id)).outcome).toEqual({ ok: false, reason: "flow" });
    expect(await db.selectFrom("linked_identities").selectAll().execute()).toEqual([]);
  });

  it("refuses an expired ID token", async () => {
    const id = await connect({ issuer: idp.issuer, domains: "aneby.se", municipalityIds: [aneby] });
    const past = Math.floor(Date.now() / 1000) - 3600;
    idp.nextClaims = { iat: past - 300, exp: past };
    expect((await roundTrip(id)).outcome).toEqual({ ok: false, reason: "flow" });
  });

  it("refuses an ID token with a bad signature (a key not in the IdP's JWKS)", async () => {
    const id = await connect({ issuer: idp.issuer, domains: "aneby.se", municipalityIds: [aneby] });
    idp.signWithStrangerKey = true;
    expect((await roundTrip(id)).outcome).toEqual({ ok: false, reason: "flow" });
    expect(await db.selectFrom("linked_identities").selectAll().execute()).toEqual([]);
  });

  it("refuses a state mismatch", async () => {
    const id = await connect({ issuer: idp.issuer, domains: "aneby.se", municipalityIds: [aneby] });
    const result = await roundTrip(id, { state: "a-state-of-another-login" });
    expect(result.outcome).toEqual({ ok: false, reason: "flow" });
    const refused = (await auditActions()).at(-1)!;
    expect(refused.action).toBe("auth.sso_refused");
  });

  it("refuses a callback without the pending-login cookie", async () => {
    await connect({ issuer: idp.issuer, domains: "aneby.se", municipalityIds: [aneby] });
    const result = await finishOidcLogin(context, new Request(`${PUBLIC_URL}${OIDC_CALLBACK_PATH}?code=the-code&state=x`));
    expect(result.outcome).toEqual({ ok: false, reason: "flow" });
  });

  it("refuses a user of municipality A presenting municipality B's IdP (another domain)", async () => {
    const idpOfEksjo = await connect({ issuer: idp.issuer, domains: "eksjo.se", municipalityIds: [eksjo] });
    expect((await roundTrip(idpOfEksjo)).outcome).toEqual({ ok: false, reason: "domain_not_served" });
    expect(await db.selectFrom("linked_identities").selectAll().execute()).toEqual([]);
  });

  it("refuses a user of municipality A presenting municipality B's IdP (a shared domain)", async () => {
    await createUser(db, { email: "bo@region.se", name: "Bo", grants: [{ role: "coordinator", municipalityId: aneby }] });
    const idpOfEksjo = await connect({ issuer: idp.issuer, domains: "region.se", municipalityIds: [eksjo] });
    idp.nextClaims = { sub: "bo", email: "bo@region.se" };
    expect((await roundTrip(idpOfEksjo)).outcome).toEqual({ ok: false, reason: "municipality_not_served" });
  });

  it("sends an open redirect via returnTo to the start page instead", async () => {
    const id = await connect({ issuer: idp.issuer, domains: "aneby.se", municipalityIds: [aneby] });
    for (const returnTo of ["//evil.example/", "https://evil.example/", "/\\evil.example", "/\t/evil.example"]) {
      const result = await roundTrip(id, { returnTo });
      expect(result.outcome.ok).toBe(true);
      expect(result.returnTo).toBe("/");
    }
  });

  it("offers the IdP's end_session_endpoint for RP-initiated logout", async () => {
    const id = await connect({ issuer: idp.issuer, domains: "aneby.se", municipalityIds: [aneby] });
    const url = new URL((await oidcLogoutUrl(context, id))!);
    expect(url.origin + url.pathname).toBe(`${idp.issuer}/logout`);
    expect(url.searchParams.get("post_logout_redirect_uri")).toBe(`${PUBLIC_URL}/login`);
    expect(url.searchParams.get("client_id")).toBe(idp.clientId);
  });
});
