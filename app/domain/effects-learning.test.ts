/**
 * The effect report's Learning and Behaviour sections (issue 16, ADR 035) on a
 * small fixture whose figures are worked out by hand in the comments: 5 people
 * in a group are shown, 4 are not, and a programme total adds only shown cohorts.
 */
import { describe, expect, it } from "vitest";
import type { FeedbackShownAs, GoalStatus } from "~/db/schema";
import { createCohort, createEnrolment, createMunicipality, createParticipant, createProgramme, createUser } from "../../db/seed/factories";
import { ctxFor } from "../../tests/support/coordination";
import { DEMO_TODAY, demoDb, emptyDb } from "../../tests/support/db";
import { addDaysToDate } from "~/utils/time";
import { getEffectReport } from "./effects.server";

async function world() {
  const db = await emptyDb();
  const A = await createMunicipality(db, { name: "Aby" });
  const P = await createProgramme(db, { name: "Programmet", ownerMunicipalityId: A, partnerMunicipalityIds: [], startsOn: "2025-01-01", endsOn: "2027-12-31" });
  const K1 = await createCohort(db, { programmeId: P, name: "Omgång A", startsOn: "2025-01-15", endsOn: "2025-12-15", seats: { [A]: 20 } });
  const K2 = await createCohort(db, { programmeId: P, name: "Omgång B", startsOn: "2025-02-15", endsOn: "2025-12-20", seats: { [A]: 20 } });
  await db.insertInto("programme_goals").values([{ programme_id: P, position: 0, text: "Mål 1" }, { programme_id: P, position: 1, text: "Mål 2" }]).execute();
  const [G1, G2] = (await db.selectFrom("programme_goals").select("id").orderBy("position").execute()).map((g) => g.id);
  let n = 0;
  const person = async (cohortId: number) => {
    const participantId = await createParticipant(db, { municipalityId: A, firstName: `P${n++}`, lastName: "Test" });
    await createEnrolment(db, { cohortId, participantId, municipalityId: A, status: "completed", startedOn: "2025-01-15", endedOn: "2025-12-15" });
    return participantId;
  };
  const rate = (cohortId: number, participantId: number, phase: "start" | "end", g1: number, g2: number) =>
    db
      .insertInto("self_ratings")
      .values([G1, G2].map((goal_id, k) => ({ cohort_id: cohortId, participant_id: participantId, municipality_id: A, phase, goal_id, score: k ? g2 : g1, rated_at: "2025-12-01T00:00:00Z" })))
      .execute();

  // 360: one dimension of one statement; raters in each round give the participant the same score.
  const instrument = await db
    .insertInto("feedback_instruments")
    .values({ programme_id: P, version: 1, content: JSON.stringify({ dimensions: [{ key: "d", title: "Riktning", statements: [{ id: "d-1", text: "S" }] }], questions: ["Q1", "Q2"] }), created_at: "2025-01-01T00:00:00Z" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const round = (cohortId: number, kind: "first" | "follow_up") =>
    db
      .insertInto("feedback_rounds")
      .values({ cohort_id: cohortId, instrument_id: instrument.id, kind, closes_on: "2025-11-01", opened_at: "2025-10-01T00:00:00Z", closed_at: "2025-11-01T20:00:00Z" })
      .returning("id")
      .executeTakeFirstOrThrow();
  const rounds = { K1: [await round(K1, "first"), await round(K1, "follow_up")], K2: [await round(K2, "first"), await round(K2, "follow_up")] };
  const answers = async (roundId: number, participantId: number, colleagues: number) => {
    const subject = await db.insertInto("feedback_subjects").values({ round_id: roundId, participant_id: participantId, municipality_id: A, self_answered_at: null }).returning("id").executeTakeFirstOrThrow();
    const add = (shownAs: FeedbackShownAs, score: number) => db.insertInto("feedback_responses").values({ subject_id: subject.id, shown_as: shownAs, scores: JSON.stringify({ "d-1": score }) }).execute();
    await add("self", 5);
    for (let i = 0; i < 3; i++) await add("colleague", colleagues);
    // Two direct reports (under 3: into "Övriga", itself under 3: hidden). Counting them would pull every mean towards 1.
    await add("report", 1);
    await add("report", 1);
  };
  const plan = async (cohortId: number, participantId: number, statuses: GoalStatus[]) => {
    const p = await db.insertInto("action_plans").values({ participant_id: participantId, municipality_id: A, cohort_id: cohortId, updated_at: "2025-06-01T00:00:00Z" }).returning("id").executeTakeFirstOrThrow();
    for (const [i, status] of statuses.entries()) {
      await db.insertInto("action_plan_goals").values({ plan_id: p.id, position: i + 1, title: `Mål ${i}`, linked_to: "d", actions: "", manager_support: "", starts_on: null, due_on: null, status, status_changed_at: null }).execute();
    }
  };

  // Omgång A, 5 people. Goal 1 start 1,2,3,3,1 (10/5 = 2.0), end 2,3,3,4,3 (15/5 = 3.0): +1.0.
  // Goal 2 start 3,3,3,3,3 (3.0), end 4,3,3,5,4 (19/5 = 3.8): +0.8.
  // All goals, each person's mean: start 2, 2.5, 3, 3, 2 (12.5/5 = 2.5); end 3, 3, 3, 4.5, 3.5 (17/5 = 3.4): +0.9.
  // 360, others' mean (colleagues only): first 2,3,3,2,4 (14/5 = 2.8), follow-up 3,3,4,4,4 (18/5 = 3.6): +0.8.
  // Action plans, 3 goals each: reached 2+1+1+2+2 = 8 of 15 (7 not): 53 %.
  const starts1 = [1, 2, 3, 3, 1];
  const ends1 = [2, 3, 3, 4, 3];
  const ends2 = [4, 3, 3, 5, 4];
  const before = [2, 3, 3, 2, 4];
  const after = [3, 3, 4, 4, 4];
  const plans: GoalStatus[][] = [
    ["reached", "reached", "under_way"],
    ["reached", "under_way", "not_started"],
    ["reached", "not_started", "under_way"],
    ["reached", "reached", "under_way"],
    ["under_way", "reached", "reached"],
  ];
  for (let i = 0; i < 5; i++) {
    const p = await person(K1);
    await rate(K1, p, "start", starts1[i], 3);
    await rate(K1, p, "end", ends1[i], ends2[i]);
    await answers(rounds.K1[0].id, p, before[i]);
    await answers(rounds.K1[1].id, p, after[i]);
    await plan(K1, p, plans[i]);
  }
  // Omgång B, 4 people with both ratings and both rounds (start 2, end 4; others 2 then 4), 3 goals each with 6 of 12 reached:
  // a group of 4, so every figure is hidden. A fifth who only rated at the start changes nothing.
  const inB: number[] = [];
  for (let i = 0; i < 4; i++) {
    const p = await person(K2);
    inB.push(p);
    await rate(K2, p, "start", 2, 2);
    await rate(K2, p, "end", 4, 4);
    await answers(rounds.K2[0].id, p, 2);
    await answers(rounds.K2[1].id, p, 4);
    await plan(K2, p, i % 2 ? ["reached", "reached", "reached"] : ["under_way", "under_way", "under_way"]);
  }
  const late = await person(K2);
  await rate(K2, late, "start", 1, 1);

  const lead = await ctxFor(db, await createUser(db, { email: "l@example.se", name: "L", grants: [{ role: "programme_lead", programmeId: P }] }));
  const funder = await ctxFor(db, await createUser(db, { email: "f@example.se", name: "F", grants: [{ role: "funder", programmeId: P }] }));
  return { db, P, K2, late, rate, answers, plan, rounds, lead, funder };
}

const close = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);

describe("the effect report's Learning section", () => {
  it("shows the self-rating change per goal for 5 people and hides it for 4, as worked out by hand", async () => {
    const w = await world();
    const r = await getEffectReport(w.funder, w.P);
    const [a, b, total] = r.learning.rows.map((row) => row.figures);
    expect(a.goals.map((g) => [g.text, g.n, close(g.before), close(g.after), close(g.change), g.shown])).toEqual([
      ["Mål 1", 5, 2, 3, 1, true],
      ["Mål 2", 5, 3, 3.8, 0.8, true],
    ]);
    expect([a.all.n, close(a.all.before), close(a.all.after), close(a.all.change)]).toEqual([5, 2.5, 3.4, 0.9]);
    // Omgång B: 4 with both ratings (the fifth rated only at the start): hidden, n kept for "<5".
    expect(b.goals[0]).toMatchObject({ n: 4, before: null, after: null, change: null, shown: false });
    expect(b.all.shown).toBe(false);
    // The programme adds up shown cohorts only: Omgång A's figures again.
    expect(total.goals[0]).toEqual(a.goals[0]);
  });

  it("shows a cohort once its fifth person has rated both times, and the total adds it in", async () => {
    const w = await world();
    await w.rate(w.K2, w.late, "end", 4, 4);
    const r = await getEffectReport(w.lead, w.P);
    const [, b, total] = r.learning.rows.map((row) => row.figures);
    // Omgång B goal 1: start 2,2,2,2,1 (9/5 = 1.8), end 4 each (4.0): +2.2.
    expect([b.goals[0].n, close(b.goals[0].before), close(b.goals[0].after), close(b.goals[0].change)]).toEqual([5, 1.8, 4, 2.2]);
    // Total goal 1 over both: start (10 + 9)/10 = 1.9, end (15 + 20)/10 = 3.5: +1.6.
    expect([total.goals[0].n, close(total.goals[0].before), close(total.goals[0].after), close(total.goals[0].change)]).toEqual([10, 1.9, 3.5, 1.6]);
  });
});

describe("the effect report publishes a cohort's Learning only after its end rating has closed (ADR 036)", () => {
  // Omgång A ended 2025-12-15 (end rating closed 2026-01-12), Omgång B 2025-12-20 (closes 2026-01-17).
  const WHILE_B_OPEN = new Date("2026-01-14T10:00:00Z");
  const AFTER_B_CLOSED = new Date("2026-01-18T10:00:00Z");

  it("gives identical figures before and after one more end rating while the window is open", async () => {
    const w = await world();
    const before = await getEffectReport(w.funder, w.P, WHILE_B_OPEN);
    await w.rate(w.K2, w.late, "end", 4, 4);
    const after = await getEffectReport(w.funder, w.P, WHILE_B_OPEN);
    expect(after.learning).toEqual(before.learning);
    expect(after.publication.find((p) => p.cohortId === w.K2)).toMatchObject({ learningPendingUntil: "2026-01-17" });
    // Nothing of Omgång B is counted yet, not even its n; Omgång A, closed, is shown and is the programme's total.
    const [a, b, total] = after.learning.rows.map((row) => row.figures);
    expect(b.all).toMatchObject({ n: 0, shown: false });
    expect(a.all).toMatchObject({ n: 5, shown: true });
    expect(total.all).toEqual(a.all);
  });

  it("shows the cohort, fifth rating included, the day after the window has closed", async () => {
    const w = await world();
    await w.rate(w.K2, w.late, "end", 4, 4);
    const r = await getEffectReport(w.funder, w.P, AFTER_B_CLOSED);
    expect(r.publication.every((p) => p.learningPendingUntil === null)).toBe(true);
    const b = r.learning.rows[1].figures;
    expect([b.goals[0].n, close(b.goals[0].change), b.goals[0].shown]).toEqual([5, 2.2, true]);
  });
});

describe("the demo's effect report under the publication rule", () => {
  it("shows Omgång 1's reaction and behaviour (their windows are over); its learning waits for the end rating to close, with the date", async () => {
    const { db } = await demoDb();
    const funder = await ctxFor(db, (await db.selectFrom("users").select("id").where("email", "=", "finansiar@programportalen.test").executeTakeFirstOrThrow()).id);
    const programme = await db.selectFrom("programmes").select("id").where("name", "=", "Ledarutveckling över gränserna").executeTakeFirstOrThrow();
    const r = await getEffectReport(funder, programme.id, new Date(`${DEMO_TODAY}T12:00:00Z`));
    const idOf = (name: string) => Number(Object.entries(r.cohortNames).find(([, n]) => n === name)![0]);
    const first = idOf("Omgång 1");
    expect(r.cohorts.find((c) => c.cohortId === first)!.reaction).toMatchObject({ shown: true });
    expect(r.behaviour.rows.find((row) => row.cohortId === first)!.figures.dimensions[0].shown).toBe(true);
    // The demo's Omgång 1 ends two months after DEMO_TODAY: its end rating is open until 28 days after that.
    const cohort = await db.selectFrom("cohorts").select("ends_on").where("id", "=", first).executeTakeFirstOrThrow();
    expect(r.publication.find((p) => p.cohortId === first)).toMatchObject({ learningPendingUntil: addDaysToDate(cohort.ends_on, 28) });
    expect(r.learning.rows.find((row) => row.cohortId === first)!.figures.all).toMatchObject({ n: 0, shown: false });
  });
});

describe("the effect report's Behaviour section", () => {
  it("shows the change in others' 360 scores among participants with both rounds, from shown groups only; 4 people hidden", async () => {
    const w = await world();
    const r = await getEffectReport(w.funder, w.P);
    const [a, b, total] = r.behaviour.rows.map((row) => row.figures);
    expect(a.withBothRounds).toBe(5);
    expect(a.dimensions.map((d) => [d.title, d.n, close(d.before), close(d.after), close(d.change), d.shown])).toEqual([["Riktning", 5, 2.8, 3.6, 0.8, true]]);
    expect(b.withBothRounds).toBe(4);
    expect(b.dimensions[0]).toMatchObject({ n: 4, before: null, after: null, change: null, shown: false });
    expect(total.dimensions[0]).toEqual(a.dimensions[0]);
  });

  it("counts no round that is still open", async () => {
    const w = await world();
    await w.db.updateTable("feedback_rounds").set({ closed_at: null, closes_on: "2999-12-31" }).where("id", "=", w.rounds.K1[1].id).execute();
    const r = await getEffectReport(w.lead, w.P);
    expect(r.behaviour.rows[0].figures.withBothRounds).toBe(0);
    expect(r.behaviour.rows[0].figures.dimensions[0].shown).toBe(false);
  });

  it("shows the share of action-plan goals reached from 5 people's plans, hides 4 people's even when the share rule alone would pass", async () => {
    const w = await world();
    const r = await getEffectReport(w.lead, w.P);
    const [a, b, total] = r.behaviour.rows.map((row) => row.figures);
    expect([a.plans, a.goalsReached]).toEqual([5, { count: 8, n: 15, shown: true }]);
    // Omgång B: 6 of 12 reached (6 not), but from only 4 people.
    expect([b.plans, b.goalsReached]).toEqual([4, { count: null, n: 12, shown: false }]);
    expect(total.goalsReached).toEqual({ count: 8, n: 15, shown: true });
  });
});
