/**
 * Issue 13's tenancy findings (3, 4, 5, 10, 11), each replayed over HTTP
 * against the built server as the outside tester did it on ff044a5. Every
 * test failed there; each now proves the class of the fix, not the request.
 * The whole authorization matrix behind them: authorization-matrix.test.ts
 * and tenant-isolation.test.ts.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverDueMail } from "~/mail/outbox.server";
import { queueDueReminders } from "~/mail/reminders.server";
import { fileTransport } from "~/mail/transport.server";
import { stockholmToday } from "~/utils/format";
import { form, startTestServer, type TestServer } from "../support/http";

const HULTSFRED = "samordnare.hultsfred@programportalen.test";
const VIMMERBY = "samordnare.vimmerby@programportalen.test";
const LEAD = "programledare@programportalen.test";
const OTHER_LEAD = "traineeledare@programportalen.test";
const TRAINEE = "deltagare@programportalen.test";
const ADMIN = "admin@programportalen.test";

const person = (overrides: Record<string, string>) =>
  form({ firstName: "Falsk", lastName: "Person", department: "Kommunledning", gender: "kvinna", birthYear: "1980", salaryGroup: "1", ...overrides });

/** "Ge inloggning" as a data request, answered with the action's JSON. */
const giveLogin = (server: TestServer, id: number, cookie: string) =>
  server.fetch(`/deltagare/${id}?_data=${encodeURIComponent("routes/deltagare.$participantId._index")}`, { method: "POST", cookie, body: form({ intent: "login" }) });

/** The id at the end of a redirect to /something/:id. */
function idFrom(response: Response): number {
  const match = /\/(\d+)(?:\?|$)/.exec(response.headers.get("location") ?? "");
  if (!match) throw new Error(`expected a redirect to a new object, got ${response.status} ${response.headers.get("location")}`);
  return Number(match[1]);
}

describe("issue 13, tenancy findings over HTTP", () => {
  let server: TestServer;
  const cookies: Record<string, string> = {};
  const cookie = async (email: string) => (cookies[email] ??= await server.login(email));
  let esf: number;
  let sharedCohort: number;
  let vimmerby: number;
  let hultsfred: number;

  beforeAll(async () => {
    server = await startTestServer();
    const db = server.db;
    esf = (await db.selectFrom("programmes").select("id").where("name", "=", "Ledarutveckling över gränserna").executeTakeFirstOrThrow()).id;
    sharedCohort = (await db.selectFrom("cohorts").select("id").where("programme_id", "=", esf).where("name", "=", "Omgång 2").executeTakeFirstOrThrow()).id;
    vimmerby = (await db.selectFrom("municipalities").select("id").where("slug", "=", "vimmerby").executeTakeFirstOrThrow()).id;
    hultsfred = (await db.selectFrom("municipalities").select("id").where("slug", "=", "hultsfred").executeTakeFirstOrThrow()).id;
  }, 60_000);
  afterAll(() => server.close());

  it("finding 3: give login to another municipality's account (or the administrator's) is refused with one answer, and the fake participant's extract and anonymisation never reach the account's owner", async () => {
    const db = server.db;
    const hultsfredCookie = await cookie(HULTSFRED);
    const trainee = await db.selectFrom("users").select(["id", "name"]).where("email", "=", TRAINEE).executeTakeFirstOrThrow();
    // The trainee logs in, subscribes to the schedule, and gets a notice and an e-mail when the lead cancels a session.
    const traineeCookie = await cookie(TRAINEE);
    expect((await server.fetch("/schema", { method: "POST", cookie: traineeCookie })).status).toBe(200);
    const upcoming = await db
      .selectFrom("sessions")
      .select("id")
      .where("cohort_id", "=", sharedCohort)
      .where("starts_at", ">", new Date().toISOString())
      .orderBy("starts_at", "desc")
      .executeTakeFirstOrThrow();
    expect((await server.fetch(`/trafar/${upcoming.id}`, { method: "POST", cookie: await cookie(LEAD), body: form({ intent: "cancel" }) })).status).toBe(302);
    const { email: registerAddress } = await db
      .selectFrom("participants as p")
      .innerJoin("role_grants as g", "g.participant_id", "p.id")
      .select("p.email")
      .where("g.user_id", "=", trainee.id)
      .executeTakeFirstOrThrow();
    const traineeRows = async () => ({
      feeds: await db.selectFrom("calendar_feeds").selectAll().where("user_id", "=", trainee.id).execute(),
      notices: await db.selectFrom("notifications").selectAll().where("user_id", "=", trainee.id).execute(),
      // Change notices go to the participant register's address (ADR 031); mail about the account to its login address.
      mail: await db.selectFrom("mail_outbox").selectAll().where("to_address", "in", [TRAINEE, registerAddress]).execute(),
      grants: await db.selectFrom("role_grants").selectAll().where("user_id", "=", trainee.id).execute(),
    });
    const before = await traineeRows();
    expect(before.feeds.length * before.notices.length * before.mail.length).toBeGreaterThan(0);

    // Hultsfred registers people with addresses that are someone else's: the trainee's, the administrator's, and (in
    // other capitals) that of a Vimmerby participant who has no login at all.
    const withoutLogin = await db
      .selectFrom("participants")
      .select("email")
      .where("municipality_id", "=", vimmerby)
      .where("id", "not in", db.selectFrom("role_grants").select("participant_id").where("participant_id", "is not", null))
      .where("anonymised_at", "is", null)
      .executeTakeFirstOrThrow();
    const answers: { status: number; text: string }[] = [];
    const fakes: number[] = [];
    for (const email of [TRAINEE, ADMIN, withoutLogin.email.toUpperCase()]) {
      const created = await server.fetch("/deltagare/ny", { method: "POST", cookie: hultsfredCookie, body: person({ email }) });
      expect(created.status, email).toBe(302);
      const id = idFrom(created);
      fakes.push(id);
      const login = await giveLogin(server, id, hultsfredCookie);
      answers.push({ status: login.status, text: JSON.stringify(await login.json()) });
    }
    // Refused, and the answer says nothing about whose the address is or whether an account has it.
    expect(answers.every((a) => a.status === 400)).toBe(true);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(answers[0].text).not.toMatch(/finns redan en användare|granted/);
    const fresh = await server.fetch("/deltagare/ny", { method: "POST", cookie: hultsfredCookie, body: person({ email: "ny.person@hultsfred.example" }) });
    const freshLogin = await giveLogin(server, idFrom(fresh), hultsfredCookie);
    expect(freshLogin.status).toBe(200);
    expect((await freshLogin.json()).login.kind).toBe("created");

    // The fake participant's register extract holds nothing of the trainee or the administrator.
    const admin = await db.selectFrom("users").select("id").where("email", "=", ADMIN).executeTakeFirstOrThrow();
    for (const id of fakes) {
      const extract = await (await server.fetch(`/deltagare/${id}/registerutdrag.json`, { cookie: hultsfredCookie })).json();
      for (const key of ["logins", "loginSessions", "calendarFeeds", "notifications", "emails", "roleGrants"]) expect(extract[key], key).toEqual([]);
      expect(JSON.stringify(extract)).not.toContain(trainee.name);
      expect(extract.auditLog.every((a: { entityId: string }) => a.entityId === String(id))).toBe(true);
    }
    expect(await db.selectFrom("role_grants").select("id").where("user_id", "=", admin.id).where("role", "=", "participant").execute()).toEqual([]);

    // Ending and anonymising the fake leaves the trainee's feed, notices, e-mail and grant alone.
    const fake = fakes[0];
    expect((await server.fetch(`/deltagare/${fake}`, { method: "POST", cookie: hultsfredCookie, body: form({ intent: "end", endedOn: stockholmToday(), endReason: "Fel" }) })).status).toBe(302);
    expect((await server.fetch(`/deltagare/${fake}/anonymisera`, { method: "POST", cookie: hultsfredCookie, body: form({ confirm: "on" }) })).status).toBe(302);
    expect(await traineeRows()).toEqual(before);
    expect((await server.fetch("/mina-uppgifter.json", { cookie: traineeCookie })).status).toBe(200);
  });

  it("finding 4: a coordinator cannot plan a session in a shared cohort unless the programme allows it, and never reads or writes another municipality's attendance", async () => {
    const db = server.db;
    const hultsfredCookie = await cookie(HULTSFRED);
    const today = stockholmToday();
    const session = (title: string) =>
      form({
        title,
        kind: "workshop",
        startDate: today,
        startTime: "00:00",
        endTime: "23:45",
        hostMunicipalityId: String(hultsfred),
        venue: "Hultsfreds bibliotek",
        address: "Storgatan 1",
        meetingUrl: "https://evil.example/phish",
      });
    const sessionCount = async () => Number((await db.selectFrom("sessions").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    const before = await sessionCount();

    // As the tester did it: a session starting today in Omgång 2, with the attacker's meeting link.
    const refused = await server.fetch(`/omgangar/${sharedCohort}/trafar/ny`, { method: "POST", cookie: hultsfredCookie, body: session("Kapad träff") });
    expect(refused.status).toBe(404);
    expect(await sessionCount()).toBe(before);
    await queueDueReminders(db, { daysBefore: 2 });
    const phishing = await db.selectFrom("mail_outbox").select("id").where("body_text", "like", "%evil.example%").execute();
    expect(phishing).toEqual([]);

    // The lead lets coordinators plan the sessions their municipality hosts.
    const allowed = await server.fetch(`/program/${esf}/kostnader`, {
      method: "POST",
      cookie: await cookie(LEAD),
      body: form({ intent: "session_planning", coordinatorsPlanSessions: "on" }),
    });
    expect(allowed.status).toBe(302);
    const settings = await (await server.fetch(`/program/${esf}/kostnader`, { cookie: await cookie(LEAD) })).text();
    expect(settings).toMatch(/<input type="checkbox" id="coordinators-plan-sessions"[^>]*checked/);
    const created = await server.fetch(`/omgangar/${sharedCohort}/trafar/ny`, { method: "POST", cookie: hultsfredCookie, body: session("Hultsfreds träff") });
    expect(created.status).toBe(302);
    const sessionId = idFrom(created);

    // The attendance sheet of Hultsfred's own session shows Hultsfred's participants, nobody else's.
    const roster = await db
      .selectFrom("enrolments as e")
      .innerJoin("participants as p", "p.id", "e.participant_id")
      .select(["p.id", "p.first_name", "p.last_name", "e.municipality_id"])
      .where("e.cohort_id", "=", sharedCohort)
      .where("e.status", "=", "active")
      .execute();
    const others = roster.filter((r) => r.municipality_id !== hultsfred);
    const own = roster.filter((r) => r.municipality_id === hultsfred);
    expect(others.length * own.length).toBeGreaterThan(0);
    const sheet = await server.fetch(`/trafar/${sessionId}/narvaro`, { cookie: hultsfredCookie });
    expect(sheet.status).toBe(200);
    const html = await sheet.text();
    for (const r of own) expect(html).toContain(`${r.first_name} ${r.last_name}`);
    for (const r of others) expect(html).not.toContain(`${r.first_name} ${r.last_name}`);

    // Eight hours for a Vimmerby participant, together with one of Hultsfred's own: all refused, nothing written.
    const victim = others.find((r) => r.municipality_id === vimmerby)!;
    const reportsBefore = await db.selectFrom("time_reports").selectAll().where("participant_id", "=", victim.id).execute();
    const write = await server.fetch(`/trafar/${sessionId}/narvaro`, {
      method: "POST",
      cookie: hultsfredCookie,
      body: form({
        "rows[0].participantId": String(own[0].id),
        "rows[0].version": "0",
        "rows[0].status": "narvarande",
        "rows[0].hours": "8",
        "rows[1].participantId": String(victim.id),
        "rows[1].version": "0",
        "rows[1].status": "narvarande",
        "rows[1].hours": "8",
      }),
    });
    expect(write.status).toBe(404);
    expect(await db.selectFrom("attendance").select("id").where("session_id", "=", sessionId).execute()).toEqual([]);
    expect(await db.selectFrom("time_reports").selectAll().where("participant_id", "=", victim.id).execute()).toEqual(reportsBefore);

    // Their own participant alone is saved.
    const ownOnly = await server.fetch(`/trafar/${sessionId}/narvaro`, {
      method: "POST",
      cookie: hultsfredCookie,
      body: form({ "rows[0].participantId": String(own[0].id), "rows[0].version": "0", "rows[0].status": "narvarande", "rows[0].hours": "8" }),
    });
    expect(ownOnly.status).toBe(302);
    expect((await db.selectFrom("attendance").select("participant_id").where("session_id", "=", sessionId).execute()).map((a) => a.participant_id)).toEqual([own[0].id]);

    // A meeting link that shows one site and goes to another is refused, whoever plans.
    const disguised = await server.fetch(`/omgangar/${sharedCohort}/trafar/ny`, {
      method: "POST",
      cookie: await cookie(LEAD),
      body: form({ ...Object.fromEntries(session("Länk")), meetingUrl: "https://teams.microsoft.com@evil.example/" }),
    });
    expect(disguised.status).toBe(400);
  });

  it("finding 5: anonymising a participant named like a session changes nobody else's notices, e-mail, session changes or audit details", async () => {
    const db = server.db;
    const vimmerbyCookie = await cookie(VIMMERBY);
    // The lead cancels the upcoming "Digital lärgrupp": every active trainee of the cohort gets a notice and an e-mail naming it.
    const digital = await db
      .selectFrom("sessions")
      .select("id")
      .where("title", "=", "Digital lärgrupp")
      .where("cohort_id", "=", sharedCohort)
      .where("starts_at", ">", new Date().toISOString())
      .where("status", "=", "planned")
      .orderBy("starts_at")
      .executeTakeFirstOrThrow();
    expect((await server.fetch(`/trafar/${digital.id}`, { method: "POST", cookie: await cookie(LEAD), body: form({ intent: "cancel" }) })).status).toBe(302);
    const snapshot = async () => ({
      notifications: await db.selectFrom("notifications").selectAll().orderBy("id").execute(),
      mail: await db.selectFrom("mail_outbox").select(["id", "to_address", "subject", "body_text"]).orderBy("id").execute(),
      changes: await db.selectFrom("session_changes").selectAll().orderBy("id").execute(),
      audit: await db.selectFrom("audit_log").select(["id", "detail"]).orderBy("id").execute(),
    });
    const before = await snapshot();
    expect(before.notifications.filter((n) => n.message.includes("Digital lärgrupp")).length).toBeGreaterThan(0);

    // Vimmerby registers "Digital lärgrupp" as a person, ends the participation and anonymises it (never enrolled: allowed at once).
    const created = await server.fetch("/deltagare/ny", { method: "POST", cookie: vimmerbyCookie, body: person({ firstName: "Digital", lastName: "lärgrupp", email: "digital.largrupp@vimmerby.example" }) });
    const id = idFrom(created);
    expect((await server.fetch(`/deltagare/${id}`, { method: "POST", cookie: vimmerbyCookie, body: form({ intent: "end", endedOn: stockholmToday(), endReason: "Prov" }) })).status).toBe(302);
    const mid = await snapshot();
    expect((await server.fetch(`/deltagare/${id}/anonymisera`, { method: "POST", cookie: vimmerbyCookie, body: form({ confirm: "on" }) })).status).toBe(302);
    const after = await snapshot();

    // Every row that existed keeps its text; only new audit entries were added.
    expect(after.notifications).toEqual(mid.notifications);
    expect(after.mail).toEqual(mid.mail);
    expect(after.changes).toEqual(mid.changes);
    expect(after.audit.slice(0, mid.audit.length)).toEqual(mid.audit);
    expect((await db.selectFrom("participants").select("first_name").where("id", "=", id).executeTakeFirstOrThrow()).first_name).toBe("Anonymiserad");
  });

  it("finding 10: an object outside one's scope answers exactly like a made-up id (a programme's costs, another programme's cohort report and session attendance)", async () => {
    const db = server.db;
    const otherLead = await cookie(OTHER_LEAD);
    const esfSession = (await db.selectFrom("sessions").select("id").where("cohort_id", "=", sharedCohort).orderBy("starts_at").executeTakeFirstOrThrow()).id;
    const pairs = [
      [`/program/${esf}/kostnader`, "/program/987654/kostnader"],
      [`/omgangar/${sharedCohort}/narvarorapport`, "/omgangar/987654/narvarorapport"],
      [`/trafar/${esfSession}/narvaro`, "/trafar/987654/narvaro"],
    ];
    const page = async (url: string, who: string) => {
      const response = await server.fetch(url, { cookie: who });
      return { status: response.status, body: (await response.text()).replace(/nonce="[^"]*"/g, "").split(url).join("#") };
    };
    for (const [real, madeUp] of pairs) {
      const a = await page(real, otherLead);
      const b = await page(madeUp, otherLead);
      expect(a.status, real).toBe(404);
      expect(a, real).toEqual(b);
    }
    // A role that may never use a page gets 403 for a real id and a made-up one alike.
    const coordinator = await cookie(HULTSFRED);
    expect((await page(`/program/${esf}/kostnader`, coordinator)).status).toBe(403);
    expect((await page("/program/987654/kostnader", coordinator)).status).toBe(403);
  });

  it("finding 11: anonymising a participant also deletes the .eml files of the e-mail they were sent", async () => {
    const db = server.db;
    const vimmerbyCookie = await cookie(VIMMERBY);
    const email = "eml.person@vimmerby.example";
    const created = await server.fetch("/deltagare/ny", { method: "POST", cookie: vimmerbyCookie, body: person({ firstName: "Elin", lastName: "Mejl", email }) });
    const id = idFrom(created);
    expect((await (await giveLogin(server, id, vimmerbyCookie)).json()).login.kind).toBe("created");
    // Nominated (she is told by e-mail), then the nomination is withdrawn: no enrolment keeps her data.
    expect((await server.fetch(`/omgangar/${sharedCohort}`, { method: "POST", cookie: vimmerbyCookie, body: form({ intent: "nominate", participantIds: String(id) }) })).status).toBe(302);
    const enrolment = await db.selectFrom("enrolments").select("id").where("participant_id", "=", id).executeTakeFirstOrThrow();
    expect((await server.fetch(`/omgangar/${sharedCohort}`, { method: "POST", cookie: vimmerbyCookie, body: form({ intent: "withdraw", enrolmentId: String(enrolment.id) }) })).status).toBe(302);

    const dir = server.config.mailOutboxDir;
    while ((await deliverDueMail(db, fileTransport(dir), { from: "test@example.se", publicUrl: server.baseUrl })).sent > 0);
    const hers = () => (fs.existsSync(dir) ? fs.readdirSync(dir) : []).filter((f) => f.endsWith(".eml") && fs.readFileSync(path.join(dir, f), "utf8").includes(`To: ${email}`));
    expect(hers().length).toBeGreaterThan(0);
    const othersBefore = fs.readdirSync(dir).filter((f) => !hers().includes(f));

    expect((await server.fetch(`/deltagare/${id}`, { method: "POST", cookie: vimmerbyCookie, body: form({ intent: "end", endedOn: stockholmToday(), endReason: "Slutat" }) })).status).toBe(302);
    expect((await server.fetch(`/deltagare/${id}/anonymisera`, { method: "POST", cookie: vimmerbyCookie, body: form({ confirm: "on" }) })).status).toBe(302);
    expect(hers()).toEqual([]);
    expect(fs.readdirSync(dir).filter((f) => othersBefore.includes(f))).toEqual(othersBefore);
    expect(await db.selectFrom("mail_outbox").select("id").where("to_address", "=", email).execute()).toEqual([]);
  });
});
