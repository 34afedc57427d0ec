/**
 * The start page's to-do lists: each item appears when there is work and
 * disappears when the work is done through the ordinary domain action.
 */
import { describe, expect, it } from "vitest";
import { stockholmToUtcIso } from "~/utils/time";
import { addGrant, createCohort, createEnrolment, createMunicipality, createParticipant, createProgramme, createSession, createUser } from "../../db/seed/factories";
import { ctxFor } from "../../tests/support/coordination";
import { emptyDb } from "../../tests/support/db";
import { getAttendanceSheet, saveAttendance } from "./attendance.server";
import { createFeedAddress } from "./calendar.server";
import { acceptNomination, nominate } from "./nominations.server";
import { getStartPage } from "./start-page.server";
import { certifyTimeReport, confirmTimeReport } from "./time-report-workflow.server";

const TODAY = "2026-11-26";
const NOW = new Date(stockholmToUtcIso(TODAY, "08:00"));

/** Vimmerby and Hultsfred in a running cohort; Anna (Vimmerby) active with a login; one October session held, one today, one next week. */
async function world() {
  const db = await emptyDb();
  const vimmerby = await createMunicipality(db, { name: "Vimmerby" });
  const hultsfred = await createMunicipality(db, { name: "Hultsfred" });
  const programmeId = await createProgramme(db, { name: "ESF-programmet", ownerMunicipalityId: vimmerby, partnerMunicipalityIds: [hultsfred], startsOn: "2026-01-01", endsOn: "2027-12-31" });
  const cohortId = await createCohort(db, { programmeId, name: "Omgång 1", startsOn: "2026-08-01", endsOn: "2027-06-30", seats: { [vimmerby]: 2, [hultsfred]: 2 } });
  const anna = await createParticipant(db, { municipalityId: vimmerby, firstName: "Anna", lastName: "Berg", salaryGroup: "1" });
  const bo = await createParticipant(db, { municipalityId: vimmerby, firstName: "Bo", lastName: "Ek", salaryGroup: "1" });
  await createEnrolment(db, { cohortId, participantId: anna, municipalityId: vimmerby, status: "active", startedOn: "2026-08-01" });
  const held = await createSession(db, { cohortId, title: "Att leda sig själv", startsAt: stockholmToUtcIso("2026-10-06", "09:00"), endsAt: stockholmToUtcIso("2026-10-06", "16:00"), hostMunicipalityId: vimmerby });
  const today = await createSession(db, { cohortId, title: "Feedback", startsAt: stockholmToUtcIso(TODAY, "13:00"), endsAt: stockholmToUtcIso(TODAY, "16:00"), hostMunicipalityId: hultsfred });
  const nextWeek = await createSession(db, {
    cohortId,
    title: "Förändringsledning",
    startsAt: stockholmToUtcIso("2026-12-03", "09:00"),
    endsAt: stockholmToUtcIso("2026-12-03", "15:00"),
    hostMunicipalityId: vimmerby,
    venue: "Stadshuset",
    address: "Stora torget 1, Vimmerby",
    description: "Ta med din handlingsplan.",
  });
  const ctx = {
    lead: await ctxFor(db, await createUser(db, { email: "lead@example.se", name: "Lena Lead", grants: [{ role: "programme_lead", programmeId }] })),
    vimmerby: await ctxFor(db, await createUser(db, { email: "vim@example.se", name: "Vera Samordnare", grants: [{ role: "coordinator", municipalityId: vimmerby }] })),
    anna: await ctxFor(db, await createUser(db, { email: "anna@example.se", name: "Anna Berg", grants: [{ role: "participant", municipalityId: vimmerby, participantId: anna }] })),
    funder: await ctxFor(db, await createUser(db, { email: "funder@example.se", name: "Fia Finansiär", grants: [{ role: "funder", programmeId }] })),
    admin: await ctxFor(db, await createUser(db, { email: "admin@example.se", name: "Adam Admin", grants: [{ role: "admin" }] })),
  };
  return { db, vimmerby, programmeId, cohortId, anna, bo, held, today, nextWeek, ctx };
}

async function recordAllPresent(w: Awaited<ReturnType<typeof world>>, sessionId: number) {
  const sheet = await getAttendanceSheet(w.ctx.lead, sessionId, TODAY);
  const result = await saveAttendance(w.ctx.lead, sessionId, { rows: sheet.rows.map((r) => ({ participantId: r.participantId, version: r.version })), markRestPresent: true }, TODAY);
  expect(result.ok).toBe(true);
}

async function octoberReport(w: Awaited<ReturnType<typeof world>>) {
  return w.db.selectFrom("time_reports").select(["id", "version"]).where("participant_id", "=", w.anna).where("month", "=", "2026-10").executeTakeFirstOrThrow();
}

describe("the programme lead's start page", () => {
  it("lists a held session without attendance until attendance is taken, and today's session with Ta närvaro", async () => {
    const w = await world();
    const before = (await getStartPage(w.ctx.lead, NOW)).lead!;
    expect(before.unrecorded).toMatchObject({ count: 1, sessions: [{ id: w.held }] });
    expect(before.today).toEqual([expect.objectContaining({ id: w.today, attendanceTaken: false })]);
    expect(before.next.map((s) => s.id)).toEqual([w.nextWeek]);

    await recordAllPresent(w, w.held);
    expect((await getStartPage(w.ctx.lead, NOW)).lead!.unrecorded).toEqual({ count: 0, sessions: [] });
  });

  it("lists nominations to decide until the lead accepts them; the coordinator sees them waiting meanwhile", async () => {
    const w = await world();
    const nominated = await nominate(w.ctx.vimmerby, { cohortId: w.cohortId, participantId: w.bo }, TODAY);
    if (!nominated.ok) throw new Error("nomination refused");
    expect((await getStartPage(w.ctx.lead, NOW)).lead!.nominationsToDecide).toEqual([expect.objectContaining({ cohortId: w.cohortId, count: 1 })]);
    expect((await getStartPage(w.ctx.vimmerby, NOW)).coordinator![0].awaitingLead).toEqual([expect.objectContaining({ cohortId: w.cohortId, count: 1 })]);

    await acceptNomination(w.ctx.lead, { cohortId: w.cohortId, enrolmentId: nominated.value.enrolmentId }, TODAY);
    expect((await getStartPage(w.ctx.lead, NOW)).lead!.nominationsToDecide).toEqual([]);
    expect((await getStartPage(w.ctx.vimmerby, NOW)).coordinator![0].awaitingLead).toEqual([]);
  });
});

describe("the coordinator's start page", () => {
  it("shows free seats and a participant without a cohort until the seats are filled", async () => {
    const w = await world();
    const before = (await getStartPage(w.ctx.vimmerby, NOW)).coordinator![0];
    expect(before.openSeats).toEqual([expect.objectContaining({ cohortId: w.cohortId, count: 1, seats: 2 })]);
    expect(before.withoutCohort).toBe(1);

    await nominate(w.ctx.vimmerby, { cohortId: w.cohortId, participantId: w.bo }, TODAY);
    const after = (await getStartPage(w.ctx.vimmerby, NOW)).coordinator![0];
    expect(after.openSeats).toEqual([]);
    expect(after.withoutCohort).toBe(0);
  });

  it("lists a confirmed time report to certify until it is certified", async () => {
    const w = await world();
    await recordAllPresent(w, w.held);
    const draft = await octoberReport(w);
    expect((await getStartPage(w.ctx.vimmerby, NOW)).coordinator![0].reportsToCertify).toEqual([]);
    await confirmTimeReport(w.ctx.anna, draft.id, draft.version);
    expect((await getStartPage(w.ctx.vimmerby, NOW)).coordinator![0].reportsToCertify).toEqual([{ month: "2026-10", count: 1 }]);

    const confirmed = await octoberReport(w);
    const certified = await certifyTimeReport(w.ctx.vimmerby, confirmed.id, { version: confirmed.version, certifiedAs: "manager", managerName: "Maria Chef" });
    expect(certified.ok).toBe(true);
    expect((await getStartPage(w.ctx.vimmerby, NOW)).coordinator![0].reportsToCertify).toEqual([]);
  });

  it("shows nothing of another municipality", async () => {
    const w = await world();
    const hultsfred = await createMunicipality(w.db, { name: "Högsby" });
    const other = await ctxFor(w.db, await createUser(w.db, { email: "hog@example.se", name: "Hans", grants: [{ role: "coordinator", municipalityId: hultsfred }] }));
    await nominate(w.ctx.vimmerby, { cohortId: w.cohortId, participantId: w.bo }, TODAY);
    const page = (await getStartPage(other, NOW)).coordinator![0];
    expect(page).toMatchObject({ awaitingLead: [], waitlisted: [], openSeats: [], reportsToCertify: [], withoutCohort: 0, changedSessions: [] });
  });
});

describe("the trainee's start page", () => {
  it("shows the next session with where and what to bring", async () => {
    const w = await world();
    await recordAllPresent(w, w.today);
    const after = (await getStartPage(w.ctx.anna, new Date(stockholmToUtcIso(TODAY, "17:00")))).trainee!;
    expect(after.next).toMatchObject({ id: w.nextWeek, venue: "Stadshuset", address: "Stora torget 1, Vimmerby", description: "Ta med din handlingsplan." });
  });

  it("asks to confirm last month's time report until it is confirmed", async () => {
    const w = await world();
    await recordAllPresent(w, w.held);
    const draft = await octoberReport(w);
    expect((await getStartPage(w.ctx.anna, NOW)).trainee!.reportsToConfirm).toEqual([expect.objectContaining({ id: draft.id, month: "2026-10" })]);
    await confirmTimeReport(w.ctx.anna, draft.id, draft.version);
    expect((await getStartPage(w.ctx.anna, NOW)).trainee!.reportsToConfirm).toEqual([]);
  });

  it("offers the calendar subscription until the trainee has an address", async () => {
    const w = await world();
    expect((await getStartPage(w.ctx.anna, NOW)).trainee!.feed).toBeNull();
    await createFeedAddress(w.ctx.anna, "participant", { publicUrl: "http://localhost" });
    expect((await getStartPage(w.ctx.anna, NOW)).trainee!.feed).not.toBeNull();
  });

  it("gives a trainee no staff sections", async () => {
    const w = await world();
    const page = await getStartPage(w.ctx.anna, NOW);
    expect(page).not.toHaveProperty("lead");
    expect(page).not.toHaveProperty("coordinator");
    expect(page).not.toHaveProperty("admin");
  });
});

describe("the funder's and the administrator's start pages", () => {
  it("gives the funder each funded programme's period and counts", async () => {
    const w = await world();
    expect((await getStartPage(w.ctx.funder, NOW)).funder).toEqual([
      { programmeId: w.programmeId, name: "ESF-programmet", startsOn: "2026-01-01", endsOn: "2027-12-31", started: 1, active: 1, completed: 0, dropped: 0 },
    ]);
  });

  it("counts users without a role until they get one", async () => {
    const w = await world();
    const lone = await createUser(w.db, { email: "ny@example.se", name: "Ny Användare" });
    expect((await getStartPage(w.ctx.admin, NOW)).admin!.usersWithoutRole).toBe(1);
    await addGrant(w.db, lone, { role: "coordinator", municipalityId: w.vimmerby });
    expect((await getStartPage(w.ctx.admin, NOW)).admin!.usersWithoutRole).toBe(0);
  });
});
