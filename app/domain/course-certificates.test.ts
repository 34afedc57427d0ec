import { describe, expect, it } from "vitest";
import { nowIso, type Db } from "~/db/connection.server";
import type { EnrolmentStatus } from "~/db/schema";
import { stockholmToUtcIso } from "~/utils/time";
import { createCohort, createEnrolment, createSession, createUser } from "../../db/seed/factories";
import { consortium, ctxFor, expectResponse } from "../../tests/support/coordination";
import { demoDb, emptyDb } from "../../tests/support/db";
import { getAttendanceReport } from "./attendance-report.server";
import { getCourseCertificate, listCourseCertificates } from "./course-certificates.server";
import { completionOf } from "./internal/completion.server";

const NOW = new Date("2026-11-28T12:00:00Z");

/** A past cohort of four three-hour sessions (one cancelled) in consortium's programme. */
async function pastCohort(db: Db, c: Awaited<ReturnType<typeof consortium>>) {
  const cohortId = await createCohort(db, {
    programmeId: c.programmeId,
    name: "Omgång våren",
    startsOn: "2026-03-01",
    endsOn: "2026-06-30",
    seats: { [c.municipalities.aneby]: 5, [c.municipalities.eksjo]: 5 },
  });
  const sessionIds: number[] = [];
  for (const [date, title] of [
    ["2026-03-10", "Att leda sig själv"],
    ["2026-04-14", "Svåra samtal"],
    ["2026-05-12", "Förändringsledning"],
    ["2026-06-09", "Inställd träff"],
  ]) {
    sessionIds.push(
      await createSession(db, {
        cohortId,
        title,
        startsAt: stockholmToUtcIso(date, "09:00"),
        endsAt: stockholmToUtcIso(date, "12:00"),
        hostMunicipalityId: c.municipalities.aneby,
      }),
    );
  }
  await db.updateTable("sessions").set({ status: "cancelled" }).where("id", "=", sessionIds[3]).execute();
  return { cohortId, sessionIds };
}

async function attend(db: Db, sessionId: number, participantId: number, municipalityId: number, minutes: number) {
  await db
    .insertInto("attendance")
    .values({
      session_id: sessionId,
      participant_id: participantId,
      municipality_id: municipalityId,
      status: minutes ? "narvarande" : "franvarande",
      minutes,
      recorded_by: null,
      recorded_at: nowIso(),
      version: 1,
    })
    .execute();
}

async function setting() {
  const db = await emptyDb();
  const c = await consortium(db);
  const { cohortId, sessionIds } = await pastCohort(db, c);
  const { aneby, eksjo } = c.municipalities;
  const enrolled = async (municipalityId: number, status: EnrolmentStatus, minutesPerSession: number[]) => {
    const participantId = await c.person(municipalityId);
    const enrolmentId = await createEnrolment(db, {
      cohortId,
      participantId,
      municipalityId,
      status,
      startedOn: "2026-03-01",
      endedOn: status === "active" ? null : "2026-06-30",
    });
    for (const [i, minutes] of minutesPerSession.entries()) if (minutes >= 0) await attend(db, sessionIds[i], participantId, municipalityId, minutes);
    return { participantId, enrolmentId };
  };
  const people = {
    // 9 of 9 hours
    completedFull: await enrolled(aneby, "completed", [180, 180, 180]),
    // 7.5 of 9 hours = 83 %: meets the 80 % rule
    completedJustOver: await enrolled(aneby, "completed", [180, 180, 90]),
    // 6 of 9 hours = 67 %
    completedBelow: await enrolled(aneby, "completed", [180, 180, 0]),
    activeFull: await enrolled(aneby, "active", [180, 180, 180]),
    droppedFull: await enrolled(eksjo, "dropped", [180, 180, 180]),
    eksjoCompleted: await enrolled(eksjo, "completed", [180, 180, 180]),
  };
  const trainee = await createUser(db, { email: "t@test.se", name: "T", grants: [{ role: "participant", municipalityId: aneby, participantId: people.completedFull.participantId }] });
  const otherTrainee = await createUser(db, { email: "o@test.se", name: "O", grants: [{ role: "participant", municipalityId: eksjo, participantId: people.eksjoCompleted.participantId }] });
  return { db, c, cohortId, people, trainee: await ctxFor(db, trainee), otherTrainee: await ctxFor(db, otherTrainee) };
}

describe("course certificates (utbildningsbevis)", () => {
  it("is earned by a completed enrolment that meets the completion rule, and by no one else", async () => {
    const { c, people } = await setting();
    const aneby = await c.as("aneby");
    const list = await listCourseCertificates(aneby, people.completedFull.participantId, NOW);
    expect(list.map((l) => l.enrolmentId)).toEqual([people.completedFull.enrolmentId]);
    expect(await listCourseCertificates(aneby, people.completedJustOver.participantId, NOW)).toHaveLength(1);
    for (const who of [people.completedBelow, people.activeFull]) {
      expect(await listCourseCertificates(aneby, who.participantId, NOW)).toEqual([]);
      await expectResponse(getCourseCertificate(aneby, who.enrolmentId, NOW), 404);
    }
    const eksjo = await c.as("eksjo");
    expect(await listCourseCertificates(eksjo, people.droppedFull.participantId, NOW)).toEqual([]);
    await expectResponse(getCourseCertificate(eksjo, people.droppedFull.enrolmentId, NOW), 404);
  });

  it("carries the programme, period, attended hours, the attended sessions' themes and the organisers", async () => {
    const { people, trainee } = await setting();
    const certificate = await getCourseCertificate(trainee, people.completedFull.enrolmentId, NOW);
    expect(certificate).toMatchObject({
      programmeName: "Ledarutveckling",
      cohortName: "Omgång våren",
      startedOn: "2026-03-01",
      endedOn: "2026-06-30",
      attendedMinutes: 540,
      attendancePercent: 100,
      ownerMunicipality: "Aneby",
      partnerMunicipalities: ["Eksjö"],
      programmeLeads: ["Lead"],
    });
    expect(certificate.sessions.map((s) => s.title)).toEqual(["Att leda sig själv", "Svåra samtal", "Förändringsledning"]);
  });

  it("shows a session the participant missed nowhere on the certificate", async () => {
    const { c, people } = await setting();
    const certificate = await getCourseCertificate(await c.as("aneby"), people.completedJustOver.enrolmentId, NOW);
    expect(certificate.attendedMinutes).toBe(450);
    expect(certificate.attendancePercent).toBe(83);
  });

  it("answers the participant's own, their coordinator; 404 to another trainee and another municipality's coordinator; 403 to roles that never may", async () => {
    const { c, people, trainee, otherTrainee } = await setting();
    const id = people.completedFull.enrolmentId;
    expect((await getCourseCertificate(trainee, id, NOW)).participantName).toMatch(/Testsson/);
    expect((await getCourseCertificate(await c.as("aneby"), id, NOW)).enrolmentId).toBe(id);
    await expectResponse(getCourseCertificate(otherTrainee, id, NOW), 404);
    await expectResponse(getCourseCertificate(await c.as("eksjo"), id, NOW), 404);
    await expectResponse(getCourseCertificate(await c.as("hogsby"), id, NOW), 404);
    await expectResponse(getCourseCertificate(await c.as("eksjo"), 999_999, NOW), 404);
    for (const role of ["lead", "funder", "admin"] as const) await expectResponse(getCourseCertificate(await c.as(role), id, NOW), 403);
    expect(await listCourseCertificates(otherTrainee, people.completedFull.participantId, NOW)).toEqual([]);
    expect((await listCourseCertificates(trainee, undefined, NOW)).map((l) => l.enrolmentId)).toEqual([id]);
    const denials = await c.db.selectFrom("audit_log").select("entity_id").where("action", "=", "authz.denied").where("entity", "=", "enrolment").execute();
    expect(denials.length).toBeGreaterThanOrEqual(5);
  });

  it("applies the same rule as the attendance report, on the demo data", async () => {
    const { db } = await demoDb();
    const lead = await db.selectFrom("users").select("id").where("email", "=", "programledare@programportalen.test").executeTakeFirstOrThrow();
    const ctx = await ctxFor(db, lead.id);
    const cohorts = await db
      .selectFrom("cohorts as c")
      .innerJoin("role_grants as r", "r.programme_id", "c.programme_id")
      .select("c.id")
      .where("r.user_id", "=", lead.id)
      .execute();
    let compared = 0;
    for (const cohort of cohorts) {
      const result = await getAttendanceReport(ctx, cohort.id, {}, NOW);
      if (!result.ok) throw new Error(`report of cohort ${cohort.id} refused`);
      const report = result.value;
      const enrolments = await db.selectFrom("enrolments").select(["id", "participant_id"]).where("cohort_id", "=", cohort.id).execute();
      const completion = await completionOf(db, enrolments.map((e) => e.id), NOW);
      for (const row of report.rows) {
        const enrolment = enrolments.find((e) => e.participant_id === row.participantId)!;
        expect(completion.get(enrolment.id)!.meetsRule, `participant ${row.participantId}`).toBe(row.fulfils);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(40);
  });
});
