/**
 * The small-number findings of issues 13 and 14, replayed on the demo data as
 * the demo funder, and random programmes attacked through the same path a
 * funder's page takes (getStatistics). The attacker is the LP attacker of the
 * tests (tests/support/lp-attacker.ts) and, for the outcome case, one that
 * also knows the protection rule and tries every other set of results.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Db } from "~/db/connection.server";
import type { EducationLevel, Gender, OutcomeResult } from "~/db/schema";
import { parseStatisticsQuery } from "~/schemas/statistics";
import { addDaysToDate } from "~/utils/time";
import { createCohort, createEnrolment, createMunicipality, createOutcome, createParticipant, createProgramme, createUser } from "../../db/seed/factories";
import { ctxFor } from "../../tests/support/coordination";
import { demoDb, DEMO_TODAY, emptyDb } from "../../tests/support/db";
import { attackTable, type TrueTable } from "../../tests/support/disclosure-check";
import type { PublishedTable } from "../../tests/support/lp-attacker";
import { getStatistics } from "../../tests/support/statistics";
import type { StatisticsReport, StatTable } from "~/ui/statistics-report";

const RESULTS: OutcomeResult[] = ["same_role", "new_role", "became_manager", "studying", "left_municipality", "unknown"];

async function demo() {
  const { db } = await demoDb();
  const user = async (email: string) => ctxFor(db, (await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id);
  return { db, funder: await user("finansiar@programportalen.test") };
}

const tableOf = (r: StatisticsReport, key: string) => r.tables.find((t) => t.key === key);
const column = (t: StatTable, label: string) => t.columns.findIndex((c) => c.label === label);
/** What a funder reads: the text of every row's cells. */
const readout = (t: StatTable | undefined) => JSON.stringify(t?.rows.map((row) => [row.key, row.cells.map((c) => c.text)]));

/** The ESF programme's people up to today, per municipality: [active, completed, dropped]. */
async function statusPerMunicipality(db: Db, programmeId: number) {
  const rows = await db
    .selectFrom("enrolments as e")
    .innerJoin("cohorts as c", "c.id", "e.cohort_id")
    .select(["e.municipality_id", "e.status", "e.ended_on"])
    .where("c.programme_id", "=", programmeId)
    .where("e.status", "in", ["active", "completed", "dropped"])
    .where("e.started_on", "<=", DEMO_TODAY)
    .execute();
  const counts = new Map<number, number[]>();
  for (const r of rows) {
    const c = counts.get(r.municipality_id) ?? [0, 0, 0];
    const left = r.status !== "active" && r.ended_on! <= DEMO_TODAY;
    c[left ? (r.status === "completed" ? 1 : 2) : 0]++;
    counts.set(r.municipality_id, c);
  }
  return counts;
}

describe("small numbers on the demo funder's statistics", () => {
  it("issue 13 finding 6: two date filters a day apart do not difference the three drop-outs down to gender and age band", async () => {
    const { db, funder } = await demo();
    const dropped = await db.selectFrom("enrolments").select("ended_on").where("status", "=", "dropped").execute();
    expect(dropped.length).toBe(3);
    const day = dropped[0].ended_on!;
    const asFunder = (fran: string) => getStatistics(funder, parseStatisticsQuery(new URL(`http://portal/statistik?fran=${fran}`)).filter, DEMO_TODAY);
    const before = await asFunder(day);
    const after = await asFunder(addDaysToDate(day, 1));
    for (const key of ["gender", "age", "education", "municipality", "outcomes"]) {
      const a = tableOf(before, key)!;
      const b = tableOf(after, key)!;
      a.rows.forEach((row, r) =>
        row.cells.forEach((cell, c) => {
          const other = b.rows[r].cells[c];
          if (cell.value === null || other.value === null) return;
          const difference = Math.abs(cell.value - other.value);
          // A difference of 1-4 people between two selections is a small count anyone can read off.
          expect(difference === 0 || difference > 4, `${key} ${row.label} ${a.columns[c].label}: ${cell.value} vs ${other.value}`).toBe(true);
        }),
      );
    }
    await db.destroy();
  });

  it("issue 14: the per-municipality table shows no exact small count of drop-outs, and no coordinator can work one out", async () => {
    const { db, funder } = await demo();
    const report = await getStatistics(funder, {}, DEMO_TODAY);
    const municipalities = tableOf(report, "municipality")!;
    for (const label of ["Avslutade", "Avbrutna"]) {
      const c = column(municipalities, label);
      for (const row of municipalities.rows) {
        const value = row.cells[c].value;
        expect(value === null || value === 0 || value > 4, `${row.label}: ${label} ${value}`).toBe(true);
      }
    }
    // The LP attacker, as an outsider and as each municipality's coordinator (who knows their own row).
    const truth = await statusPerMunicipality(db, report.programme.id);
    const values = municipalities.rows.map((row) => truth.get(Number(row.key)) ?? [0, 0, 0]);
    const table: TrueTable = {
      values,
      margins: "public",
      sensitiveColumns: [false, true, true],
      insiders: values.map((_, i) => ({ counts: values.map((v, r) => (r === i ? v : [0, 0, 0])), ownRow: i })),
    };
    const published: PublishedTable = {
      cells: municipalities.rows.map((row) => row.cells.slice(1).map((c) => c.value)),
      rowTotals: municipalities.rows.map((row) => row.cells[0].value),
      columnTotals: municipalities.total!.cells.slice(1).map((c) => c.value!),
    };
    expect(published.columnTotals[2]).toBe(3);
    expect((await attackTable(table, published, "per kommun")).leaks).toEqual([]);
    await db.destroy();
  });

  it("issue 14: 'Utfall efter avslut / Efter 4 veckor' does not pin the three leavers' results, even for an attacker who knows the rule", async () => {
    const { db, funder } = await demo();
    const report = await getStatistics(funder, {}, DEMO_TODAY);
    const outcomes = tableOf(report, "outcomes")!;
    const fourWeeks = column(outcomes, "Efter 4 veckor");
    expect(outcomes.total!.cells[fourWeeks].value).toBe(3);
    const leavers = await db.selectFrom("enrolments").select("id").where("status", "in", ["completed", "dropped"]).orderBy("id").execute();
    expect(leavers.length).toBe(3);

    // Every way the three could have answered at 4 weeks (a result each, or not yet followed up):
    // the attacker keeps those that the portal would have published exactly as it did.
    const tried = new Set<string>();
    const consistent: number[][] = [];
    for (const a of [null, ...RESULTS]) {
      for (const b of [null, ...RESULTS]) {
        for (const c of [null, ...RESULTS]) {
          const answers = [a, b, c];
          const rows = [...RESULTS, null].map((result) => answers.filter((x) => x === result).length);
          if (tried.has(rows.join())) continue;
          tried.add(rows.join());
          await db.deleteFrom("outcomes").where("checkpoint", "=", "4_weeks").execute();
          for (const [i, result] of answers.entries()) if (result) await createOutcome(db, { enrolmentId: leavers[i].id, checkpoint: "4_weeks", result });
          const alternative = tableOf(await getStatistics(funder, {}, DEMO_TODAY), "outcomes");
          if (readout(alternative) === readout(outcomes)) consistent.push(rows);
        }
      }
    }
    expect(tried.size).toBe(84);
    expect(consistent.length).toBeGreaterThan(0);
    outcomes.rows.forEach((row, r) => {
      if (row.cells[fourWeeks].value !== null) return;
      const possible = new Set(consistent.map((rows) => rows[r]));
      // Hidden: the attacker cannot tell how many are in it, nor even that anyone is.
      expect(possible.size, `${row.label}: ${[...possible]}`).toBeGreaterThan(1);
      expect(possible.has(0), row.label).toBe(true);
    });
    await db.destroy();
  }, 60_000);
});

// ---------------------------------------------------------------- random programmes

interface Person {
  municipality: number;
  cohort: number;
  gender: Gender;
  ageBand: number;
  education: EducationLevel | null;
  status: "active" | "completed" | "dropped";
  startMonth: number;
  result4: OutcomeResult | null;
}

const GENDERS: Gender[] = ["kvinna", "man", "icke_binar", "vill_ej_uppge"];
const EDUCATIONS: (EducationLevel | null)[] = ["isced_0_2", "isced_3_4", "isced_5_8", null];
const BIRTH_YEARS = [2010, 2000, 1980, 1960]; // started in 2026: under 18, 18-29, 30-54, 55 and over

const person = fc.record({
  municipality: fc.nat({ max: 3 }),
  cohort: fc.nat({ max: 1 }),
  gender: fc.constantFrom(...GENDERS, "kvinna", "man", "kvinna"),
  ageBand: fc.nat({ max: 3 }),
  education: fc.constantFrom(...EDUCATIONS),
  status: fc.constantFrom("active", "active", "completed", "dropped"),
  startMonth: fc.integer({ min: 1, max: 6 }),
  result4: fc.option(fc.constantFrom(...RESULTS), { nil: null }),
}) as fc.Arbitrary<Person>;

async function randomProgramme(people: Person[]) {
  const db = await emptyDb();
  const municipalities = [];
  for (let m = 0; m < 4; m++) municipalities.push(await createMunicipality(db, { name: `Kommun ${m}` }));
  const programmeId = await createProgramme(db, { name: "P", ownerMunicipalityId: municipalities[0], partnerMunicipalityIds: municipalities, startsOn: "2026-01-01", endsOn: "2027-12-31" });
  const seats = Object.fromEntries(municipalities.map((m) => [m, 100]));
  const cohorts = [
    await createCohort(db, { programmeId, name: "Omgång 1", startsOn: "2026-01-01", endsOn: "2026-12-31", seats }),
    await createCohort(db, { programmeId, name: "Omgång 2", startsOn: "2026-03-01", endsOn: "2027-03-31", seats }),
  ];
  for (const [i, p] of people.entries()) {
    const participantId = await createParticipant(db, {
      municipalityId: municipalities[p.municipality],
      firstName: `F${i}`,
      lastName: `E${i}`,
      gender: p.gender,
      birthYear: BIRTH_YEARS[p.ageBand],
      educationLevel: p.education,
    });
    const startedOn = `2026-0${p.startMonth}-10`;
    const enrolmentId = await createEnrolment(db, {
      cohortId: cohorts[p.cohort],
      participantId,
      municipalityId: municipalities[p.municipality],
      status: p.status,
      startedOn,
      endedOn: p.status === "active" ? null : addDaysToDate(startedOn, 90),
      dropReason: p.status === "dropped" ? "Flyttade" : null,
    });
    if (p.status !== "active" && p.result4) await createOutcome(db, { enrolmentId, checkpoint: "4_weeks", result: p.result4 });
  }
  const funder = await ctxFor(db, await createUser(db, { email: "f@example.se", name: "F", grants: [{ role: "funder", programmeId }] }));
  return { db, funder, programmeId, cohorts };
}

/** The truth behind a protected table, from the generated people (not from the portal's own queries). */
function truthOf(key: string, people: Person[], today: string): TrueTable {
  const status = (p: Person) => {
    if (p.status === "active" || addDaysToDate(`2026-0${p.startMonth}-10`, 90) > today) return 0;
    return p.status === "completed" ? 1 : 2;
  };
  if (key === "outcomes") {
    const row = (p: Person) => (p.result4 ? RESULTS.indexOf(p.result4) : RESULTS.length);
    const leavers = (ps: Person[]) => ps.filter((p) => status(p) > 0);
    const count = (ps: Person[]) => Array.from({ length: RESULTS.length + 1 }, (_, r) => [leavers(ps).filter((p) => row(p) === r).length, leavers(ps).filter(() => r === RESULTS.length).length]);
    return { values: count(people), margins: "none", insiders: [0, 1, 2, 3].map((m) => ({ counts: count(people.filter((p) => p.municipality === m)), ownRow: null })) };
  }
  const categories = { municipality: 4, gender: 4, age: 4, education: 4 }[key]!;
  const categoryOf = (p: Person) =>
    key === "municipality" ? p.municipality : key === "gender" ? GENDERS.indexOf(p.gender) : key === "age" ? p.ageBand : EDUCATIONS.indexOf(p.education);
  const count = (ps: Person[]) => Array.from({ length: categories }, (_, r) => [0, 1, 2].map((s) => ps.filter((p) => categoryOf(p) === r && status(p) === s).length));
  const values = count(people);
  if (key === "municipality") {
    return { values, margins: "public", sensitiveColumns: [false, true, true], insiders: values.map((_, i) => ({ counts: values.map((v, r) => (r === i ? v : [0, 0, 0])), ownRow: i })) };
  }
  return { values, margins: "protected", insiders: [0, 1, 2, 3].map((m) => ({ counts: count(people.filter((p) => p.municipality === m)), ownRow: null })) };
}

function published(t: StatTable): PublishedTable {
  if (t.key === "outcomes") return { cells: t.rows.map((r) => r.cells.map((c) => c.value)), columnTotals: t.total!.cells.map((c) => c.value!) };
  return {
    cells: t.rows.map((r) => r.cells.slice(1).map((c) => c.value)),
    rowTotals: t.rows.map((r) => r.cells[0].value),
    columnTotals: t.total!.cells.slice(1).map((c) => c.value!),
  };
}

describe("random programmes, attacked through a funder's statistics", () => {
  it("property: no filter pair differs in a protected table, and the LP attacker finds no small count, for an outsider or any coordinator", async () => {
    const today = "2026-11-26";
    const filters = [
      {},
      { cohort: 0 },
      { cohort: 1 },
      { fromMonth: "2026-03", toMonth: "2026-04" },
      { fromMonth: "2026-04", toMonth: "2026-04" },
      { cohort: 0, fromMonth: "2026-05" },
    ];
    let attacked = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(person, { minLength: 1, maxLength: 40 }), async (people) => {
        const { db, funder, programmeId, cohorts } = await randomProgramme(people);
        const reports = [];
        for (const f of filters) {
          const cohortId = "cohort" in f && f.cohort !== undefined ? cohorts[f.cohort] : undefined;
          reports.push(await getStatistics(funder, { programmeId, cohortId, fromMonth: f.fromMonth, toMonth: f.toMonth }, today));
        }
        const protectedTables = (r: StatisticsReport) => r.tables.filter((t) => t.protectedCounts);
        expect(protectedTables(reports[0]).map((t) => t.key)).toEqual(["municipality", "gender", "age", "education", "outcomes"]);
        // Every table that splits people by municipality or a personal attribute is the same whatever the filter:
        // there is no pair of selections to subtract.
        for (const r of reports.slice(1)) expect(protectedTables(r)).toEqual(protectedTables(reports[0]));
        // What a filter does change holds no split by a personal attribute or by municipality and status.
        for (const r of reports) expect(r.tables.filter((t) => !t.protectedCounts).map((t) => t.key)).toEqual(["municipalityHours", "attendance"]);
        for (const t of protectedTables(reports[0])) {
          const findings = await attackTable(truthOf(t.key, people, today), published(t), t.key);
          expect(findings.leaks).toEqual([]);
          attacked++;
        }
        await db.destroy();
      }),
      { numRuns: Number(process.env.SDC_PROGRAMME_RUNS ?? 12), seed: 20261128 },
    );
    expect(attacked).toBeGreaterThan(0);
  }, 120_000);
});
