/**
 * Statistics over a small hand-built programme: every expected number below
 * was counted by hand from the people listed in `world()`.
 */
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import type { EducationLevel, EnrolmentStatus, Gender } from "~/db/schema";
import { stockholmToUtcIso } from "~/utils/time";
import {
  createCohort,
  createEnrolment,
  createMunicipality,
  createOutcome,
  createParticipant,
  createProgramme,
  createSession,
  createUser,
} from "../../db/seed/factories";
import { emptyDb } from "../../tests/support/db";
import { ctxFor, expectResponse } from "../../tests/support/coordination";
import { getCofinancing } from "./cofinancing.server";
import { statisticsCsv, statisticsWorkbook } from "~/ui/statistics-export.server";
import { getStatistics } from "../../tests/support/statistics";
import type { StatisticsReport, StatTable } from "~/ui/statistics-report";
import { HIDDEN } from "~/ui/statistics";

const TODAY = "2026-11-26";

interface Person {
  key: string;
  municipality: "A" | "B";
  cohort: "K1" | "K2" | "KQ";
  gender: Gender;
  birthYear: number;
  education: EducationLevel | null;
  status: EnrolmentStatus;
  startedOn: string | null;
  endedOn?: string;
  salaryGroup?: string;
}

const K1_START = "2026-01-15";
const PEOPLE: Person[] = [
  { key: "a1", municipality: "A", cohort: "K1", gender: "kvinna", birthYear: 1990, education: "isced_5_8", status: "active", startedOn: K1_START, salaryGroup: "1" },
  { key: "a2", municipality: "A", cohort: "K1", gender: "kvinna", birthYear: 1970, education: "isced_3_4", status: "dropped", startedOn: K1_START, endedOn: "2026-03-10" },
  { key: "a3", municipality: "A", cohort: "K1", gender: "man", birthYear: 2000, education: null, status: "completed", startedOn: K1_START, endedOn: "2026-10-31", salaryGroup: "9" },
  { key: "a4", municipality: "A", cohort: "K1", gender: "man", birthYear: 2009, education: "isced_0_2", status: "active", startedOn: K1_START },
  // Never started: not a participant in any figure.
  { key: "a5", municipality: "A", cohort: "K1", gender: "kvinna", birthYear: 1980, education: null, status: "nominated", startedOn: null },
  { key: "a6", municipality: "A", cohort: "K1", gender: "kvinna", birthYear: 1980, education: null, status: "dropped", startedOn: null, endedOn: "2026-01-10" },
  ...[1, 2, 3, 4, 5, 6].map(
    (n): Person => ({ key: `b${n}`, municipality: "B", cohort: "K1", gender: "kvinna", birthYear: 1985, education: "isced_5_8", status: "active", startedOn: K1_START, salaryGroup: "2" }),
  ),
  { key: "b7", municipality: "B", cohort: "K1", gender: "icke_binar", birthYear: 1960, education: null, status: "completed", startedOn: K1_START, endedOn: "2026-06-30" },
  { key: "a7", municipality: "A", cohort: "K2", gender: "man", birthYear: 1980, education: null, status: "active", startedOn: "2026-06-01" },
  // Another programme: never counted in P.
  { key: "q1", municipality: "A", cohort: "KQ", gender: "kvinna", birthYear: 1980, education: null, status: "active", startedOn: K1_START },
];

async function world() {
  const db = await emptyDb();
  const A = await createMunicipality(db, { name: "Aby" });
  const B = await createMunicipality(db, { name: "Bby" });
  const C = await createMunicipality(db, { name: "Cby" });
  const municipality = { A, B };
  const P = await createProgramme(db, {
    name: "Programmet",
    ownerMunicipalityId: A,
    partnerMunicipalityIds: [A, B],
    esfProjectNumber: "ESF-TEST-1",
    startsOn: "2026-01-01",
    endsOn: "2027-12-31",
  });
  const Q = await createProgramme(db, { name: "Annat program", ownerMunicipalityId: A, partnerMunicipalityIds: [A, C], startsOn: "2026-01-01", endsOn: "2027-12-31" });
  const seats = { [A]: 10, [B]: 10 };
  const cohorts = {
    K1: await createCohort(db, { programmeId: P, name: "Omgång 1", startsOn: K1_START, endsOn: "2026-12-15", seats }),
    K2: await createCohort(db, { programmeId: P, name: "Omgång 2", startsOn: "2026-06-01", endsOn: "2027-05-31", seats }),
    KQ: await createCohort(db, { programmeId: Q, name: "Q 1", startsOn: K1_START, endsOn: "2026-12-15", seats: { [A]: 5 } }),
  };
  const participants: Record<string, number> = {};
  const enrolments: Record<string, number> = {};
  for (const p of PEOPLE) {
    const municipalityId = municipality[p.municipality];
    participants[p.key] = await createParticipant(db, {
      municipalityId,
      firstName: `Förnamn${p.key}`,
      lastName: `Efternamn${p.key}`,
      gender: p.gender,
      birthYear: p.birthYear,
      educationLevel: p.education,
      salaryGroup: p.salaryGroup ?? "1",
      personnummer: p.key === "a2" ? "198001019806" : null,
    });
    enrolments[p.key] = await createEnrolment(db, {
      cohortId: cohorts[p.cohort],
      participantId: participants[p.key],
      municipalityId,
      status: p.status,
      startedOn: p.startedOn,
      endedOn: p.endedOn ?? null,
      dropReason: p.status === "dropped" ? "Flyttade" : null,
    });
  }

  // Sessions: February and May are held, the one in late May is cancelled.
  const session = async (date: string, status: "planned" | "cancelled" = "planned") => {
    const id = await createSession(db, {
      cohortId: cohorts.K1,
      title: `Träff ${date}`,
      startsAt: stockholmToUtcIso(date, "09:00"),
      endsAt: stockholmToUtcIso(date, "16:00"),
      hostMunicipalityId: A,
    });
    if (status === "cancelled") await db.updateTable("sessions").set({ status }).where("id", "=", id).execute();
    return id;
  };
  const s1 = await session("2026-02-10");
  const s2 = await session("2026-05-12");
  const s3 = await session("2026-05-20", "cancelled");
  const attend = async (sessionId: number, key: string, status: "narvarande" | "sen_ankomst" | "giltig_franvaro" | "franvarande", minutes: number) => {
    const p = PEOPLE.find((x) => x.key === key)!;
    await db
      .insertInto("attendance")
      .values({
        session_id: sessionId,
        participant_id: participants[key],
        municipality_id: municipality[p.municipality as "A" | "B"],
        status,
        minutes,
        recorded_by: null,
        recorded_at: "2026-05-12T15:00:00.000Z",
        version: 1,
      })
      .execute();
  };
  await attend(s1, "a1", "narvarande", 420);
  await attend(s1, "a2", "sen_ankomst", 300);
  await attend(s1, "a3", "franvarande", 0);
  await attend(s1, "b1", "narvarande", 420);
  await attend(s2, "a1", "giltig_franvaro", 0);
  await attend(s2, "b1", "narvarande", 420);
  await attend(s2, "b7", "narvarande", 420);
  await attend(s3, "a1", "narvarande", 420);

  // Unit costs and time reports: certified ones count, a confirmed one does not; group 9 has no cost.
  const COSTS: Record<string, number> = { "1": 40_000, "2": 45_100 };
  for (const [group, ore] of Object.entries(COSTS)) {
    await db.insertInto("unit_costs").values({ programme_id: P, salary_group: group, year: 2026, hourly_cost_ore: ore, updated_by: null, updated_at: "2026-01-01T00:00:00Z" }).execute();
  }
  const report = async (key: string, month: string, status: "certified" | "confirmed", minutes: number, group: string) => {
    const p = PEOPLE.find((x) => x.key === key)!;
    await db
      .insertInto("time_reports")
      .values({
        participant_id: participants[key],
        municipality_id: municipality[p.municipality as "A" | "B"],
        programme_id: P,
        month,
        status,
        confirmed_by: null,
        confirmed_at: "2026-06-01T08:00:00Z",
        certified_by: null,
        certified_at: status === "certified" ? "2026-06-02T08:00:00Z" : null,
        needs_review: 0,
        rounding: "hour_down",
        certified_raw_minutes: status === "certified" ? minutes : null,
        certified_minutes: status === "certified" ? minutes : null,
        certified_salary_group: status === "certified" ? group : null,
        certified_lines: status === "certified" ? "[]" : null,
        // Frozen at certification, as certifyTimeReport does.
        certified_hourly_cost_ore: status === "certified" ? (COSTS[group] ?? null) : null,
        certified_value_ore: status === "certified" && COSTS[group] ? Math.round((minutes * COSTS[group]) / 60) : null,
        version: 1,
        created_at: "2026-06-01T08:00:00Z",
        updated_at: "2026-06-01T08:00:00Z",
      })
      .execute();
  };
  await report("a1", "2026-02", "certified", 420, "1");
  await report("b1", "2026-05", "certified", 839, "2");
  await report("b1", "2026-02", "confirmed", 420, "2");
  await report("a3", "2026-03", "certified", 60, "9");

  await createOutcome(db, { enrolmentId: enrolments.a2, checkpoint: "4_weeks", result: "new_role" });
  await createOutcome(db, { enrolmentId: enrolments.a2, checkpoint: "6_months", result: "became_manager" });
  await createOutcome(db, { enrolmentId: enrolments.a3, checkpoint: "4_weeks", result: "studying" });
  await createOutcome(db, { enrolmentId: enrolments.b7, checkpoint: "4_weeks", result: "same_role" });

  const user = async (email: string, grants: Parameters<typeof createUser>[1]["grants"]) => ctxFor(db, await createUser(db, { email, name: email, grants }));
  return {
    db,
    A,
    B,
    C,
    P,
    Q,
    cohorts,
    participants,
    enrolments,
    funder: await user("funder@example.se", [{ role: "funder", programmeId: P }]),
    otherFunder: await user("qfunder@example.se", [{ role: "funder", programmeId: Q }]),
    lead: await user("lead@example.se", [{ role: "programme_lead", programmeId: P }]),
    coordinatorA: await user("a@example.se", [{ role: "coordinator", municipalityId: A }]),
    coordinatorC: await user("c@example.se", [{ role: "coordinator", municipalityId: C }]),
    admin: await user("admin@example.se", [{ role: "admin" }]),
  };
}

const figure = (r: StatisticsReport, key: string) => r.figures.find((f) => f.key === key)!.value;
const table = (r: StatisticsReport, key: StatTable["key"]) => r.tables.find((t) => t.key === key)!;
/** A table as { rowKey: [texts...] }, the way a reader sees it. */
const texts = (t: StatTable) => Object.fromEntries(t.rows.map((r) => [r.key, r.cells.map((c) => c.text)]));
const values = (t: StatTable) => Object.fromEntries(t.rows.map((r) => [r.key, r.cells.map((c) => c.value)]));

describe("participation statistics", () => {
  it("counts started, active, completed and dropped for the whole programme", async () => {
    const w = await world();
    const r = await getStatistics(w.lead, { programmeId: w.P }, TODAY);
    // a1-a4 and a7 in Aby, b1-b7 in Bby; a5/a6 never started and q1 is in another programme.
    expect(figure(r, "total")).toBe(12);
    expect(figure(r, "started")).toBe(12);
    expect(figure(r, "completed")).toBe(2); // a3, b7
    expect(figure(r, "dropped")).toBe(1); // a2
    expect(figure(r, "active")).toBe(9);
    expect(figure(r, "leavers")).toBe(3);
    expect(r.scope).toBe("programme");
    expect(r.cohorts.map((c) => c.name)).toEqual(["Omgång 1", "Omgång 2"]);

    // Participants per municipality are shown; how they split into active, completed and dropped is protected.
    const municipalities = table(r, "municipality");
    expect(municipalities.protectedCounts).toBe(true);
    expect(municipalities.columns.map((c) => c.label)).toEqual(["Deltagare", "Aktiva", "Avslutade", "Avbrutna"]);
    expect(municipalities.rows.map((x) => x.cells[0].value)).toEqual([5, 7]);
    expect(municipalities.total!.cells.map((c) => c.value)).toEqual([12, 9, 2, 1]);
  });

  it("splits by gender, age band from the start year and education, exactly for a coordinator's own share", async () => {
    const w = await world();
    const r = await getStatistics(w.coordinatorA, { programmeId: w.P }, TODAY);
    expect(r.scope).toBe("municipality");
    expect(r.protectedCounts).toBe(false);
    expect(r.breakdownsAsOf).toBeNull();
    expect(r.municipalityNames).toEqual(["Aby"]);
    // Aby: a1 (kvinna 36, 5-8), a2 (kvinna 56, 3-4, dropped), a3 (man 26, unknown, completed), a4 (man 17, 0-2), a7 (man 46, unknown).
    expect(figure(r, "total")).toBe(5);
    // Participants, active, completed, dropped.
    expect(values(table(r, "gender"))).toEqual({
      kvinna: [2, 1, 0, 1],
      man: [3, 2, 1, 0],
      icke_binar: [0, 0, 0, 0],
      vill_ej_uppge: [0, 0, 0, 0],
    });
    expect(values(table(r, "age"))).toEqual({
      under_18: [1, 1, 0, 0],
      "18_29": [1, 0, 1, 0],
      "30_54": [2, 2, 0, 0],
      "55_plus": [1, 0, 0, 1],
    });
    expect(values(table(r, "education"))).toEqual({
      isced_0_2: [1, 1, 0, 0],
      isced_3_4: [1, 0, 0, 1],
      isced_5_8: [1, 1, 0, 0],
      unknown: [2, 1, 1, 0],
    });
    expect(values(table(r, "municipality"))).toEqual({ [w.A]: [5, 3, 1, 1] });
    // The coordinator's breakdowns follow the selection: Omgång 2 is only a7.
    const second = await getStatistics(w.coordinatorA, { programmeId: w.P, cohortId: w.cohorts.K2 }, TODAY);
    expect(values(table(second, "gender")).man).toEqual([1, 1, 0, 0]);
  });

  it("limits the figures to whole months and a cohort", async () => {
    const w = await world();
    const spring = await getStatistics(w.lead, { programmeId: w.P, fromMonth: "2026-04", toMonth: "2026-06" }, TODAY);
    // April 1 to June 30: a2 left before April; a7 started in June; b7 completed on 30 June; a3 was still active then.
    expect([spring.from, spring.to]).toEqual(["2026-04-01", "2026-06-30"]);
    expect(figure(spring, "total")).toBe(11);
    expect(figure(spring, "started")).toBe(1);
    expect(figure(spring, "completed")).toBe(1);
    expect(figure(spring, "dropped")).toBe(0);
    expect(figure(spring, "active")).toBe(10);
    expect(figure(spring, "hoursCertified")).toBe(13.98); // b1's May report: 839 minutes
    expect(figure(spring, "hoursDelivered")).toBe(14); // the May session: 840 minutes

    const second = await getStatistics(w.lead, { programmeId: w.P, cohortId: w.cohorts.K2 }, TODAY);
    expect(figure(second, "total")).toBe(1);
    expect(figure(second, "hoursDelivered")).toBe(0);
    expect(figure(second, "attendanceRate")).toBeNull();

    // A month that has begun ends today; one that has not begun is refused.
    const now = await getStatistics(w.lead, { programmeId: w.P, toMonth: "2026-11" }, TODAY);
    expect(now.to).toBe(TODAY);
    await expectResponse(getStatistics(w.lead, { programmeId: w.P, fromMonth: "2026-12" }, TODAY), 400);
  });

  it("computes attendance, hours and co-financing, and agrees with the co-financing page", async () => {
    const w = await world();
    const r = await getStatistics(w.lead, { programmeId: w.P }, TODAY);
    // 7 recorded on held sessions (the cancelled one does not count), 5 present or late.
    expect(figure(r, "attendanceRate")).toBe(71.4);
    expect(figure(r, "hoursDelivered")).toBe(33); // 1980 minutes
    expect(figure(r, "hoursCertified")).toBe(21.98); // 420 + 839 + 60 minutes
    expect(figure(r, "cofinancing")).toBe(9106.48); // 420 x 400 kr/h + 839 x 451 kr/h, group 9 has no cost

    const months = table(r, "attendance");
    expect(values(months)).toEqual({ "2026-02": [4, 3, 75, 19], "2026-05": [3, 2, 66.7, 14] });
    const hours = table(r, "municipalityHours");
    expect(values(hours)).toEqual({ [w.A]: [50, 12, 8, 2800], [w.B]: [100, 21, 13.98, 6306.48] });

    const cofinancing = await getCofinancing(w.lead, { programmeId: w.P, year: 2026 });
    expect(figure(r, "cofinancing")).toBe(cofinancing.totalValueOre / 100);
    expect(figure(r, "hoursCertified")).toBe(Math.round((cofinancing.totalMinutes / 60) * 100) / 100);
  });

  it("issue 14 item 6: attendance per month is grouped by Stockholm months, as the time reports are", async () => {
    const w = await world();
    // 00:30 on 1 March in Stockholm is 23:30 on 28 February in UTC: a March session.
    const id = await createSession(w.db, {
      cohortId: w.cohorts.K1,
      title: "Nattpass",
      startsAt: stockholmToUtcIso("2026-03-01", "00:30"),
      endsAt: stockholmToUtcIso("2026-03-01", "02:30"),
      hostMunicipalityId: w.A,
    });
    expect(stockholmToUtcIso("2026-03-01", "00:30")).toBe("2026-02-28T23:30:00.000Z");
    await w.db
      .insertInto("attendance")
      .values({ session_id: id, participant_id: w.participants.b1, municipality_id: w.B, status: "narvarande", minutes: 120, recorded_by: null, recorded_at: "2026-03-01T03:00:00.000Z", version: 1 })
      .execute();
    const r = await getStatistics(w.lead, { programmeId: w.P }, TODAY);
    expect(values(table(r, "attendance"))).toEqual({ "2026-02": [4, 3, 75, 19], "2026-03": [1, 1, 100, 2], "2026-05": [3, 2, 66.7, 14] });
    // The month filter draws the same line: March alone holds the night session.
    const march = await getStatistics(w.lead, { programmeId: w.P, fromMonth: "2026-03", toMonth: "2026-03" }, TODAY);
    expect(figure(march, "hoursDelivered")).toBe(2);
  });

  it("counts outcomes per checkpoint, with those not yet followed up", async () => {
    const w = await world();
    const r = await getStatistics(w.coordinatorA, { programmeId: w.P }, TODAY);
    const outcomes = table(r, "outcomes");
    // Aby's leavers: a2 (new role, then manager) and a3 (studying, 6 months not due).
    expect(values(outcomes)).toEqual({
      same_role: [0, 0],
      new_role: [1, 0],
      became_manager: [0, 1],
      studying: [1, 0],
      left_municipality: [0, 0],
      unknown: [0, 0],
      not_recorded: [0, 1],
    });
    expect(outcomes.total!.cells.map((c) => c.value)).toEqual([2, 2]);
  });

  it("shows a funder the whole programme's breakdowns up to today, with every small count hidden as '..', whatever the filter", async () => {
    const w = await world();
    const r = await getStatistics(w.funder, { programmeId: w.P }, TODAY);
    expect(r.protectedCounts).toBe(true);
    expect(r.breakdownsAsOf).toBe(TODAY);
    // Twelve people: nearly everything crossed with a personal attribute is small.
    // Twelve people: every split by gender is small somewhere, and Bby's coordinator knows 6 of the 8 women,
    // so even the 8 is hidden; only participants per municipality are shown.
    expect(texts(table(r, "gender"))).toEqual({
      kvinna: [HIDDEN, HIDDEN, HIDDEN, HIDDEN],
      man: [HIDDEN, HIDDEN, HIDDEN, HIDDEN],
      icke_binar: [HIDDEN, HIDDEN, HIDDEN, HIDDEN],
      vill_ej_uppge: [HIDDEN, HIDDEN, HIDDEN, HIDDEN],
    });
    expect(texts(table(r, "municipality"))).toEqual({ [w.A]: ["5", HIDDEN, HIDDEN, HIDDEN], [w.B]: ["7", HIDDEN, HIDDEN, HIDDEN] });
    for (const t of r.tables.filter((x) => x.protectedCounts)) {
      expect(t.basis, t.key).toBe("programme");
      for (const row of t.rows) {
        row.cells.forEach((cell, i) => {
          // The municipality table shows participants (column 0) and active (column 1) as they are: taking part is public.
          if (t.key === "municipality" && i < 2) return;
          if (cell.value !== null) expect(cell.value === 0 || cell.value > 4, `${t.key} ${row.key} ${i}`).toBe(true);
          else expect(cell.text).toBe(HIDDEN);
        });
      }
      // Totals stay: they are the headline figures of the whole programme.
      expect(t.total!.cells.every((c) => c.value !== null)).toBe(true);
    }
    expect(table(r, "gender").total!.cells.map((c) => c.value)).toEqual([12, 9, 2, 1]);
    // The hidden numbers are not sent at all.
    expect(JSON.stringify(table(r, "gender").rows)).not.toMatch(/"value":\d/);

    // Another cohort or period changes the selection's figures, not the protected breakdowns.
    const spring = await getStatistics(w.funder, { programmeId: w.P, cohortId: w.cohorts.K1, fromMonth: "2026-04", toMonth: "2026-06" }, TODAY);
    expect(figure(spring, "total")).not.toBe(figure(r, "total"));
    expect(spring.tables.filter((t) => t.protectedCounts)).toEqual(r.tables.filter((t) => t.protectedCounts));
  });

  it("exports the same numbers as XLSX (one sheet per table, numbers as numbers, '..' as text) and CSV", async () => {
    const w = await world();
    const r = await getStatistics(w.funder, { programmeId: w.P }, TODAY);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await statisticsWorkbook(r).xlsx.writeBuffer());
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      "Nyckeltal",
      "Närvaro, timmar och medfinansie",
      "Närvaro per månad",
      "Deltagare per kommun",
      "Deltagare per kön",
      "Deltagare per åldersgrupp",
      "Deltagare per utbildningsnivå",
      "Utfall efter avslut",
      "Urval och definitioner",
    ]);
    const summary = workbook.getWorksheet("Nyckeltal")!;
    expect(summary.getRow(2).values).toEqual([undefined, "Deltagare under perioden", 12, expect.stringContaining("påbörjat")]);
    expect(summary.getRow(11).getCell(2).value).toBe(9106.48);
    const gender = workbook.getWorksheet("Deltagare per kön")!;
    const page = table(r, "gender");
    page.rows.forEach((row, i) => {
      expect(gender.getRow(i + 2).values).toEqual([undefined, row.label, ...row.cells.map((c) => c.value ?? HIDDEN)]);
    });
    expect(gender.getRow(6).values).toEqual([undefined, "Totalt", 12, 9, 2, 1]);
    const about = workbook.getWorksheet("Urval och definitioner")!;
    const aboutText = about.getSheetValues().flat().join(" ");
    expect(aboutText).toContain("Gäller hela programmet, alla omgångar, till och med 26 november 2026.");
    expect(aboutText).toContain("linjärprogrammering");

    const csv = statisticsCsv(r);
    expect(csv).toContain("Deltagare per kön;Kvinna;Deltagare;..\r\n");
    expect(csv).toContain('Nyckeltal;Medfinansiering;Värde;"9106,48"\r\n');
    expect(csv).not.toMatch(/Förnamn|Efternamn|19800101/);
  });

  it("lets only those with a grant see a programme's statistics", async () => {
    const w = await world();
    await expectResponse(getStatistics(w.admin, { programmeId: w.P }, TODAY), 403);
    await expectResponse(getStatistics(w.otherFunder, { programmeId: w.P }, TODAY), 404);
    await expectResponse(getStatistics(w.coordinatorC, { programmeId: w.P }, TODAY), 404);
    await expectResponse(getStatistics(w.lead, { programmeId: w.P, cohortId: w.cohorts.KQ }, TODAY), 404);
    await expectResponse(getStatistics(w.lead, { programmeId: w.P, fromMonth: "2026-06", toMonth: "2026-05" }, TODAY), 400);
    const denials = await w.db.selectFrom("audit_log").select("action").where("action", "=", "authz.denied").execute();
    expect(denials.length).toBe(3);
    // A funder's default is the programme they fund.
    expect((await getStatistics(w.otherFunder, {}, TODAY)).programme.id).toBe(w.Q);
  });
});
