import type { KyselyPlugin } from "kysely";
import { describe, expect, it } from "vitest";
import { consortium, expectResponse } from "../../tests/support/coordination";
import { emptyDb } from "../../tests/support/db";
import { createCohort, getCohortWithRoster, getSeatTransfers, transferSeats, updateCohort } from "./cohorts.server";
import { nominate } from "./nominations.server";
import { checked, type Result } from "./result";

const TODAY = "2026-11-26";

async function setup() {
  return consortium(await emptyDb());
}

function ok<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`Expected success, got ${JSON.stringify(result)}`);
  return result.value;
}

const base = { name: "Omgång 2", startsOn: "2027-02-01", endsOn: "2027-12-01", capacity: 10 };

describe("cohorts and seats", () => {
  it("lets the programme lead create a cohort with seats for every partner", async () => {
    const c = await setup();
    const { id } = ok(await createCohort(await c.as("lead"), c.programmeId, checked({ ...base, seats: [{ municipalityId: c.municipalities.aneby, seats: 4 }] })));
    const { cohort: page } = await getCohortWithRoster(await c.as("lead"), id);
    expect(page.seats.map((s) => [s.municipality, s.seats, s.free])).toEqual([
      ["Aneby", 4, 4],
      ["Eksjö", 0, 0],
    ]);
    expect(page.canManage).toBe(true);
  });

  it("refuses seats for a municipality outside the programme, and cohort creation by anyone but the lead", async () => {
    const c = await setup();
    expect(
      await createCohort(await c.as("lead"), c.programmeId, checked({ ...base, seats: [{ municipalityId: c.municipalities.hogsby, seats: 1 }] })),
    ).toEqual({ ok: false, status: 400, fieldErrors: { "seats[0].seats": ["Kommunen är inte partner i programmet."] } });
    await expectResponse(createCohort(await c.as("aneby"), c.programmeId, checked({ ...base, seats: [] })), 403);
    // Coordinators never create cohorts: 403 whether or not they can see the programme.
    await expectResponse(createCohort(await c.as("hogsby"), c.programmeId, checked({ ...base, seats: [] })), 403);
    expect(await c.db.selectFrom("cohorts").select("id").execute()).toHaveLength(1);
  });

  it("counts seats per municipality: nominated, waitlisted and free", async () => {
    const c = await setup();
    const eksjo = await c.as("eksjo");
    for (let i = 0; i < 3; i++) ok(await nominate(eksjo, { cohortId: c.cohortId, participantId: await c.person(c.municipalities.eksjo) }, TODAY));
    const { cohort: page } = await getCohortWithRoster(eksjo, c.cohortId);
    expect(page.seats.find((s) => s.municipality === "Eksjö")).toMatchObject({ seats: 1, nominated: 1, waitlisted: 2, free: 0 });
    expect(page.totals).toMatchObject({ seats: 3, nominated: 1, waitlisted: 2, free: 2 });
    expect(page.nominatingMunicipalities).toEqual([{ id: c.municipalities.eksjo, name: "Eksjö", free: 0 }]);
  });

  it("gives the cohort page its cohort, roster and candidates with one look-up of the cohort", async () => {
    const c = await setup();
    const eksjo = await c.as("eksjo");
    ok(await nominate(eksjo, { cohortId: c.cohortId, participantId: await c.person(c.municipalities.eksjo) }, TODAY));
    const notYetNominated = await c.person(c.municipalities.eksjo);
    const page = await getCohortWithRoster(eksjo, c.cohortId);
    expect(page.cohort).toMatchObject({ id: c.cohortId, nominatingMunicipalities: [{ id: c.municipalities.eksjo, name: "Eksjö", free: 0 }] });
    expect(page.roster?.map((r) => r.kind)).toEqual(["full"]);
    expect(page.candidates.map((p) => p.id)).toEqual([notYetNominated]);

    let cohortLookups = 0;
    const counter: KyselyPlugin = {
      transformQuery: ({ node }) => {
        if (node.kind === "SelectQueryNode" && JSON.stringify(node.from).includes('"cohorts"')) cohortLookups++;
        return node;
      },
      transformResult: async ({ result }) => result,
    };
    await getCohortWithRoster({ ...eksjo, db: c.db.withPlugin(counter) }, c.cohortId);
    expect(cohortLookups).toBe(1);
    await expectResponse(getCohortWithRoster(await c.as("hogsby"), c.cohortId), 404);
  });

  it("moves free seats, records who moved them, and offers them to the receiving waiting list", async () => {
    const c = await setup();
    const eksjo = await c.as("eksjo");
    const ids = [];
    for (let i = 0; i < 2; i++) {
      ids.push(ok(await nominate(eksjo, { cohortId: c.cohortId, participantId: await c.person(c.municipalities.eksjo) }, TODAY)).enrolmentId);
    }
    const lead = await c.as("lead");
    expect(await transferSeats(lead, c.cohortId, checked({ fromMunicipalityId: c.municipalities.aneby, toMunicipalityId: c.municipalities.eksjo, seats: 3 }), TODAY)).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { seats: ["Aneby har bara 2 lediga platser."] },
    });
    expect(
      ok(await transferSeats(lead, c.cohortId, checked({ fromMunicipalityId: c.municipalities.aneby, toMunicipalityId: c.municipalities.eksjo, seats: 1 }), TODAY)),
    ).toEqual({ offered: 1, moved: 1 });

    const waiting = await c.db.selectFrom("enrolments").select("status").where("id", "=", ids[1]).executeTakeFirstOrThrow();
    expect(waiting.status).toBe("nominated");
    const { seats, transfers } = await getSeatTransfers(lead, c.cohortId);
    expect(seats.map((s) => [s.municipality, s.seats])).toEqual([
      ["Aneby", 1],
      ["Eksjö", 2],
    ]);
    expect(transfers).toEqual([expect.objectContaining({ from: "Aneby", to: "Eksjö", seats: 1, movedBy: "Lead" })]);
    const audit = await c.db.selectFrom("audit_log").select(["action", "detail"]).where("action", "=", "cohort.seats_moved").execute();
    expect(audit).toHaveLength(1);
    await expectResponse(transferSeats(eksjo, c.cohortId, checked({ fromMunicipalityId: c.municipalities.aneby, toMunicipalityId: c.municipalities.eksjo, seats: 1 }), TODAY), 403);
  });

  it("keeps seats in use when editing, and offers added seats to the waiting list", async () => {
    const c = await setup();
    const eksjo = await c.as("eksjo");
    const first = ok(await nominate(eksjo, { cohortId: c.cohortId, participantId: await c.person(c.municipalities.eksjo) }, TODAY));
    const second = ok(await nominate(eksjo, { cohortId: c.cohortId, participantId: await c.person(c.municipalities.eksjo) }, TODAY));
    expect(second.status).toBe("waitlisted");
    const lead = await c.as("lead");
    const values = (eksjoSeats: number) => ({
      ...base,
      name: "Omgång 1",
      capacity: 6,
      seats: [
        { municipalityId: c.municipalities.aneby, seats: 2 },
        { municipalityId: c.municipalities.eksjo, seats: eksjoSeats },
      ],
    });
    expect(await updateCohort(lead, c.cohortId, checked(values(0)), TODAY)).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { "seats[1].seats": ["Eksjö använder 1 plats. Minska inte under det."] },
    });
    ok(await updateCohort(lead, c.cohortId, checked(values(2)), TODAY));
    const statuses = await c.db.selectFrom("enrolments").select(["id", "status"]).orderBy("id").execute();
    expect(statuses).toEqual([
      { id: first.enrolmentId, status: "nominated" },
      { id: second.enrolmentId, status: "nominated" },
    ]);
    const cohort = await c.db.selectFrom("cohorts").select(["starts_on", "capacity"]).where("id", "=", c.cohortId).executeTakeFirstOrThrow();
    expect(cohort).toEqual({ starts_on: "2027-02-01", capacity: 6 });
  });
});
