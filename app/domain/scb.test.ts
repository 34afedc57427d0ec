import { describe, expect, it } from "vitest";
import { parseCsv } from "~/utils/csv.server";
import { createCohort, createEnrolment, createMunicipality, createParticipant, createProgramme, createUser } from "../../db/seed/factories";
import { ctxFor, expectResponse } from "../../tests/support/coordination";
import { emptyDb } from "../../tests/support/db";
import { exportScbMonth, getScbMonth, markScbMonthReported } from "./scb.server";

const TODAY = "2026-11-26";
const PNR = "198001019806";

async function world() {
  const db = await emptyDb();
  const A = await createMunicipality(db, { name: "Aby" });
  const B = await createMunicipality(db, { name: "Bby" });
  const P = await createProgramme(db, {
    name: "Programmet",
    ownerMunicipalityId: A,
    partnerMunicipalityIds: [B],
    esfProjectNumber: "ESF-TEST-1",
    startsOn: "2026-01-01",
    endsOn: "2027-12-31",
  });
  const K = await createCohort(db, { programmeId: P, name: "Omgång 1", startsOn: "2026-08-03", endsOn: "2027-06-30", seats: { [A]: 5, [B]: 5 } });
  const person = async (municipalityId: number, first: string, status: "active" | "dropped" | "nominated", startedOn: string | null, endedOn?: string, pnr?: string) => {
    const participantId = await createParticipant(db, { municipalityId, firstName: first, lastName: "Testsson", personnummer: pnr ?? null });
    return createEnrolment(db, { cohortId: K, participantId, municipalityId, status, startedOn, endedOn: endedOn ?? null, dropReason: status === "dropped" ? "Flytt" : null });
  };
  const e = {
    anna: await person(A, "Anna", "active", "2026-08-03", undefined, PNR),
    bo: await person(A, "Bo", "dropped", "2026-08-03", "2026-10-12"),
    cilla: await person(B, "Cilla", "active", "2026-08-03"),
    // Not started: never on an SCB list.
    dan: await person(A, "Dan", "nominated", null),
  };
  const user = async (email: string, grants: Parameters<typeof createUser>[1]["grants"]) => ctxFor(db, await createUser(db, { email, name: email, grants }));
  return {
    db,
    A,
    P,
    e,
    lead: await user("lead@example.se", [{ role: "programme_lead", programmeId: P }]),
    coordinatorA: await user("a@example.se", [{ role: "coordinator", municipalityId: A }]),
    funder: await user("f@example.se", [{ role: "funder", programmeId: P }]),
  };
}

describe("the monthly SCB list", () => {
  it("lists who started or ended in the month, masked on the page, in full in the download", async () => {
    const w = await world();
    const august = await getScbMonth(w.lead, { programmeId: w.P, month: "2026-08" }, TODAY);
    expect(august.rows.map((r) => `${r.firstName} ${r.municipalityName} ${r.personnummer}`)).toEqual([
      "Anna Aby 19800101-****",
      "Bo Aby null",
      "Cilla Bby null",
    ]);
    expect(august.months.find((m) => m.month === "2026-08")).toMatchObject({ started: 3, ended: 0, reportedAt: null });
    expect(august.months.find((m) => m.month === "2026-10")).toMatchObject({ started: 0, ended: 1 });

    const { body } = await exportScbMonth(w.lead, { programmeId: w.P, month: "2026-08" }, "csv", TODAY);
    const csv = parseCsv(body as string);
    if (!csv.ok) throw new Error(csv.message);
    expect(csv.rows[0].values).toMatchObject({
      "ESF-projektnummer": "ESF-TEST-1",
      Personnummer: "19800101-9806",
      Förnamn: "Anna",
      Efternamn: "Testsson",
      Startdatum: "2026-08-03",
      Slutdatum: "",
      "Händelse i månaden": "Började",
    });
    const october = await exportScbMonth(w.lead, { programmeId: w.P, month: "2026-10" }, "csv", TODAY);
    expect(october.body).toContain("Bo;Testsson;Aby;Omgång 1;2026-08-03;2026-10-12;Avbruten;Slutade");
    const audit = await w.db.selectFrom("audit_log").select("detail").where("action", "=", "scb.exported").execute();
    expect(audit).toHaveLength(2);
    expect(audit.map((a) => a.detail).join()).not.toMatch(/Anna|1980/);
  });

  it("gives a coordinator their own municipality's share only, and a funder nothing", async () => {
    const w = await world();
    const own = await getScbMonth(w.coordinatorA, { programmeId: w.P, month: "2026-08" }, TODAY);
    expect(own.municipalityName).toBe("Aby");
    expect(own.rows.map((r) => r.firstName)).toEqual(["Anna", "Bo"]);
    await expectResponse(getScbMonth(w.funder, { programmeId: w.P }, TODAY), 403);
    await expectResponse(exportScbMonth(w.funder, { programmeId: w.P, month: "2026-08" }, "csv", TODAY), 403);
    await expectResponse(getScbMonth(w.lead, { programmeId: w.P, month: "2027-01" }, TODAY), 400);
  });

  it("flags every later reported month when an earlier one is corrected", async () => {
    const w = await world();
    for (const month of ["2026-08", "2026-09", "2026-10"]) {
      expect(await markScbMonthReported(w.lead, { programmeId: w.P, month }, TODAY)).toEqual({ corrected: false, flagged: 0 });
    }
    await markScbMonthReported(w.coordinatorA, { programmeId: w.P, month: "2026-10" }, TODAY);

    // Bo's start date was wrong: August's list changes after it was reported.
    await w.db.updateTable("enrolments").set({ started_on: "2026-08-10" }).where("id", "=", w.e.bo).execute();
    const changed = await getScbMonth(w.lead, { programmeId: w.P, month: "2026-08" }, TODAY);
    expect(changed.changedSinceReport).toBe(true);

    // The correction flags the programme's September and October, and Aby's October too.
    expect(await markScbMonthReported(w.lead, { programmeId: w.P, month: "2026-08" }, TODAY)).toEqual({ corrected: true, flagged: 3 });
    const after = await getScbMonth(w.lead, { programmeId: w.P, month: "2026-08" }, TODAY);
    expect(after.changedSinceReport).toBe(false);
    expect(after.current.correctedAt).not.toBeNull();
    const status = (m: string) => after.months.find((x) => x.month === m)!.needsRereport;
    expect([status("2026-08"), status("2026-09"), status("2026-10")]).toEqual([false, true, true]);

    // Re-reporting September clears its flag and flags October again, which was already flagged.
    await markScbMonthReported(w.lead, { programmeId: w.P, month: "2026-09" }, TODAY);
    const september = await getScbMonth(w.lead, { programmeId: w.P, month: "2026-09" }, TODAY);
    expect(september.current.needsRereport).toBe(false);
    const actions = await w.db.selectFrom("audit_log").select("action").where("action", "like", "scb.%").orderBy("id").execute();
    expect(actions.map((a) => a.action)).toEqual(["scb.reported", "scb.reported", "scb.reported", "scb.reported", "scb.corrected", "scb.corrected"]);
  });
});
