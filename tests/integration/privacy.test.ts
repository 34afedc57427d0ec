import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { form, startTestServer, type TestServer } from "../support/http";

const HULTSFRED = "samordnare.hultsfred@programportalen.test";
const VIMMERBY = "samordnare.vimmerby@programportalen.test";
const TRAINEE = "deltagare@programportalen.test";

describe("registerutdrag and anonymisation over HTTP", () => {
  let server: TestServer;
  let hultsfredCookie: string;
  let vimmerbyCookie: string;
  /** A Vimmerby participant who left years ago without ever being enrolled: nothing keeps her data. */
  let leaver: { id: number; first_name: string; last_name: string; email: string };

  beforeAll(async () => {
    server = await startTestServer();
    hultsfredCookie = await server.login(HULTSFRED);
    vimmerbyCookie = await server.login(VIMMERBY);
    leaver = await server.db
      .selectFrom("participants")
      .select(["id", "first_name", "last_name", "email"])
      .where("first_name", "=", "Gunnel")
      .where("last_name", "=", "Ekberg")
      .executeTakeFirstOrThrow();
  });
  afterAll(() => server.close());

  const row = () => server.db.selectFrom("participants").selectAll().where("id", "=", leaver.id).executeTakeFirstOrThrow();
  const audit = (action: string, actorEmail?: string) =>
    server.db
      .selectFrom("audit_log as a")
      .leftJoin("users as u", "u.id", "a.actor_user_id")
      .select(["a.action", "a.entity", "a.entity_id", "a.detail"])
      .where("a.action", "=", action)
      .where("a.entity_id", "=", String(leaver.id))
      .$if(actorEmail !== undefined, (q) => q.where("u.email", "=", actorEmail!))
      .execute();

  it("answers another municipality's coordinator 404 for the extract and the anonymisation, changes nothing and audits it", async () => {
    const before = await row();
    const deniedBefore = (await audit("authz.denied", HULTSFRED)).length;
    for (const path of [`/deltagare/${leaver.id}/registerutdrag`, `/deltagare/${leaver.id}/registerutdrag.json`, `/deltagare/${leaver.id}/anonymisera`]) {
      const response = await server.fetch(path, { cookie: hultsfredCookie });
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).not.toContain(leaver.last_name);
    }
    const post = await server.fetch(`/deltagare/${leaver.id}/anonymisera`, { method: "POST", cookie: hultsfredCookie, body: form({ confirm: "on" }) });
    expect(post.status).toBe(404);
    expect(await row()).toEqual(before);
    expect((await audit("authz.denied", HULTSFRED)).length).toBe(deniedBefore + 4);
  });

  it("lets the owning coordinator download the extract as an uncached attachment, audited with ids only", async () => {
    const response = await server.fetch(`/deltagare/${leaver.id}/registerutdrag.json`, { cookie: vimmerbyCookie });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="registerutdrag-deltagare-\d+-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    const body = await response.json();
    expect(body.participant).toMatchObject({ firstName: leaver.first_name, lastName: leaver.last_name, email: leaver.email });
    expect(body.participant.endReason).toBe("Gick i pension");
    expect(body.enrolments).toEqual([]);

    const page = await server.fetch(`/deltagare/${leaver.id}/registerutdrag`, { cookie: vimmerbyCookie });
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(await page.text()).toContain(`Registerutdrag för ${leaver.first_name} ${leaver.last_name}`);

    const entries = await audit("participant.register_extract", VIMMERBY);
    expect(entries.map((e) => JSON.parse(e.detail!).format).sort()).toEqual(["html", "json"]);
    for (const e of entries) expect(e.detail).not.toContain(leaver.last_name);
  });

  it("lets a trainee download their own extract and nobody else's", async () => {
    const cookie = await server.login(TRAINEE);
    const response = await server.fetch("/mina-uppgifter.json", { cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    const grant = await server.db
      .selectFrom("role_grants as g")
      .innerJoin("users as u", "u.id", "g.user_id")
      .select("g.participant_id")
      .where("u.email", "=", TRAINEE)
      .executeTakeFirstOrThrow();
    expect(body.participant.id).toBe(grant.participant_id);
    expect((await server.fetch(`/deltagare/${leaver.id}/registerutdrag.json`, { cookie })).status).toBe(403);
  });

  it("refuses to anonymise an active participant and needs the confirmation, then anonymises for good", async () => {
    const active = await server.db
      .selectFrom("role_grants as g")
      .innerJoin("users as u", "u.id", "g.user_id")
      .select("g.participant_id")
      .where("u.email", "=", TRAINEE)
      .executeTakeFirstOrThrow();
    const refused = await server.fetch(`/deltagare/${active.participant_id}/anonymisera`, { method: "POST", cookie: vimmerbyCookie, body: form({ confirm: "on" }) });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("inte avslutad");

    const before = await row();
    const unconfirmed = await server.fetch(`/deltagare/${leaver.id}/anonymisera`, { method: "POST", cookie: vimmerbyCookie, body: form({}) });
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.text()).toContain("inte kan ångras");
    expect(await row()).toEqual(before);

    const page = await (await server.fetch(`/deltagare/${leaver.id}/anonymisera`, { cookie: vimmerbyCookie })).text();
    expect(page).toContain("Jag förstår att detta inte kan ångras");

    const done = await server.fetch(`/deltagare/${leaver.id}/anonymisera`, { method: "POST", cookie: vimmerbyCookie, body: form({ confirm: "on" }) });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe(`/deltagare/${leaver.id}?sparad=anonymiserad`);
    const after = await row();
    expect(after).toMatchObject({ first_name: "Anonymiserad", email: `anonymiserad-${leaver.id}@invalid`, gender: before.gender, birth_year: before.birth_year });
    expect(await audit("participant.anonymised", VIMMERBY)).toHaveLength(1);

    // Nothing can write the person back.
    const edit = await server.fetch(`/deltagare/${leaver.id}/redigera`, { cookie: vimmerbyCookie });
    expect(edit.status).toBe(409);
  });
});
