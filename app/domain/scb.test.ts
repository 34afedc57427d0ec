import { describe, expect, it } from "vitest";
import { SCB_EXPORT_HEADER, scbExportCells } from "~/ui/scb";
import { parseCsv, toCsv } from "~/utils/csv.server";
import { xlsxTable } from "~/utils/xlsx.server";
import { createCohort, createEnrolment, createMunicipality, createParticipant, createProgramme, createUser } from "../../db/seed/factories";
import { ctxFor, expectResponse } from "../../tests/support/coordination";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { personnummerFor } from "../../db/seed/people";
import { demoDb, emptyDb } from "../../tests/support/db";
import { parsePersonnummer } from "./personnummer";
import type { Ctx } from "./context.server";
import { checked, type Result } from "./result";
import { exportScbMonth, getScbMonth, markScbMonthReported } from "./scb.server";

const TODAY = "2026-11-26";

/** The value of a domain result; a refusal fails the test with its message. */
async function valueOf<T>(result: Promise<Result<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new Error(r.message ?? `refused with ${r.status}`);
  return r.value;
}

/** The file the download routes make of the month's list. */
async function scbFile(ctx: Ctx, input: { programmeId: number; month: string }, format: "csv" | "xlsx") {
  const file = await valueOf(exportScbMonth(ctx, input, format, TODAY));
  const cells = scbExportCells(file);
  return { body: format === "csv" ? toCsv(SCB_EXPORT_HEADER, cells) : await xlsxTable(file.month, SCB_EXPORT_HEADER, cells) };
}
const PNR = personnummerFor(1980, 0);

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
    bo: await person(A, "Bo", "dropped", "2026-08-03", "2026-10-12", personnummerFor(1985, 1)),
    cilla: await person(B, "Cilla", "active", "2026-08-03", undefined, personnummerFor(1990, 2)),
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
    const august = await valueOf(getScbMonth(w.lead, { programmeId: w.P, month: "2026-08" }, TODAY));
    expect(august.rows.map((r) => `${r.firstName} ${r.municipalityName} ${r.personnummer}`)).toEqual([
      "Anna Aby 19800101-****",
      "Bo Aby 19850202-****",
      "Cilla Bby 19900303-****",
    ]);
    expect(august.months.find((m) => m.month === "2026-08")).toMatchObject({ started: 3, ended: 0, reportedAt: null });
    expect(august.months.find((m) => m.month === "2026-10")).toMatchObject({ started: 0, ended: 1 });

    const { body } = await scbFile(w.lead, { programmeId: w.P, month: "2026-08" }, "csv");
    const csv = await parseCsv(body as string);
    if (!csv.ok) throw new Error(csv.message);
    expect(csv.rows[0].values).toMatchObject({
      "ESF-projektnummer": "ESF-TEST-1",
      Personnummer: PNR,
      Förnamn: "Anna",
      Efternamn: "Testsson",
      Startdatum: "2026-08-03",
      Slutdatum: "",
      "Händelse i månaden": "Började",
    });
    const october = await scbFile(w.lead, { programmeId: w.P, month: "2026-10" }, "csv");
    expect(october.body).toContain("Bo;Testsson;Aby;Omgång 1;2026-08-03;2026-10-12;Avbruten;Slutade");
    const audit = await w.db.selectFrom("audit_log").select("detail").where("action", "=", "scb.exported").execute();
    expect(audit).toHaveLength(2);
    expect(audit.map((a) => a.detail).join()).not.toMatch(/Anna|1980/);
  });

  it("gives a coordinator their own municipality's share only, and a funder nothing", async () => {
    const w = await world();
    const own = await valueOf(getScbMonth(w.coordinatorA, { programmeId: w.P, month: "2026-08" }, TODAY));
    expect(own.municipalityName).toBe("Aby");
    expect(own.rows.map((r) => r.firstName)).toEqual(["Anna", "Bo"]);
    await expectResponse(getScbMonth(w.funder, { programmeId: w.P }, TODAY), 403);
    await expectResponse(exportScbMonth(w.funder, { programmeId: w.P, month: "2026-08" }, "csv", TODAY), 403);
    expect(await getScbMonth(w.lead, { programmeId: w.P, month: "2027-01" }, TODAY)).toMatchObject({ ok: false, status: 400 });
  });

  it("flags every later reported month when an earlier one is corrected", async () => {
    const w = await world();
    for (const month of ["2026-08", "2026-09", "2026-10"]) {
      expect(await markScbMonthReported(w.lead, checked({ programmeId: w.P, month }), TODAY)).toMatchObject({ ok: true, value: { corrected: false, flagged: 0 } });
    }
    await markScbMonthReported(w.coordinatorA, checked({ programmeId: w.P, month: "2026-10" }), TODAY);

    // Bo's start date was wrong: August's list changes after it was reported.
    await w.db.updateTable("enrolments").set({ started_on: "2026-08-10" }).where("id", "=", w.e.bo).execute();
    const changed = await valueOf(getScbMonth(w.lead, { programmeId: w.P, month: "2026-08" }, TODAY));
    expect(changed.changedSinceReport).toBe(true);

    // The correction flags the programme's September and October, and Aby's October too.
    expect(await markScbMonthReported(w.lead, checked({ programmeId: w.P, month: "2026-08" }), TODAY)).toMatchObject({ ok: true, value: { corrected: true, flagged: 3 } });
    const after = await valueOf(getScbMonth(w.lead, { programmeId: w.P, month: "2026-08" }, TODAY));
    expect(after.changedSinceReport).toBe(false);
    expect(after.current.correctedAt).not.toBeNull();
    const status = (m: string) => after.months.find((x) => x.month === m)!.needsRereport;
    expect([status("2026-08"), status("2026-09"), status("2026-10")]).toEqual([false, true, true]);

    // Re-reporting September clears its flag and flags October again, which was already flagged.
    await markScbMonthReported(w.lead, checked({ programmeId: w.P, month: "2026-09" }), TODAY);
    const september = await valueOf(getScbMonth(w.lead, { programmeId: w.P, month: "2026-09" }, TODAY));
    expect(september.current.needsRereport).toBe(false);
    const actions = await w.db.selectFrom("audit_log").select("action").where("action", "like", "scb.%").orderBy("id").execute();
    expect(actions.map((a) => a.action)).toEqual(["scb.reported", "scb.reported", "scb.reported", "scb.reported", "scb.corrected", "scb.corrected"]);
  });
});

describe("the SCB file as SCB reads it (issue 14, item 5)", () => {
  const REQUIRED = ["ESF-projektnummer", "Personnummer", "Förnamn", "Efternamn", "Startdatum", "Slutdatum", "Händelse i månaden"];

  /** Every row has every required field, and a personnummer SCB can use: 12 digits, valid. */
  function assertReadable(rows: Record<string, string>[]) {
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      for (const column of REQUIRED.filter((c) => c !== "Slutdatum")) expect(row[column], column).toMatch(/\S/);
      expect(row.Personnummer).toMatch(/^\d{12}$/);
      expect(parsePersonnummer(row.Personnummer, new Date(2026, 10, 26))).toMatchObject({ ok: true, value: row.Personnummer });
    }
  }

  it("SCB monthly file: the CSV and the XLSX have no row without a personnummer, in the 12-digit form", async () => {
    const w = await world();
    const csv = await scbFile(w.lead, { programmeId: w.P, month: "2026-08" }, "csv");
    const records = parse((csv.body as string).replace(/^\uFEFF/, ""), { columns: true, delimiter: ";" }) as Record<string, string>[];
    expect(Object.keys(records[0])).toEqual(expect.arrayContaining(REQUIRED));
    assertReadable(records);
    expect(records.map((r) => r.Förnamn)).toEqual(["Anna", "Bo", "Cilla"]);

    const xlsx = await scbFile(w.lead, { programmeId: w.P, month: "2026-08" }, "xlsx");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    const rows: Record<string, string>[] = [];
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const values = (row.values as unknown[]).slice(1);
      rows.push(Object.fromEntries(header.map((h, i) => [h, values[i] == null ? "" : String(values[i])])));
    });
    assertReadable(rows);
    // A text cell, not a number that Excel would show as 1,98E+11.
    expect(typeof sheet.getRow(2).getCell(2).value).toBe("string");
  });

  it("SCB monthly file: a row without a personnummer is listed on the page and blocks the download and \"Markera som rapporterad\"", async () => {
    const w = await world();
    await w.db.deleteFrom("participant_identities").where("personnummer", "=", personnummerFor(1985, 1)).execute();
    expect(await markScbMonthReported(w.coordinatorA, checked({ programmeId: w.P, month: "2026-08" }), TODAY)).toMatchObject({ ok: false, status: 400 });
    expect(await exportScbMonth(w.lead, { programmeId: w.P, month: "2026-08" }, "csv", TODAY)).toMatchObject({ ok: false, status: 400 });
    expect(await w.db.selectFrom("scb_reports").select("id").execute()).toEqual([]);
    const page = await valueOf(getScbMonth(w.coordinatorA, { programmeId: w.P, month: "2026-08" }, TODAY));
    expect(page.missingPersonnummer.map((r) => `${r.firstName} ${r.lastName}`)).toEqual(["Bo Testsson"]);
    expect(page.canFixRows).toBe(true);
    // The programme lead sees the rows too, but only Aby's coordinator can open Bo to fix him.
    expect((await valueOf(getScbMonth(w.lead, { programmeId: w.P, month: "2026-08" }, TODAY))).canFixRows).toBe(false);
  });

  it("SCB monthly file: every demo participant has a personnummer in Skatteverket's test range", async () => {
    const { db } = await demoDb();
    const people = await db
      .selectFrom("participants as p")
      .leftJoin("participant_identities as pi", "pi.participant_id", "p.id")
      .select(["p.id", "pi.personnummer"])
      .execute();
    expect(people.length).toBeGreaterThan(80);
    for (const p of people) {
      expect(p.personnummer, `participant ${p.id}`).toMatch(/^\d{8}9[89]\d{2}$/);
      expect(parsePersonnummer(p.personnummer!, new Date(2026, 10, 26)).ok).toBe(true);
    }
  });
});
