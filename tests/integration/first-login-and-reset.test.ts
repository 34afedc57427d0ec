import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { form, startTestServer, type TestServer } from "../support/http";

const CHOSEN = "trädgårdens gamla päronträd blommar sent";

describe("one-time passwords and reset links over HTTP", () => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.login("admin@programportalen.test");
  });
  afterAll(() => server.close());

  async function logIn(email: string, password: string): Promise<string> {
    const response = await server.fetch("/login", { method: "POST", body: form({ email, password, redirectTo: "/" }) });
    expect(response.status, `login as ${email}`).toBe(302);
    return response.headers.get("set-cookie")!.split(";")[0];
  }

  async function createByAdmin(email: string): Promise<{ id: number; password: string }> {
    const created = await server.fetch("/admin/anvandare/ny", { method: "POST", cookie: admin, body: form({ name: "Frida Först", email }) });
    expect(created.status).toBe(200);
    const password = /Engångslösenord: <strong>([A-Za-z0-9-]{19})<\/strong>/.exec(await created.text())![1];
    const { id } = await server.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow();
    return { id, password };
  }

  it("first-login change enforced: a one-time password opens only Mitt konto until it is changed", async () => {
    const { id, password } = await createByAdmin("frida.forst@programportalen.test");
    await server.fetch(`/admin/anvandare/${id}`, { method: "POST", cookie: admin, body: form({ intent: "add-grant", role: "coordinator", municipalityId: "1" }) });
    const cookie = await logIn("frida.forst@programportalen.test", password);
    for (const path of ["/", "/deltagare", "/program", "/deltagare/ny?x=1"]) {
      const response = await server.fetch(path, { cookie });
      expect(response.status, path).toBe(302);
      expect(response.headers.get("location"), path).toBe("/konto");
    }
    const post = await server.fetch("/deltagare/ny", { method: "POST", cookie, body: form({ firstName: "X" }) });
    expect([post.status, post.headers.get("location")]).toEqual([302, "/konto"]);
    const page = await server.fetch("/konto", { cookie });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Välj ett eget lösenord innan du fortsätter");

    const changed = await server.fetch("/konto", {
      method: "POST",
      cookie,
      body: form({ currentPassword: password, newPassword: CHOSEN, repeatPassword: CHOSEN }),
    });
    expect([changed.status, changed.headers.get("location")]).toEqual([302, "/"]);
    expect((await server.fetch("/deltagare", { cookie })).status).toBe(200);
    const user = await server.db.selectFrom("users").select("password_change_required").where("id", "=", id).executeTakeFirstOrThrow();
    expect(user.password_change_required).toBe(0);
  });

  it("first-login change enforced for a trainee's login given by a coordinator", async () => {
    const coordinator = await server.login("samordnare.vimmerby@programportalen.test");
    const withoutLogin = await server.db
      .selectFrom("participants as p")
      .leftJoin("role_grants as g", "g.participant_id", "p.id")
      .select("p.id")
      .where("p.municipality_id", "=", (eb) => eb.selectFrom("municipalities").select("id").where("slug", "=", "vimmerby"))
      .where("g.id", "is", null)
      .where("p.anonymised_at", "is", null)
      .where("p.email", "is not", null)
      // Whose address is no account yet (give login refuses one in use), the same participant on either engine.
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom("users as u").select("u.id").whereRef("u.email", "=", "p.email"))))
      .orderBy("p.id")
      .executeTakeFirstOrThrow();
    const given = await server.fetch(`/deltagare/${withoutLogin.id}?_data=${encodeURIComponent("routes/deltagare.$participantId._index")}`, {
      method: "POST",
      cookie: coordinator,
      body: form({ intent: "login" }),
    });
    const body = (await given.json()) as { login: { kind: string; email: string; oneTimePassword: string } };
    expect(body.login.kind).toBe("created");
    const cookie = await logIn(body.login.email, body.login.oneTimePassword);
    const response = await server.fetch("/schema", { cookie });
    expect([response.status, response.headers.get("location")]).toEqual([302, "/konto"]);
  });

  it("an administrator sends a reset link (and never sees a password); using it ends every login session", async () => {
    const email = "samordnare.savsjo@programportalen.test";
    const { id } = await server.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow();
    const before = await logIn(email, "portal-demo-2026");
    const sent = await server.fetch(`/admin/anvandare/${id}`, { method: "POST", cookie: admin, body: form({ intent: "send-reset-link" }) });
    expect(sent.status).toBe(200);
    const page = await sent.text();
    expect(page).toContain("En länk för att välja nytt lösenord är skickad");
    expect(page).not.toMatch(/nytt-losenord\/\d+\./);
    const mail = await server.db
      .selectFrom("mail_outbox")
      .select(["link_path", "body_text"])
      .where("recipient_user_id", "=", id)
      .where("kind", "=", "password_reset")
      .executeTakeFirstOrThrow();
    expect(mail.body_text).toContain("En administratör har skickat dig en länk");
    const reset = await server.fetch(mail.link_path!, { method: "POST", body: form({ newPassword: CHOSEN, repeatPassword: CHOSEN }) });
    expect([reset.status, reset.headers.get("location")]).toEqual([302, "/login?losenord=nytt"]);
    expect((await server.fetch("/", { cookie: before })).status).toBe(302);
    await logIn(email, CHOSEN);
    const again = await server.fetch(mail.link_path!, { method: "POST", body: form({ newPassword: CHOSEN, repeatPassword: CHOSEN }) });
    expect(again.status).toBe(400);
    const audit = await server.db.selectFrom("audit_log").select("action").where("entity_id", "=", String(id)).where("action", "like", "%reset%").execute();
    expect(audit.map((a) => a.action).sort()).toEqual(["auth.password_reset", "user.password_reset_sent"]);
  });

  it("the forgotten-password form answers alike for a known and an unknown address", async () => {
    const answers = [];
    for (const email of ["deltagare@programportalen.test", "finns.inte@programportalen.test"]) {
      const response = await server.fetch("/glomt-losenord", { method: "POST", body: form({ email }) });
      answers.push([response.status, (await response.text()).replace(/"email":"[^"]*"/g, "").replace(/value="[^"]*"/g, "").replace(/nonce="[^"]*"/g, "")]);
    }
    expect(answers[0][0]).toBe(200);
    expect(answers[1]).toEqual(answers[0]);
  });
});
