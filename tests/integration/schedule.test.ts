import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEnrolment, createParticipant, createSession, createUser } from "../../db/seed/factories";
import { attendanceStatusLabels } from "../../app/ui/labels";
import { formatHours } from "../../app/utils/hours";
import { form, startTestServer, type TestServer } from "../support/http";

const TRAINEE = "deltagare@programportalen.test";
const LEAD = "programledare@programportalen.test";

const wallClock = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm", dateStyle: "short", timeStyle: "short" });

interface ParsedEvent {
  uid: string;
  summary: string;
  start: string;
  end: string;
  sequence: number;
  status: string | null;
  description: string;
}

function parseFeed(text: string): ParsedEvent[] {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return calendar.getAllSubcomponents("vevent").map((component) => {
    const event = new ICAL.Event(component);
    return {
      uid: event.uid,
      summary: event.summary,
      start: wallClock.format(event.startDate.toJSDate()),
      end: wallClock.format(event.endDate.toJSDate()),
      sequence: event.sequence,
      status: (component.getFirstPropertyValue("status") as string | null) ?? null,
      description: event.description,
    };
  });
}

/** The feed path inside an href such as webcal://host/kalender/<token>.ics */
function feedPathFrom(html: string): { href: string; path: string } {
  const href = html.match(/href="(webcal:\/\/[^"]+)"/)?.[1];
  if (!href) throw new Error("no webcal link on the page");
  return { href, path: new URL(href.replace(/^webcal:/, "http:")).pathname };
}

describe("Mitt schema and the calendar feed over HTTP", () => {
  let server: TestServer;
  let traineeCookie: string;
  let leadCookie: string;
  let cohortId: number;
  const dstSessions: Record<string, number> = {};

  beforeAll(async () => {
    server = await startTestServer();
    traineeCookie = await server.login(TRAINEE);
    leadCookie = await server.login(LEAD);
    cohortId = (await server.db.selectFrom("cohorts").select("id").where("name", "=", "Omgång 2").executeTakeFirstOrThrow()).id;
    const vimmerby = (await server.db.selectFrom("municipalities").select("id").where("slug", "=", "vimmerby").executeTakeFirstOrThrow()).id;
    // 09:00 Stockholm on both sides of the 2027 daylight-saving changes (28 March and 31 October).
    const around = {
      "before-spring": ["2027-03-26T08:00:00.000Z", "2027-03-26T15:00:00.000Z"],
      "after-spring": ["2027-03-29T07:00:00.000Z", "2027-03-29T14:00:00.000Z"],
      "before-autumn": ["2027-10-29T07:00:00.000Z", "2027-10-29T14:00:00.000Z"],
      "after-autumn": ["2027-11-01T08:00:00.000Z", "2027-11-01T15:00:00.000Z"],
    };
    for (const [name, [startsAt, endsAt]] of Object.entries(around)) {
      dstSessions[name] = await createSession(server.db, { cohortId, title: `DST ${name}`, startsAt, endsAt, hostMunicipalityId: vimmerby, venue: "Stadshuset", address: "Sevedegatan 39, Vimmerby", facilitator: "Eva Lindahl" });
    }
  });
  afterAll(() => server.close());

  /** The trainee's feed address, made (anew) with "Skapa adress": it is shown only in that answer. */
  let current: { href: string; path: string } | null = null;
  async function newTraineeFeed(): Promise<{ href: string; path: string }> {
    const page = await server.fetch("/schema", { method: "POST", cookie: traineeCookie });
    expect(page.status).toBe(200);
    current = feedPathFrom(await page.text());
    return current;
  }
  const traineeFeed = async () => current ?? newTraineeFeed();

  it("shows the trainee's schedule, and a webcal subscription link and a download link once, when the address is made", async () => {
    const response = await server.fetch("/schema", { cookie: traineeCookie });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Mitt schema");
    expect(html).toContain("https://www.openstreetmap.org/search?query=Sevedegatan%2039%2C%20Vimmerby");
    expect(html).toContain("Du har ingen kalenderadress än.");
    expect(html).not.toContain("webcal://");
    const made = await (await server.fetch("/schema", { method: "POST", cookie: traineeCookie })).text();
    const { href, path } = feedPathFrom(made);
    current = { href, path };
    expect(href).toMatch(/^webcal:\/\/[^/]+\/kalender\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(made).toContain(`href="http://localhost:3000${path}"`);
    expect(made).toContain("den visas bara den här gången");
    // The next visit says there is one, without showing it.
    const later = await (await server.fetch("/schema", { cookie: traineeCookie })).text();
    expect(later).not.toContain(path);
    expect(later).toContain("Skapa ny adress");
  });

  it("lists held sessions briefly, newest first, with the trainee's own attendance and hours", async () => {
    const html = await (await server.fetch("/schema", { cookie: traineeCookie })).text();
    const held = /<ul class="held-list">([\s\S]*?)<\/ul>/.exec(html)?.[1];
    expect(held).toBeDefined();
    const participant = await server.db
      .selectFrom("role_grants as g")
      .innerJoin("users as u", "u.id", "g.user_id")
      .select("g.participant_id as id")
      .where("u.email", "=", TRAINEE)
      .where("g.role", "=", "participant")
      .executeTakeFirstOrThrow();
    const past = await server.db
      .selectFrom("sessions as s")
      .leftJoin("attendance as a", (join) => join.onRef("a.session_id", "=", "s.id").on("a.participant_id", "=", participant.id!))
      .select(["s.id", "s.title", "s.status", "a.status as attendance", "a.minutes"])
      .where("s.cohort_id", "=", cohortId)
      .where("s.ends_at", "<", new Date().toISOString())
      .orderBy("s.starts_at", "desc")
      .execute();
    expect(past.length).toBeGreaterThan(0);
    // React separates adjacent text with <!-- -->; a reader sees one text.
    const items = held!.replaceAll("<!-- -->", "").split("<li>").slice(1);
    expect(items.map((item) => Number(/href="\/trafar\/(\d+)"/.exec(item)![1]))).toEqual(past.map((s) => s.id));
    past.forEach((s, i) => {
      if (s.status === "cancelled") expect(items[i]).toContain("Inställd");
      else if (s.attendance) expect(items[i]).toContain(`${attendanceStatusLabels[s.attendance]}, ${formatHours(s.minutes!)} tim`);
      else expect(items[i]).toContain("Närvaron är inte registrerad än");
    });
    // Where a held session was is no longer shown.
    expect(held).not.toContain("openstreetmap");
  });

  it("serves a valid feed: one event per session, stable UIDs, Stockholm wall-clock times across DST", async () => {
    const { path } = await traineeFeed();
    const response = await server.fetch(path);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/calendar/);
    const text = await response.text();
    const events = parseFeed(text);
    const expected = await server.db.selectFrom("sessions").select("id").where("cohort_id", "=", cohortId).execute();
    expect(events).toHaveLength(expected.length);
    expect(new Set(events.map((e) => e.uid))).toEqual(new Set(expected.map((s) => `session-${s.id}@programportalen`)));

    const byUid = (id: number) => events.find((e) => e.uid === `session-${id}@programportalen`)!;
    expect(byUid(dstSessions["before-spring"]).start).toBe("2027-03-26 09:00");
    expect(byUid(dstSessions["after-spring"]).start).toBe("2027-03-29 09:00");
    expect(byUid(dstSessions["after-spring"]).end).toBe("2027-03-29 16:00");
    expect(byUid(dstSessions["before-autumn"]).start).toBe("2027-10-29 09:00");
    expect(byUid(dstSessions["after-autumn"]).start).toBe("2027-11-01 09:00");
    const description = byUid(dstSessions["after-spring"]).description;
    expect(description).toContain("Kursledare: Eva Lindahl");
    expect(description).toContain(`http://localhost:3000/trafar/${dstSessions["after-spring"]}`);
    expect(text).toContain("LAST-MODIFIED:");
  });

  it("contains nothing about other participants", async () => {
    const { path } = await traineeFeed();
    const text = await (await server.fetch(path)).text();
    const others = await server.db
      .selectFrom("enrolments as e")
      .innerJoin("participants as p", "p.id", "e.participant_id")
      .select(["p.first_name", "p.last_name", "p.email"])
      .where("e.cohort_id", "=", cohortId)
      .execute();
    expect(others.length).toBeGreaterThan(10);
    for (const p of others) {
      expect(text).not.toContain(p.email);
      expect(text).not.toContain(`${p.first_name} ${p.last_name}`);
    }
  });

  it("answers 304 to an unchanged ETag, and a new ETag with SEQUENCE and STATUS:CANCELLED after the lead cancels", async () => {
    const { path } = await traineeFeed();
    const first = await server.fetch(path);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^(W\/)?".+"$/);
    expect(first.headers.get("last-modified")).toMatch(/GMT$/);
    const again = await server.fetch(path, { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);

    const sessionId = dstSessions["before-autumn"];
    const cancel = await server.fetch(`/trafar/${sessionId}`, { method: "POST", cookie: leadCookie, body: form({ intent: "cancel" }) });
    expect(cancel.status).toBe(302);

    const changed = await server.fetch(path, { headers: { "If-None-Match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    const event = parseFeed(await changed.text()).find((e) => e.uid === `session-${sessionId}@programportalen`)!;
    expect(event.status).toBe("CANCELLED");
    expect(event.sequence).toBe(1);

    // The trainee hears about it on the start page.
    const start = await (await server.fetch("/", { cookie: traineeCookie })).text();
    expect(start).toContain("Nytt sedan du var här");
    expect(start).toContain("DST before-autumn");
  });

  it("makes the old address answer 404 once the trainee makes a new one", async () => {
    const old = await traineeFeed();
    const renewed = await newTraineeFeed();
    expect(renewed.path).not.toBe(old.path);
    expect((await server.fetch(old.path)).status).toBe(404);
    expect((await server.fetch(renewed.path)).status).toBe(200);
    expect((await server.fetch("/kalender/not-a-token.ics")).status).toBe(404);
  });

  it("keeps another trainee's schedule out of your feed, and yours out of theirs", async () => {
    const traineeCohort = await server.db.selectFrom("cohorts").select(["id", "programme_id"]).where("name", "=", "Traineeomgång 1").executeTakeFirstOrThrow();
    const nassjo = (await server.db.selectFrom("municipalities").select("id").where("slug", "=", "nassjo").executeTakeFirstOrThrow()).id;
    const other = await createParticipant(server.db, { municipalityId: nassjo, firstName: "Tova", lastName: "Trainee", email: "tova.trainee@nassjo.example" });
    await server.db.updateTable("cohort_seats").set((eb) => ({ seats: eb("seats", "+", 1) })).where("cohort_id", "=", traineeCohort.id).where("municipality_id", "=", nassjo).execute();
    await createEnrolment(server.db, { cohortId: traineeCohort.id, participantId: other, municipalityId: nassjo, status: "active" });
    await createUser(server.db, { email: "tova@programportalen.test", name: "Tova Trainee", password: "portal-demo-2026", grants: [{ role: "participant", municipalityId: nassjo, participantId: other }] });
    const tovaCookie = await server.login("tova@programportalen.test");

    const tovaPage = await server.fetch("/schema", { method: "POST", cookie: tovaCookie });
    const tovaFeed = feedPathFrom(await tovaPage.text());
    const mine = await traineeFeed();
    expect(tovaFeed.path).not.toBe(mine.path);

    const tovaEvents = parseFeed(await (await server.fetch(tovaFeed.path)).text());
    const myEvents = parseFeed(await (await server.fetch(mine.path)).text());
    const traineeSessionUids = (await server.db.selectFrom("sessions").select("id").where("cohort_id", "=", traineeCohort.id).execute()).map(
      (s) => `session-${s.id}@programportalen`,
    );
    expect(tovaEvents.map((e) => e.uid).sort()).toEqual([...traineeSessionUids].sort());
    expect(myEvents.some((e) => traineeSessionUids.includes(e.uid))).toBe(false);
    // Her sessions are not reachable with my login either.
    expect((await server.fetch(`/trafar/${traineeSessionUids[0].match(/\d+/)![0]}`, { cookie: traineeCookie })).status).toBe(404);
  });

  it("gives a programme lead a feed of the cohorts they lead", async () => {
    const page = await server.fetch("/kalender", { method: "POST", cookie: leadCookie });
    expect(page.status).toBe(200);
    const { path } = feedPathFrom(await page.text());
    const events = parseFeed(await (await server.fetch(path)).text());
    const esf = await server.db
      .selectFrom("sessions as s")
      .innerJoin("cohorts as c", "c.id", "s.cohort_id")
      .innerJoin("programmes as p", "p.id", "c.programme_id")
      .select("s.id")
      .where("p.name", "=", "Ledarutveckling över gränserna")
      .execute();
    expect(events).toHaveLength(esf.length);
    // A trainee has no staff calendar, and a coordinator has no trainee schedule.
    expect((await server.fetch("/kalender", { cookie: traineeCookie })).status).toBe(403);
    const coordinator = await server.login("samordnare.vimmerby@programportalen.test");
    expect((await server.fetch("/schema", { cookie: coordinator })).status).toBe(403);
  });

  it("lets the lead move a session through the form; a bad form changes nothing", async () => {
    const sessionId = dstSessions["after-autumn"];
    const vimmerby = (await server.db.selectFrom("municipalities").select("id").where("slug", "=", "vimmerby").executeTakeFirstOrThrow()).id;
    const values = {
      title: "DST after-autumn",
      kind: "utbildningsdag",
      startDate: "2027-11-03",
      startTime: "10:00",
      endTime: "15:00",
      hostMunicipalityId: String(vimmerby),
      venue: "Stadshuset",
      address: "Sevedegatan 39, Vimmerby",
      facilitator: "Eva Lindahl",
    };
    const bad = await server.fetch(`/trafar/${sessionId}/redigera`, { method: "POST", cookie: leadCookie, body: form({ ...values, endTime: "08:00" }) });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Träffen måste sluta efter att den börjar");
    expect((await server.db.selectFrom("sessions").select("sequence").where("id", "=", sessionId).executeTakeFirstOrThrow()).sequence).toBe(0);

    const ok = await server.fetch(`/trafar/${sessionId}/redigera`, { method: "POST", cookie: leadCookie, body: form(values) });
    expect(ok.status).toBe(302);
    const detail = await (await server.fetch(`/trafar/${sessionId}`, { cookie: traineeCookie })).text();
    expect(detail).toContain("Flyttad från 1 nov. kl. 09:00 till 3 nov. kl. 10:00");
    const schedule = await (await server.fetch("/schema", { cookie: traineeCookie })).text();
    expect(schedule).toContain("Flyttad från 1 nov.");
    // Told at the participant register's address (ADR 031), not the login's.
    const { email: registerAddress } = await server.db
      .selectFrom("participants as p")
      .innerJoin("role_grants as g", "g.participant_id", "p.id")
      .innerJoin("users as u", "u.id", "g.user_id")
      .select("p.email")
      .where("u.email", "=", TRAINEE)
      .executeTakeFirstOrThrow();
    const queued = await server.db.selectFrom("mail_outbox").select(["to_address", "subject"]).where("kind", "=", "session_moved").execute();
    expect(queued).toContainEqual({ to_address: registerAddress, subject: "Träff flyttad – Programportalen" });
  });

  it("hides a cohort's sessions from a coordinator whose municipality is not a partner", async () => {
    const traineeCohort = await server.db.selectFrom("cohorts").select("id").where("name", "=", "Traineeomgång 1").executeTakeFirstOrThrow();
    const vimmerby = await server.login("samordnare.vimmerby@programportalen.test");
    expect((await server.fetch(`/omgangar/${traineeCohort.id}/trafar`, { cookie: vimmerby })).status).toBe(404);
    expect((await server.fetch(`/omgangar/${cohortId}/trafar`, { cookie: vimmerby })).status).toBe(200);
    // The programme does not let coordinators plan sessions: the new-session page is its lead's.
    expect((await server.fetch(`/omgangar/${cohortId}/trafar/ny`, { cookie: vimmerby })).status).toBe(404);
    const hultsfred = await server.login("samordnare.hultsfred@programportalen.test");
    const denied = await server.fetch(`/omgangar/${cohortId}/trafar/ny`, { method: "POST", cookie: hultsfred, body: form({ title: "X", kind: "workshop", startDate: "2027-05-05", startTime: "09:00", endTime: "10:00", hostMunicipalityId: "1", address: "Gatan 1" }) });
    expect(denied.status).toBe(404);
  });
});
