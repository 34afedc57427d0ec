import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { form, startTestServer, type TestServer } from "../support/http";

const HULTSFRED = "samordnare.hultsfred@programportalen.test";
const VIMMERBY = "samordnare.vimmerby@programportalen.test";

describe("participants over HTTP", () => {
  let server: TestServer;
  let hultsfredCookie: string;
  let vimmerbyCookie: string;
  /** A Hultsfred participant with a personnummer. */
  let target: { id: number; first_name: string; email: string; personnummer: string };

  beforeAll(async () => {
    server = await startTestServer();
    hultsfredCookie = await server.login(HULTSFRED);
    vimmerbyCookie = await server.login(VIMMERBY);
    target = await server.db
      .selectFrom("participants as p")
      .innerJoin("participant_identities as i", "i.participant_id", "p.id")
      .innerJoin("municipalities as m", "m.id", "p.municipality_id")
      .select(["p.id", "p.first_name", "p.email", "i.personnummer"])
      .where("m.slug", "=", "hultsfred")
      .where("p.ended_on", "is", null)
      .orderBy("p.last_name")
      .executeTakeFirstOrThrow();
  });
  afterAll(() => server.close());

  const deniedCount = async (participantId: number) =>
    (
      await server.db
        .selectFrom("audit_log")
        .select("id")
        .where("action", "=", "authz.denied")
        .where("entity", "=", "participant")
        .where("entity_id", "=", String(participantId))
        .execute()
    ).length;

  const validFields = {
    firstName: "Kapad",
    lastName: "Deltagare",
    email: "kapad@vimmerby.example",
    department: "Socialförvaltningen",
    gender: "kvinna",
    birthYear: "1985",
    salaryGroup: "2",
  };

  it("refuses trainees, funders, programme leads and administrators with 403", async () => {
    for (const email of [
      "deltagare@programportalen.test",
      "finansiar@programportalen.test",
      "programledare@programportalen.test",
      "admin@programportalen.test",
    ]) {
      const cookie = await server.login(email);
      for (const path of ["/deltagare", "/deltagare.csv", "/deltagare/ny", "/deltagare/import", `/deltagare/${target.id}`]) {
        expect((await server.fetch(path, { cookie })).status, `${email} ${path}`).toBe(403);
      }
    }
  });

  it("answers another municipality's coordinator with 404 when the id in the URL is changed, and audits it", async () => {
    const before = await deniedCount(target.id);
    const detail = await server.fetch(`/deltagare/${target.id}`, { cookie: vimmerbyCookie });
    expect(detail.status).toBe(404);
    const body = await detail.text();
    expect(body).not.toContain(target.first_name);
    expect(body).not.toContain(target.email);
    expect((await server.fetch(`/deltagare/${target.id}/redigera`, { cookie: vimmerbyCookie })).status).toBe(404);
    expect(await deniedCount(target.id)).toBe(before + 2);
  });

  it("changes nothing when another municipality's coordinator posts a form for the participant", async () => {
    const row = () => server.db.selectFrom("participants").selectAll().where("id", "=", target.id).executeTakeFirstOrThrow();
    const before = await row();
    const deniedBefore = await deniedCount(target.id);

    const edit = await server.fetch(`/deltagare/${target.id}/redigera`, { method: "POST", cookie: vimmerbyCookie, body: form(validFields) });
    expect(edit.status).toBe(404);
    const end = await server.fetch(`/deltagare/${target.id}`, {
      method: "POST",
      cookie: vimmerbyCookie,
      body: form({ intent: "end", endedOn: "2026-10-01", endReason: "Försök" }),
    });
    expect(end.status).toBe(404);
    const login = await server.fetch(`/deltagare/${target.id}`, { method: "POST", cookie: vimmerbyCookie, body: form({ intent: "login" }) });
    expect(login.status).toBe(404);
    // Bad input changes nothing either: the refusal comes before the form is read.
    const bad = await server.fetch(`/deltagare/${target.id}/redigera`, { method: "POST", cookie: vimmerbyCookie, body: form({}) });
    expect(bad.status).toBe(404);

    expect(await row()).toEqual(before);
    expect(await server.db.selectFrom("users").select("id").where("email", "=", target.email).execute()).toEqual([]);
    expect(await deniedCount(target.id)).toBe(deniedBefore + 4);
  });

  it("answers bad input with 400 and Swedish messages, and stores nothing", async () => {
    const count = async () => (await server.db.selectFrom("participants").select("id").execute()).length;
    const before = await count();
    const response = await server.fetch("/deltagare/ny", {
      method: "POST",
      cookie: hultsfredCookie,
      body: form({ ...validFields, email: "inte-en-adress", personnummer: "19850101-1234", birthYear: "år" }),
    });
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain("Skriv e-postadressen som namn@kommun.se.");
    expect(body).toContain("Personnumret har fel kontrollsiffra.");
    expect(body).toContain("Fyll i födelseår med fyra siffror, till exempel 1985.");
    expect(await count()).toBe(before);

    const taken = await server.fetch("/deltagare/ny", {
      method: "POST",
      cookie: hultsfredCookie,
      body: form({ ...validFields, email: target.email.toUpperCase() }),
    });
    expect(taken.status).toBe(400);
    expect(await taken.text()).toContain("Det finns redan en deltagare med den e-postadressen i kommunen.");

    const end = await server.fetch(`/deltagare/${target.id}`, {
      method: "POST",
      cookie: hultsfredCookie,
      body: form({ intent: "end", endedOn: "2026-02-31", endReason: "" }),
    });
    expect(end.status).toBe(400);
    const endBody = await end.text();
    expect(endBody).toContain("Datumet finns inte.");
    expect(endBody).toContain("Fyll i orsak till avslut.");
    expect(await count()).toBe(before);
  });

  it("adds a participant through the form and shows her in the list", async () => {
    const response = await server.fetch("/deltagare/ny", {
      method: "POST",
      cookie: hultsfredCookie,
      body: form({ ...validFields, firstName: "Nyberg", email: "ny.berg@hultsfred.example" }),
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/deltagare\/\d+\?sparad=ny$/);
    const list = await server.fetch("/deltagare?q=nyberg", { cookie: hultsfredCookie });
    expect(await list.text()).toContain("ny.berg@hultsfred.example");
  });

  it("never shows the personnummer unmasked in the list or the CSV export, only in the owner's edit form", async () => {
    const full = `${target.personnummer.slice(0, 8)}-${target.personnummer.slice(8)}`;
    const masked = `${target.personnummer.slice(0, 8)}-****`;
    const last4 = target.personnummer.slice(8);

    const list = await (await server.fetch(`/deltagare?status=all&q=${encodeURIComponent(target.email)}`, { cookie: hultsfredCookie })).text();
    expect(list).toContain(masked);
    expect(list).not.toContain(full);
    expect(list).not.toContain(target.personnummer);

    const detail = await (await server.fetch(`/deltagare/${target.id}`, { cookie: hultsfredCookie })).text();
    expect(detail).toContain(masked);
    expect(detail).not.toContain(full);

    const csvResponse = await server.fetch("/deltagare.csv?status=all", { cookie: hultsfredCookie });
    expect(csvResponse.status).toBe(200);
    expect(csvResponse.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const csv = await csvResponse.text();
    expect(csv).toContain(masked);
    expect(csv).not.toMatch(new RegExp(`${target.personnummer.slice(0, 8)}-?${last4}`));
    expect(csv).not.toMatch(/\d{8}-?\d{4}/);

    const edit = await server.fetch(`/deltagare/${target.id}/redigera`, { cookie: hultsfredCookie });
    expect(edit.headers.get("cache-control")).toBe("no-store");
    expect(await edit.text()).toContain(full);

    const audit = await server.db.selectFrom("audit_log").select("detail").execute();
    for (const entry of audit) expect(entry.detail ?? "").not.toContain(last4);
  });

  it("gives a participant a login with a one-time password shown once", async () => {
    const participant = await server.db
      .selectFrom("participants as p")
      .innerJoin("municipalities as m", "m.id", "p.municipality_id")
      .leftJoin("role_grants as g", "g.participant_id", "p.id")
      .select(["p.id", "p.email"])
      .where("m.slug", "=", "hultsfred")
      .where("g.id", "is", null)
      .where("p.ended_on", "is", null)
      .executeTakeFirstOrThrow();
    const response = await server.fetch(`/deltagare/${participant.id}`, { method: "POST", cookie: hultsfredCookie, body: form({ intent: "login" }) });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const html = await response.text();
    expect(html).toContain("Lösenordet visas bara den här gången.");
    const password = /<code class="one-time-password">([^<]+)<\/code>/.exec(html)?.[1] ?? "";
    expect(password.length).toBeGreaterThanOrEqual(12);

    const signIn = await server.fetch("/login", { method: "POST", body: form({ email: participant.email, password }) });
    expect(signIn.status).toBe(302);
    const page = await (await server.fetch(`/deltagare/${participant.id}`, { cookie: hultsfredCookie })).text();
    expect(page).not.toContain(password);
    expect(page.replace(/<!-- -->/g, "")).toContain(`loggar in med ${participant.email}`);
    const audit = await server.db.selectFrom("audit_log").select("detail").where("action", "=", "participant.login_created").executeTakeFirstOrThrow();
    expect(audit.detail).not.toContain(password);
  });

  it("imports a CSV file sent as a multipart form, or lists the bad rows and imports nothing", async () => {
    const header = "Förnamn;Efternamn;E-post;Förvaltning;Befattning;Kön;Födelseår;Personnummer;Utbildningsnivå;Lönegrupp";
    const upload = (text: string) => {
      const body = new FormData();
      body.append("file", new Blob([text], { type: "text/csv" }), "deltagare.csv");
      return server.fetch("/deltagare/import", { method: "POST", cookie: hultsfredCookie, body });
    };
    const count = async () => (await server.db.selectFrom("participants").select("id").execute()).length;
    const before = await count();

    const bad = await upload(`${header}\nEva;Ek;eva.ek@hultsfred.example;Socialförvaltningen;;kvinna;1980;;;2\nOla;Ek;ola.ek@hultsfred.example;;;man;1980;;;2\n`);
    expect(bad.status).toBe(400);
    const badBody = await bad.text();
    expect(badBody).toContain("1 rad har fel. Ingenting har lästs in");
    expect(badBody).toContain("Förvaltning: Fyll i förvaltning.");
    expect(await count()).toBe(before);

    const good = await upload(`${header}\nEva;Ek;eva.ek@hultsfred.example;Socialförvaltningen;;kvinna;1980;;;2\nOla;Ek;ola.ek@hultsfred.example;Kommunledningsförvaltningen;;man;1980;;;2\n`);
    expect(good.status).toBe(302);
    expect(good.headers.get("location")).toBe("/deltagare/import?nya=2&uppdaterade=0&oforandrade=0");
    expect(await count()).toBe(before + 2);

    const notMultipart = await server.fetch("/deltagare/import", { method: "POST", cookie: hultsfredCookie, body: form({ file: "x" }) });
    expect(notMultipart.status).toBe(400);

    const template = await server.fetch("/deltagare/import/mall.csv", { cookie: hultsfredCookie });
    expect(template.status).toBe(200);
    expect(await template.text()).toContain(header);
  });
});
