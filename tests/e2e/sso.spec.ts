import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "@playwright/test";
import Provider from "oidc-provider";
import { createUser } from "../../db/seed/factories";
import { startSamlIdp, type SamlTestIdp } from "../support/saml-idp";
import { expect, test } from "./fixtures";

/**
 * Logging in through a municipality's own identity provider, as a person
 * does it: the administrator connects the IdP in /admin/inloggning (and
 * reloads to see it stored), a coordinator who already has an account types
 * their address on the login page, is sent to the IdP and back, and is
 * logged in; after a reload and a second login the link holds.
 */

// Several page loads, two servers of the test's own and a login twice: on a busy machine a journey takes a while.
test.describe.configure({ timeout: 180_000 });

/** The administrator's form, filled as a person would; returns the saved provider's page. */
async function connectIdp(adminPage: Page, fields: { name: string; protocol: "oidc" | "saml"; domain: string; issuer?: string; clientId?: string; clientSecret?: string; metadataUrl?: string }) {
  await adminPage.goto("/admin/inloggning/ny");
  await adminPage.getByLabel("Namn", { exact: true }).fill(fields.name);
  await adminPage.getByLabel("Protokoll").selectOption(fields.protocol);
  if (fields.issuer) await adminPage.getByLabel("Utfärdare (issuer) eller SAML entity id").fill(fields.issuer);
  if (fields.clientId) await adminPage.getByLabel("Klient-id (application id)").fill(fields.clientId);
  if (fields.clientSecret) await adminPage.getByLabel("Klienthemlighet (client secret)").fill(fields.clientSecret);
  if (fields.metadataUrl) await adminPage.getByLabel("Metadataadress").fill(fields.metadataUrl);
  await adminPage.getByLabel("E-postdomäner").fill(fields.domain);
  await adminPage.getByRole("checkbox", { name: "Aneby" }).check();
  await adminPage.getByRole("button", { name: "Spara inloggningstjänst" }).click();
  await expect(adminPage.getByRole("status").filter({ hasText: "Inloggningstjänsten är sparad" })).toBeVisible();
  // What was stored, after a reload.
  await adminPage.reload();
  await expect(adminPage.getByLabel("E-postdomäner")).toHaveValue(fields.domain);
  await expect(adminPage.getByRole("checkbox", { name: "Aneby" })).toBeChecked();
}

async function startOnLoginPage(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("E-postadress").fill(email);
  await page.getByRole("button", { name: "Logga in via min kommun" }).click();
}

async function expectLoggedInAs(page: Page, name: string) {
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/, { timeout: 60_000 });
  await page.reload();
  await expect(page.getByRole("button", { name: "Logga ut" })).toBeVisible();
  await page.goto("/konto");
  await expect(page.getByText(name).first()).toBeVisible();
}

test.describe("SAML", () => {
  // Each test connects its own IdP: the portal keeps one provider per entity id.
  let idp: SamlTestIdp;
  test.beforeEach(async () => {
    idp = await startSamlIdp({ nameId: "unused", email: "unused@example.test" });
  });
  test.afterEach(() => idp.close());

  test("SAML journey: the administrator connects ADFS by its metadata URL, a coordinator logs in through it twice, reloads, logs out through the IdP and back, is logged out by the IdP, and a crafted RelayState leads nowhere", async ({ adminPage, browser, portalDb, testData }) => {
    const domain = `${testData.tag}.test`;
    const email = `saga.${testData.tag}@${domain}`;
    const name = `Saga Samlsson${testData.suffix()}`;
    await createUser(portalDb, { email, name, grants: [{ role: "coordinator", municipalityId: await testData.municipalityId("aneby") }] });
    await connectIdp(adminPage, { name: `ADFS ${testData.tag}`, protocol: "saml", domain, metadataUrl: idp.metadataUrl });
    await expect(adminPage.getByLabel("Utfärdare (issuer) eller SAML entity id")).toHaveValue(idp.entityId);

    // The page gives the values ADFS needs, and the metadata says the same.
    await adminPage.goto("/admin/inloggning");
    const origin = new URL(adminPage.url()).origin;
    await expect(adminPage.getByText(`${origin}/sso/saml/acs`)).toBeVisible();
    const metadata = await adminPage.request.get("/sso/saml/metadata");
    expect(await metadata.text()).toContain(`Location="${origin}/sso/saml/acs"`);

    const context = await browser.newContext();
    const page = await context.newPage();
    idp.next = { nameId: `adfs-${testData.tag}`, email, relayState: "https://evil.example/" };
    await startOnLoginPage(page, email);
    await expectLoggedInAs(page, name);
    expect(idp.lastRequest?.acs).toBe(`${origin}/sso/saml/acs`);

    // Logout goes through the IdP (single logout) and back: a signed LogoutRequest naming this login, the IdP's LogoutResponse.
    const firstSession = idp.lastSessionIndex;
    await page.getByRole("button", { name: "Logga ut" }).click();
    await expect(page).toHaveURL(/\/login\?utloggad=kommun$/, { timeout: 60_000 });
    await expect(page.getByRole("status").filter({ hasText: "Du är utloggad från Programportalen och från din kommuns inloggning." })).toBeVisible();
    expect(idp.lastLogoutRequest).toMatchObject({ verified: true, nameId: `adfs-${testData.tag}`, sessionIndex: firstSession, destination: `${idp.entityId}/slo` });
    await page.goto("/konto");
    await expect(page).toHaveURL(/\/login/);
    // Second login: the NameID link decides, even with another address at the IdP.
    idp.next = { nameId: `adfs-${testData.tag}`, email: `saga.ny.${testData.tag}@${domain}` };
    await startOnLoginPage(page, email);
    await expectLoggedInAs(page, name);
    // The IdP ends the session on its side (IdP-initiated logout): the portal's login ends too, and the IdP gets its answer.
    await page.goto(idp.logoutRequestUrl({ slo: `${origin}/sso/saml/slo`, nameId: `adfs-${testData.tag}`, sessionIndex: idp.lastSessionIndex! }));
    await expect(page.getByRole("heading", { name: "Utloggad hos test-IdP" })).toBeVisible();
    expect(idp.lastLogoutResponse).toContain("urn:oasis:names:tc:SAML:2.0:status:Success");
    await page.goto("/konto");
    await expect(page).toHaveURL(/\/login/);

    await adminPage.goto("/admin/inloggning");
    await expect(adminPage.getByRole("row", { name: new RegExp(`ADFS ${testData.tag}`) }).getByRole("cell").last()).toHaveText("1");
    await context.close();
  });

  test("SAML refusal: a signature the portal does not trust sends the person back to the login page with a message", async ({ adminPage, browser, portalDb, testData }) => {
    const domain = `${testData.tag}.test`;
    const email = `sven.${testData.tag}@${domain}`;
    await createUser(portalDb, { email, name: `Sven Samlsson${testData.suffix()}`, grants: [{ role: "coordinator", municipalityId: await testData.municipalityId("aneby") }] });
    await connectIdp(adminPage, { name: `ADFS ${testData.tag}`, protocol: "saml", domain, metadataUrl: idp.metadataUrl });
    const context = await browser.newContext();
    const page = await context.newPage();
    idp.next = { nameId: `adfs-${testData.tag}`, email, signedBy: "stranger" };
    await startOnLoginPage(page, email);
    await expect(page).toHaveURL(/\/login\?sso=flow$/, { timeout: 60_000 });
    await expect(page.getByRole("alert").filter({ hasText: /kunde inte slutföras/ })).toBeVisible();
    await page.goto("/konto");
    await expect(page).toHaveURL(/\/login/);
    await context.close();
  });
});

test.describe("OIDC", () => {
  let server: http.Server;
  let issuer: string;
  const client = { id: "programportalen", secret: "a client secret for the e2e provider only" };

  test.beforeAll(async ({}, testInfo) => {
    const baseURL = testInfo.project.use.baseURL!;
    let handler: http.RequestListener = (_req, res) => res.writeHead(503).end();
    server = http.createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: client.id,
          client_secret: client.secret,
          redirect_uris: [`${baseURL}/login/sso/oidc`],
          post_logout_redirect_uris: [`${baseURL}/login`],
          response_types: ["code"],
          grant_types: ["authorization_code"],
        },
      ],
      claims: { openid: ["sub"], email: ["email", "email_verified"] },
      // The login typed at the provider's page is its subject for the person ("entra-" + their e-mail); the e-mail claim is the address.
      findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => ({ sub: id, email: id.replace(/^entra-/, ""), email_verified: true }) }),
      pkce: { required: () => true },
      features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
      cookies: { keys: ["e2e cookie key of the test provider"] },
    });
    handler = provider.callback();
  });
  test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("OIDC journey: the administrator connects an OpenID Connect provider, a coordinator logs in through it, reloads, logs out there too and logs in again", async ({ adminPage, browser, portalDb, testData }) => {
    const domain = `${testData.tag}.test`;
    const email = `olle.${testData.tag}@${domain}`;
    const name = `Olle Oidcsson${testData.suffix()}`;
    await createUser(portalDb, { email, name, grants: [{ role: "coordinator", municipalityId: await testData.municipalityId("aneby") }] });
    await connectIdp(adminPage, { name: `Entra ${testData.tag}`, protocol: "oidc", domain, issuer, clientId: client.id, clientSecret: client.secret });

    const context = await browser.newContext();
    const page = await context.newPage();
    for (const _round of [1, 2]) {
      await startOnLoginPage(page, email);
      await expect(page).toHaveURL(new RegExp(`^${issuer}/`), { timeout: 60_000 });
      // The provider's own pages: its sign-in (any login; ours is the subject), then consent.
      await page.locator('input[name="login"]').fill(`entra-${email}`);
      const password = page.locator('input[name="password"]');
      if (await password.count()) await password.fill("whatever the test provider accepts");
      await page.getByRole("button", { name: "Sign-in" }).click();
      // Consent, each round: logging out at the provider also ends the grant given there.
      await page.getByRole("button", { name: "Continue" }).click();
      await expectLoggedInAs(page, name);
      await page.getByRole("button", { name: "Logga ut" }).click();
      // RP-initiated logout: the provider asks to confirm, then sends the browser back to the portal's login page.
      await expect(page).toHaveURL(new RegExp(`^${issuer}/`), { timeout: 60_000 });
      await page.getByRole("button", { name: /Yes, sign me out/i }).click();
      await expect(page).toHaveURL(/\/login$/, { timeout: 60_000 });
    }
    const link = await portalDb.selectFrom("linked_identities").select("subject").where("issuer", "=", issuer).execute();
    expect(link).toEqual([{ subject: `entra-${email}` }]);
    await context.close();
  });
});
