import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { form, startTestServer, type TestServer } from "../support/http";

describe("changing one's own password", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const email = "samordnare.savsjo@programportalen.test";

  it("refuses a wrong current password, a short or common new one, and a mismatch, changing nothing", async () => {
    const cookie = await server.login(email);
    const cases: [Record<string, string>, string][] = [
      [{ currentPassword: "fel-lösenord-1234", newPassword: "en lång mening om fika", repeatPassword: "en lång mening om fika" }, "Det nuvarande lösenordet stämmer inte."],
      [{ currentPassword: "portal-demo-2026", newPassword: "kort", repeatPassword: "kort" }, "minst 12 tecken"],
      [{ currentPassword: "portal-demo-2026", newPassword: "password1234", repeatPassword: "password1234" }, "för vanligt"],
      [{ currentPassword: "portal-demo-2026", newPassword: "en lång mening om fika", repeatPassword: "en annan mening" }, "Lösenorden är inte likadana."],
    ];
    for (const [body, message] of cases) {
      const response = await server.fetch("/konto", { method: "POST", cookie, body: form(body) });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(message);
    }
    expect((await server.fetch("/", { cookie })).status).toBe(200);
  });

  it("changes the password, keeps this session and ends the others", async () => {
    const other = await server.login(email);
    const cookie = await server.login(email);
    const response = await server.fetch("/konto", {
      method: "POST",
      cookie,
      body: form({ currentPassword: "portal-demo-2026", newPassword: "en lång mening om fika", repeatPassword: "en lång mening om fika" }),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Lösenordet är bytt.");
    expect((await server.fetch("/", { cookie })).status).toBe(200);
    expect((await server.fetch("/", { cookie: other })).status).toBe(302);
    const newLogin = await server.fetch("/login", { method: "POST", body: form({ email, password: "en lång mening om fika" }) });
    expect(newLogin.status).toBe(302);
  });
});
