import { describe, expect, it } from "vitest";
import { createCohort, createEnrolment, createMunicipality, createParticipant, createProgramme, createUser } from "../../db/seed/factories";
import { ctxFor, expectResponse } from "../../tests/support/coordination";
import { emptyDb } from "../../tests/support/db";
import { countDueFollowUps } from "./internal/follow-up-windows.server";
import { followUpWindow, listFollowUps, recordOutcome } from "./outcomes.server";
import { checked } from "./result";
import { getStatistics } from "../../tests/support/statistics";

const TODAY = "2026-11-26";

async function world() {
  const db = await emptyDb();
  const A = await createMunicipality(db, { name: "Aby" });
  const B = await createMunicipality(db, { name: "Bby" });
  const P = await createProgramme(db, { name: "Programmet", ownerMunicipalityId: A, partnerMunicipalityIds: [B], startsOn: "2026-01-01", endsOn: "2027-12-31" });
  const K = await createCohort(db, { programmeId: P, name: "Omgång 1", startsOn: "2026-01-15", endsOn: "2026-12-15", seats: { [A]: 5, [B]: 5 } });
  const enrol = async (municipalityId: number, name: string, status: "active" | "completed" | "dropped", endedOn?: string) => {
    const participantId = await createParticipant(db, { municipalityId, firstName: name, lastName: "Test" });
    return createEnrolment(db, { cohortId: K, participantId, municipalityId, status, startedOn: "2026-01-15", endedOn: endedOn ?? null });
  };
  const e = {
    // Left in March: both follow-ups open, both overdue.
    march: await enrol(A, "Mars", "dropped", "2026-03-10"),
    // Left three weeks ago: the 4-week one is open and not yet overdue; 6 months far ahead.
    recent: await enrol(A, "Nyss", "completed", "2026-11-05"),
    // Left in early June: the 6-month follow-up opens on 4 December, within 30 days.
    june: await enrol(A, "Juni", "completed", "2026-06-04"),
    active: await enrol(A, "Aktiv", "active"),
    other: await enrol(B, "Annan", "dropped", "2026-03-10"),
  };
  const coordinatorA = await ctxFor(db, await createUser(db, { email: "a@example.se", name: "A", grants: [{ role: "coordinator", municipalityId: A }] }));
  const coordinatorB = await ctxFor(db, await createUser(db, { email: "b@example.se", name: "B", grants: [{ role: "coordinator", municipalityId: B }] }));
  const lead = await ctxFor(db, await createUser(db, { email: "l@example.se", name: "L", grants: [{ role: "programme_lead", programmeId: P }] }));
  return { db, A, B, P, e, coordinatorA, coordinatorB, lead };
}

describe("outcome follow-up", () => {
  it("opens the 4-week follow-up on leaving and the 6-month one six months later, each due 28 days after opening", () => {
    expect(followUpWindow("4_weeks", "2026-03-10")).toEqual({ opensOn: "2026-03-10", dueOn: "2026-04-07" });
    expect(followUpWindow("6_months", "2026-03-10")).toEqual({ opensOn: "2026-09-10", dueOn: "2026-10-08" });
  });

  it("opens the 6-month follow-up of someone who left on 31 August on 28 February, in the list as in the window", async () => {
    expect(followUpWindow("6_months", "2026-08-31")).toEqual({ opensOn: "2027-02-28", dueOn: "2027-03-28" });
    const w = await world();
    const participantId = await createParticipant(w.db, { municipalityId: w.A, firstName: "Augusti", lastName: "Test" });
    const cohortId = (await w.db.selectFrom("cohorts").select("id").executeTakeFirstOrThrow()).id;
    await createEnrolment(w.db, { cohortId, participantId, municipalityId: w.A, status: "completed", startedOn: "2026-01-15", endedOn: "2026-08-31" });
    const page = await listFollowUps(w.coordinatorA, {}, "2027-02-01");
    expect(page.upcoming.filter((u) => u.participantName === "Augusti Test").map((u) => `${u.checkpoint} ${u.opensOn} ${u.dueOn}`)).toEqual([
      "6_months 2027-02-28 2027-03-28",
    ]);
  });

  it("lists what is due, overdue and coming for the coordinator's own municipality only", async () => {
    const w = await world();
    const page = await listFollowUps(w.coordinatorA, {}, TODAY);
    const due = page.due.map((d) => `${d.participantName} ${d.checkpoint} ${d.overdue ? "overdue" : "due"}`);
    expect(due.sort()).toEqual(
      ["Juni Test 4_weeks overdue", "Mars Test 4_weeks overdue", "Mars Test 6_months overdue", "Nyss Test 4_weeks due"].sort(),
    );
    expect(page.upcoming.map((u) => `${u.participantName} ${u.checkpoint} ${u.opensOn}`)).toEqual(["Juni Test 6_months 2026-12-04"]);
    expect(await countDueFollowUps(w.db, w.A, TODAY)).toEqual({ due: 4, overdue: 3 });
    expect(await countDueFollowUps(w.db, w.B, TODAY)).toEqual({ due: 2, overdue: 2 });
  });

  it("records a result, counts it in the statistics, and lets the coordinator correct it", async () => {
    const w = await world();
    await recordOutcome(w.coordinatorA, checked({ enrolmentId: w.e.march, checkpoint: "4_weeks", result: "new_role" }), TODAY);
    await recordOutcome(w.coordinatorA, checked({ enrolmentId: w.e.march, checkpoint: "4_weeks", result: "became_manager" }), TODAY);
    expect(await countDueFollowUps(w.db, w.A, TODAY)).toEqual({ due: 3, overdue: 2 });
    const page = await listFollowUps(w.coordinatorA, {}, TODAY);
    expect(page.recorded.map((r) => [r.participantName, r.checkpoint, r.result])).toEqual([["Mars Test", "4_weeks", "became_manager"]]);

    const stats = await getStatistics(w.coordinatorA, { programmeId: w.P }, TODAY);
    const outcomes = stats.tables.find((t) => t.key === "outcomes")!;
    const row = (key: string) => outcomes.rows.find((r) => r.key === key)!.cells.map((c) => c.value);
    expect(row("became_manager")).toEqual([1, 0]);
    expect(row("new_role")).toEqual([0, 0]);
    expect(row("not_recorded")).toEqual([2, 3]);

    const audit = await w.db.selectFrom("audit_log").select(["action", "detail"]).where("action", "like", "outcome.%").orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["outcome.recorded", "outcome.corrected"]);
    expect(audit[0].detail).not.toContain("Mars");
  });

  it("refuses follow-ups that are not open, of people still active, and of another municipality", async () => {
    const w = await world();
    expect(await recordOutcome(w.coordinatorA, checked({ enrolmentId: w.e.june, checkpoint: "6_months", result: "same_role" }), TODAY)).toMatchObject({
      ok: false,
      status: 400,
      message: expect.stringMatching(/^Uppföljningen kan registreras från och med \d{1,2} \p{L}+ \d{4}\.$/u),
    });
    expect(await recordOutcome(w.coordinatorA, checked({ enrolmentId: w.e.active, checkpoint: "4_weeks", result: "same_role" }), TODAY)).toMatchObject({
      ok: false,
      status: 400,
      message: "Deltagaren har inte lämnat omgången, så det finns inget att följa upp.",
    });
    await expectResponse(recordOutcome(w.coordinatorA, checked({ enrolmentId: w.e.other, checkpoint: "4_weeks", result: "same_role" }), TODAY), 404);
    await expectResponse(recordOutcome(w.lead, checked({ enrolmentId: w.e.march, checkpoint: "4_weeks", result: "same_role" }), TODAY), 403);
    await expectResponse(listFollowUps(w.lead, {}, TODAY), 403);
    expect(await w.db.selectFrom("outcomes").select("id").execute()).toEqual([]);
  });
});
