/**
 * Self-rating before and after (issue 16, ADR 035): the lead's goals, the
 * participant's own ratings and change, nobody else's 404, the start page's
 * notice, the register extract and anonymisation; and the automatic 360
 * reminder, sent once however many workers look at once.
 */
import { describe, expect, it } from "vitest";
import { createCohort, createEnrolment, createMunicipality, createParticipant, createProgramme, createUser } from "../../db/seed/factories";
import { ctxFor, expectResponse } from "../../tests/support/coordination";
import { emptyDb, sharedEmptyDb, TEST_BACKEND } from "../../tests/support/db";
import type { Db } from "~/db/connection.server";
import { getStartPage } from "./start-page.server";
import { getOwnSelfRating, getProgrammeGoals, listOwnSelfRatings, rateSelf, saveProgrammeGoals } from "./self-ratings.server";
import { checked } from "./result";
import { FEEDBACK_REMINDER_DAYS, queueFeedbackReminders } from "./internal/feedback-reminders.server";
import { loadSubject, extractPersonalData, anonymisePersonalData } from "./internal/personal-data.server";

const TODAY = "2026-03-10";

async function world(db?: Db) {
  db ??= await emptyDb();
  const A = await createMunicipality(db, { name: "Aby" });
  const B = await createMunicipality(db, { name: "Bby" });
  const P = await createProgramme(db, { name: "Programmet", ownerMunicipalityId: A, partnerMunicipalityIds: [B], startsOn: "2026-01-01", endsOn: "2027-12-31" });
  // Started a week ago: the start rating is open (until 42 days after the start), the end one is not.
  const K = await createCohort(db, { programmeId: P, name: "Omgång A", startsOn: "2026-03-03", endsOn: "2026-12-15", seats: { [A]: 10, [B]: 10 } });
  const participantId = await createParticipant(db, { municipalityId: A, firstName: "Ada", lastName: "Test" });
  await createEnrolment(db, { cohortId: K, participantId, municipalityId: A, status: "active", startedOn: "2026-03-03" });
  const trainee = await ctxFor(db, await createUser(db, { email: "t@example.se", name: "T", grants: [{ role: "participant", municipalityId: A, participantId }] }));
  const lead = await ctxFor(db, await createUser(db, { email: "l@example.se", name: "L", grants: [{ role: "programme_lead", programmeId: P }] }));
  const funder = await ctxFor(db, await createUser(db, { email: "f@example.se", name: "F", grants: [{ role: "funder", programmeId: P }] }));
  const coordinator = await ctxFor(db, await createUser(db, { email: "c@example.se", name: "C", grants: [{ role: "coordinator", municipalityId: A }] }));
  const otherId = await createParticipant(db, { municipalityId: B, firstName: "Bo", lastName: "Test" });
  await createEnrolment(db, { cohortId: K, participantId: otherId, municipalityId: B, status: "active", startedOn: "2026-03-03" });
  const other = await ctxFor(db, await createUser(db, { email: "o@example.se", name: "O", grants: [{ role: "participant", municipalityId: B, participantId: otherId }] }));
  return { db, A, P, K, participantId, trainee, lead, funder, coordinator, other };
}

const scoresFor = (goals: { id: number }[], score: number) => Object.fromEntries(goals.map((g) => [`g${g.id}`, score]));

describe("self-rating against the programme's goals", () => {
  it("lets the lead write goals, the participant rate once at the start and see it after a reload; the goals are then fixed", async () => {
    const w = await world();
    expect(await saveProgrammeGoals(w.lead, w.P, checked({ goals: ["Leda mot mål", "Ge återkoppling"] }))).toEqual({ ok: true, value: undefined });
    const { goals } = await getProgrammeGoals(w.lead, w.P);
    expect(goals.map((g) => g.text)).toEqual(["Leda mot mål", "Ge återkoppling"]);

    const page = await getOwnSelfRating(w.trainee, w.K, TODAY);
    expect(page.phases.map((p) => p.state)).toEqual(["open", "not_yet"]);
    const missing = await rateSelf(w.trainee, w.K, checked({ phase: "start" as const, scores: { [`g${goals[0].id}`]: 3 } }), TODAY);
    expect(missing).toMatchObject({ ok: false, status: 400, fieldErrors: { [`scores.g${goals[1].id}`]: expect.any(Array) } });
    expect((await rateSelf(w.trainee, w.K, checked({ phase: "start" as const, scores: { [`g${goals[0].id}`]: 2, [`g${goals[1].id}`]: 4 } }), TODAY)).ok).toBe(true);
    const again = await rateSelf(w.trainee, w.K, checked({ phase: "start" as const, scores: scoresFor(goals, 5) }), TODAY);
    expect(again).toMatchObject({ ok: false, status: 409 });
    const end = await rateSelf(w.trainee, w.K, checked({ phase: "end" as const, scores: scoresFor(goals, 5) }), TODAY);
    expect(end).toMatchObject({ ok: false, status: 409 });

    const saved = await getOwnSelfRating(w.trainee, w.K, TODAY);
    expect(saved.goals.map((g) => [g.text, g.start, g.end, g.change])).toEqual([
      ["Leda mot mål", 2, null, null],
      ["Ge återkoppling", 4, null, null],
    ]);
    expect(saved.phases[0].state).toBe("rated");
    expect((await saveProgrammeGoals(w.lead, w.P, checked({ goals: ["Något annat"] }))).ok).toBe(false);
    expect((await getProgrammeGoals(w.lead, w.P)).locked).toBe(true);
  });

  it("shows the participant their own change once they have rated at the end", async () => {
    const w = await world();
    await saveProgrammeGoals(w.lead, w.P, checked({ goals: ["Leda mot mål"] }));
    const { goals } = await getProgrammeGoals(w.lead, w.P);
    await rateSelf(w.trainee, w.K, checked({ phase: "start" as const, scores: scoresFor(goals, 2) }), TODAY);
    const endDay = "2026-12-10";
    expect((await rateSelf(w.trainee, w.K, checked({ phase: "end" as const, scores: scoresFor(goals, 4) }), endDay)).ok).toBe(true);
    expect((await getOwnSelfRating(w.trainee, w.K, endDay)).goals[0]).toMatchObject({ start: 2, end: 4, change: 2 });
  });

  it("gives a coordinator, funder, lead or another participant a 404 on someone's individual self-rating, audited", async () => {
    const w = await world();
    await saveProgrammeGoals(w.lead, w.P, checked({ goals: ["Leda mot mål"] }));
    for (const ctx of [w.coordinator, w.funder, w.lead]) {
      await expectResponse(getOwnSelfRating(ctx, w.K, TODAY), 404);
      await expectResponse(rateSelf(ctx, w.K, checked({ phase: "start" as const, scores: {} }), TODAY), 404);
    }
    // The other participant of the same cohort reads only their own rating: the page has no participant id to change.
    expect((await getOwnSelfRating(w.other, w.K, TODAY)).goals[0].start).toBeNull();
    await expectResponse(getOwnSelfRating(w.trainee, w.K + 1000, TODAY), 404);
    const denials = await w.db.selectFrom("audit_log").select("entity").where("action", "=", "authz.denied").where("entity", "=", "self_rating").execute();
    expect(denials.length).toBeGreaterThanOrEqual(7);
    // The lead may not write someone else's programme's goals.
    await expectResponse(getProgrammeGoals(w.lead, w.P + 1000), 404);
    await expectResponse(getProgrammeGoals(w.coordinator, w.P), 403);
  });

  it("puts an open rating on the participant's start page, and takes it off once given", async () => {
    const w = await world();
    const now = new Date(`${TODAY}T10:00:00Z`);
    expect((await getStartPage(w.trainee, now)).trainee!.selfRatingsDue).toEqual([]);
    await saveProgrammeGoals(w.lead, w.P, checked({ goals: ["Leda mot mål"] }));
    expect((await getStartPage(w.trainee, now)).trainee!.selfRatingsDue).toEqual([
      { cohortId: w.K, cohortName: "Omgång A", programmeName: "Programmet", phase: "start", closesOn: "2026-04-14" },
    ]);
    const { goals } = await getProgrammeGoals(w.lead, w.P);
    await rateSelf(w.trainee, w.K, checked({ phase: "start" as const, scores: scoresFor(goals, 3) }), TODAY);
    expect((await getStartPage(w.trainee, now)).trainee!.selfRatingsDue).toEqual([]);
    expect((await listOwnSelfRatings(w.trainee, TODAY))[0].phases[0].state).toBe("rated");
  });

  it("is in the participant's register extract and deleted on anonymisation", async () => {
    const w = await world();
    await saveProgrammeGoals(w.lead, w.P, checked({ goals: ["Leda mot mål"] }));
    const { goals } = await getProgrammeGoals(w.lead, w.P);
    await rateSelf(w.trainee, w.K, checked({ phase: "start" as const, scores: scoresFor(goals, 3) }), TODAY);
    const participant = await w.db.selectFrom("participants").selectAll().where("id", "=", w.participantId).executeTakeFirstOrThrow();
    const extract = await extractPersonalData(w.db, await loadSubject(w.db, participant), TODAY);
    expect(extract.self_ratings).toEqual([expect.objectContaining({ cohort: "Omgång A", phase: "start", goal: "Leda mot mål", score: 3 })]);
    await w.db.transaction().execute(async (trx) => anonymisePersonalData(trx, await loadSubject(trx, participant), "2030-01-01T00:00:00Z"));
    expect(await w.db.selectFrom("self_ratings").select("goal_id").where("participant_id", "=", w.participantId).execute()).toEqual([]);
  });
});

describe("the automatic 360 reminder", () => {
  async function round(db: Db) {
    const w = await world(db);
    const instrument = await db.insertInto("feedback_instruments").values({ programme_id: w.P, version: 1, content: "{}", created_at: "2026-03-01T00:00:00Z" }).returning("id").executeTakeFirstOrThrow();
    const r = await db.insertInto("feedback_rounds").values({ cohort_id: w.K, instrument_id: instrument.id, kind: "first", closes_on: "2026-03-31", opened_at: "2026-03-01T00:00:00Z" }).returning("id").executeTakeFirstOrThrow();
    const subject = await db.insertInto("feedback_subjects").values({ round_id: r.id, participant_id: w.participantId, municipality_id: w.A, self_answered_at: null }).returning("id").executeTakeFirstOrThrow();
    const rater = (email: string, extra: { answered_at?: string; reminded_at?: string; revoked_at?: string; invited_at?: string } = {}) =>
      db.insertInto("feedback_raters").values({ subject_id: subject.id, rater_group: "colleague", email, invited_at: "2026-03-02T08:00:00Z", reminded_at: null, answered_at: null, revoked_at: null, ...extra }).execute();
    await rater("waiting1@example.org");
    await rater("waiting2@example.org");
    await rater("answered@example.org", { answered_at: "2026-03-03T08:00:00Z" });
    await rater("reminded@example.org", { reminded_at: "2026-03-05T08:00:00Z" });
    await rater("revoked@example.org", { revoked_at: "2026-03-05T08:00:00Z" });
    await rater("recent@example.org", { invited_at: "2026-03-09T08:00:00Z" });
    return { ...w, roundId: r.id };
  }
  const NOW = new Date("2026-03-10T12:00:00Z");
  const reminders = (db: Db) => db.selectFrom("mail_outbox").select(["to_address", "body_text"]).where("kind", "=", "feedback_reminder").orderBy("to_address").execute();

  it(`reminds raters who have not answered ${FEEDBACK_REMINDER_DAYS} days after the invitation, once, with a working link, never after the round closes`, async () => {
    const db = await emptyDb();
    const w = await round(db);
    expect(await queueFeedbackReminders(db, { publicUrl: "https://portal.test", now: new Date("2026-03-06T12:00:00Z") })).toBe(0);
    expect(await queueFeedbackReminders(db, { publicUrl: "https://portal.test", now: NOW })).toBe(2);
    expect(await queueFeedbackReminders(db, { publicUrl: "https://portal.test", now: NOW })).toBe(0);
    const sent = await reminders(db);
    expect(sent.map((m) => m.to_address)).toEqual(["waiting1@example.org", "waiting2@example.org"]);
    expect(sent[0].body_text).toMatch(/Påminnelse: Ada Test väntar/);
    expect(sent[0].body_text).toMatch(/https:\/\/portal\.test\/svara\/[A-Za-z0-9_-]{43}/);
    await db.updateTable("feedback_rounds").set({ closed_at: "2026-03-11T00:00:00Z" }).where("id", "=", w.roundId).execute();
    await db.updateTable("feedback_raters").set({ reminded_at: null }).where("email", "=", "recent@example.org").execute();
    expect(await queueFeedbackReminders(db, { publicUrl: "https://portal.test", now: new Date("2026-03-20T12:00:00Z") })).toBe(0);
  });

  // SQLite serialises writers, and one process's better-sqlite3 would wait for itself (as in app/mail/outbox.test.ts).
  it.runIf(TEST_BACKEND === "postgres")("sends each reminder once when three workers look at the same time", async () => {
    const shared = await sharedEmptyDb();
    await round(shared.db);
    const handles = [shared.db, shared.open(), shared.open()];
    const queued = await Promise.all(handles.map((h) => queueFeedbackReminders(h, { publicUrl: "https://portal.test", now: NOW })));
    expect(queued.reduce((a, b) => a + b, 0)).toBe(2);
    expect((await reminders(shared.db)).length).toBe(2);
    for (const h of handles.slice(1)) await h.destroy();
  });
});
