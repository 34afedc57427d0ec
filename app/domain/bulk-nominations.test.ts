import { describe, expect, it } from "vitest";
import { auditActions, consortium, expectResponse } from "../../tests/support/coordination";
import { createCohort } from "../../db/seed/factories";
import { emptyDb } from "../../tests/support/db";
import { cohortsOpenTo, nominateSeveral, nominateToCohort, previewNominations } from "./bulk-nominations.server";
import { getCohortWithRoster } from "./cohorts.server";
import { seatCounts } from "./internal/seats.server";
import { acceptNomination, nominate } from "./nominations.server";
import { checked, type Result } from "./result";

const TODAY = "2026-11-26";

function ok<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`Expected success, got ${JSON.stringify(result)}`);
  return result.value;
}

async function setup() {
  const c = await consortium(await emptyDb());
  // Aneby has 2 seats in the cohort, Eksjö 1.
  const aneby = await Promise.all(["Alma", "Bo", "Cecilia", "David", "Ebba"].map((name) => c.person(c.municipalities.aneby, name)));
  return { ...c, aneby };
}

const enrolmentsOf = (c: Awaited<ReturnType<typeof setup>>) =>
  c.db.selectFrom("enrolments").select(["participant_id", "status", "waitlist_position"]).orderBy("id").execute();

describe("nominating several participants at once", () => {
  it("nominate five at once: the preview says who gets the municipality's seats and who goes to the waiting list, and saving writes exactly that", async () => {
    const c = await setup();
    const coordinator = await c.as("aneby");
    const input = checked({ participantIds: c.aneby });

    const plan = ok(await previewNominations(coordinator, c.cohortId, input, TODAY));
    expect(plan.rows.map((r) => [r.name, r.status, r.waitlistPosition])).toEqual([
      ["Alma Testsson", "nominated", null],
      ["Bo Testsson", "nominated", null],
      ["Cecilia Testsson", "waitlisted", 1],
      ["David Testsson", "waitlisted", 2],
      ["Ebba Testsson", "waitlisted", 3],
    ]);
    expect(await enrolmentsOf(c)).toEqual([]);

    const saved = ok(await nominateSeveral(coordinator, c.cohortId, checked({ participantIds: c.aneby, expectedNominated: plan.nominated }), TODAY));
    expect(saved.rows.map((r) => [r.participantId, r.status, r.waitlistPosition])).toEqual(plan.rows.map((r) => [r.participantId, r.status, r.waitlistPosition]));
    expect(await enrolmentsOf(c)).toEqual(plan.rows.map((r) => ({ participant_id: r.participantId, status: r.status, waitlist_position: r.waitlistPosition })));
    expect(await seatCounts(c.db, c.cohortId, c.municipalities.aneby)).toMatchObject({ seats: 2, nominated: 2, waitlisted: 3, free: 0 });
    // Each one audited and dated, as a single nomination is.
    expect((await auditActions(c.db)).filter((a) => a === "enrolment.nominated")).toHaveLength(5);
    expect(await c.db.selectFrom("enrolment_events").select("status").execute()).toHaveLength(5);
  });

  it("another municipality's participant among one's own: 404, nothing written, the attempt audited", async () => {
    const c = await setup();
    const eksjoPerson = await c.person(c.municipalities.eksjo);
    for (const call of [previewNominations, nominateSeveral]) {
      await expectResponse(call(await c.as("aneby"), c.cohortId, checked({ participantIds: [c.aneby[0], eksjoPerson, c.aneby[1]] }), TODAY), 404);
    }
    // A made-up id answers the same.
    await expectResponse(nominateSeveral(await c.as("aneby"), c.cohortId, checked({ participantIds: [c.aneby[0], 999_999] }), TODAY), 404);
    expect(await enrolmentsOf(c)).toEqual([]);
    expect((await auditActions(c.db)).filter((a) => a === "authz.denied")).toHaveLength(2);
  });

  it("duplicate ids in one nomination: refused with a Swedish message, nothing written", async () => {
    const c = await setup();
    const result = await nominateSeveral(await c.as("aneby"), c.cohortId, checked({ participantIds: [c.aneby[0], c.aneby[1], c.aneby[0]] }), TODAY);
    expect(result).toEqual({ ok: false, status: 400, fieldErrors: { participantIds: ["Samma deltagare är vald två gånger. Ladda om sidan och välj igen."] } });
    expect(await enrolmentsOf(c)).toEqual([]);
  });

  it("all or nothing: one already in the cohort refuses the whole list, naming the person", async () => {
    const c = await setup();
    ok(await nominate(await c.as("aneby"), { cohortId: c.cohortId, participantId: c.aneby[2] }, TODAY));
    const result = await nominateSeveral(await c.as("aneby"), c.cohortId, checked({ participantIds: c.aneby }), TODAY);
    expect(result).toEqual({ ok: false, status: 400, fieldErrors: { participantIds: ["Cecilia Testsson är redan anmäld till omgången."] } });
    expect(await enrolmentsOf(c)).toHaveLength(1);
  });

  it("seats taken between the preview and the save: 409 and nothing written", async () => {
    const c = await setup();
    const coordinator = await c.as("aneby");
    const plan = ok(await previewNominations(coordinator, c.cohortId, checked({ participantIds: c.aneby.slice(0, 3) }), TODAY));
    expect(plan.nominated).toBe(2);
    // Someone else (another tab) takes a seat meanwhile.
    ok(await nominate(coordinator, { cohortId: c.cohortId, participantId: c.aneby[4] }, TODAY));
    const result = await nominateSeveral(coordinator, c.cohortId, checked({ participantIds: c.aneby.slice(0, 3), expectedNominated: plan.nominated }), TODAY);
    expect(result).toMatchObject({ ok: false, status: 409 });
    expect(!result.ok && result.message).toContain("nu 1 får en plats och 2 hamnar på väntelistan. Inget är sparat.");
    expect(await enrolmentsOf(c)).toHaveLength(1);
  });

  it("two bulk nominations at once cannot overfill the municipality's seats", async () => {
    const c = await setup();
    const [one, two] = [await c.as("aneby"), await c.as("aneby")];
    const results = await Promise.all([
      nominateSeveral(one, c.cohortId, checked({ participantIds: c.aneby.slice(0, 2) }), TODAY),
      nominateSeveral(two, c.cohortId, checked({ participantIds: c.aneby.slice(2, 5) }), TODAY),
    ]);
    for (const r of results) expect(r.ok).toBe(true);
    const rows = await enrolmentsOf(c);
    expect(rows).toHaveLength(5);
    expect(rows.filter((r) => r.status === "nominated")).toHaveLength(2);
    expect(rows.filter((r) => r.status === "waitlisted").map((r) => r.waitlist_position)).toEqual([1, 2, 3]);
    expect(await seatCounts(c.db, c.cohortId, c.municipalities.aneby)).toMatchObject({ seats: 2, occupied: 2, free: 0 });
  });

  it("the candidate list shows where each person stands now: nominated, on a waiting list, taking part elsewhere or nowhere", async () => {
    const c = await setup();
    const other = await createCohort(c.db, {
      programmeId: c.programmeId,
      name: "Omgång 0",
      startsOn: "2026-02-01",
      endsOn: "2027-06-01",
      seats: { [c.municipalities.aneby]: 1 },
      capacity: 4,
    });
    const coordinator = await c.as("aneby");
    const taken = ok(await nominate(coordinator, { cohortId: other, participantId: c.aneby[0] }, TODAY));
    ok(await nominate(coordinator, { cohortId: other, participantId: c.aneby[1] }, TODAY));
    ok(await acceptNomination(await c.as("lead"), taken.enrolmentId, TODAY));

    const { candidates } = await getCohortWithRoster(coordinator, c.cohortId);
    const byName = Object.fromEntries(candidates.map((p) => [p.name, p.current?.status ?? "none"]));
    expect(byName).toMatchObject({ "Alma Testsson": "accepted", "Bo Testsson": "waitlisted", "Cecilia Testsson": "none" });
    expect(candidates.find((p) => p.name === "Bo Testsson")?.current).toEqual({ status: "waitlisted", cohortName: "Omgång 0", programmeName: "Ledarutveckling" });
  });
});

describe("nominating from the participant's own page", () => {
  it("lists the open cohorts with the seats left, and nominates to the one picked", async () => {
    const c = await setup();
    const coordinator = await c.as("aneby");
    expect(await cohortsOpenTo(coordinator, c.aneby[0], TODAY)).toEqual([
      { id: c.cohortId, name: "Omgång 1", programmeName: "Ledarutveckling", startsOn: "2027-01-12", free: 2, nextInLine: 1 },
    ]);
    const placed = ok(await nominateToCohort(coordinator, c.aneby[0], checked({ cohortId: c.cohortId }), TODAY));
    expect(placed).toMatchObject({ participantId: c.aneby[0], status: "nominated" });
    // Already in it: the cohort is no longer offered.
    expect(await cohortsOpenTo(coordinator, c.aneby[0], TODAY)).toEqual([]);
    // Another coordinator sees no cohorts for someone else's participant.
    expect(await cohortsOpenTo(await c.as("eksjo"), c.aneby[1], TODAY)).toEqual([]);
  });

  it("a cohort without seats for the municipality, or another municipality's participant: 404 and nothing written", async () => {
    const c = await setup();
    const hogsbyPerson = await c.person(c.municipalities.hogsby);
    await expectResponse(nominateToCohort(await c.as("hogsby"), hogsbyPerson, checked({ cohortId: c.cohortId }), TODAY), 404);
    await expectResponse(nominateToCohort(await c.as("eksjo"), c.aneby[0], checked({ cohortId: c.cohortId }), TODAY), 404);
    await expectResponse(nominateToCohort(await c.as("aneby"), c.aneby[0], checked({ cohortId: 999_999 }), TODAY), 404);
    expect(await enrolmentsOf(c)).toEqual([]);
  });
});
