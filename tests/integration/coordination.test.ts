import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { form, startTestServer, type TestServer } from "../support/http";

const coordinator = (slug: string) => `samordnare.${slug}@programportalen.test`;
const LEAD = "programledare@programportalen.test";

describe("programmes, cohorts and nominations over HTTP", () => {
  let server: TestServer;
  let ids: { esf: number; trainee: number; cohort3: number; cohort2: number; traineeCohort: number; hultsfred: number; vimmerby: number };

  beforeAll(async () => {
    server = await startTestServer();
    const db = server.db;
    const programme = async (name: string) => (await db.selectFrom("programmes").select("id").where("name", "=", name).executeTakeFirstOrThrow()).id;
    const esf = await programme("Ledarutveckling över gränserna");
    const trainee = await programme("Regionalt traineeprogram");
    const cohort = async (programmeId: number, name: string) =>
      (await db.selectFrom("cohorts").select("id").where("programme_id", "=", programmeId).where("name", "=", name).executeTakeFirstOrThrow()).id;
    const municipality = async (slug: string) => (await db.selectFrom("municipalities").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;
    ids = {
      esf,
      trainee,
      cohort3: await cohort(esf, "Omgång 3"),
      cohort2: await cohort(esf, "Omgång 2"),
      traineeCohort: await cohort(trainee, "Traineeomgång 1"),
      hultsfred: await municipality("hultsfred"),
      vimmerby: await municipality("vimmerby"),
    };
  });
  afterAll(() => server.close());

  async function deniedCount(): Promise<number> {
    const row = await server.db
      .selectFrom("audit_log")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("action", "=", "authz.denied")
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function unenrolled(municipalityId: number): Promise<number> {
    const row = await server.db
      .selectFrom("participants as p")
      .select("p.id")
      .where("p.municipality_id", "=", municipalityId)
      .where((eb) => eb.not(eb.exists(eb.selectFrom("enrolments as e").select("e.id").whereRef("e.participant_id", "=", "p.id"))))
      .orderBy("p.id")
      .executeTakeFirstOrThrow();
    return row.id;
  }

  it("lists the programmes each role may see, and none for a participant", async () => {
    const vimmerby = await server.fetch("/program", { cookie: await server.login(coordinator("vimmerby")) });
    const vimmerbyHtml = await vimmerby.text();
    expect(vimmerbyHtml).toContain("Ledarutveckling över gränserna");
    expect(vimmerbyHtml).not.toContain("Regionalt traineeprogram");
    const nassjoHtml = await (await server.fetch("/program", { cookie: await server.login(coordinator("nassjo")) })).text();
    expect(nassjoHtml).toContain("Regionalt traineeprogram");
    expect((await server.fetch("/program", { cookie: await server.login("deltagare@programportalen.test") })).status).toBe(403);
  });

  it("answers a coordinator outside a programme with 404 for its pages, and audits it", async () => {
    const cookie = await server.login(coordinator("vimmerby"));
    const before = await deniedCount();
    expect((await server.fetch(`/program/${ids.trainee}`, { cookie })).status).toBe(404);
    expect((await server.fetch(`/omgangar/${ids.traineeCohort}`, { cookie })).status).toBe(404);
    expect((await server.fetch(`/omgangar/${ids.traineeCohort}/deltagarlista.csv`, { cookie })).status).toBe(404);
    expect(await deniedCount()).toBe(before + 3);
  });

  it("refuses to nominate another municipality's participant by changing the id in the form", async () => {
    const cookie = await server.login(coordinator("vimmerby"));
    const hultsfredPerson = await unenrolled(ids.hultsfred);
    const before = await deniedCount();
    const response = await server.fetch(`/omgangar/${ids.cohort3}`, {
      method: "POST",
      cookie,
      body: form({ intent: "nominate", participantIds: String(hultsfredPerson) }),
    });
    expect(response.status).toBe(404);
    const enrolments = await server.db.selectFrom("enrolments").select("id").where("participant_id", "=", hultsfredPerson).execute();
    expect(enrolments).toHaveLength(0);
    expect(await deniedCount()).toBe(before + 1);
  });

  it("refuses to withdraw, change or accept another municipality's enrolment", async () => {
    const hultsfred = await server.login(coordinator("hultsfred"));
    const nominated = await server.fetch(`/omgangar/${ids.cohort3}`, {
      method: "POST",
      cookie: hultsfred,
      body: form({ intent: "nominate", participantIds: String(await unenrolled(ids.hultsfred)) }),
    });
    expect(nominated.status).toBe(302);
    const enrolment = await server.db
      .selectFrom("enrolments")
      .select(["id", "status"])
      .where("cohort_id", "=", ids.cohort3)
      .where("municipality_id", "=", ids.hultsfred)
      .executeTakeFirstOrThrow();
    expect(enrolment.status).toBe("nominated");

    const vimmerby = await server.login(coordinator("vimmerby"));
    const before = await deniedCount();
    // Another municipality's enrolment is not theirs (404); accepting is never a coordinator's (403).
    const attempts: [URLSearchParams, number][] = [
      [form({ intent: "withdraw", enrolmentId: String(enrolment.id) }), 404],
      [form({ intent: "accept", enrolmentId: String(enrolment.id) }), 403],
      [form({ intent: "status", enrolmentId: String(enrolment.id), status: "dropped", date: "2026-01-05", reason: "Test" }), 404],
    ];
    for (const [body, status] of attempts) {
      const response = await server.fetch(`/omgangar/${ids.cohort3}`, { method: "POST", cookie: vimmerby, body });
      expect(response.status).toBe(status);
    }
    const after = await server.db.selectFrom("enrolments").select("status").where("id", "=", enrolment.id).executeTakeFirstOrThrow();
    expect(after.status).toBe("nominated");
    expect(await deniedCount()).toBe(before + attempts.length);

    // The lead cannot reach it through another cohort's URL either.
    const lead = await server.login(LEAD);
    const wrongCohort = await server.fetch(`/omgangar/${ids.cohort2}`, { method: "POST", cookie: lead, body: form({ intent: "accept", enrolmentId: String(enrolment.id) }) });
    expect(wrongCohort.status).toBe(404);
    const accepted = await server.fetch(`/omgangar/${ids.cohort3}`, { method: "POST", cookie: lead, body: form({ intent: "accept", enrolmentId: String(enrolment.id) }) });
    expect(accepted.status).toBe(302);
    expect((await server.db.selectFrom("enrolments").select("status").where("id", "=", enrolment.id).executeTakeFirstOrThrow()).status).toBe("accepted");
  });

  it("fuzz finding: a stale programme edit posted without JavaScript (multipart) answers 409 and shows why on the page", async () => {
    const vimmerby = await server.login(coordinator("vimmerby"));
    const programme = await server.db.selectFrom("programmes").selectAll().where("id", "=", ids.esf).executeTakeFirstOrThrow();
    const partners = await server.db.selectFrom("programme_partners").select("municipality_id").where("programme_id", "=", ids.esf).execute();
    const body = new FormData();
    for (const [name, value] of Object.entries({
      name: programme.name,
      kind: programme.kind,
      funding: programme.funding,
      ownerMunicipalityId: String(programme.owner_municipality_id),
      startsOn: programme.starts_on,
      endsOn: programme.ends_on,
      version: String(programme.version - 1 || programme.version + 1),
    })) body.append(name, value);
    for (const p of partners) body.append("partnerMunicipalityIds", String(p.municipality_id));
    const response = await server.fetch(`/program/${ids.esf}/redigera`, { method: "POST", cookie: vimmerby, body });
    expect(response.status).toBe(409);
    expect(await response.text()).toMatch(/class="alert alert--error"><p>Programmet har ändrats av någon annan/);
  });

  it("refuses programme and cohort management to coordinators who do not own the programme", async () => {
    const nassjo = await server.login(coordinator("nassjo"));
    const before = await deniedCount();
    // Editing is for the owning municipality's coordinator: to another, the page does not exist (404).
    expect((await server.fetch(`/program/${ids.esf}/redigera`, { cookie: nassjo })).status).toBe(404);
    const post = await server.fetch(`/program/${ids.esf}/redigera`, {
      method: "POST",
      cookie: nassjo,
      body: form({ name: "Kapat", kind: "trainee", funding: "own", ownerMunicipalityId: "1", startsOn: "2026-01-01", endsOn: "2026-12-31" }),
    });
    expect(post.status).toBe(404);
    // Cohorts are never a coordinator's to manage (403).
    expect((await server.fetch(`/omgangar/${ids.cohort3}/platser`, { cookie: nassjo })).status).toBe(403);
    expect((await server.fetch(`/omgangar/${ids.cohort3}/redigera`, { cookie: nassjo })).status).toBe(403);
    const programme = await server.db.selectFrom("programmes").select("name").where("id", "=", ids.esf).executeTakeFirstOrThrow();
    expect(programme.name).toBe("Ledarutveckling över gränserna");
    expect(await deniedCount()).toBe(before + 4);
  });

  it("answers bad input with 400 and Swedish messages, and changes nothing", async () => {
    const admin = await server.login("admin@programportalen.test");
    const programmesBefore = await server.db.selectFrom("programmes").select("id").execute();
    const created = await server.fetch("/program/ny", {
      method: "POST",
      cookie: admin,
      body: form({ name: "", kind: "okänd", funding: "esf", startsOn: "2027-05-01", endsOn: "2027-01-01" }),
    });
    expect(created.status).toBe(400);
    const text = await created.text();
    expect(text).toContain("Fyll i programmets namn.");
    expect(text).toContain("Välj typ av program.");
    expect(text).toContain("Välj ägande kommun.");
    const backwards = await server.fetch("/program/ny", {
      method: "POST",
      cookie: admin,
      body: form({ name: "Nytt program", kind: "trainee", funding: "own", ownerMunicipalityId: String(ids.vimmerby), startsOn: "2027-05-01", endsOn: "2027-01-01" }),
    });
    expect(backwards.status).toBe(400);
    expect(await backwards.text()).toContain("Slutdatum kan inte vara före startdatum.");
    expect(await server.db.selectFrom("programmes").select("id").execute()).toHaveLength(programmesBefore.length);

    const lead = await server.login(LEAD);
    const move = (values: Record<string, string>) =>
      server.fetch(`/omgangar/${ids.cohort3}/platser`, { method: "POST", cookie: lead, body: form(values) });
    const same = await move({ fromMunicipalityId: String(ids.vimmerby), toMunicipalityId: String(ids.vimmerby), seats: "1" });
    expect(same.status).toBe(400);
    expect(await same.text()).toContain("Välj en annan kommun än den som lämnar platserna.");
    const notANumber = await move({ fromMunicipalityId: String(ids.vimmerby), toMunicipalityId: String(ids.hultsfred), seats: "x" });
    expect(notANumber.status).toBe(400);
    expect(await notANumber.text()).toContain("Skriv antalet som ett heltal.");

    const tooMany = await server.fetch(`/omgangar/${ids.cohort2}/platser`, {
      method: "POST",
      cookie: lead,
      body: form({ fromMunicipalityId: String(ids.vimmerby), toMunicipalityId: String(ids.hultsfred), seats: "3" }),
    });
    expect(tooMany.status).toBe(400);
    expect(await tooMany.text()).toContain("Vimmerby har inga lediga platser att flytta.");
    expect(await server.db.selectFrom("seat_transfers").select("id").execute()).toHaveLength(0);

    const status = await server.fetch(`/omgangar/${ids.cohort2}`, {
      method: "POST",
      cookie: lead,
      body: form({ intent: "status", enrolmentId: "1", status: "dropped", date: "2026-13-45" }),
    });
    expect(status.status).toBe(400);
    const statusText = await status.text();
    expect(statusText).toContain("Ange varför deltagaren avbryter.");

    const unknownIntent = await server.fetch(`/omgangar/${ids.cohort2}`, { method: "POST", cookie: lead, body: form({ intent: "radera" }) });
    expect(unknownIntent.status).toBe(400);
  });

  it("moves free seats for the lead and records who and when", async () => {
    const lead = await server.login(LEAD);
    const response = await server.fetch(`/omgangar/${ids.cohort3}/platser`, {
      method: "POST",
      cookie: lead,
      body: form({ fromMunicipalityId: String(ids.hultsfred), toMunicipalityId: String(ids.vimmerby), seats: "1" }),
    });
    expect(response.status).toBe(302);
    const transfers = await server.db.selectFrom("seat_transfers").selectAll().execute();
    expect(transfers).toEqual([
      expect.objectContaining({ cohort_id: ids.cohort3, from_municipality_id: ids.hultsfred, to_municipality_id: ids.vimmerby, seats: 1 }),
    ]);
    const page = await (await server.fetch(`/omgangar/${ids.cohort3}/platser`, { cookie: lead })).text();
    expect(page).toContain("Petra Programledare");
  });

  it("exports the roster as CSV with the same scoping as the page", async () => {
    const bytes = Buffer.from(await (await server.fetch(`/omgangar/${ids.cohort2}/deltagarlista.csv`, { cookie: await server.login(LEAD) })).arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lead = bytes.subarray(3).toString("utf8");
    expect(lead.startsWith("Förnamn;Efternamn;Kommun;Status")).toBe(true);
    expect(lead).toMatch(/@hultsfred\.example/);

    const response = await server.fetch(`/omgangar/${ids.cohort2}/deltagarlista.csv`, { cookie: await server.login(coordinator("vimmerby")) });
    expect(response.headers.get("content-type")).toContain("text/csv");
    const csv = await response.text();
    expect(csv).toMatch(/@vimmerby\.example/);
    expect(csv).not.toMatch(/@hultsfred\.example/);
    expect(csv).toMatch(/\r\n[^;]+;[^;]+;Hultsfred;{9}\r\n/);
    const exported = await server.db.selectFrom("audit_log").select("action").where("action", "=", "roster.exported").execute();
    expect(exported.length).toBeGreaterThanOrEqual(2);
  });
});
