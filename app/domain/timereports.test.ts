import type { KyselyPlugin } from "kysely";
import { describe, expect, it } from "vitest";
import type { Db } from "~/db/connection.server";
import { roundMonthTotal, valueInOre } from "~/utils/hours";
import { stockholmToUtcIso } from "~/utils/time";
import { createCohort, createEnrolment, createMunicipality, createParticipant, createProgramme, createSession, createUser } from "../../db/seed/factories";
import { demoDb, DEMO_TODAY, emptyDb } from "../../tests/support/db";
import { ctxFor } from "../../tests/support/coordination";
import { saveAttendance } from "./attendance.server";
import { getCofinancing, getUnitCosts, setProgrammeSettings, setUnitCost } from "./cofinancing.server";
import type { Ctx } from "./context.server";
import { checked } from "./result";
import { decideOwnActivity, recordOwnActivity } from "./own-activities.server";
import { certifyTimeReport, confirmTimeReport, markTimeReportReviewed } from "./time-report-workflow.server";
import { getMunicipalityTimeReports, getMyTime, getTimeReport } from "./timereports.server";

async function ctxByEmail(db: Db, email: string): Promise<Ctx> {
  const user = await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow();
  return ctxFor(db, user.id);
}

describe("rounding a month's total", () => {
  it("rounds down to whole hours by default, on the total and not per line", () => {
    expect(roundMonthTotal(0)).toBe(0);
    expect(roundMonthTotal(59)).toBe(0);
    expect(roundMonthTotal(60)).toBe(60);
    // 3 x 2 h 45 min = 8 h 15 min: 8 h on the total (per line it would have been 6 h).
    expect(roundMonthTotal(3 * 165)).toBe(480);
    expect(roundMonthTotal(899)).toBe(840);
  });

  it("follows a programme's half-hour or quarter-hour rule", () => {
    expect(roundMonthTotal(899, "half_hour_down")).toBe(870);
    expect(roundMonthTotal(899, "quarter_down")).toBe(885);
    expect(roundMonthTotal(885, "quarter_down")).toBe(885);
  });

  it("values hours in whole öre", () => {
    expect(valueInOre(480, 38_500)).toBe(308_000);
    expect(valueInOre(15, 45_250)).toBe(11_313);
  });
});

/** Vimmerby and Hultsfred in one cohort, two October sessions, a lead, both coordinators and Anna's login. */
async function world() {
  const db = await emptyDb();
  const vimmerby = await createMunicipality(db, { name: "Vimmerby" });
  const hultsfred = await createMunicipality(db, { name: "Hultsfred" });
  const programmeId = await createProgramme(db, { name: "ESF-programmet", ownerMunicipalityId: vimmerby, partnerMunicipalityIds: [hultsfred], startsOn: "2026-01-01", endsOn: "2027-12-31" });
  const cohortId = await createCohort(db, { programmeId, name: "Omgång 1", startsOn: "2026-08-01", endsOn: "2027-06-30", seats: { [vimmerby]: 2, [hultsfred]: 2 } });
  const anna = await createParticipant(db, { municipalityId: vimmerby, firstName: "Anna", lastName: "Berg", salaryGroup: "1" });
  const erik = await createParticipant(db, { municipalityId: hultsfred, firstName: "Erik", lastName: "Holm", salaryGroup: "2" });
  await createEnrolment(db, { cohortId, participantId: anna, municipalityId: vimmerby, status: "active", startedOn: "2026-08-01" });
  await createEnrolment(db, { cohortId, participantId: erik, municipalityId: hultsfred, status: "active", startedOn: "2026-08-01" });
  const day1 = await createSession(db, { cohortId, title: "Att leda sig själv", startsAt: stockholmToUtcIso("2026-10-06", "09:00"), endsAt: stockholmToUtcIso("2026-10-06", "16:00"), hostMunicipalityId: vimmerby });
  const day2 = await createSession(db, { cohortId, title: "Feedback", kind: "workshop", startsAt: stockholmToUtcIso("2026-10-20", "13:00"), endsAt: stockholmToUtcIso("2026-10-20", "15:30"), hostMunicipalityId: hultsfred });
  const ctx = {
    lead: await ctxFor(db, await createUser(db, { email: "lead@example.se", name: "Lena Lead", grants: [{ role: "programme_lead", programmeId }] })),
    vimmerby: await ctxFor(db, await createUser(db, { email: "vim@example.se", name: "Vera Samordnare", grants: [{ role: "coordinator", municipalityId: vimmerby }] })),
    hultsfred: await ctxFor(db, await createUser(db, { email: "hul@example.se", name: "Hugo Samordnare", grants: [{ role: "coordinator", municipalityId: hultsfred }] })),
    anna: await ctxFor(db, await createUser(db, { email: "anna@example.se", name: "Anna Berg", grants: [{ role: "participant", municipalityId: vimmerby, participantId: anna }] })),
    erik: await ctxFor(db, await createUser(db, { email: "erik@example.se", name: "Erik Holm", grants: [{ role: "participant", municipalityId: hultsfred, participantId: erik }] })),
  };
  return { db, vimmerby, hultsfred, programmeId, cohortId, anna, erik, day1, day2, ctx };
}

async function reportOf(db: Db, participantId: number, month: string) {
  return db.selectFrom("time_reports").select(["id", "version", "status"]).where("participant_id", "=", participantId).where("month", "=", month).executeTakeFirstOrThrow();
}

describe("monthly time reports", () => {
  it("sums attendance and approved own activities, rounds the total, and goes confirm -> certify", async () => {
    const w = await world();
    const today = "2026-11-26";
    await saveAttendance(w.ctx.lead, w.day1, { rows: [{ participantId: w.anna, status: "narvarande", version: 0 }, { participantId: w.erik, status: "sen_ankomst", minutes: 360, version: 0 }], markRestPresent: false }, today);
    await saveAttendance(w.ctx.lead, w.day2, { rows: [{ participantId: w.anna, status: "narvarande", version: 0 }, { participantId: w.erik, status: "narvarande", version: 0 }], markRestPresent: false }, today);

    // Anna records 1 h 30 min of homework and 45 min of study; only the approved one counts.
    expect(await recordOwnActivity(w.ctx.anna, checked({ programmeId: w.programmeId, kind: "hemuppgift", date: "2026-10-08", hours: 1.5, description: "Reflektion" }), today)).toEqual({ ok: true });
    expect(await recordOwnActivity(w.ctx.anna, checked({ programmeId: w.programmeId, kind: "egen_studietid", date: "2026-10-09", hours: 0.75, description: "Läsning" }), today)).toEqual({ ok: true });
    expect(await recordOwnActivity(w.ctx.anna, checked({ programmeId: w.programmeId, kind: "egen_studietid", date: "2026-12-01", hours: 0.75, description: "Framtid" }), today)).toMatchObject({ ok: false });
    const [homework, study] = await w.db.selectFrom("own_activities").select("id").orderBy("id").execute();
    // Hultsfred's coordinator may not decide about a Vimmerby participant.
    await expect(decideOwnActivity(w.ctx.hultsfred, checked({ activityId: homework.id, decision: "approve" }))).rejects.toMatchObject({ status: 404 });
    expect(await decideOwnActivity(w.ctx.vimmerby, checked({ activityId: study.id, decision: "reject" }))).toMatchObject({ ok: false });
    expect(await decideOwnActivity(w.ctx.vimmerby, checked({ activityId: study.id, decision: "reject", reason: "Hör till ordinarie arbete" }))).toEqual({ ok: true, value: "reject" });
    expect(await decideOwnActivity(w.ctx.vimmerby, checked({ activityId: homework.id, decision: "approve" }))).toEqual({ ok: true, value: "approve" });

    const october = await reportOf(w.db, w.anna, "2026-10");
    const detail = await getTimeReport(w.ctx.anna, october.id);
    // 7 h + 2 h 30 min + 1 h 30 min = 11 h exactly; Erik: 6 h + 2 h 30 min = 8 h 30 min -> 8 h.
    expect(detail.lines.map((l) => [l.date, l.minutes])).toEqual([
      ["2026-10-06", 420],
      ["2026-10-08", 90],
      ["2026-10-20", 150],
    ]);
    expect([detail.rawMinutes, detail.minutes, detail.status]).toEqual([660, 660, "draft"]);
    const erikReport = await getTimeReport(w.ctx.erik, (await reportOf(w.db, w.erik, "2026-10")).id);
    expect([erikReport.rawMinutes, erikReport.minutes]).toEqual([510, 480]);

    // The coordinator cannot certify before the participant confirms; a changed month returns to draft.
    expect(await certifyTimeReport(w.ctx.vimmerby, october.id, { version: october.version, certifiedAs: "manager", managerName: "Maja Chef" })).toMatchObject({ ok: false });
    expect(await confirmTimeReport(w.ctx.anna, october.id, october.version)).toEqual({ ok: true });
    await saveAttendance(w.ctx.lead, w.day2, { rows: [{ participantId: w.anna, status: "sen_ankomst", minutes: 120, version: 1 }], markRestPresent: false }, today);
    const back = await reportOf(w.db, w.anna, "2026-10");
    expect(back.status).toBe("draft");
    expect(await confirmTimeReport(w.ctx.anna, back.id, back.version)).toEqual({ ok: true });
    const confirmed = await reportOf(w.db, w.anna, "2026-10");
    expect(await certifyTimeReport(w.ctx.vimmerby, confirmed.id, { version: confirmed.version, certifiedAs: "manager", managerName: "Maja Chef" })).toEqual({ ok: true });

    const certified = await getTimeReport(w.ctx.vimmerby, october.id);
    // 7 h + 1 h 30 min + 2 h = 10 h 30 min -> 10 h.
    expect([certified.status, certified.rawMinutes, certified.minutes, certified.certifiedByName, certified.confirmedByName]).toEqual([
      "certified",
      630,
      600,
      "Vera Samordnare",
      "Anna Berg",
    ]);
    expect(certified.can).toEqual({ confirm: false, certify: false, reopen: true, markReviewed: false });
    expect((await getMyTime(w.ctx.anna)).reports.map((r) => [r.month, r.status, r.minutes])).toEqual([["2026-10", "certified", 600]]);
  });

  it("hides a report from another municipality's coordinator and from other participants (404 + audit)", async () => {
    const w = await world();
    await saveAttendance(w.ctx.lead, w.day1, { rows: [{ participantId: w.anna, status: "narvarande", version: 0 }], markRestPresent: false }, "2026-11-26");
    const october = await reportOf(w.db, w.anna, "2026-10");
    for (const ctx of [w.ctx.hultsfred, w.ctx.erik]) {
      await expect(getTimeReport(ctx, october.id)).rejects.toMatchObject({ status: 404 });
    }
    // A programme lead never reads time reports: 403 for this report and for a made-up one alike.
    await expect(getTimeReport(w.ctx.lead, october.id)).rejects.toMatchObject({ status: 403 });
    await expect(getTimeReport(w.ctx.lead, 999_999)).rejects.toMatchObject({ status: 403 });
    const denied = await w.db.selectFrom("audit_log").select(["entity", "entity_id"]).where("action", "=", "authz.denied").execute();
    expect(denied).toEqual([...Array(3).fill({ entity: "time_report", entity_id: String(october.id) }), { entity: "time_report", entity_id: "999999" }]);
    expect((await getMunicipalityTimeReports(w.ctx.hultsfred, { month: "2026-10" })).reports).toEqual([]);
  });
});

/** The caller's context with a counter of the queries its functions run. */
function countingQueries(ctx: Ctx): { ctx: Ctx; queries: () => number } {
  let queries = 0;
  const counter: KyselyPlugin = {
    transformQuery: (args) => {
      queries++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { ctx: { ...ctx, db: ctx.db.withPlugin(counter) }, queries: () => queries };
}

describe("the time-report summary (issue 19)", () => {
  it("reads a month of many draft reports in as many queries as a month of one (no queries per report)", async () => {
    const w = await world();
    const today = "2026-11-26";
    // October: Anna alone. November: Anna and four more Vimmerby trainees, each with a draft report.
    const more = [];
    for (const firstName of ["Bo", "Cia", "Dan", "Eva"]) {
      const participantId = await createParticipant(w.db, { municipalityId: w.vimmerby, firstName, lastName: "Test", salaryGroup: "1" });
      await createEnrolment(w.db, { cohortId: w.cohortId, participantId, municipalityId: w.vimmerby, status: "active", startedOn: "2026-08-01" });
      more.push(participantId);
    }
    const november = await createSession(w.db, { cohortId: w.cohortId, title: "Coachning", startsAt: stockholmToUtcIso("2026-11-10", "09:00"), endsAt: stockholmToUtcIso("2026-11-10", "12:00"), hostMunicipalityId: w.vimmerby });
    await saveAttendance(w.ctx.lead, w.day1, { rows: [{ participantId: w.anna, status: "narvarande", version: 0 }], markRestPresent: false }, today);
    await saveAttendance(w.ctx.lead, november, { rows: [w.anna, ...more].map((participantId) => ({ participantId, status: "narvarande" as const, version: 0 })), markRestPresent: false }, today);

    const october = countingQueries(w.ctx.vimmerby);
    const oneReport = await getMunicipalityTimeReports(october.ctx, { month: "2026-10" });
    const novemberRead = countingQueries(w.ctx.vimmerby);
    const fiveReports = await getMunicipalityTimeReports(novemberRead.ctx, { month: "2026-11" });

    expect(oneReport.reports.map((r) => [r.participantName, r.rawMinutes])).toEqual([["Anna Berg", 420]]);
    expect(fiveReports.reports.map((r) => r.rawMinutes)).toEqual([180, 180, 180, 180, 180]);
    expect(novemberRead.queries()).toBe(october.queries());
  });
});

describe("co-financing", () => {
  it("matches hand-computed figures for a small dataset", async () => {
    const w = await world();
    const today = "2026-11-26";
    await setUnitCost(w.ctx.lead, w.programmeId, { salaryGroup: "1", year: 2026, hourlyCostOre: 38_500 });
    await setUnitCost(w.ctx.lead, w.programmeId, { salaryGroup: "2", year: 2026, hourlyCostOre: 45_250 });
    await setUnitCost(w.ctx.lead, w.programmeId, { salaryGroup: "2", year: 2025, hourlyCostOre: 1 });
    await saveAttendance(w.ctx.lead, w.day1, { rows: [{ participantId: w.anna, status: "narvarande", version: 0 }, { participantId: w.erik, status: "sen_ankomst", minutes: 375, version: 0 }], markRestPresent: false }, today);
    await saveAttendance(w.ctx.lead, w.day2, { rows: [{ participantId: w.anna, status: "narvarande", version: 0 }, { participantId: w.erik, status: "narvarande", version: 0 }], markRestPresent: false }, today);
    // Quarter hours are for programmes without ESF funding only.
    expect(await setProgrammeSettings(w.ctx.lead, w.programmeId, { completionPercent: 80, rounding: "quarter_down", onBehalfAllowed: false })).toMatchObject({ ok: false });
    await w.db.updateTable("programmes").set({ funding: "regional" }).where("id", "=", w.programmeId).execute();
    expect(await setProgrammeSettings(w.ctx.lead, w.programmeId, { completionPercent: 80, rounding: "quarter_down", onBehalfAllowed: false })).toEqual({ ok: true });
    for (const [participantId, participantCtx, coordinator] of [
      [w.anna, w.ctx.anna, w.ctx.vimmerby],
      [w.erik, w.ctx.erik, w.ctx.hultsfred],
    ] as const) {
      const r = await reportOf(w.db, participantId, "2026-10");
      await confirmTimeReport(participantCtx, r.id, r.version);
      await certifyTimeReport(coordinator, r.id, { version: r.version + 1, certifiedAs: "manager", managerName: "Maja Chef" });
    }
    // Anna: 7 h + 2.5 h = 9.5 h x 385.00 kr = 3 657.50 kr. Erik: 6.25 h + 2.5 h = 8.75 h x 452.50 kr = 3 959.375 -> 3 959.38 kr.
    const lead = await getCofinancing(w.ctx.lead, { programmeId: w.programmeId, year: 2026 });
    expect(lead.rows.map((r) => [r.participantName, r.minutes, r.hourlyCostOre, r.valueOre])).toEqual([
      ["Erik Holm", 525, 45_250, 395_938],
      ["Anna Berg", 570, 38_500, 365_750],
    ]);
    expect([lead.totalMinutes, lead.totalValueOre]).toEqual([1095, 761_688]);
    expect(lead.totals).toEqual([
      { municipalityName: "Hultsfred", month: "2026-10", minutes: 525, valueOre: 395_938 },
      { municipalityName: "Vimmerby", month: "2026-10", minutes: 570, valueOre: 365_750 },
    ]);
    // The Vimmerby coordinator sees only Vimmerby.
    const coordinator = await getCofinancing(w.ctx.vimmerby, { programmeId: w.programmeId, year: 2026 });
    expect([coordinator.rows.map((r) => r.participantName), coordinator.totalValueOre]).toEqual([["Anna Berg"], 365_750]);
    await expect(getCofinancing(w.ctx.anna, { year: 2026 })).rejects.toMatchObject({ status: 403 });
  });

  it("matches a hand computation from the raw demo attendance for one municipality and month", async () => {
    const { db } = await demoDb();
    const lead = await ctxByEmail(db, "programledare@programportalen.test");
    const coordinator = await ctxByEmail(db, "samordnare.vimmerby@programportalen.test");
    const esf = await db.selectFrom("programmes").select("id").where("name", "=", "Ledarutveckling över gränserna").executeTakeFirstOrThrow();
    const vimmerby = await db.selectFrom("municipalities").select("id").where("slug", "=", "vimmerby").executeTakeFirstOrThrow();
    const month = "2026-09"; // two months before DEMO_TODAY: certified in the demo data.
    expect(DEMO_TODAY.startsWith("2026-11")).toBe(true);
    const certified = await db
      .selectFrom("time_reports as r")
      .innerJoin("participants as p", "p.id", "r.participant_id")
      .select(["r.participant_id", "p.salary_group"])
      .where("r.programme_id", "=", esf.id)
      .where("r.municipality_id", "=", vimmerby.id)
      .where("r.month", "=", month)
      .where("r.status", "=", "certified")
      .execute();
    expect(certified.length).toBeGreaterThan(3);

    // By hand: minutes attended in September (Stockholm) + approved own activities, floored to whole hours, x the unit cost.
    const costs: Record<string, number> = { "1": 38_500, "2": 45_200, "3": 52_800 };
    let expectedOre = 0;
    let expectedMinutes = 0;
    for (const r of certified) {
      const attended = await db
        .selectFrom("attendance as a")
        .innerJoin("sessions as s", "s.id", "a.session_id")
        .innerJoin("cohorts as c", "c.id", "s.cohort_id")
        .select((eb) => eb.fn.sum<number>("a.minutes").as("m"))
        .where("a.participant_id", "=", r.participant_id)
        .where("c.programme_id", "=", esf.id)
        .where("s.starts_at", ">=", "2026-08-31T22:00:00.000Z")
        .where("s.starts_at", "<", "2026-09-30T22:00:00.000Z")
        .executeTakeFirstOrThrow();
      const own = await db
        .selectFrom("own_activities")
        .select((eb) => eb.fn.sum<number>("minutes").as("m"))
        .where("participant_id", "=", r.participant_id)
        .where("status", "=", "approved")
        .where("activity_on", "like", `${month}-%`)
        .executeTakeFirstOrThrow();
      const hours = Math.floor((Number(attended.m ?? 0) + Number(own.m ?? 0)) / 60);
      expectedMinutes += hours * 60;
      expectedOre += hours * costs[r.salary_group];
    }

    const value = await getCofinancing(coordinator, { programmeId: esf.id, year: 2026 });
    const september = value.totals.find((t) => t.month === month && t.municipalityName === "Vimmerby")!;
    expect([september.minutes, september.valueOre]).toEqual([expectedMinutes, expectedOre]);
    const leadView = await getCofinancing(lead, { programmeId: esf.id, year: 2026 });
    expect(leadView.totals.find((t) => t.month === month && t.municipalityName === "Vimmerby")).toEqual(september);
    expect(leadView.totalValueOre).toBe(leadView.rows.filter((r) => !r.needsReview).reduce((s, r) => s + r.valueOre, 0));
    expect(leadView.flaggedValueOre).toBe(leadView.rows.filter((r) => r.needsReview).reduce((s, r) => s + r.valueOre, 0));
    expect(leadView.missingCosts).toEqual([]);
  });
});

describe("the demo data", () => {
  it("has reports in every state and the demo trainee's last month as a draft with hours", async () => {
    const { db } = await demoDb();
    const states = await db.selectFrom("time_reports").select("status").distinct().execute();
    expect(states.map((s) => s.status).sort()).toEqual(["certified", "confirmed", "draft", "reopened"]);
    expect(await db.selectFrom("time_reports").select("id").where("needs_review", "=", 1).execute()).not.toEqual([]);
    const trainee = await ctxByEmail(db, "deltagare@programportalen.test");
    const mine = await getMyTime(trainee);
    const october = mine.reports.find((r) => r.month === "2026-10")!;
    expect(october.status).toBe("draft");
    expect(october.minutes).toBeGreaterThan(0);
    expect(mine.activities.map((a) => a.status).sort()).toEqual(["approved", "pending"]);
    const kinds = await db.selectFrom("own_activities").select("status").distinct().execute();
    expect(kinds.map((k) => k.status).sort()).toEqual(["approved", "pending", "rejected"]);
  });
});

describe("co-financing that stays what was certified (issue 14, item 4)", () => {
  async function certifiedOctober() {
    const w = await world();
    const today = "2026-11-26";
    await setUnitCost(w.ctx.lead, w.programmeId, { salaryGroup: "1", year: 2026, hourlyCostOre: 38_500 });
    await saveAttendance(w.ctx.lead, w.day1, { rows: [{ participantId: w.anna, status: "narvarande", version: 0 }], markRestPresent: false }, today);
    const r = await reportOf(w.db, w.anna, "2026-10");
    await confirmTimeReport(w.ctx.anna, r.id, r.version);
    expect(await certifyTimeReport(w.ctx.vimmerby, r.id, { version: r.version + 1, certifiedAs: "manager", managerName: "Maja Chef" })).toEqual({ ok: true });
    return { ...w, reportId: r.id };
  }

  it("editing a year's unit cost does not change the value of a report already certified, and says how many it would have changed", async () => {
    const w = await certifiedOctober();
    const before = await getCofinancing(w.ctx.lead, { programmeId: w.programmeId, year: 2026 });
    expect(before.rows.map((r) => [r.minutes, r.hourlyCostOre, r.valueOre])).toEqual([[420, 38_500, 269_500]]);

    expect(await setUnitCost(w.ctx.lead, w.programmeId, { salaryGroup: "1", year: 2026, hourlyCostOre: 99_900 })).toEqual({ keptCertified: 1, filledCertified: 0 });

    const after = await getCofinancing(w.ctx.lead, { programmeId: w.programmeId, year: 2026 });
    expect(after.rows.map((r) => [r.minutes, r.hourlyCostOre, r.valueOre])).toEqual([[420, 38_500, 269_500]]);
    expect(after.totalValueOre).toBe(269_500);
    const frozen = await w.db.selectFrom("time_reports").select(["certified_hourly_cost_ore", "certified_value_ore", "certified_as", "certified_manager_name"]).where("id", "=", w.reportId).executeTakeFirstOrThrow();
    expect(frozen).toEqual({ certified_hourly_cost_ore: 38_500, certified_value_ore: 269_500, certified_as: "manager", certified_manager_name: "Maja Chef" });
    const audit = await w.db.selectFrom("audit_log").select("detail").where("action", "=", "time_report.certified").executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!).fields).toEqual(expect.arrayContaining(["certified_minutes", "certified_hourly_cost_ore", "certified_value_ore"]));
    // The unit-cost page counts the certified reports of the group and year, and those certified at another cost.
    const { costs } = await getUnitCosts(w.ctx.lead, w.programmeId);
    expect(costs.find((c) => c.year === 2026 && c.salaryGroup === "1")).toMatchObject({ hourlyCostOre: 99_900, certifiedReports: 1, certifiedAtOtherCost: 1 });
  });

  it("a report certified before its unit cost was set gets the cost once, when it is set", async () => {
    const w = await world();
    await saveAttendance(w.ctx.lead, w.day1, { rows: [{ participantId: w.anna, status: "narvarande", version: 0 }], markRestPresent: false }, "2026-11-26");
    const r = await reportOf(w.db, w.anna, "2026-10");
    await confirmTimeReport(w.ctx.anna, r.id, r.version);
    await certifyTimeReport(w.ctx.vimmerby, r.id, { version: r.version + 1, certifiedAs: "manager", managerName: "Maja Chef" });
    expect((await getCofinancing(w.ctx.lead, { programmeId: w.programmeId, year: 2026 })).missingCosts).toEqual(["1 2026"]);
    const first = await setUnitCost(w.ctx.lead, w.programmeId, { salaryGroup: "1", year: 2026, hourlyCostOre: 40_000 });
    const filled = await getCofinancing(w.ctx.lead, { programmeId: w.programmeId, year: 2026 });
    expect([filled.totalValueOre, filled.missingCosts]).toEqual([280_000, []]);
    const second = await setUnitCost(w.ctx.lead, w.programmeId, { salaryGroup: "1", year: 2026, hourlyCostOre: 50_000 });
    // The cost it got is now frozen: the second change applies to later certifications only.
    const value = await getCofinancing(w.ctx.lead, { programmeId: w.programmeId, year: 2026 });
    expect([value.totalValueOre, value.missingCosts]).toEqual([280_000, []]);
    expect([first, second]).toEqual([{ keptCertified: 0, filledCertified: 1 }, { keptCertified: 1, filledCertified: 0 }]);
  });

  it("a month flagged \"Behöver granskas\" is shown apart and counted in the totals only after review", async () => {
    const w = await certifiedOctober();
    await w.db.updateTable("time_reports").set({ needs_review: 1 }).where("id", "=", w.reportId).execute();
    const flagged = await getCofinancing(w.ctx.lead, { programmeId: w.programmeId, year: 2026 });
    expect([flagged.totalMinutes, flagged.totalValueOre, flagged.totals]).toEqual([0, 0, []]);
    expect([flagged.flaggedRows.map((r) => r.reportId), flagged.flaggedMinutes, flagged.flaggedValueOre]).toEqual([[w.reportId], 420, 269_500]);

    const r = await w.db.selectFrom("time_reports").select("version").where("id", "=", w.reportId).executeTakeFirstOrThrow();
    expect(await markTimeReportReviewed(w.ctx.vimmerby, w.reportId, r.version)).toEqual({ ok: true });
    const reviewed = await getCofinancing(w.ctx.lead, { programmeId: w.programmeId, year: 2026 });
    expect([reviewed.totalValueOre, reviewed.flaggedRows]).toEqual([269_500, []]);
  });

  it("in the demo data, the flagged months are outside the totals", async () => {
    const { db } = await demoDb();
    const lead = await ctxByEmail(db, "programledare@programportalen.test");
    const esf = await db.selectFrom("programmes").select("id").where("name", "=", "Ledarutveckling över gränserna").executeTakeFirstOrThrow();
    const value = await getCofinancing(lead, { programmeId: esf.id, year: 2026 });
    const flagged = value.rows.filter((r) => r.needsReview);
    expect(flagged.length).toBeGreaterThan(0);
    expect(value.totalValueOre).toBe(value.rows.filter((r) => !r.needsReview).reduce((s, r) => s + r.valueOre, 0));
    expect(value.totals.reduce((s, t) => s + t.valueOre, 0)).toBe(value.totalValueOre);
    expect(value.flaggedRows).toEqual(flagged);
    expect(value.totalValueOre + value.flaggedValueOre).toBe(value.rows.reduce((s, r) => s + r.valueOre, 0));
  });
});

describe("ESF rules: hours (issue 14, item 5)", () => {
  it("an ESF-funded programme counts whole hours, rounded down on the month's total, whatever rounding is stored", async () => {
    const w = await world();
    // A rounding stored before the rule, or before the programme became ESF-funded, no longer applies.
    await w.db.insertInto("programme_settings").values({ programme_id: w.programmeId, completion_percent: 80, rounding: "quarter_down", updated_by: null, updated_at: "2026-01-01T00:00:00Z" }).execute();
    await saveAttendance(w.ctx.lead, w.day1, { rows: [{ participantId: w.erik, status: "sen_ankomst", minutes: 375, version: 0 }], markRestPresent: false }, "2026-11-26");
    await saveAttendance(w.ctx.lead, w.day2, { rows: [{ participantId: w.erik, status: "narvarande", version: 0 }], markRestPresent: false }, "2026-11-26");
    const r = await reportOf(w.db, w.erik, "2026-10");
    // 6 h 15 min + 2 h 30 min = 8 h 45 min: 8 h for ESF (quarter hours would give 8,75 h).
    const detail = await getTimeReport(w.ctx.erik, r.id);
    expect([detail.rawMinutes, detail.minutes, detail.rounding]).toEqual([525, 480, "hour_down"]);
    await confirmTimeReport(w.ctx.erik, r.id, r.version);
    await certifyTimeReport(w.ctx.hultsfred, r.id, { version: r.version + 1, certifiedAs: "manager", managerName: "Maja Chef" });
    const certified = await w.db.selectFrom("time_reports").select(["certified_minutes", "rounding"]).where("id", "=", r.id).executeTakeFirstOrThrow();
    expect(certified).toEqual({ certified_minutes: 480, rounding: "hour_down" });
    await expect(setProgrammeSettings(w.ctx.lead, w.programmeId, { completionPercent: 80, rounding: "half_hour_down", onBehalfAllowed: false })).resolves.toEqual({
      ok: false,
      status: 400,
      fieldErrors: { rounding: ["Ett ESF-finansierat program räknar bara hela timmar, avrundat nedåt på månadens summa (ESF-rådets regel)."] },
    });
    // Refused means unchanged: the stored rounding is still the old one.
    expect(await w.db.selectFrom("programme_settings").select("rounding").where("programme_id", "=", w.programmeId).executeTakeFirstOrThrow()).toEqual({ rounding: "quarter_down" });
  });

  it("the coordinator certifies on the manager's behalf only where the programme allows it, and it is recorded as such", async () => {
    const w = await world();
    await saveAttendance(w.ctx.lead, w.day1, { rows: [{ participantId: w.anna, status: "narvarande", version: 0 }], markRestPresent: false }, "2026-11-26");
    const r = await reportOf(w.db, w.anna, "2026-10");
    await confirmTimeReport(w.ctx.anna, r.id, r.version);
    expect(await certifyTimeReport(w.ctx.vimmerby, r.id, { version: r.version + 1, certifiedAs: "on_behalf" })).toMatchObject({ ok: false, status: 400 });
    expect(await certifyTimeReport(w.ctx.vimmerby, r.id, { version: r.version + 1, certifiedAs: "manager", managerName: " " })).toMatchObject({ ok: false, status: 400 });
    await setProgrammeSettings(w.ctx.lead, w.programmeId, { completionPercent: 80, rounding: "hour_down", onBehalfAllowed: true });
    expect(await certifyTimeReport(w.ctx.vimmerby, r.id, { version: r.version + 1, certifiedAs: "on_behalf" })).toEqual({ ok: true });
    const detail = await getTimeReport(w.ctx.vimmerby, r.id);
    expect([detail.certifiedAs, detail.certifiedByName]).toEqual(["on_behalf", "Vera Samordnare"]);
  });
});
