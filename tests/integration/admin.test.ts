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
    expect(html).toContain("Loggade in");
    const entries = await server.db.selectFrom("audit_log").select(["detail"]).execute();
    const names = await server.db.selectFrom("participants").select(["first_name", "last_name", "email"]).execute();
    const allDetail = entries.map((e) => e.detail ?? "").join("\n");
    for (const p of names) expect(allDetail).not.toContain(p.email);
  });

  /** The rows of the log's table: one per event. */
  function logRows(html: string): string[] {
    const body = html.split('<table class="audit-log"')[1]?.split("</tbody>")[0] ?? "";
    return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1].replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim()).slice(1);
  }

  it("shows each event in Swedish with the person's name and its details as words, one row per event", async () => {
    await server.login("samordnare.vimmerby@programportalen.test");
    const html = await (await server.fetch("/admin/logg?action=auth.login", { cookie: admin })).text();
    const rows = logRows(html);
    expect(rows.length).toBeGreaterThan(0);
    const coordinatorName = (await server.db.selectFrom("users").select("name").where("email", "=", "samordnare.vimmerby@programportalen.test").executeTakeFirstOrThrow()).name;
    expect(rows.some((r) => r.includes(coordinatorName) && r.includes("Loggade in"))).toBe(true);
    for (const row of rows) {
      expect(row).not.toMatch(/auth\.login|\{"|":/);
      expect(row).toContain("Loggade in");
    }
  });

  it("filters the log by person, event and date on the server, and pages through it", async () => {
    await server.login("samordnare.vimmerby@programportalen.test");
    const today = new Date().toISOString().slice(0, 10);
    const byPerson = logRows(await (await server.fetch(`/admin/logg?person=${encodeURIComponent("samordnare.vimmerby")}&action=auth.login&from=${today}`, { cookie: admin })).text());
    expect(byPerson.length).toBeGreaterThan(0);
    const name = (await server.db.selectFrom("users").select("name").where("email", "=", "samordnare.vimmerby@programportalen.test").executeTakeFirstOrThrow()).name;
    for (const row of byPerson) expect(row).toContain(name);
    const future = logRows(await (await server.fetch("/admin/logg?from=2999-01-01", { cookie: admin })).text());
    expect(future).toEqual([]);
    const nobody = await (await server.fetch("/admin/logg?person=%25", { cookie: admin })).text();
    expect(nobody).toContain("Inga händelser matchar sökningen.");
    const all = await (await server.fetch("/admin/logg", { cookie: admin })).text();
    const pages = Number(/Sida 1 av (\d+)/.exec(all)?.[1] ?? "1");
    if (pages > 1) expect((await server.fetch(`/admin/logg?sida=${pages + 5}`, { cookie: admin })).status).toBe(200);
  });

  it("answers odd filter parameters with the whole log or a Swedish message, never an error", async () => {
    for (const query of ["sida=-1", "sida=abc", "sida=1e308", "action=%00", `person=${"x".repeat(500)}`, "from=2026-13-45", "to=x", "actor=99999999999", "action=finns.inte", "person[]=a&person=b"]) {
      const response = await server.fetch(`/admin/logg?${query}`, { cookie: admin });
      expect(response.status, query).toBe(200);
      expect(await response.text(), query).not.toMatch(/Unexpected Server Error|Application Error/);
    }
    expect(await (await server.fetch(`/admin/logg?person=${"x".repeat(500)}`, { cookie: admin })).text()).toContain("Skriv högst 100 tecken i fältet Person.");
  });

  it("answers a bad date filter with a message instead of an error", async () => {
    const response = await server.fetch("/admin/logg?from=igår", { cookie: admin });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Ange datum som ÅÅÅÅ-MM-DD.");
  });
});
