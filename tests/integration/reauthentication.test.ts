import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { form, startTestServer, type TestServer } from "../support/http";

const MINUTE = 60_000;

describe("sensitive actions ask for the password again after 15 minutes", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const idOf = async (email: string) => (await server.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
  /** Moves the last proof of who the user is `minutes` into the past, in every login session of theirs. */
  async function provedAgo(email: string, minutes: number) {
    const at = new Date(Date.now() - minutes * MINUTE).toISOString();
    await server.db.updateTable("login_sessions").set({ authenticated_at: at }).where("user_id", "=", await idOf(email)).execute();
  }
  const grantsOf = async (userId: number) => (await server.db.selectFrom("role_grants").select("id").where("user_id", "=", userId).execute()).length;

  it("a role change with a login older than 15 minutes goes to Bekräfta att det är du and back, and changes nothing before", async () => {
    const admin = await server.login("admin@programportalen.test");
    const target = await idOf("samordnare.aneby@programportalen.test");
    const addGrant = () =>
      server.fetch(`/admin/anvandare/${target}`, { method: "POST", cookie: admin, body: form({ intent: "add-grant", role: "coordinator", municipalityId: "2" }) });
    const before = await grantsOf(target);

    await provedAgo("admin@programportalen.test", 16);
    const stale = await addGrant();
    expect([stale.status, stale.headers.get("location")]).toEqual([302, `/bekrafta?redirectTo=${encodeURIComponent(`/admin/anvandare/${target}`)}`]);
    expect(await grantsOf(target)).toBe(before);

    const page = await server.fetch(stale.headers.get("location")!, { cookie: admin });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Bekräfta att det är du");
    const wrong = await server.fetch("/bekrafta", { method: "POST", cookie: admin, body: form({ password: "inte mitt lösenord", redirectTo: `/admin/anvandare/${target}` }) });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("Lösenordet stämmer inte.");
    const confirmed = await server.fetch("/bekrafta", { method: "POST", cookie: admin, body: form({ password: "portal-demo-2026", redirectTo: `/admin/anvandare/${target}` }) });
    expect([confirmed.status, confirmed.headers.get("location")]).toEqual([302, `/admin/anvandare/${target}`]);

    expect((await addGrant()).status).toBe(200);
    expect(await grantsOf(target)).toBe(before + 1);
    const audit = await server.db.selectFrom("audit_log").select("action").where("action", "like", "auth.reauthenticat%").execute();
    expect(audit.map((a) => a.action).sort()).toEqual(["auth.reauthenticated", "auth.reauthentication_failed"]);
  });

  it("a login of 14 minutes ago still changes roles without asking", async () => {
    const admin = await server.login("admin@programportalen.test");
    await provedAgo("admin@programportalen.test", 14);
    const target = await idOf("samordnare.eksjo@programportalen.test");
    const response = await server.fetch(`/admin/anvandare/${target}`, { method: "POST", cookie: admin, body: form({ intent: "add-grant", role: "coordinator", municipalityId: "3" }) });
    expect(response.status).toBe(200);
  });

  it("anonymisation with an old login asks first, on the page and on the post", async () => {
    const email = "samordnare.vimmerby@programportalen.test";
    const coordinator = await server.login(email);
    const participant = await server.db
      .selectFrom("participants as p")
      .innerJoin("municipalities as m", "m.id", "p.municipality_id")
      .select("p.id")
      .where("m.slug", "=", "vimmerby")
      .where("p.anonymised_at", "is", null)
      .executeTakeFirstOrThrow();
    const path = `/deltagare/${participant.id}/anonymisera`;
    expect((await server.fetch(path, { cookie: coordinator })).status).toBe(200);
    await provedAgo(email, 30);
    const expected = `/bekrafta?redirectTo=${encodeURIComponent(path)}`;
    const page = await server.fetch(path, { cookie: coordinator });
    expect([page.status, page.headers.get("location")]).toEqual([302, expected]);
    const post = await server.fetch(path, { method: "POST", cookie: coordinator, body: form({ confirm: "on" }) });
    expect([post.status, post.headers.get("location")]).toEqual([302, expected]);
    const row = await server.db.selectFrom("participants").select("anonymised_at").where("id", "=", participant.id).executeTakeFirstOrThrow();
    expect(row.anonymised_at).toBeNull();
  });

  it("Bekräfta att det är du returns to a path on this site only (crafted redirect)", async () => {
    const email = "samordnare.hogsby@programportalen.test";
    const cookie = await server.login(email);
    for (const redirectTo of ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "/\t/evil.example"]) {
      await provedAgo(email, 20);
      const response = await server.fetch("/bekrafta", { method: "POST", cookie, body: form({ password: "portal-demo-2026", redirectTo }) });
      expect([response.status, response.headers.get("location")], redirectTo).toEqual([302, "/"]);
    }
    const page = await server.fetch(`/bekrafta?redirectTo=${encodeURIComponent("//evil.example")}`, { cookie });
    expect(await page.text()).toMatch(/<a [^>]*href="\/"[^>]*>Avbryt<\/a>/);
  });

  it("Bekräfta att det är du refuses bad input with 400 in Swedish and limits wrong passwords", async () => {
    const cookie = await server.login("samordnare.nassjo@programportalen.test");
    const empty = await server.fetch("/bekrafta", { method: "POST", cookie, body: form({}) });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Skriv ditt lösenord.");
    let last = 0;
    for (let i = 0; i < 7; i++) last = (await server.fetch("/bekrafta", { method: "POST", cookie, body: form({ password: `fel ${i}` }) })).status;
    expect(last).toBe(429);
  });
});
