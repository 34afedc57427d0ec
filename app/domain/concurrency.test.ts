/**
 * Issue 14, item 2: every optimistic check is part of the write. Each test
 * runs a domain function on one connection and lets another connection
 * commit a change after the function has read and checked the row, before
 * its transaction (see tests/support/concurrency.ts). The late writer must
 * get a 409 with a Swedish message and change nothing.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Db } from "~/db/connection.server";
import { stockholmToUtcIso } from "~/utils/time";
import { createCohort, createEnrolment, createMunicipality, createParticipant, createProgramme, createSession, createUser } from "../../db/seed/factories";
import { interleaved, twoConnections } from "../../tests/support/concurrency";
import { saveAttendance } from "./attendance.server";
import { updateCohort } from "./cohorts.server";
import { loadGrants, type Ctx } from "./context.server";
import { checked } from "./result";
import { updateProgramme } from "./programme-edits.server";
import { changeSessionStatus } from "./sessions.server";
import { decideOwnActivity, recordOwnActivity } from "./own-activities.server";
import { certifyTimeReport, confirmTimeReport, markTimeReportReviewed, reopenTimeReport, STALE_REPORT } from "./time-report-workflow.server";

const TODAY = "2026-11-26";
let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

async function ctxOn(db: Db, email: string): Promise<Ctx> {
  const user = await db.selectFrom("users").select(["id", "email", "name"]).where("email", "=", email).executeTakeFirstOrThrow();
  return { db, user, grants: await loadGrants(db, user.id) };
}

/** Vimmerby and Hultsfred in an ESF programme; Anna (Vimmerby) attended an October session. */
async function world() {
  const connections = await twoConnections();
  close = connections.close;
  const db = connections.first;
  const vimmerby = await createMunicipality(db, { name: "Vimmerby" });
  const hultsfred = await createMunicipality(db, { name: "Hultsfred" });
  const programmeId = await createProgramme(db, { name: "ESF-programmet", ownerMunicipalityId: vimmerby, partnerMunicipalityIds: [hultsfred], startsOn: "2026-01-01", endsOn: "2027-12-31" });
  const cohortId = await createCohort(db, { programmeId, name: "Omgång 1", startsOn: "2026-08-01", endsOn: "2027-06-30", seats: { [vimmerby]: 2 } });
  const anna = await createParticipant(db, { municipalityId: vimmerby, firstName: "Anna", lastName: "Berg", salaryGroup: "1", managerName: "Maja Chef" });
  await createEnrolment(db, { cohortId, participantId: anna, municipalityId: vimmerby, status: "active", startedOn: "2026-08-01" });
  const sessionId = await createSession(db, { cohortId, title: "Att leda sig själv", startsAt: stockholmToUtcIso("2026-10-06", "09:00"), endsAt: stockholmToUtcIso("2026-10-06", "16:00"), hostMunicipalityId: vimmerby });
  await createUser(db, { email: "lead@example.se", name: "Lena Lead", grants: [{ role: "programme_lead", programmeId }] });
  await createUser(db, { email: "vim@example.se", name: "Vera Samordnare", grants: [{ role: "coordinator", municipalityId: vimmerby }] });
  await createUser(db, { email: "anna@example.se", name: "Anna Berg", grants: [{ role: "participant", municipalityId: vimmerby, participantId: anna }] });
  const on = (which: Db) => ({
    lead: () => ctxOn(which, "lead@example.se"),
    coordinator: () => ctxOn(which, "vim@example.se"),
    anna: () => ctxOn(which, "anna@example.se"),
  });
  await saveAttendance(await on(db).lead(), sessionId, { rows: [{ participantId: anna, status: "narvarande", version: 0 }], markRestPresent: false }, TODAY);
  const report = () => db.selectFrom("time_reports").selectAll().where("participant_id", "=", anna).where("month", "=", "2026-10").executeTakeFirstOrThrow();
  return { db, close: connections.close, vimmerby, hultsfred, programmeId, cohortId, anna, sessionId, first: on(connections.first), second: on(connections.second), report };
}

/** Anna's October report, confirmed and certified. */
async function certifiedOctober(w: Awaited<ReturnType<typeof world>>) {
  const draft = await w.report();
  expect(await confirmTimeReport(await w.first.anna(), draft.id, draft.version)).toEqual({ ok: true });
  expect(await certifyTimeReport(await w.first.coordinator(), draft.id, { version: draft.version + 1, certifiedAs: "manager", managerName: "Maja Chef" })).toEqual({ ok: true });
  return w.report();
}

async function eventsOf(db: Db, reportId: number) {
  return (await db.selectFrom("time_report_events").select("kind").where("time_report_id", "=", reportId).orderBy("id").execute()).map((e) => e.kind);
}

describe("concurrent edits: the version check is inside the write", () => {
  it("reopenTimeReport: of two reopenings from the same version, the later gets 409 and leaves one trace", async () => {
    const w = await world();
    const report = await certifiedOctober(w);
    const coordinator = await w.first.coordinator();
    const other = await w.second.coordinator();
    const racing = { ...coordinator, db: interleaved(coordinator.db, () => reopenTimeReport(other, report.id, { version: report.version, reason: "Fel dag registrerad" })) };

    const late = await reopenTimeReport(racing, report.id, { version: report.version, reason: "Skuggning på fel månad" });

    expect(late).toEqual({ ok: false, status: 409, message: STALE_REPORT });
    expect(await eventsOf(w.db, report.id)).toEqual(["confirmed", "certified", "reopened"]);
    const reason = await w.db.selectFrom("time_report_events").select("reason").where("time_report_id", "=", report.id).where("kind", "=", "reopened").execute();
    expect(reason).toEqual([{ reason: "Fel dag registrerad" }]);
  });

  it("markTimeReportReviewed: a review based on an older version is refused with 409, not counted twice", async () => {
    const w = await world();
    const report = await certifiedOctober(w);
    await w.db.updateTable("time_reports").set({ needs_review: 1 }).where("id", "=", report.id).execute();
    const coordinator = await w.first.coordinator();
    const other = await w.second.coordinator();
    const racing = { ...coordinator, db: interleaved(coordinator.db, () => markTimeReportReviewed(other, report.id, report.version)) };

    expect(await markTimeReportReviewed(racing, report.id, report.version)).toEqual({ ok: false, status: 409, message: STALE_REPORT });
    expect(await eventsOf(w.db, report.id)).toEqual(["confirmed", "certified", "reviewed"]);
    expect((await w.report()).version).toBe(report.version + 1);
  });

  it("the own-activity decision: approving into a month certified meanwhile is refused with 409 (was a 500) and the activity stays pending", async () => {
    const w = await world();
    const anna = await w.first.anna();
    expect(await recordOwnActivity(anna, checked({ programmeId: w.programmeId, kind: "hemuppgift", date: "2026-10-08", hours: 1.5, description: "Reflektion" }), TODAY)).toEqual({ ok: true });
    const activity = await w.db.selectFrom("own_activities").select("id").executeTakeFirstOrThrow();
    const draft = await w.report();
    expect(await confirmTimeReport(anna, draft.id, draft.version)).toEqual({ ok: true });
    const coordinator = await w.first.coordinator();
    const other = await w.second.coordinator();
    const racing = {
      ...coordinator,
      db: interleaved(coordinator.db, () => certifyTimeReport(other, draft.id, { version: draft.version + 1, certifiedAs: "manager", managerName: "Maja Chef" })),
    };

    const result = await decideOwnActivity(racing, checked({ activityId: activity.id, decision: "approve" }));

    expect(result).toEqual({ ok: false, status: 409, message: "Tidrapporten för oktober 2026 är attesterad. Öppna den igen innan aktiviteten godkänns." });
    expect((await w.db.selectFrom("own_activities").select("status").where("id", "=", activity.id).executeTakeFirstOrThrow()).status).toBe("pending");
    const certified = await w.report();
    expect([certified.status, certified.certified_minutes]).toEqual(["certified", 420]);
  });

  it("programme edits: of two edits from the same version, the later gets 409 and the first one's change stays", async () => {
    const w = await world();
    const values = {
      name: "ESF-programmet",
      kind: "ledarutveckling" as const,
      funding: "esf" as const,
      ownerMunicipalityId: w.vimmerby,
      partnerMunicipalityIds: [w.vimmerby, w.hultsfred],
      startsOn: "2026-01-01",
      endsOn: "2027-12-31",
      version: 1,
    };
    const lead = await w.first.lead();
    const other = await w.second.lead();
    const racing = { ...lead, db: interleaved(lead.db, () => updateProgramme(other, w.programmeId, checked({ ...values, name: "Ledarskap över gränserna" }))) };

    const late = await updateProgramme(racing, w.programmeId, checked({ ...values, partnerMunicipalityIds: [w.vimmerby] }));

    expect(late).toMatchObject({ ok: false, status: 409, message: expect.stringContaining("ändrats av någon annan") });
    const programme = await w.db.selectFrom("programmes").select(["name", "version"]).where("id", "=", w.programmeId).executeTakeFirstOrThrow();
    expect(programme).toEqual({ name: "Ledarskap över gränserna", version: 2 });
    const partners = await w.db.selectFrom("programme_partners").select("municipality_id").where("programme_id", "=", w.programmeId).orderBy("municipality_id").execute();
    expect(partners.map((p) => p.municipality_id)).toEqual([w.vimmerby, w.hultsfred]);
  });

  it("programme partner edits: removing a partner while it is given seats is refused, whichever commits first", async () => {
    const w = await world();
    const programme = {
      name: "ESF-programmet",
      kind: "ledarutveckling" as const,
      funding: "esf" as const,
      ownerMunicipalityId: w.vimmerby,
      partnerMunicipalityIds: [w.vimmerby],
      startsOn: "2026-01-01",
      endsOn: "2027-12-31",
      version: 1,
    };
    const cohort = { name: "Omgång 1", startsOn: "2026-08-01", endsOn: "2027-06-30", capacity: 10, seats: [{ municipalityId: w.vimmerby, seats: 2 }, { municipalityId: w.hultsfred, seats: 3 }] };
    const seatsOfHultsfred = () =>
      w.db.selectFrom("cohort_seats").select("seats").where("cohort_id", "=", w.cohortId).where("municipality_id", "=", w.hultsfred).executeTakeFirst();
    const isPartner = async () =>
      !!(await w.db.selectFrom("programme_partners").select("municipality_id").where("programme_id", "=", w.programmeId).where("municipality_id", "=", w.hultsfred).executeTakeFirst());

    // The seats are committed after the partner edit has looked for seats.
    const lead = await w.first.lead();
    const racing = { ...lead, db: interleaved(lead.db, async () => updateCohort(await w.second.lead(), w.cohortId, checked(cohort), TODAY)) };
    const removal = await updateProgramme(racing, w.programmeId, checked(programme));
    expect(removal).toMatchObject({ ok: false, fieldErrors: { partnerMunicipalityIds: [expect.stringContaining("Hultsfred har platser")] } });
    expect([await isPartner(), (await seatsOfHultsfred())?.seats]).toEqual([true, 3]);

    // The partner is removed after the cohort edit has looked at the partners.
    await w.db.deleteFrom("cohort_seats").where("municipality_id", "=", w.hultsfred).execute();
    const lead2 = await w.first.lead();
    const racingCohort = { ...lead2, db: interleaved(lead2.db, async () => updateProgramme(await w.second.lead(), w.programmeId, checked(programme))) };
    const seats = await updateCohort(racingCohort, w.cohortId, checked(cohort), TODAY);
    expect(seats).toMatchObject({ ok: false });
    expect([await isPartner(), await seatsOfHultsfred()]).toEqual([false, undefined]);
  });

  it("sessions: cancelling twice at once records one cancellation, the later gets 409", async () => {
    const w = await world();
    const lead = await w.first.lead();
    const other = await w.second.lead();
    const cancel = checked({ intent: "cancel" as const });
    const racing = { ...lead, db: interleaved(lead.db, () => changeSessionStatus(other, w.sessionId, cancel)) };

    expect(await changeSessionStatus(racing, w.sessionId, cancel)).toMatchObject({ ok: false, status: 409 });

    const changes = await w.db.selectFrom("session_changes").select("kind").where("session_id", "=", w.sessionId).execute();
    expect(changes).toEqual([{ kind: "cancelled" }]);
    expect((await w.db.selectFrom("sessions").select("sequence").where("id", "=", w.sessionId).executeTakeFirstOrThrow()).sequence).toBe(1);
  });
});
