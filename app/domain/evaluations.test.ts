import { describe, expect, it } from "vitest";
import { createCohort, createEnrolment, createMunicipality, createParticipant, createProgramme, createSession, createUser } from "../../db/seed/factories";
import { ctxFor, expectResponse } from "../../tests/support/coordination";
import { emptyDb, sharedEmptyDb, TEST_BACKEND } from "../../tests/support/db";
import type { Db } from "~/db/connection.server";
import { answerEvaluation, cohortEvaluationResults, getEvaluationForm, getEvaluationSetup, listMyOpenEvaluations, saveEvaluationSetup } from "./evaluations.server";
import { queueEvaluationMail } from "./internal/evaluation-invitations.server";
import { checked } from "./result";

const HELD = { startsAt: "2026-11-20T08:00:00.000Z", endsAt: "2026-11-20T15:00:00.000Z" };
const NOW = new Date("2026-11-21T10:00:00.000Z");
/** After the 14-day answer window of HELD: results are published only then (ADR 036). */
const CLOSED = new Date("2026-12-05T10:00:00.000Z");

async function world(trainees = 6, shared?: Db) {
  const db = shared ?? (await emptyDb());
  const A = await createMunicipality(db, { name: "Aby" });
  const B = await createMunicipality(db, { name: "Bby" });
  const C = await createMunicipality(db, { name: "Cby" });
  const P = await createProgramme(db, { name: "Programmet", ownerMunicipalityId: A, partnerMunicipalityIds: [B], startsOn: "2026-01-01", endsOn: "2027-12-31" });
  const K = await createCohort(db, { programmeId: P, name: "Omgång 1", startsOn: "2026-01-15", endsOn: "2026-12-15", seats: { [A]: 10, [B]: 10 } });
  const sessions = [await createSession(db, { cohortId: K, title: "Dag 1", ...HELD, hostMunicipalityId: A }), await createSession(db, { cohortId: K, title: "Dag 2", ...HELD, hostMunicipalityId: B })];
  const people: { participantId: number; userId: number }[] = [];
  for (let i = 0; i < trainees; i++) {
    const municipalityId = i % 2 ? B : A;
    const participantId = await createParticipant(db, { municipalityId, firstName: `T${i}`, lastName: "Test" });
    await createEnrolment(db, { cohortId: K, participantId, municipalityId, status: "active", startedOn: "2026-01-15" });
    const userId = await createUser(db, { email: `t${i}@example.se`, name: `T${i}`, grants: [{ role: "participant", participantId, municipalityId }] });
    for (const sessionId of sessions) {
      await db
        .insertInto("attendance")
        .values({ session_id: sessionId, participant_id: participantId, municipality_id: municipalityId, status: "narvarande", minutes: 420, recorded_by: null, recorded_at: HELD.endsAt, version: 1 })
        .execute();
    }
    people.push({ participantId, userId });
  }
  const lead = await ctxFor(db, await createUser(db, { email: "l@example.se", name: "L", grants: [{ role: "programme_lead", programmeId: P }] }));
  const coordinatorB = await ctxFor(db, await createUser(db, { email: "b@example.se", name: "B", grants: [{ role: "coordinator", municipalityId: B }] }));
  const coordinatorC = await ctxFor(db, await createUser(db, { email: "c@example.se", name: "C", grants: [{ role: "coordinator", municipalityId: C }] }));
  const funder = await ctxFor(db, await createUser(db, { email: "f@example.se", name: "F", grants: [{ role: "funder", programmeId: P }] }));
  const trainee = (i: number) => ctxFor(db, people[i].userId);
  return { db, P, K, sessions, people, lead, coordinatorB, coordinatorC, funder, trainee };
}

async function answer(db: Db, ctxP: ReturnType<Awaited<ReturnType<typeof world>>["trainee"]>, sessionId: number, score: number, comment = "") {
  const ctx = await ctxP;
  const form = await getEvaluationForm(ctx, sessionId, NOW);
  const scores = Object.fromEntries(form.statements.map((s) => [`s${s.id}`, score]));
  return answerEvaluation(ctx, sessionId, checked({ scores, comment }), NOW);
}

describe("session evaluations", () => {
  // Every app process runs the mail worker; SQLite serialises writers anyway (and one process would wait for itself).
  it.runIf(TEST_BACKEND === "postgres")("queues each invitation and each reminder once when three workers look at the same time", async () => {
    const shared = await sharedEmptyDb();
    await world(2, shared.db);
    const handles = [shared.db, shared.open(), shared.open()];
    const kinds = async () =>
      (await shared.db.selectFrom("mail_outbox").select("kind").execute()).reduce<Record<string, number>>((a, m) => ({ ...a, [m.kind]: (a[m.kind] ?? 0) + 1 }), {});
    await Promise.all(handles.map((h) => queueEvaluationMail(h, NOW)));
    expect(await kinds()).toEqual({ evaluation_invitation: 4 });
    const later = new Date("2026-11-26T10:00:00.000Z");
    const reminded = await Promise.all(handles.map((h) => queueEvaluationMail(h, later)));
    expect(reminded.reduce((a, b) => a + b, 0)).toBe(4);
    expect(await kinds()).toEqual({ evaluation_invitation: 4, evaluation_reminder: 4 });
    for (const h of handles.slice(1)) await h.destroy();
  });

  it("invites those present once the session is held, with one reminder, and lists it on their start page", async () => {
    const w = await world(2);
    expect(await queueEvaluationMail(w.db, new Date("2026-11-20T12:00:00.000Z"))).toBe(0);
    expect(await queueEvaluationMail(w.db, NOW)).toBe(4);
    expect(await queueEvaluationMail(w.db, NOW)).toBe(0);
    expect((await listMyOpenEvaluations(await w.trainee(0), NOW)).map((e) => e.sessionId)).toEqual(w.sessions);
    await answer(w.db, w.trainee(0), w.sessions[0], 4);
    const later = new Date("2026-11-26T10:00:00.000Z");
    // Three unanswered invitations get their one reminder; the answered one does not.
    expect(await queueEvaluationMail(w.db, later)).toBe(3);
    expect(await queueEvaluationMail(w.db, new Date("2026-11-30T10:00:00.000Z"))).toBe(0);
    const mails = await w.db.selectFrom("mail_outbox").select("kind").execute();
    expect(mails.filter((m) => m.kind === "evaluation_reminder")).toHaveLength(3);
    expect((await listMyOpenEvaluations(await w.trainee(0), later)).map((e) => e.sessionId)).toEqual([w.sessions[1]]);
  });

  it("refuses a double answer, also two at once, and stores the answer without who or when", async () => {
    const w = await world(2);
    await queueEvaluationMail(w.db, NOW);
    const [first, second] = await Promise.all([answer(w.db, w.trainee(0), w.sessions[0], 5, "Bra"), answer(w.db, w.trainee(0), w.sessions[0], 1, "Dåligt")]);
    expect([first.ok, second.ok].sort()).toEqual([false, true]);
    const refused = [first, second].find((r) => !r.ok)!;
    expect(refused).toMatchObject({ ok: false, status: 409 });
    expect(await answer(w.db, w.trainee(0), w.sessions[0], 3)).toMatchObject({ ok: false, status: 409 });
    const responses = await w.db.selectFrom("evaluation_responses").selectAll().execute();
    expect(responses).toHaveLength(1);
    expect(Object.keys(responses[0]).sort()).toEqual(["comment", "id", "session_id"]);
    expect(responses[0].id).toMatch(/^[0-9a-f]{32}$/);
  });

  it("gives 404 for a session the participant was not asked about and refuses missing or foreign scores", async () => {
    const w = await world(2);
    await queueEvaluationMail(w.db, NOW);
    await w.db.deleteFrom("evaluation_invitations").where("participant_id", "=", w.people[1].participantId).where("session_id", "=", w.sessions[1]).execute();
    await expectResponse(getEvaluationForm(await w.trainee(1), w.sessions[1], NOW), 404);
    await expectResponse(getEvaluationForm(w.lead, w.sessions[0], NOW), 403);
    const ctx = await w.trainee(0);
    expect(await answerEvaluation(ctx, w.sessions[0], checked({ scores: {} }), NOW)).toMatchObject({ ok: false, status: 400 });
    expect(await answerEvaluation(ctx, w.sessions[0], checked({ scores: { s999999: 3 } }), NOW)).toMatchObject({ ok: false, status: 400 });
    expect(await w.db.selectFrom("evaluation_responses").selectAll().execute()).toHaveLength(0);
  });

  it("hides a session with 2 answers and shows it with 3; the cohort figure counts only sessions shown", async () => {
    const w = await world(6);
    await queueEvaluationMail(w.db, NOW);
    await answer(w.db, w.trainee(0), w.sessions[0], 5, "Mycket bra");
    await answer(w.db, w.trainee(1), w.sessions[0], 3);
    await answer(w.db, w.trainee(0), w.sessions[1], 1, "Hemligt");
    await answer(w.db, w.trainee(1), w.sessions[1], 2);
    let r = await cohortEvaluationResults(w.lead, w.K, CLOSED);
    expect(r.sessions.map((s) => s.shown)).toEqual([false, false]);
    expect(r.sessions[0].statements.every((s) => s.mean === null)).toBe(true);
    expect(r.sessions[0].comments).toEqual([]);
    expect(r.cohortTotal).toMatchObject({ shown: false, answers: 0, comments: [] });

    await answer(w.db, w.trainee(2), w.sessions[0], 4);
    r = await cohortEvaluationResults(w.lead, w.K, CLOSED);
    expect(r.sessions.map((s) => s.shown)).toEqual([true, false]);
    expect(r.sessions[0].statements[0].mean).toBe(4); // (5 + 3 + 4) / 3
    expect(r.sessions[0].comments).toEqual(["Mycket bra"]);
    // Session 2's two answers (means 1.5) are in no figure: the cohort equals session 1 exactly.
    expect(r.cohortTotal).toMatchObject({ shown: true, answers: 3, invited: 6, sessionsShown: 1, sessionsHidden: 1 });
    expect(r.cohortTotal.statements[0].mean).toBe(4);
    expect(r.cohortTotal.comments).not.toContain("Hemligt");
  });

  it("publishes a session's results only once its answer window has closed, so one more answer cannot be read off by differencing", async () => {
    const w = await world(6);
    await queueEvaluationMail(w.db, NOW);
    for (const i of [0, 1, 2]) await answer(w.db, w.trainee(i), w.sessions[0], 4);
    const before = await cohortEvaluationResults(w.lead, w.K, NOW);
    await answer(w.db, w.trainee(3), w.sessions[0], 1);
    const after = await cohortEvaluationResults(w.lead, w.K, NOW);
    // While the window is open the page is the same before and after the fourth answer, and shows no figure.
    const figures = (r: typeof before) => ({ sessions: r.sessions.map(({ comments: _c, answers: _a, ...rest }) => rest), total: { ...r.cohortTotal, comments: [] } });
    expect(figures(after)).toEqual(figures(before));
    expect(after.sessions[0]).toMatchObject({ shown: false, answersCloseAt: "2026-12-04T15:00:00.000Z" });
    expect(after.sessions[0].statements.every((st) => st.mean === null)).toBe(true);
    expect(after.cohortTotal).toMatchObject({ shown: false, answers: 0 });
    // Once it has closed, all four answers count: (4 + 4 + 4 + 1) / 4.
    const published = await cohortEvaluationResults(w.lead, w.K, CLOSED);
    expect(published.sessions[0]).toMatchObject({ shown: true, answers: 4, answersCloseAt: null });
    expect(published.sessions[0].statements[0].mean).toBe(3.25);
  });

  it("honours a programme threshold above 3 and never accepts one under 3", async () => {
    const w = await world(6);
    expect(await saveEvaluationSetup(w.lead, w.P, checked({ statements: ["Ett", "Två"], minAnswers: 4 }))).toEqual({ ok: true, value: undefined });
    await queueEvaluationMail(w.db, NOW);
    for (const i of [0, 1, 2]) await answer(w.db, w.trainee(i), w.sessions[0], 4);
    expect((await cohortEvaluationResults(w.lead, w.K, CLOSED)).sessions[0].shown).toBe(false);
    await answer(w.db, w.trainee(3), w.sessions[0], 4);
    expect((await cohortEvaluationResults(w.lead, w.K, CLOSED)).sessions[0].shown).toBe(true);
    await expect(w.db.insertInto("evaluation_settings").values({ programme_id: w.P, min_answers: 2, updated_by: null, updated_at: "x" }).onConflict((oc) => oc.column("programme_id").doUpdateSet({ min_answers: 2 })).execute()).rejects.toThrow(/check/i);
  });

  it("lets the lead change the statements until the first answer, then only the threshold", async () => {
    const w = await world(3);
    expect((await getEvaluationSetup(w.lead, w.P)).usesDefaults).toBe(true);
    expect((await saveEvaluationSetup(w.lead, w.P, checked({ statements: ["Nytt påstående"], minAnswers: 3 }))).ok).toBe(true);
    await queueEvaluationMail(w.db, NOW);
    expect((await getEvaluationForm(await w.trainee(0), w.sessions[0], NOW)).statements.map((s) => s.text)).toEqual(["Nytt påstående"]);
    await answer(w.db, w.trainee(0), w.sessions[0], 4);
    expect((await getEvaluationSetup(w.lead, w.P)).locked).toBe(true);
    expect(await saveEvaluationSetup(w.lead, w.P, checked({ statements: ["Annat"], minAnswers: 3 }))).toMatchObject({ ok: false, status: 400 });
    expect(await saveEvaluationSetup(w.lead, w.P, checked({ statements: ["Nytt påstående"], minAnswers: 5 }))).toMatchObject({ ok: true });
    expect((await getEvaluationSetup(w.lead, w.P)).minAnswers).toBe(5);
  });

  it("shows results to the lead and partner coordinators only; others get 403 or 404", async () => {
    const w = await world(3);
    await cohortEvaluationResults(w.coordinatorB, w.K);
    await expectResponse(cohortEvaluationResults(w.coordinatorC, w.K), 404);
    await expectResponse(cohortEvaluationResults(w.funder, w.K), 403);
    await expectResponse(cohortEvaluationResults(await w.trainee(0), w.K), 403);
    await expectResponse(saveEvaluationSetup(w.coordinatorB, w.P, checked({ statements: ["x"], minAnswers: 3 })), 403);
  });
});
