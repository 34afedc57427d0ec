import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMonthsToMonth } from "~/utils/hours";
import { DEMO_TODAY } from "../support/db";
import { form, startTestServer, type TestServer } from "../support/http";

describe("attendance, time reports and co-financing over HTTP", () => {
  let server: TestServer;
  let traineeReportId: number;
  let pastSessionId: number;

  beforeAll(async () => {
    server = await startTestServer();
    const db = server.db;
    const trainee = await db
      .selectFrom("role_grants as g")
      .innerJoin("users as u", "u.id", "g.user_id")
      .select("g.participant_id")
      .where("u.email", "=", "deltagare@programportalen.test")
      .executeTakeFirstOrThrow();
    const lastMonth = addMonthsToMonth(DEMO_TODAY.slice(0, 7), -1);
    const report = await db
      .selectFrom("time_reports")
      .select(["id", "month"])
      .where("participant_id", "=", trainee.participant_id!)
      .where("month", "=", lastMonth)
      .executeTakeFirstOrThrow();
    traineeReportId = report.id;
    const session = await db
      .selectFrom("sessions as s")
      .innerJoin("attendance as a", "a.session_id", "s.id")
      .select("s.id")
      .orderBy("s.starts_at", "desc")
      .executeTakeFirstOrThrow();
    pastSessionId = session.id;
  });
  afterAll(() => server.close());

  it("hides a Vimmerby participant's time report from the Hultsfred coordinator (404 + audit)", async () => {
    const vimmerby = await server.login("samordnare.vimmerby@programportalen.test");
    expect((await server.fetch(`/tidrapporter/${traineeReportId}`, { cookie: vimmerby })).status).toBe(200);

    const hultsfred = await server.login("samordnare.hultsfred@programportalen.test");
    for (const path of [`/tidrapporter/${traineeReportId}`, `/tidrapporter/${traineeReportId}/intyg`]) {
      const response = await server.fetch(path, { cookie: hultsfred });
      expect(response.status, path).toBe(404);
      const html = await response.text();
      expect(html).toContain("Sidan finns inte");
    }
    const denied = await server.db
      .selectFrom("audit_log as a")
      .innerJoin("users as u", "u.id", "a.actor_user_id")
      .select(["a.entity", "a.entity_id"])
      .where("a.action", "=", "authz.denied")
      .where("u.email", "=", "samordnare.hultsfred@programportalen.test")
      .execute();
    expect(denied).toEqual([
      { entity: "time_report", entity_id: String(traineeReportId) },
      { entity: "time_report", entity_id: String(traineeReportId) },
    ]);
    // Nor can they certify it.
    const post = await server.fetch(`/tidrapporter/${traineeReportId}`, { method: "POST", cookie: hultsfred, body: form({ intent: "certify", version: "1" }) });
    expect(post.status).toBe(404);
  });

  it("answers bad input with 400 and changes nothing", async () => {
    const lead = await server.login("programledare@programportalen.test");
    const before = await server.db.selectFrom("attendance").select(["participant_id", "status", "minutes", "version"]).where("session_id", "=", pastSessionId).execute();
    const [first] = before;
    const badHours = await server.fetch(`/trafar/${pastSessionId}/narvaro`, {
      method: "POST",
      cookie: lead,
      body: form({
        intent: "save",
        "rows[0].participantId": String(first.participant_id),
        "rows[0].version": String(first.version),
        "rows[0].status": "sen_ankomst",
        "rows[0].hours": "2.1",
      }),
    });
    expect(badHours.status).toBe(400);
    expect(await badHours.text()).toContain("hela kvartar");
    const badStatus = await server.fetch(`/trafar/${pastSessionId}/narvaro`, {
      method: "POST",
      cookie: lead,
      body: form({ "rows[0].participantId": String(first.participant_id), "rows[0].version": "x", "rows[0].status": "kanske" }),
    });
    expect(badStatus.status).toBe(400);
    const after = await server.db.selectFrom("attendance").select(["participant_id", "status", "minutes", "version"]).where("session_id", "=", pastSessionId).execute();
    expect(after).toEqual(before);

    const trainee = await server.login("deltagare@programportalen.test");
    const noDescription = await server.fetch("/tid", { method: "POST", cookie: trainee, body: form({ programmeId: "1", kind: "hemuppgift", date: "2026-02-30", hours: "-1", description: "" }) });
    expect(noDescription.status).toBe(400);
    const text = await noDescription.text();
    expect(text).toContain("Det datumet finns inte.");
    expect(text).toContain("Beskriv vad du gjorde.");

    const vimmerby = await server.login("samordnare.vimmerby@programportalen.test");
    const noReason = await server.fetch(`/tidrapporter/${traineeReportId}`, { method: "POST", cookie: vimmerby, body: form({ intent: "reopen", version: "1" }) });
    expect(noReason.status).toBe(400);
    const unitCost = await server.fetch("/program/1/kostnader", { method: "POST", cookie: lead, body: form({ intent: "unit_cost", salaryGroup: "1", year: "2026", hourlyCost: "mycket" }) });
    expect(unitCost.status).toBe(400);
  });

  it("exports the attendance report and the co-financing as CSV to those allowed", async () => {
    const lead = await server.login("programledare@programportalen.test");
    const cohort = await server.db.selectFrom("sessions").select("cohort_id").where("id", "=", pastSessionId).executeTakeFirstOrThrow();
    const report = await server.fetch(`/omgangar/${cohort.cohort_id}/narvarorapport.csv`, { cookie: lead });
    expect(report.status).toBe(200);
    expect(report.headers.get("content-type")).toContain("text/csv");
    expect(await report.text()).toContain("Uppfyller kravet (80 %)");

    const coordinator = await server.login("samordnare.vimmerby@programportalen.test");
    const money = await server.fetch("/medfinansiering.csv", { cookie: coordinator });
    expect(money.status).toBe(200);
    const csv = await money.text();
    expect(csv).toContain("Värde (kr)");
    expect(csv).not.toContain(";Hultsfred;");

    const trainee = await server.login("deltagare@programportalen.test");
    expect((await server.fetch("/medfinansiering", { cookie: trainee })).status).toBe(403);
    expect((await server.fetch(`/trafar/${pastSessionId}/narvaro`, { cookie: trainee })).status).toBe(403);
  });

  it("answers a bad month on the attendance report with a Swedish 400, a good one with its matrix, and another municipality's coordinator with 404", async () => {
    const lead = await server.login("programledare@programportalen.test");
    const session = await server.db.selectFrom("sessions").select(["cohort_id", "starts_at"]).where("id", "=", pastSessionId).executeTakeFirstOrThrow();
    const path = `/omgangar/${session.cohort_id}/narvarorapport`;
    for (const bad of ["2026-13", "2026-1", "oktober", "2026-10-01", "9".repeat(5000), "2026-10%00"]) {
      const response = await server.fetch(`${path}?manad=${bad}`, { cookie: lead });
      expect(response.status, bad.slice(0, 20)).toBe(400);
      expect(await response.text()).toContain("Månaden ska anges som år och månad");
    }
    const summary = await server.fetch(path, { cookie: lead });
    expect(summary.status).toBe(200);
    const summaryHtml = await summary.text();
    expect(summaryHtml).toContain("Per deltagare");
    expect(summaryHtml).not.toContain('class="matrix"');
    const month = await server.fetch(`${path}?manad=${session.starts_at.slice(0, 7)}`, { cookie: lead });
    expect(month.status).toBe(200);
    expect(await month.text()).toContain('class="matrix"');

    // Aneby has no seats in the regional trainee cohort: its coordinator gets 404, whatever the month says.
    const trainee = await server.db.selectFrom("cohorts as c").innerJoin("programmes as p", "p.id", "c.programme_id").select("c.id").where("p.name", "like", "Regionalt%").executeTakeFirst();
    const aneby = await server.login("samordnare.aneby@programportalen.test");
    const seats = trainee
      ? await server.db.selectFrom("cohort_seats as s").innerJoin("municipalities as m", "m.id", "s.municipality_id").select("m.name").where("s.cohort_id", "=", trainee.id).execute()
      : [];
    if (trainee && !seats.some((s) => s.name === "Aneby")) {
      for (const query of ["", "?manad=2026-10", "?manad=fel"]) {
        expect((await server.fetch(`/omgangar/${trainee.id}/narvarorapport${query}`, { cookie: aneby })).status, query).toBe(404);
      }
    }
  });

  it("filters the attendance sheet by name without JavaScript: only the matching rows are in the form", async () => {
    const lead = await server.login("programledare@programportalen.test");
    const all = await (await server.fetch(`/trafar/${pastSessionId}/narvaro`, { cookie: lead })).text();
    const rowsIn = (html: string) => (html.match(/class="attendance-row[ "]/g) ?? []).length;
    expect(rowsIn(all)).toBeGreaterThan(5);
    const someone = await server.db
      .selectFrom("attendance as a")
      .innerJoin("participants as p", "p.id", "a.participant_id")
      .select(["p.first_name", "p.last_name"])
      .where("a.session_id", "=", pastSessionId)
      .executeTakeFirstOrThrow();
    const filtered = await server.fetch(`/trafar/${pastSessionId}/narvaro?namn=${encodeURIComponent(`${someone.first_name} ${someone.last_name}`)}`, { cookie: lead });
    expect(filtered.status).toBe(200);
    const html = await filtered.text();
    expect(rowsIn(html)).toBeGreaterThanOrEqual(1);
    expect(rowsIn(html)).toBeLessThan(rowsIn(all));
    expect(html).toContain(`${someone.first_name} ${someone.last_name}`);
    expect(html).toContain("Visa alla");
  });
});
