import { describe, expect, it } from "vitest";
import { stockholmToUtcIso } from "~/utils/time";
import { createCohort, createEnrolment, createMunicipality, createParticipant, createProgramme, createSession, createUser } from "../../db/seed/factories";
import { emptyDb } from "../../tests/support/db";
import { ctxFor } from "../../tests/support/coordination";
import { getAttendanceReport } from "./attendance-report.server";
import { getAttendanceSheet, saveAttendance, STALE_ATTENDANCE } from "./attendance.server";
import { checked } from "./result";
import { ensureTimeReport } from "./internal/hours-ledger.server";
import { certifyTimeReport, confirmTimeReport, reopenTimeReport } from "./time-report-workflow.server";

/** Two municipalities, one cohort, one participant each, and a session hosted by the first. */
async function world(session: { date: string; from: string; toDate?: string; to: string }) {
  const db = await emptyDb();
  const host = await createMunicipality(db, { name: "Vimmerby" });
  const other = await createMunicipality(db, { name: "Hultsfred" });
  const programmeId = await createProgramme(db, {
    name: "Ledarutveckling",
    ownerMunicipalityId: host,
    partnerMunicipalityIds: [other],
    startsOn: "2026-01-01",
    endsOn: "2027-12-31",
  });
  const cohortId = await createCohort(db, { programmeId, name: "Omgång 1", startsOn: "2026-01-01", endsOn: "2027-06-30", seats: { [host]: 2, [other]: 2 } });
  const anna = await createParticipant(db, { municipalityId: host, firstName: "Anna", lastName: "Berg", salaryGroup: "1" });
  const erik = await createParticipant(db, { municipalityId: other, firstName: "Erik", lastName: "Holm", salaryGroup: "2" });
  for (const [participantId, municipalityId] of [
    [anna, host],
    [erik, other],
  ]) {
    await createEnrolment(db, { cohortId, participantId, municipalityId, status: "active", startedOn: "2026-01-01" });
  }
  const sessionId = await createSession(db, {
    cohortId,
    title: "Utbildningsdag",
    startsAt: stockholmToUtcIso(session.date, session.from),
    endsAt: stockholmToUtcIso(session.toDate ?? session.date, session.to),
    hostMunicipalityId: host,
  });
  const lead = await createUser(db, { email: "lead@example.se", name: "Lena Lead", grants: [{ role: "programme_lead", programmeId }] });
  const hostCoordinator = await createUser(db, { email: "vim@example.se", name: "Vera Vimmerby", grants: [{ role: "coordinator", municipalityId: host }] });
  const otherCoordinator = await createUser(db, { email: "hul@example.se", name: "Hugo Hultsfred", grants: [{ role: "coordinator", municipalityId: other }] });
  const annaUser = await createUser(db, { email: "anna@example.se", name: "Anna Berg", grants: [{ role: "participant", municipalityId: host, participantId: anna }] });
  return {
    db,
    host,
    other,
    programmeId,
    cohortId,
    sessionId,
    anna,
    erik,
    lead: await ctxFor(db, lead),
    hostCoordinator: await ctxFor(db, hostCoordinator),
    otherCoordinator: await ctxFor(db, otherCoordinator),
    annaCtx: await ctxFor(db, annaUser),
  };
}

const TODAY = "2026-11-26";

describe("taking attendance", () => {
  it("defaults to the real length of a session that crosses a daylight-saving change", async () => {
    // Clocks go back at 03:00 on 25 October 2026: 00:00–04:00 wall-clock is five real hours.
    const w = await world({ date: "2026-10-25", from: "00:00", to: "04:00" });
    const sheet = await getAttendanceSheet(w.lead, w.sessionId, TODAY);
    expect(sheet.sessionMinutes).toBe(300);
    expect(sheet.defaultMinutes).toBe(300);
    const result = await saveAttendance(w.lead, w.sessionId, { rows: sheet.rows.map((r) => ({ participantId: r.participantId, version: r.version })), markRestPresent: true }, TODAY);
    expect(result).toEqual({ ok: true, value: { recorded: 2, corrected: 0 } });
    const rows = await w.db.selectFrom("attendance").select(["status", "minutes"]).execute();
    expect(rows).toEqual([
      { status: "narvarande", minutes: 300 },
      { status: "narvarande", minutes: 300 },
    ]);
  });

  it("counts a session that crosses midnight by its real hours, in the month it started", async () => {
    const w = await world({ date: "2026-10-31", from: "22:00", toDate: "2026-11-01", to: "02:00" });
    const sheet = await getAttendanceSheet(w.lead, w.sessionId, TODAY);
    expect(sheet.sessionMinutes).toBe(240);
    expect(sheet.session.month).toBe("2026-10");
  });

  it("lets the host coordinator take attendance for their own participants, refuses another municipality's coordinator, and opens only on the session's day", async () => {
    const w = await world({ date: "2026-11-20", from: "09:00", to: "16:00" });
    const hostSheet = await getAttendanceSheet(w.hostCoordinator, w.sessionId, TODAY);
    expect(hostSheet.rows.map((r) => r.participantId)).toEqual([w.anna]);
    expect((await getAttendanceSheet(w.lead, w.sessionId, TODAY)).rows.map((r) => r.participantId).sort()).toEqual([w.anna, w.erik].sort());
    const refusal = await getAttendanceSheet(w.otherCoordinator, w.sessionId, TODAY).catch((e) => e);
    expect(refusal).toBeInstanceOf(Response);
    // Not theirs: the same answer as a session that does not exist.
    expect((refusal as Response).status).toBe(404);
    const audit = await w.db.selectFrom("audit_log").select(["action", "actor_user_id"]).where("action", "=", "authz.denied").execute();
    expect(audit).toEqual([{ action: "authz.denied", actor_user_id: w.otherCoordinator.user.id }]);

    const early = await saveAttendance(w.lead, w.sessionId, { rows: [{ participantId: w.anna, status: "narvarande", version: 0 }], markRestPresent: false }, "2026-11-19");
    expect(early).toMatchObject({ ok: false, message: "Närvaro kan registreras från och med träffens dag." });
  });

  it("finding 4: refuses the whole save (404, nothing written) when one participant in it is another municipality's", async () => {
    const w = await world({ date: "2026-11-20", from: "09:00", to: "16:00" });
    const attempt = await saveAttendance(
      w.hostCoordinator,
      w.sessionId,
      {
        rows: [
          { participantId: w.anna, status: "narvarande", version: 0 },
          { participantId: w.erik, status: "narvarande", minutes: 420, version: 0 },
        ],
        markRestPresent: false,
      },
      TODAY,
    ).catch((e: unknown) => e);
    expect(attempt).toBeInstanceOf(Response);
    expect((attempt as Response).status).toBe(404);
    // A row without a status would be skipped, but its id is checked all the same.
    const silent = await saveAttendance(w.hostCoordinator, w.sessionId, { rows: [{ participantId: w.erik, version: 0 }], markRestPresent: true }, TODAY).catch((e: unknown) => e);
    expect((silent as Response).status).toBe(404);
    expect(await w.db.selectFrom("attendance").selectAll().execute()).toEqual([]);
    expect(await w.db.selectFrom("time_reports").selectAll().execute()).toEqual([]);
  });

  it("keeps both of two concurrent markers' changes, and refuses a stale overwrite of the same row", async () => {
    const w = await world({ date: "2026-11-20", from: "09:00", to: "16:00" });
    const leadSheet = await getAttendanceSheet(w.lead, w.sessionId, TODAY);
    const coordinatorSheet = await getAttendanceSheet(w.hostCoordinator, w.sessionId, TODAY);
    const version = (sheet: typeof leadSheet, id: number) => sheet.rows.find((r) => r.participantId === id)!.version;

    const first = await saveAttendance(w.lead, w.sessionId, { rows: [{ participantId: w.erik, status: "giltig_franvaro", version: version(leadSheet, w.erik) }], markRestPresent: false }, TODAY);
    expect(first.ok).toBe(true);
    // The coordinator, with the page loaded before the lead saved, marks their own participant: both changes stay.
    const second = await saveAttendance(
      w.hostCoordinator,
      w.sessionId,
      { rows: [{ participantId: w.anna, status: "narvarande", version: version(coordinatorSheet, w.anna) }], markRestPresent: false },
      TODAY,
    );
    expect(second.ok).toBe(true);

    // ... but overwriting Anna from the lead's stale page is refused, and nothing changes.
    const stale = await saveAttendance(
      w.lead,
      w.sessionId,
      { rows: [{ participantId: w.anna, status: "franvarande", version: version(leadSheet, w.anna) }], markRestPresent: false },
      TODAY,
    );
    expect(stale).toEqual({ ok: false, status: 409, message: STALE_ATTENDANCE });
    const rows = await w.db.selectFrom("attendance").select(["participant_id", "status", "minutes", "version"]).orderBy("participant_id").execute();
    expect(rows).toEqual([
      { participant_id: w.anna, status: "narvarande", minutes: 420, version: 1 },
      { participant_id: w.erik, status: "giltig_franvaro", minutes: 0, version: 1 },
    ]);

    // After reloading, the correction goes through and is traced.
    const fresh = await getAttendanceSheet(w.hostCoordinator, w.sessionId, TODAY);
    const corrected = await saveAttendance(
      w.hostCoordinator,
      w.sessionId,
      { rows: [{ participantId: w.anna, status: "sen_ankomst", minutes: 345, version: version(fresh, w.anna) }], markRestPresent: false, reason: "Kom 10.15" },
      TODAY,
    );
    expect(corrected).toEqual({ ok: true, value: { recorded: 0, corrected: 1 } });
    const trace = await w.db.selectFrom("attendance_corrections").select(["from_status", "to_status", "from_minutes", "to_minutes", "reason", "changed_by"]).execute();
    expect(trace).toEqual([{ from_status: "narvarande", to_status: "sen_ankomst", from_minutes: 420, to_minutes: 345, reason: "Kom 10.15", changed_by: w.hostCoordinator.user.id }]);
    const audit = await w.db.selectFrom("audit_log").select(["action", "detail"]).where("action", "like", "attendance.%").orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["attendance.recorded", "attendance.recorded", "attendance.corrected"]);
    expect(audit.every((a) => !a.detail!.includes("Anna"))).toBe(true);
  });

  it("refuses more hours than the session lasted", async () => {
    const w = await world({ date: "2026-11-20", from: "13:00", to: "15:30" });
    const result = await saveAttendance(w.lead, w.sessionId, { rows: [{ participantId: w.anna, status: "sen_ankomst", minutes: 165, version: 0 }], markRestPresent: false }, TODAY);
    expect(result).toMatchObject({ ok: false, status: 400 });
    expect(await w.db.selectFrom("attendance").selectAll().execute()).toEqual([]);
  });

  it("changes a certified month only through the traced reopening, which flags later certified months", async () => {
    const w = await world({ date: "2026-10-14", from: "09:00", to: "16:00" });
    await saveAttendance(w.lead, w.sessionId, { rows: [{ participantId: w.anna, status: "narvarande", version: 0 }], markRestPresent: false }, TODAY);
    const october = await ensureTimeReport(w.db, { participantId: w.anna, municipalityId: w.host, programmeId: w.programmeId, month: "2026-10" });
    expect((await confirmTimeReport(w.annaCtx, october.id, 1)).ok).toBe(true);
    expect((await certifyTimeReport(w.hostCoordinator, october.id, { version: 2, certifiedAs: "manager", managerName: "Maja Chef" })).ok).toBe(true);
    // November is certified too (the later month that must be looked at again).
    const november = await ensureTimeReport(w.db, { participantId: w.anna, municipalityId: w.host, programmeId: w.programmeId, month: "2026-11" });
    await confirmTimeReport(w.annaCtx, november.id, 1);
    await certifyTimeReport(w.hostCoordinator, november.id, { version: 2, certifiedAs: "manager", managerName: "Maja Chef" });

    const sheet = await getAttendanceSheet(w.lead, w.sessionId, TODAY);
    expect(sheet.rows.find((r) => r.participantId === w.anna)).toMatchObject({ locked: true, version: 1 });
    const refused = await saveAttendance(w.lead, w.sessionId, { rows: [{ participantId: w.anna, status: "franvarande", version: 1 }], markRestPresent: false }, TODAY);
    expect(refused).toMatchObject({ ok: false, status: 409 });
    expect(refused.ok === false && refused.message).toContain("attesterad");
    expect(await w.db.selectFrom("attendance").select("status").where("participant_id", "=", w.anna).executeTakeFirst()).toEqual({ status: "narvarande" });

    // A reopening needs the report's current version and leaves a trace with the reason.
    expect(await reopenTimeReport(w.hostCoordinator, october.id, { version: 1, reason: "Fel dag" })).toMatchObject({ ok: false });
    expect(await reopenTimeReport(w.hostCoordinator, october.id, { version: 3, reason: "Anna var sjuk den dagen" })).toEqual({ ok: true });
    const corrected = await saveAttendance(w.lead, w.sessionId, { rows: [{ participantId: w.anna, status: "giltig_franvaro", version: 1 }], markRestPresent: false }, TODAY);
    expect(corrected).toEqual({ ok: true, value: { recorded: 0, corrected: 1 } });

    const events = await w.db.selectFrom("time_report_events").select(["time_report_id", "kind", "reason"]).orderBy("id").execute();
    expect(events.filter((e) => e.time_report_id === october.id).map((e) => [e.kind, e.reason])).toEqual([
      ["confirmed", null],
      ["certified", null],
      ["reopened", "Anna var sjuk den dagen"],
    ]);
    expect(events.filter((e) => e.time_report_id === november.id).map((e) => e.kind)).toEqual(["confirmed", "certified", "flagged_for_review"]);
    const reports = await w.db.selectFrom("time_reports").select(["month", "status", "needs_review"]).orderBy("month").execute();
    expect(reports).toEqual([
      { month: "2026-10", status: "reopened", needs_review: 0 },
      { month: "2026-11", status: "certified", needs_review: 1 },
    ]);
    const audit = await w.db.selectFrom("audit_log").select("action").where("action", "in", ["time_report.reopened", "attendance.corrected"]).orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["time_report.reopened", "attendance.corrected"]);
  });
});

describe("the attendance report", () => {
  it("shows rates, the completion rule and only the coordinator's own municipality", async () => {
    const w = await world({ date: "2026-11-10", from: "09:00", to: "17:00" });
    const second = await createSession(w.db, {
      cohortId: w.cohortId,
      title: "Workshop",
      startsAt: stockholmToUtcIso("2026-11-17", "09:00"),
      endsAt: stockholmToUtcIso("2026-11-17", "13:00"),
      hostMunicipalityId: w.host,
    });
    await saveAttendance(w.lead, w.sessionId, { rows: [{ participantId: w.anna, status: "narvarande", version: 0 }, { participantId: w.erik, status: "franvarande", version: 0 }], markRestPresent: false }, TODAY);
    await saveAttendance(w.lead, second, { rows: [{ participantId: w.anna, status: "sen_ankomst", minutes: 120, version: 0 }, { participantId: w.erik, status: "narvarande", version: 0 }], markRestPresent: false }, TODAY);

    const now = new Date("2026-11-26T12:00:00Z");
    const answer = await getAttendanceReport(w.lead, w.cohortId, { month: checked("2026-11") }, now);
    if (!answer.ok) throw new Error("refused");
    const report = answer.value;
    expect(report.completionPercent).toBe(80);
    const anna = report.rows.find((r) => r.participantId === w.anna)!;
    // 8 h + 2 h of 8 h + 4 h scheduled = 10/12 = 83 %: fulfils 80 %.
    expect([anna.attendedMinutes, anna.scheduledMinutes, anna.fulfils]).toEqual([600, 720, true]);
    const erik = report.rows.find((r) => r.participantId === w.erik)!;
    expect([erik.attendedMinutes, erik.fulfils]).toEqual([240, false]);
    expect(report.sessions.map((s) => [s.presentCount, s.expectedCount])).toEqual([
      [1, 2],
      [2, 2],
    ]);

    const coordinatorAnswer = await getAttendanceReport(w.otherCoordinator, w.cohortId, { municipalityId: w.host }, now);
    if (!coordinatorAnswer.ok) throw new Error("refused");
    const coordinatorView = coordinatorAnswer.value;
    expect(coordinatorView.rows.map((r) => r.participantId)).toEqual([w.erik]);
    expect(coordinatorView.canChooseMunicipality).toBe(false);
  });
});
