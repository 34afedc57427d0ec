import { describe, expect, it } from "vitest";
import { attendanceReportCsvTable } from "~/ui/attendance";
import { stockholmToUtcIso } from "~/utils/time";
import { createCohort, createEnrolment, createMunicipality, createParticipant, createProgramme, createSession, createUser } from "../../db/seed/factories";
import { emptyDb } from "../../tests/support/db";
import { ctxFor } from "../../tests/support/coordination";
import { exportAttendanceReport, getAttendanceReport, trendOf } from "./attendance-report.server";
import { saveAttendance } from "./attendance.server";
import { checked } from "./result";
import { listCohortSessions } from "./sessions.server";
import type { AttendanceStatus } from "~/db/schema";

const TODAY = "2026-11-26";
const NOW = new Date("2026-11-26T12:00:00Z");

/**
 * Five held sessions (8, 4, 8, 4 and 8 hours) from September to November and one
 * planned for December; Erik (Hultsfred) at all of them, Anna (Vimmerby) away
 * more and more, Karin (Vimmerby) enrolled from October and unrecorded in November.
 */
async function world() {
  const db = await emptyDb();
  const vimmerby = await createMunicipality(db, { name: "Vimmerby" });
  const hultsfred = await createMunicipality(db, { name: "Hultsfred" });
  const programmeId = await createProgramme(db, {
    name: "Ledarutveckling",
    ownerMunicipalityId: vimmerby,
    partnerMunicipalityIds: [hultsfred],
    startsOn: "2026-01-01",
    endsOn: "2027-12-31",
  });
  const cohortId = await createCohort(db, { programmeId, name: "Omgång 1", startsOn: "2026-08-01", endsOn: "2027-06-30", seats: { [vimmerby]: 2, [hultsfred]: 2 } });
  const anna = await createParticipant(db, { municipalityId: vimmerby, firstName: "Anna", lastName: "Berg" });
  const karin = await createParticipant(db, { municipalityId: vimmerby, firstName: "Karin", lastName: "Ek" });
  const erik = await createParticipant(db, { municipalityId: hultsfred, firstName: "Erik", lastName: "Holm" });
  await createEnrolment(db, { cohortId, participantId: anna, municipalityId: vimmerby, status: "active", startedOn: "2026-08-01" });
  await createEnrolment(db, { cohortId, participantId: karin, municipalityId: vimmerby, status: "active", startedOn: "2026-10-01" });
  await createEnrolment(db, { cohortId, participantId: erik, municipalityId: hultsfred, status: "active", startedOn: "2026-08-01" });
  const sessions: number[] = [];
  for (const [date, to] of [
    ["2026-09-01", "17:00"],
    ["2026-09-15", "13:00"],
    ["2026-10-06", "17:00"],
    ["2026-10-20", "13:00"],
    ["2026-11-03", "17:00"],
    ["2026-12-08", "17:00"],
  ]) {
    sessions.push(
      await createSession(db, {
        cohortId,
        title: `Träff ${date}`,
        startsAt: stockholmToUtcIso(date, "09:00"),
        endsAt: stockholmToUtcIso(date, to),
        hostMunicipalityId: vimmerby,
      }),
    );
  }
  const leadUser = await createUser(db, { email: "lead@example.se", name: "Lena Lead", grants: [{ role: "programme_lead", programmeId }] });
  const hultsfredUser = await createUser(db, { email: "hul@example.se", name: "Hugo Hultsfred", grants: [{ role: "coordinator", municipalityId: hultsfred }] });
  const lead = await ctxFor(db, leadUser);
  const mark = async (session: number, participantId: number, status: AttendanceStatus, minutes?: number) => {
    const saved = await saveAttendance(lead, session, { rows: [{ participantId, status, minutes, version: 0 }], markRestPresent: false }, TODAY);
    expect(saved.ok).toBe(true);
  };
  const [s1, s2, s3, s4, s5] = sessions;
  for (const s of [s1, s2, s3, s4, s5]) await mark(s, erik, "narvarande");
  await mark(s1, anna, "narvarande");
  await mark(s2, anna, "narvarande");
  await mark(s3, anna, "sen_ankomst", 360);
  await mark(s4, anna, "franvarande");
  await mark(s5, anna, "giltig_franvaro");
  await mark(s3, karin, "franvarande");
  await mark(s4, karin, "narvarande");
  return { db, lead, hultsfred: await ctxFor(db, hultsfredUser), cohortId, anna, karin, erik, sessions };
}

async function reportOf(...args: Parameters<typeof getAttendanceReport>) {
  const result = await getAttendanceReport(...args);
  if (!result.ok) throw new Error(`refused: ${result.message}`);
  return result.value;
}

describe("the attendance report's summary", () => {
  it("gives each participant's hours, share, completion rule and trend over every held session, computed by hand", async () => {
    const w = await world();
    const report = await reportOf(w.lead, w.cohortId, {}, NOW);
    expect(report.heldSessionCount).toBe(5);
    expect(report.completionPercent).toBe(80);
    const lines = report.rows.map((r) => [r.name, r.attendedMinutes, r.scheduledMinutes, r.rate == null ? null : Math.round(r.rate * 10000) / 100, r.fulfils, r.trend]);
    expect(lines).toEqual([
      // Hultsfred before Vimmerby. 8+4+8+4+8 h of 32 h; the last three as the two before: steady.
      ["Erik Holm", 1920, 1920, 100, true, "steady"],
      // 8+4+6+0+0 = 18 h of 32 h = 56.25 %; the last three 6 of 20 h (30 %) against 12 of 12 h (100 %): down.
      ["Anna Berg", 1080, 1920, 56.25, false, "down"],
      // Enrolled from October: 0+4 h and November unrecorded (counts as 0) of 8+4+8 = 20 h = 20 %; only three sessions: no trend.
      ["Karin Ek", 240, 1200, 20, false, null],
    ]);
    // The summary alone carries no matrix.
    expect(report.month).toBeNull();
    expect(report.sessions).toEqual([]);
    expect(report.rows.every((r) => r.cells.length === 0)).toBe(true);
    expect(report.months).toEqual([
      { month: "2026-09", sessionCount: 2 },
      { month: "2026-10", sessionCount: 2 },
      { month: "2026-11", sessionCount: 1 },
    ]);
  });

  it("shows one month's matrix on request, with the summary still over every held session", async () => {
    const w = await world();
    const report = await reportOf(w.lead, w.cohortId, { month: checked("2026-10") }, NOW);
    expect(report.month).toBe("2026-10");
    expect(report.sessions.map((s) => [s.title, s.presentCount, s.expectedCount, s.attendedMinutes])).toEqual([
      // Anna late 6 h, Erik 8 h, Karin away.
      ["Träff 2026-10-06", 2, 3, 840],
      ["Träff 2026-10-20", 2, 3, 480],
    ]);
    const byName = new Map(report.rows.map((r) => [r.name, r]));
    expect(byName.get("Anna Berg")!.cells).toEqual([
      { status: "sen_ankomst", minutes: 360 },
      { status: "franvarande", minutes: 0 },
    ]);
    expect(byName.get("Anna Berg")!.attendedMinutes).toBe(1080);
    const september = await reportOf(w.lead, w.cohortId, { month: checked("2026-09") }, NOW);
    // Karin was not enrolled in September: no cell, and the session does not expect her.
    expect(september.rows.find((r) => r.name === "Karin Ek")!.cells).toEqual([null, null]);
    expect(september.sessions.map((s) => s.expectedCount)).toEqual([2, 2]);
    // A month without held sessions (the planned December one does not count) has an empty matrix.
    const december = await reportOf(w.lead, w.cohortId, { month: checked("2026-12") }, NOW);
    expect(december.sessions).toEqual([]);
  });

  it("refuses a month that did not pass its schema with 400 and a Swedish message, after the grant check", async () => {
    const w = await world();
    const refused = await getAttendanceReport(w.lead, w.cohortId, { month: { status: "error" } }, NOW);
    expect(refused).toMatchObject({ ok: false, status: 400, message: expect.stringContaining("Månaden") });
  });

  it("shows the Hultsfred coordinator only Hultsfred's participants, whichever municipality they ask for", async () => {
    const w = await world();
    const report = await reportOf(w.hultsfred, w.cohortId, { municipalityId: 1 }, NOW);
    expect(report.rows.map((r) => r.name)).toEqual(["Erik Holm"]);
    expect(report.canChooseMunicipality).toBe(false);
  });
});

describe("the attendance report's download", () => {
  it("keeps every held session's column and the same figures as before the summary-first report", async () => {
    const w = await world();
    const { header, body } = attendanceReportCsvTable(await exportAttendanceReport(w.lead, w.cohortId, {}));
    expect(header).toEqual([
      "Deltagare",
      "Kommun",
      "2026-09-01 Träff 2026-09-01",
      "2026-09-15 Träff 2026-09-15",
      "2026-10-06 Träff 2026-10-06",
      "2026-10-20 Träff 2026-10-20",
      "2026-11-03 Träff 2026-11-03",
      "Närvarotimmar",
      "Schemalagda timmar",
      "Närvaro (%)",
      "Uppfyller kravet (80 %)",
    ]);
    expect(body).toEqual([
      ["Erik Holm", "Hultsfred", "Närvarande 8 tim", "Närvarande 4 tim", "Närvarande 8 tim", "Närvarande 4 tim", "Närvarande 8 tim", "32", "32", 100, "Ja"],
      ["Anna Berg", "Vimmerby", "Närvarande 8 tim", "Närvarande 4 tim", "Sen ankomst 6 tim", "Frånvarande", "Giltig frånvaro", "18", "32", 56, "Nej"],
      ["Karin Ek", "Vimmerby", "", "", "Frånvarande", "Närvarande 4 tim", "Ej registrerad", "4", "20", 20, "Nej"],
    ]);
  });
});

describe("the attendance trend", () => {
  const session = (attended: number, scheduled = 60) => ({ attendedMinutes: attended, scheduledMinutes: scheduled });
  it("needs at least one session before the last three", () => {
    expect(trendOf([session(60), session(0), session(0)])).toBeNull();
    expect(trendOf([session(60), session(0), session(0), session(0)])).toBe("down");
  });
  it("is up or down from 10 percentage points, steady below", () => {
    // Earlier 0 of 60 (0 %), recent 18 of 180 (10 %): up.
    expect(trendOf([session(0), session(18), session(0), session(0)])).toBe("up");
    // Earlier 0 %, recent 17 of 180 (9.4 %): steady.
    expect(trendOf([session(0), session(17), session(0), session(0)])).toBe("steady");
    // Shares by hours, not by sessions: a long session weighs more.
    expect(trendOf([session(240, 240), session(0, 60), session(60, 60), session(60, 60)])).toBe("down");
  });
});

describe("held sessions in the cohort's session list", () => {
  it("say to the programme lead whether attendance has been taken, and to a coordinator nothing", async () => {
    const w = await world();
    const forgotten = await createSession(w.db, {
      cohortId: w.cohortId,
      title: "Glömd träff",
      startsAt: stockholmToUtcIso("2026-11-17", "09:00"),
      endsAt: stockholmToUtcIso("2026-11-17", "12:00"),
      hostMunicipalityId: (await w.db.selectFrom("municipalities").select("id").where("name", "=", "Vimmerby").executeTakeFirstOrThrow()).id,
    });
    const list = await listCohortSessions(w.lead, w.cohortId, NOW);
    expect(list.past.map((s) => s.id)).toEqual([forgotten, ...w.sessions.slice(0, 5).reverse()]);
    expect([...list.attendanceTakenIds!].sort((a, b) => a - b)).toEqual(w.sessions.slice(0, 5));
    expect((await listCohortSessions(w.hultsfred, w.cohortId, NOW)).attendanceTakenIds).toBeNull();
  });
});
