/**
 * The breakdowns of the statistics: participants by municipality, gender, age
 * band and education (participants = active + completed + dropped), and the
 * outcomes after leaving.
 *
 * For a funder or programme lead they always cover the whole programme, every
 * cohort, up to today, whatever cohort or period the page shows (ADR 017):
 * two selections that differ by a few people would otherwise give those
 * people away by subtraction, and no protection of single tables prevents
 * that. They are protected against an outsider and against each
 * municipality's coordinator, who knows their own people
 * (suppression.server.ts). A coordinator's own view follows the selection and
 * is exact.
 *
 * Each table is counted once per municipality in SQLite, so that both the
 * table and what each coordinator knows of it come from the same rows.
 */
import { sql, type Expression } from "kysely";
import type { Db } from "~/db/connection.server";
import type { Gender } from "~/db/schema";
import { EDUCATION_LEVELS, GENDERS } from "~/schemas/participants";
import { OUTCOME_CHECKPOINTS, OUTCOME_RESULTS } from "~/schemas/statistics";
import type { StatCell, StatTableData, StatusMeasure } from "../statistics.server";
import { protectTable, type CountTable, type Insider, type TableProtection } from "../suppression.server";
import { AGE_BANDS, AGE_EXPRESSION, population, statusColumns, type ResolvedScope } from "./statistics-population.server";

export interface Breakdowns {
  /** The day a protected breakdown runs to; null when it follows the selection. */
  asOf: string | null;
  tables: StatTableData[];
}

/** A row of a breakdown: an enum value, or a municipality's id with its name. */
interface Category {
  key: string;
  name?: string;
}

const STATUS_MEASURES: StatusMeasure[] = ["total", "active", "completed", "dropped"];

/** Per municipality and category: [active, completed, dropped]. */
type Counts = Map<number, Map<string, number[]>>;

async function countsBy(db: Db, s: ResolvedScope, category: Expression<string | number | null>): Promise<Counts> {
  const rows = await population(db, s)
    .select(["e.municipality_id", sql<string | number>`${category}`.as("category"), ...statusColumns(s)])
    .groupBy(["e.municipality_id", sql`category`])
    .execute();
  const counts: Counts = new Map();
  for (const r of rows) {
    const perCategory = counts.get(r.municipality_id) ?? new Map<string, number[]>();
    perCategory.set(String(r.category), [Number(r.active), Number(r.completed), Number(r.dropped)]);
    counts.set(r.municipality_id, perCategory);
  }
  return counts;
}

/** Per municipality, checkpoint and result: how many leavers of the period got that result. */
async function outcomesBy(db: Db, s: ResolvedScope) {
  let q = db
    .selectFrom("outcomes as o")
    .innerJoin("enrolments as e", "e.id", "o.enrolment_id")
    .innerJoin("cohorts as c", "c.id", "e.cohort_id")
    .where("c.programme_id", "=", s.programmeId)
    .where("e.status", "in", ["completed", "dropped"])
    .where("e.started_on", "is not", null)
    .where("e.ended_on", ">=", s.from)
    .where("e.ended_on", "<=", s.to);
  if (s.cohortId) q = q.where("e.cohort_id", "=", s.cohortId);
  if (s.municipalityIds) q = q.where("e.municipality_id", "in", s.municipalityIds);
  const rows = await q
    .select(["e.municipality_id", "o.checkpoint", "o.result", sql<number>`count(*)`.as("n")])
    .groupBy(["e.municipality_id", "o.checkpoint", "o.result"])
    .execute();
  const counts = new Map<number, Map<string, number>>();
  for (const r of rows) {
    const perMunicipality = counts.get(r.municipality_id) ?? new Map<string, number>();
    perMunicipality.set(`${r.checkpoint}|${r.result}`, Number(r.n));
    counts.set(r.municipality_id, perMunicipality);
  }
  return counts;
}

const sumRows = (tables: number[][][], rows: number, cols: number) =>
  Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => tables.reduce((sum, t) => sum + t[r][c], 0)));

const shownCell = (value: number): StatCell => ({ value, hidden: false });
const hiddenCell: StatCell = { value: null, hidden: true };

function statusTable(
  key: StatTableData["key"],
  categories: Category[],
  table: CountTable,
  protection: TableProtection | null,
  toDate: boolean,
): StatTableData {
  const margin = (r: number) => table.values[r].reduce((a, b) => a + b, 0);
  const columnTotal = (c: number) => table.values.reduce((sum, row) => sum + row[c], 0);
  return {
    key,
    columns: STATUS_MEASURES.map((m) => ({ key: m, unit: "count" as const })),
    rows: categories.map((category, r) => ({
      ...category,
      cells: [
        protection?.margins[r] ? hiddenCell : shownCell(margin(r)),
        ...table.values[r].map((v, c) => (protection?.cells[r][c] ? hiddenCell : shownCell(v))),
      ],
    })),
    total: [shownCell(table.values.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0)), ...[0, 1, 2].map((c) => shownCell(columnTotal(c)))],
    protectedCounts: protection !== null,
    basis: toDate ? "programme" : "selection",
  };
}

/**
 * The breakdown tables of a scope. `protect`: hide small numbers as a funder
 * must see them (the scope is then the whole programme up to today).
 */
export async function computeBreakdowns(db: Db, s: ResolvedScope, municipalities: Category[], protect: boolean): Promise<Breakdowns> {
  const byGender = await countsBy(db, s, sql<Gender>`p.gender`);
  const byAge = await countsBy(db, s, AGE_EXPRESSION);
  const byEducation = await countsBy(db, s, sql<string>`coalesce(p.education_level, 'unknown')`);
  const outcomes = await outcomesBy(db, s);
  const present = [...byGender.keys()].sort((a, b) => a - b);

  const matrix = (counts: Counts, municipalityId: number, categories: Category[]) =>
    categories.map((c) => counts.get(municipalityId)?.get(c.key) ?? [0, 0, 0]);
  const attributeTable = (counts: Counts, categories: Category[]): CountTable => {
    const own = present.map((m) => matrix(counts, m, categories));
    return {
      values: sumRows(own, categories.length, 3),
      margins: "protected",
      insiders: own.map((counts) => ({ counts })),
    };
  };

  const genders = GENDERS.map((key) => ({ key }));
  const ages = AGE_BANDS.map((key) => ({ key }));
  const educations = [...EDUCATION_LEVELS, "unknown"].map((key) => ({ key }));
  const municipalityValues = municipalities.map((m) => {
    const perCategory = byGender.get(Number(m.key));
    return [0, 1, 2].map((c) => [...(perCategory?.values() ?? [])].reduce((sum, counts) => sum + counts[c], 0));
  });
  const municipalityTable: CountTable = {
    values: municipalityValues,
    margins: "public",
    sensitiveColumns: [false, true, true],
    insiders: municipalities.flatMap((m, row) => (present.includes(Number(m.key)) ? [{ ownRow: row }] : [])),
  };

  const outcomeRows = [...OUTCOME_RESULTS, "not_recorded"] as const;
  const outcomeMatrix = (municipalityId: number): number[][] => {
    const leavers = [...(byGender.get(municipalityId)?.values() ?? [])].reduce((sum, counts) => sum + counts[1] + counts[2], 0);
    const count = (checkpoint: string, result: string) => outcomes.get(municipalityId)?.get(`${checkpoint}|${result}`) ?? 0;
    return outcomeRows.map((result) =>
      OUTCOME_CHECKPOINTS.map((checkpoint) =>
        result === "not_recorded" ? leavers - OUTCOME_RESULTS.reduce((sum, r) => sum + count(checkpoint, r), 0) : count(checkpoint, result),
      ),
    );
  };
  const ownOutcomes = present.map(outcomeMatrix);
  const outcomeTable: CountTable = {
    values: sumRows(ownOutcomes, outcomeRows.length, OUTCOME_CHECKPOINTS.length),
    margins: "none",
    insiders: ownOutcomes.map((counts): Insider => ({ counts })),
  };

  const tables = {
    municipality: municipalityTable,
    gender: attributeTable(byGender, genders),
    age: attributeTable(byAge, ages),
    education: attributeTable(byEducation, educations),
    outcomes: outcomeTable,
  };
  const protection = async (t: CountTable) => (protect ? protectTable(t) : null);
  const outcomesProtection = await protection(tables.outcomes);
  const leavers = tables.outcomes.values.reduce((sum, row) => sum + row[0], 0);

  return {
    asOf: protect ? s.to : null,
    tables: [
      statusTable("municipality", municipalities, tables.municipality, await protection(tables.municipality), protect),
      statusTable("gender", genders, tables.gender, await protection(tables.gender), protect),
      statusTable("age", ages, tables.age, await protection(tables.age), protect),
      statusTable("education", educations, tables.education, await protection(tables.education), protect),
      {
        key: "outcomes",
        columns: OUTCOME_CHECKPOINTS.map((c) => ({ key: c, unit: "count" as const })),
        rows: outcomeRows.map((r, i) => ({
          key: r,
          cells: tables.outcomes.values[i].map((v, c) => (outcomesProtection?.cells[i][c] ? hiddenCell : shownCell(v))),
        })),
        total: OUTCOME_CHECKPOINTS.map(() => shownCell(leavers)),
        protectedCounts: protect,
        basis: protect ? "programme" : "selection",
      },
    ],
  };
}
