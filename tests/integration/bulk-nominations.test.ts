/**
 * Nominating several participants at once over HTTP, and its abuse cases:
 * another municipality's participant in the list, huge and oddly shaped
 * bodies, duplicate ids. Each refusal is a 4xx with a Swedish message and
 * writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_ROW_NUMBER } from "~/schemas/ids";
import { form, startTestServer, type TestServer } from "../support/http";

const VIMMERBY = "samordnare.vimmerby@programportalen.test";

describe("bulk nominations over HTTP", () => {
  let server: TestServer;
  let cohortId: number;
  let own: number[];
  let hultsfredPerson: number;
  let cookie: string;

  const enrolmentCount = async () => Number((await server.db.selectFrom("enrolments").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  const post = (body: URLSearchParams | string, type?: string) =>
    server.fetch(`/omgangar/${cohortId}`, { method: "POST", cookie, body, ...(type ? { headers: { "Content-Type": type } } : {}) });
  const textOf = (html: string) => html.replace(/<script\b[\s\S]*?<\/script>/gi, "").replace(/<[^>]*>/g, " ").replace(/\s+/g, " ");

  beforeAll(async () => {
    server = await startTestServer();
    const db = server.db;
    const municipality = async (slug: string) => (await db.selectFrom("municipalities").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;
    const vimmerby = await municipality("vimmerby");
    const hultsfred = await municipality("hultsfred");
    const esf = (await db.selectFrom("programmes").select("id").where("name", "=", "Ledarutveckling över gränserna").executeTakeFirstOrThrow()).id;
    cohortId = (await db.selectFrom("cohorts").select("id").where("programme_id", "=", esf).where("name", "=", "Omgång 3").executeTakeFirstOrThrow()).id;
    const notIn = (m: number) =>
      db
        .selectFrom("participants as p")
        .select("p.id")
        .where("p.municipality_id", "=", m)
        .where("p.ended_on", "is", null)
        .where((eb) => eb.not(eb.exists(eb.selectFrom("enrolments as e").select("e.id").whereRef("e.participant_id", "=", "p.id").where("e.cohort_id", "=", cohortId))))
        .orderBy("p.id")
        .execute();
    own = (await notIn(vimmerby)).map((r) => r.id);
    hultsfredPerson = (await notIn(hultsfred))[0].id;
    expect(own.length).toBeGreaterThanOrEqual(5);
    cookie = await server.login(VIMMERBY);
  });
  afterAll(() => server.close());

  it("nominate five at once: the preview names who gets a seat and who waits, writes nothing, and the save writes exactly that", async () => {
    const chosen = own.slice(0, 5).map(String);
    const before = await enrolmentCount();
    const preview = await post(form({ intent: "preview-nominations", participantIds: chosen }));
    expect(preview.status).toBe(200);
    const html = textOf(await preview.text());
    expect(html).toContain("Så här blir anmälan");
    expect(html).toContain("Inget är sparat ännu.");
    expect(await enrolmentCount()).toBe(before);
    const expected = /name="expectedNominated" value="(\d+)"/.exec(await (await post(form({ intent: "preview-nominations", participantIds: chosen }))).text())![1];

    const saved = await post(form({ intent: "nominate", participantIds: chosen, expectedNominated: expected }));
    expect(saved.status).toBe(302);
    const rows = await server.db.selectFrom("enrolments").select(["participant_id", "status"]).where("cohort_id", "=", cohortId).where("participant_id", "in", own.slice(0, 5)).execute();
    expect(rows).toHaveLength(5);
    expect(rows.filter((r) => r.status === "nominated")).toHaveLength(Number(expected));
    const page = textOf(await (await server.fetch(saved.headers.get("location")!, { cookie })).text());
    expect(page).toContain("Anmälningarna är sparade.");
  });

  it("another municipality's participant among one's own: 404 like a made-up id, nothing written", async () => {
    const before = await enrolmentCount();
    for (const intent of ["preview-nominations", "nominate"]) {
      const victim = await post(form({ intent, participantIds: [String(own[5]), String(hultsfredPerson)] }));
      const madeUp = await post(form({ intent, participantIds: [String(own[5]), "987654"] }));
      expect(victim.status).toBe(404);
      expect(madeUp.status).toBe(404);
      // The same page but for the nonce each page's scripts carry.
      const page = async (response: Response) => (await response.text()).replace(/nonce="[^"]+"/g, 'nonce=""');
      expect(await page(victim)).toBe(await page(madeUp));
    }
    expect(await enrolmentCount()).toBe(before);
  });

  it("huge or oddly shaped bodies and duplicate ids: 4xx with a Swedish message, nothing written", async () => {
    const before = await enrolmentCount();
    const cases: [string, URLSearchParams | string, number, RegExp, string?][] = [
      ["201 ids", form({ intent: "nominate", participantIds: Array.from({ length: 201 }, (_, i) => String(own[0] + i)) }), 400, /Högst 200 deltagare kan anmälas på en gång/],
      ["1 001 values under one name", form({ intent: "nominate", participantIds: Array.from({ length: 1001 }, () => String(own[5])) }), 413, /Formuläret/],
      ["an id above PostgreSQL's integer", form({ intent: "nominate", participantIds: String(MAX_ROW_NUMBER + 1) }), 400, /Formuläret kunde inte läsas/],
      ["1e309", form({ intent: "preview-nominations", participantIds: "1e309" }), 400, /Formuläret kunde inte läsas/],
      ["a duplicate id", form({ intent: "nominate", participantIds: [String(own[5]), String(own[6]), String(own[5])] }), 400, /Samma deltagare är vald två gånger/],
      ["no one chosen", form({ intent: "preview-nominations" }), 400, /Välj minst en deltagare att anmäla/],
      ["a list index in the name", form({ intent: "nominate", "participantIds[99999999]": String(own[5]) }), 413, /Formuläret har ett fält som inget formulär/],
      ["JSON", '{"intent":"nominate","participantIds":[1]}', 415, /format som portalen inte tar emot/, "application/json"],
    ];
    for (const [label, body, status, message, type] of cases) {
      const response = await post(body, type);
      expect(response.status, label).toBe(status);
      expect(textOf(await response.text()), label).toMatch(message);
    }
    expect(await enrolmentCount()).toBe(before);
  });
});
