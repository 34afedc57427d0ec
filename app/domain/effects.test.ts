import { describe, expect, it } from "vitest";
import { createCohort, createEnrolment, createMunicipality, createOutcome, createParticipant, createProgramme, createSession, createUser } from "../../db/seed/factories";
import type { OutcomeResult } from "~/db/schema";
import { ctxFor, expectResponse } from "../../tests/support/coordination";
import { emptyDb } from "../../tests/support/db";
import { getEffectReport, protectedShare } from "./effects.server";
import { ensureStatements, newResponseId } from "./internal/evaluation-invitations.server";

/** A small fixture whose figures are worked out by hand in the tests' comments. */
async function world() {
  const db = await emptyDb();
  const A = await createMunicipality(db, { name: "Aby" });
  const B = await createMunicipality(db, { name: "Bby" });
  const C = await createMunicipality(db, { name: "Cby" });
  const P = await createProgramme(db, { name: "Programmet", ownerMunicipalityId: A, partnerMunicipalityIds: [B], startsOn: "2025-01-01", endsOn: "2027-12-31" });
  const K1 = await createCohort(db, { programmeId: P, name: "Omgång A", startsOn: "2025-01-15", endsOn: "2025-12-15", seats: { [A]: 20, [B]: 20 } });
  const K2 = await createCohort(db, { programmeId: P, name: "Omgång B", startsOn: "2026-01-15", endsOn: "2026-12-15", seats: { [A]: 20, [B]: 20 } });
  let n = 0;
  const person = async (cohortId: number, municipalityId: number, status: "completed" | "dropped" | "active", result?: OutcomeResult) => {
    const participantId = await createParticipant(db, { municipalityId, firstName: `P${n++}`, lastName: "Test" });
    const enrolmentId = await createEnrolment(db, { cohortId, participantId, municipalityId, status, startedOn: "2025-01-15", endedOn: status === "active" ? null : "2025-12-15" });
    if (result) await createOutcome(db, { enrolmentId, checkpoint: "6_months", result });
  };
  // Omgång A, 14 started: 2 dropped (no follow-up), 12 completed with 6-month follow-ups:
  // 5 same role, 2 became manager, 1 new role, 1 studying, 3 left the municipality (Aby 8 + Bby 6 people).
  const resultsA: OutcomeResult[] = ["same_role", "same_role", "same_role", "same_role", "same_role", "became_manager", "became_manager", "new_role", "studying", "left_municipality", "left_municipality", "left_municipality"];
  for (const [i, r] of resultsA.entries()) await person(K1, i < 8 ? A : B, "completed", r);
  await person(K1, B, "dropped");
  await person(K1, B, "dropped");
  // Omgång B: 3 started, all active: every figure of it is hidden.
  for (let i = 0; i < 3; i++) await person(K2, A, "active");

  // Evaluations of Omgång A: session 1 has 6 answers (shown), session 2 has 4 (under 5: left out).
  const statements = await ensureStatements(db, P);
  const answer = async (sessionId: number, score: number) => {
    const id = newResponseId();
    await db.insertInto("evaluation_responses").values({ id, session_id: sessionId, comment: "" }).execute();
    await db.insertInto("evaluation_scores").values(statements.map((s) => ({ response_id: id, statement_id: s.id, score }))).execute();
  };
  const participants = await db.selectFrom("participants").select(["id", "municipality_id"]).limit(10).execute();
  const s1 = await createSession(db, { cohortId: K1, title: "S1", startsAt: "2025-02-01T08:00:00Z", endsAt: "2025-02-01T15:00:00Z", hostMunicipalityId: A });
  const s2 = await createSession(db, { cohortId: K1, title: "S2", startsAt: "2025-03-01T08:00:00Z", endsAt: "2025-03-01T15:00:00Z", hostMunicipalityId: A });
  for (const sessionId of [s1, s2]) {
    for (const p of participants) {
      await db.insertInto("evaluation_invitations").values({ session_id: sessionId, participant_id: p.id, municipality_id: p.municipality_id, user_id: null, invited_at: "x", reminded_at: null, answered: 0 }).execute();
    }
  }
  for (const score of [5, 5, 4, 4, 3, 3]) await answer(s1, score);
  for (const score of [1, 1, 1, 1]) await answer(s2, score);

  const lead = await ctxFor(db, await createUser(db, { email: "l@example.se", name: "L", grants: [{ role: "programme_lead", programmeId: P }] }));
  const funder = await ctxFor(db, await createUser(db, { email: "f@example.se", name: "F", grants: [{ role: "funder", programmeId: P }] }));
  const coordA = await ctxFor(db, await createUser(db, { email: "a@example.se", name: "A", grants: [{ role: "coordinator", municipalityId: A }] }));
  const coordB = await ctxFor(db, await createUser(db, { email: "b@example.se", name: "B", grants: [{ role: "coordinator", municipalityId: B }] }));
  const coordC = await ctxFor(db, await createUser(db, { email: "c@example.se", name: "C", grants: [{ role: "coordinator", municipalityId: C }] }));
  return { db, P, K1, K2, lead, funder, coordA, coordB, coordC };
}

describe("the effect report", () => {
  it("hides a share built on 0-4 people or leaving 0-4 over, and any group under 5", () => {
    expect(protectedShare(5, 10)).toEqual({ count: 5, n: 10, shown: true });
    expect(protectedShare(4, 10)).toMatchObject({ count: null, shown: false });
    expect(protectedShare(7, 10)).toMatchObject({ count: null, shown: false });
    expect(protectedShare(0, 4)).toMatchObject({ count: null, shown: false });
  });

  it("computes the small fixture's figures as worked out by hand", async () => {
    const w = await world();
    const r = await getEffectReport(w.funder, w.P);
    const [a, b] = r.cohorts;
    // Reaction: only session 1 (6 answers) counts; its mean is (5+5+4+4+3+3)/6 = 4.0; 6 of 10 asked.
    expect(a.reaction).toEqual({ sessions: 1, answers: 6, invited: 10, mean: 4, shown: true });
    // Results: 12 followed up; in work or studies 5+2+1+1 = 9 (3 left over: hidden); employed 8 of 12 (4 left: hidden);
    // managers 2 (hidden); dropped 2 of 14 started (hidden).
    expect(a.results.followedUp).toBe(12);
    expect(a.results.left).toBe(14);
    expect(a.results.inWorkOrStudies).toEqual({ count: null, n: 12, shown: false });
    expect(a.results.employedInPartner).toEqual({ count: null, n: 12, shown: false });
    expect(a.results.becameManager.shown).toBe(false);
    expect(a.results.dropped.shown).toBe(false);
    expect(b.reaction!.shown).toBe(false);
    expect(b.results.followedUp).toBe(0);
    expect(r.total.reaction).toEqual(a.reaction);
  });

  it("shows a share once both sides reach 5, and the total adds up only cohorts shown", async () => {
    const w = await world();
    // Two more who left the municipality: in work or studies 9 of 14 (5 not: shown), employed 8 of 14 (6 not: shown).
    const K1 = w.K1;
    const A = (await w.db.selectFrom("municipalities").select("id").where("name", "=", "Aby").executeTakeFirstOrThrow()).id;
    for (let i = 0; i < 2; i++) {
      const participantId = await createParticipant(w.db, { municipalityId: A, firstName: `X${i}`, lastName: "Test" });
      const enrolmentId = await createEnrolment(w.db, { cohortId: K1, participantId, municipalityId: A, status: "completed", startedOn: "2025-01-15", endedOn: "2025-12-15" });
      await createOutcome(w.db, { enrolmentId, checkpoint: "6_months", result: "left_municipality" });
    }
    const r = await getEffectReport(w.lead, w.P);
    expect(r.cohorts[0].results.inWorkOrStudies).toEqual({ count: 9, n: 14, shown: true });
    expect(r.cohorts[0].results.employedInPartner).toEqual({ count: 8, n: 14, shown: true });
    expect(r.total.results.inWorkOrStudies).toEqual({ count: 9, n: 14, shown: true });
  });

  it("gives a coordinator their own municipality's results only where the group is large enough", async () => {
    const w = await world();
    const r = await getEffectReport(w.coordB, w.P);
    // Bby in Omgång A: 6 started (4 followed up, 2 dropped): every share hidden.
    expect(r.ownMunicipality!.rows[0].results.followedUp).toBe(4);
    expect(r.ownMunicipality!.rows[0].results.inWorkOrStudies.shown).toBe(false);
    expect(r.ownMunicipality!.rows[0].reaction).toBeNull();
    expect((await getEffectReport(w.coordA, w.P)).ownMunicipality!.rows[0].results.followedUp).toBe(8);
    expect((await getEffectReport(w.funder, w.P)).ownMunicipality).toBeNull();
  });

  it("is for the programme's lead, funders and partner coordinators only", async () => {
    const w = await world();
    await expectResponse(getEffectReport(w.coordC, w.P), 404);
    await expectResponse(getEffectReport(w.lead, w.P + 1000), 404);
  });
});
