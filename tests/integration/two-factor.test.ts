import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCodeAt } from "~/auth/totp.server";
import { form, startTestServer, type TestServer } from "../support/http";

const DEMO_PASSWORD = "portal-demo-2026";

/** The cookies a response sets, as a Cookie header (an empty value clears one). */
function cookiesOf(response: Response): Map<string, string> {
  const jar = new Map<string, string>();
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(";");
    const at = pair.indexOf("=");
    jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return jar;
}
const header = (jar: Map<string, string>) =>
  [...jar]
    .filter(([, v]) => v !== "")
    .map(([k, v]) => `${k}=${v}`)
    .join("; ");

describe("two-factor over HTTP", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const setRequired = (on: boolean) =>
    server.db
      .updateTable("portal_settings")
      .set({ two_factor_required: on ? 1 : 0 })
      .where("id", "=", 1)
      .execute();
  const secretOf = async (email: string) =>
    (
      await server.db
        .selectFrom("users")
        .select("totp_secret")
        .where("email", "=", email)
        .executeTakeFirstOrThrow()
    ).totp_secret!;

  function passwordLogin(email: string, password = DEMO_PASSWORD) {
    return server.fetch("/login", {
      method: "POST",
      body: form({ email, password, redirectTo: "/program" }),
    });
  }

  /** Enrols the logged-in account; returns its secret and the ten recovery codes the page showed once. */
  async function enrol(
    cookie: string,
    email: string
  ): Promise<{ secret: string; recoveryCodes: string[] }> {
    expect(
      (
        await server.fetch("/konto", {
          method: "POST",
          cookie,
          body: form({ intent: "two-factor-start" }),
        })
      ).status
    ).toBe(200);
    const secret = await secretOf(email);
    const page = await server.fetch("/konto", { cookie });
    expect(await page.text()).toContain(secret.slice(0, 4));
    const confirmed = await server.fetch("/konto", {
      method: "POST",
      cookie,
      body: form({
        intent: "two-factor-confirm",
        code: totpCodeAt(secret, Date.now()),
      }),
    });
    expect(confirmed.status).toBe(200);
    const recoveryCodes = [
      ...(await confirmed.text()).matchAll(
        /<code>([a-z2-9]{5}-[a-z2-9]{5})<\/code>/g
      ),
    ].map((m) => m[1]);
    expect(recoveryCodes).toHaveLength(10);
    return { secret, recoveryCodes };
  }

  /** The password step of an enrolled account: answers with the cookie of the waiting login, and no login session. */
  async function passwordStep(email: string): Promise<string> {
    const response = await passwordLogin(email);
    expect([response.status, response.headers.get("location")]).toEqual([
      302,
      "/tvastegskod",
    ]);
    const jar = cookiesOf(response);
    expect(jar.has("pp_session")).toBe(false);
    return header(jar);
  }

  const postCode = (stepCookie: string, code: string) =>
    server.fetch("/tvastegskod", {
      method: "POST",
      cookie: stepCookie,
      body: form({ code }),
    });

  it("sends an administrator with a password to enrol at the next login when the installation requires it, then asks for the code", async () => {
    const email = "admin@programportalen.test";
    // The demo data does not require it (ADR 024): the README's password alone opens the pages.
    const demo = await server.login(email);
    expect(
      (await server.fetch("/admin/anvandare", { cookie: demo })).status
    ).toBe(200);

    await setRequired(true);
    try {
      const cookie = await server.login(email);
      for (const path of ["/", "/admin/anvandare", "/admin/logg"]) {
        const response = await server.fetch(path, { cookie });
        expect(
          [response.status, response.headers.get("location")],
          path
        ).toEqual([302, "/konto"]);
      }
      expect(await (await server.fetch("/konto", { cookie })).text()).toContain(
        "Aktivera tvåstegsverifiering innan du fortsätter"
      );
      const { secret } = await enrol(cookie, email);
      expect((await server.fetch("/admin/anvandare", { cookie })).status).toBe(
        200
      );
      // Required by the role: it cannot be turned off.
      const off = await server.fetch("/konto", {
        method: "POST",
        cookie,
        body: form({
          intent: "two-factor-disable",
          code: totpCodeAt(secret, Date.now() + 30_000),
        }),
      });
      expect(off.status).toBe(400);
      expect(await off.text()).toContain("Din roll kräver tvåstegsverifiering");

      expect(
        (await server.fetch("/logout", { method: "POST", cookie })).status
      ).toBe(302);
      const step = await passwordStep(email);
      // The waiting login opens no page by itself.
      expect(
        (await server.fetch("/admin/anvandare", { cookie: step })).headers.get(
          "location"
        )
      ).toMatch(/^\/login/);
      const done = await postCode(
        step,
        totpCodeAt(secret, Date.now() + 30_000)
      );
      expect([done.status, done.headers.get("location")]).toEqual([
        302,
        "/program",
      ]);
      const session = header(cookiesOf(done));
      expect(
        (await server.fetch("/admin/anvandare", { cookie: session })).status
      ).toBe(200);
      const audit = await server.db
        .selectFrom("audit_log")
        .select(["action", "detail"])
        .where("action", "like", "%two_factor%")
        .execute();
      expect(audit.map((a) => a.action)).toContain(
        "account.two_factor_enabled"
      );
    } finally {
      await setRequired(false);
    }
  });

  it("a TOTP code used twice is refused", async () => {
    const email = "samordnare.aneby@programportalen.test";
    const { secret } = await enrol(await server.login(email), email);
    const code = totpCodeAt(secret, Date.now() + 30_000);
    expect((await postCode(await passwordStep(email), code)).status).toBe(302);
    const again = await postCode(await passwordStep(email), code);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("Koden stämmer inte");
  });

  it("a recovery code used twice is refused", async () => {
    const email = "samordnare.eksjo@programportalen.test";
    const { recoveryCodes } = await enrol(await server.login(email), email);
    const first = await postCode(await passwordStep(email), recoveryCodes[0]);
    // A used recovery code leads to Mitt konto, which says how many are left.
    expect([first.status, first.headers.get("location")]).toEqual([
      302,
      "/konto",
    ]);
    expect(
      await (
        await server.fetch("/konto", { cookie: header(cookiesOf(first)) })
      ).text()
    ).toMatch(/Reservkoder kvar:.*9.*av 10/);
    const again = await postCode(await passwordStep(email), recoveryCodes[0]);
    expect(again.status).toBe(400);
    expect(
      (
        await postCode(
          await passwordStep(email),
          recoveryCodes[1].toUpperCase()
        )
      ).status
    ).toBe(302);
    const used = await server.db
      .selectFrom("audit_log")
      .select("id")
      .where("action", "=", "auth.recovery_code_used")
      .execute();
    expect(used).toHaveLength(2);
  });

  it("a wrong code limited: five free, then a wait, and the right password again buys no more guesses", async () => {
    const email = "samordnare.hogsby@programportalen.test";
    const { secret } = await enrol(await server.login(email), email);
    const step = await passwordStep(email);
    // Five failures are free; the sixth starts a wait.
    for (let i = 0; i < 6; i++)
      expect(
        (await postCode(step, "000000")).status,
        `wrong code ${i + 1}`
      ).toBe(400);
    const held = await postCode(step, totpCodeAt(secret, Date.now() + 30_000));
    expect(held.status).toBe(429);
    expect(Number(held.headers.get("retry-after"))).toBeGreaterThan(0);

    // Wait out the block (its end moved to the past), keeping the count of failures.
    await server.db
      .updateTable("rate_limits")
      .set({ blocked_until: new Date(Date.now() - 1000).toISOString() })
      .execute();
    const again = await passwordStep(email);
    expect((await postCode(again, "000000")).status).toBe(400);
    expect((await postCode(again, "000000")).status).toBe(429);
  });

  it("the code page answers bad input with 400 in Swedish and no waiting login with the login page", async () => {
    expect((await server.fetch("/tvastegskod")).headers.get("location")).toBe(
      "/login"
    );
    expect(
      (
        await server.fetch("/tvastegskod", {
          method: "POST",
          body: form({ code: "123456" }),
        })
      ).headers.get("location")
    ).toBe("/login");
    const forged = await server.fetch("/tvastegskod", {
      method: "POST",
      cookie: "pp_login_step=eyJ1c2VySWQiOjF9",
      body: form({ code: "123456" }),
    });
    expect(forged.headers.get("location")).toBe("/login");
    const email = "samordnare.nassjo@programportalen.test";
    await enrol(await server.login(email), email);
    const step = await passwordStep(email);
    for (const code of ["", "1", "x".repeat(500)]) {
      const response = await postCode(step, code);
      expect(response.status, JSON.stringify(code.slice(0, 10))).toBe(400);
      expect(await response.text()).toMatch(
        /Koden (har sex siffror|är för lång)|Skriv koden/
      );
    }
  });
});
