import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { form, startTestServer, type TestServer } from "../support/http";

describe("administration of users and the audit log", () => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.login("admin@programportalen.test");
  });
  afterAll(() => server.close());

  async function userId(email: string) {
    return (await server.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
  }

  it("disabling a user ends all their sessions at once", async () => {
    const first = await server.login("samordnare.eksjo@programportalen.test");
    const second = await server.login("samordnare.eksjo@programportalen.test");
    const id = await userId("samordnare.eksjo@programportalen.test");
    const response = await server.fetch(`/admin/anvandare/${id}`, { method: "POST", cookie: admin, body: form({ intent: "disable" }) });
    expect(response.status).toBe(200);
    for (const cookie of [first, second]) expect((await server.fetch("/", { cookie })).status).toBe(302);
    const retry = await server.fetch("/login", {
      method: "POST",
      body: form({ email: "samordnare.eksjo@programportalen.test", password: "portal-demo-2026" }),
    });
    expect(retry.status).toBe(401);
  });

  it("creates a user with a one-time password and grants a scoped role", async () => {
    const created = await server.fetch("/admin/anvandare/ny", {
      method: "POST",
      cookie: admin,
      body: form({ name: "Nina Ny", email: "nina.ny@programportalen.test" }),
    });
    expect(created.status).toBe(200);
    expect(await created.text()).toMatch(/Engångslösenord: <strong>[A-Za-z0-9-]{19}<\/strong>/);
    const id = await userId("nina.ny@programportalen.test");
    const withoutScope = await server.fetch(`/admin/anvandare/${id}`, { method: "POST", cookie: admin, body: form({ intent: "add-grant", role: "coordinator" }) });
    expect(withoutScope.status).toBe(400);
    expect(await withoutScope.text()).toContain("Välj kommun för rollen Kommunsamordnare.");
    const municipality = await server.db.selectFrom("municipalities").select("id").where("slug", "=", "aneby").executeTakeFirstOrThrow();
    const granted = await server.fetch(`/admin/anvandare/${id}`, {
      method: "POST",
      cookie: admin,
      body: form({ intent: "add-grant", role: "coordinator", municipalityId: String(municipality.id) }),
    });
    expect(granted.status).toBe(200);
    const grants = await server.db.selectFrom("role_grants").selectAll().where("user_id", "=", id).execute();
    expect(grants).toMatchObject([{ role: "coordinator", municipality_id: municipality.id, programme_id: null }]);
  });

  it("finding 3: gives no staff role to a trainee's account, whose data would then be joined with the staff member's", async () => {
    const id = await userId("deltagare@programportalen.test");
    const before = await server.db.selectFrom("role_grants").selectAll().where("user_id", "=", id).execute();
    const municipality = await server.db.selectFrom("municipalities").select("id").where("slug", "=", "vimmerby").executeTakeFirstOrThrow();
    const refused = await server.fetch(`/admin/anvandare/${id}`, {
      method: "POST",
      cookie: admin,
      body: form({ intent: "add-grant", role: "coordinator", municipalityId: String(municipality.id) }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Kontot är en deltagares inloggning");
    expect(await server.db.selectFrom("role_grants").selectAll().where("user_id", "=", id).execute()).toEqual(before);
  });

  it("refuses administration to everyone else, with an audit entry", async () => {
    const coordinator = await server.login("samordnare.vimmerby@programportalen.test");
    for (const path of ["/admin/anvandare", "/admin/logg", "/admin/anvandare/1"]) {
      expect((await server.fetch(path, { cookie: coordinator })).status, path).toBe(403);
    }
    const denied = await server.db.selectFrom("audit_log").select("action").where("action", "=", "authz.denied").execute();
    expect(denied.length).toBeGreaterThanOrEqual(3);
  });

  it("lets the administrator search the audit log, which holds no personal data", async () => {
    const response = await server.fetch("/admin/logg?action=auth.login", { cookie: admin });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("auth.login");
    const entries = await server.db.selectFrom("audit_log").select(["detail"]).execute();
    const names = await server.db.selectFrom("participants").select(["first_name", "last_name", "email"]).execute();
    const allDetail = entries.map((e) => e.detail ?? "").join("\n");
    for (const p of names) expect(allDetail).not.toContain(p.email);
  });

  it("answers a bad date filter with a message instead of an error", async () => {
    const response = await server.fetch("/admin/logg?from=igår", { cookie: admin });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Ange datum som ÅÅÅÅ-MM-DD.");
  });
});
