/**
 * Participation statistics (Statistik) for funders, programme leads and
 * coordinators: one programme, optionally one cohort and a period.
 *
 * Everything is counted by SQLite (COUNT, SUM, GROUP BY over indexed
 * columns); JavaScript only arranges the few aggregate rows that come back.
 * A funder or programme lead sees the whole programme with small numbers
 * protected (see suppression.ts); a coordinator sees only their own
 * municipality's share, in exact numbers, since they may read those
 * participants' details anyway. Nothing here ever returns a single person.
 */
import { sql, type Expression, type SqlBool } from "kysely";
import type { Db } from "~/db/connection.server";
import type { EducationLevel, Gender, OutcomeCheckpoint, OutcomeResult } from "~/db/schema";
import { educationLabels, genderLabels } from "~/ui/labels";
import {
  ageBandLabels,
  countMeasureLabels,
  figureDefinitions,
  notRecordedLabel,
  OUTCOME_CHECKPOINTS,
  OUTCOME_RESULTS,
  outcomeCheckpointLabels,
  outcomeResultLabels,
  tableDefinitions,
  unknownEducationLabel,
  type AgeBand,
  type CountMeasure,
} from "~/ui/statistics";
import { formatKronor } from "~/utils/hours";
import { formatMonth, stockholmToday } from "~/utils/format";
import { addDaysToDate, stockholmToUtcIso } from "~/utils/time";
import { badRequest, can, coordinatedMunicipalityIds, denied, fundedProgrammeIds, ledProgrammeIds, notFound, requireGrant, type Ctx } from "./context.server";
import { hiddenText, suppressGrid } from "./suppression";

export type StatUnit = "count" | "percent" | "hours" | "kronor";

/** A number as shown: `value` is null when it is hidden, and then the true value is not sent anywhere. */
export interface StatCell {
  value: number | null;
  text: string;
}

export interface StatColumn {
  key: string;
  label: string;
  unit: StatUnit;
}

export interface StatTable {
  key: "municipality" | "municipalityHours" | "gender" | "age" | "education" | "attendance" | "outcomes";
  title: string;
  definition: string;
  rowHeader: string;
  columns: StatColumn[];
  rows: { key: string; label: string; cells: StatCell[] }[];
  total: { label: string; cells: StatCell[] } | null;
  /** Small numbers in this table are protected. */
  protectedCounts: boolean;
}

export interface StatFigure {
  key: keyof typeof figureDefinitions;
  label: string;
  unit: StatUnit;
  value: number | null;
  text: string;
  definition: string;
}

export interface StatisticsFilter {
  programmeId?: number;
  cohortId?: number;
  /** YYYY-MM-DD, inclusive; none means from the start. */
  from?: string;
  /** YYYY-MM-DD, inclusive; none means today. */
  to?: string;
}

export interface StatisticsReport {
  programmes: { id: number; name: string }[];
  programme: { id: number; name: string; esfProjectNumber: string | null };
  cohorts: { id: number; name: string }[];
  cohortId: number | null;
  cohortName: string | null;
  from: string | null;
  to: string;
  scope: "programme" | "municipality";
  /** The coordinator's municipalities when scope is "municipality". */
  municipalityNames: string[];
  protectedCounts: boolean;
  figures: StatFigure[];
  tables: StatTable[];
}

const EARLIEST = "0000-01-01";
const COUNT_MEASURES: CountMeasure[] = ["total", "started", "active", "completed", "dropped"];
// total = active + completed + dropped, row by row: a relation the protection must respect.
const PARTS = [2, 3, 4];
const PARTS_TOTAL = 0;

interface ResolvedScope {
  programmeId: number;
  cohortId: number | null;
  from: string;
  to: string;
  /** null: the whole programme. */
  municipalityIds: number[] | null;
  protect: boolean;
}

// ---------------------------------------------------------------- scope

/** The programmes the caller may see statistics for, and how: whole programme or own municipality. */
export async function statisticsProgrammes(ctx: Ctx): Promise<{ id: number; name: string }[]> {
  const direct = [...new Set([...fundedProgrammeIds(ctx), ...ledProgrammeIds(ctx)])];
  const municipalities = coordinatedMunicipalityIds(ctx);
  if (!direct.length && !municipalities.length) return [];
  return ctx.db
    .selectFrom("programmes as p")
    .select(["p.id", "p.name"])
    .where((eb) =>
      eb.or([
        ...(direct.length ? [eb("p.id", "in", direct)] : []),
        ...(municipalities.length
          ? [eb("p.id", "in", eb.selectFrom("programme_partners").select("programme_id").where("municipality_id", "in", municipalities))]
          : []),
      ]),
    )
    .orderBy("p.name")
    .execute();
}

async function resolveScope(ctx: Ctx, filter: StatisticsFilter, today: string) {
  const programmes = await statisticsProgrammes(ctx);
  if (!programmes.length) await denied(ctx, "statistics:read");
  const programmeId = filter.programmeId ?? programmes[0].id;
  const programme = await ctx.db
    .selectFrom("programmes")
    .select(["id", "name", "esf_project_number"])
    .where("id", "=", programmeId)
    .executeTakeFirst();
  if (!programme) throw notFound();

  let municipalityIds: number[] | null = null;
  if (!can(ctx, "statistics:read", { programmeId })) {
    const partners = await ctx.db
      .selectFrom("programme_partners")
      .select("municipality_id")
      .where("programme_id", "=", programmeId)
      .where("municipality_id", "in", coordinatedMunicipalityIds(ctx).length ? coordinatedMunicipalityIds(ctx) : [0])
      .execute();
    if (!partners.length) await denied(ctx, "statistics:read", { entity: "programme", entityId: programmeId });
    municipalityIds = partners.map((p) => p.municipality_id);
    for (const municipalityId of municipalityIds) {
      await requireGrant(ctx, "statistics:read", { municipalityId }, { entity: "programme", entityId: programmeId });
    }
  }

  const cohorts = await ctx.db
    .selectFrom("cohorts")
    .select(["id", "name"])
    .where("programme_id", "=", programmeId)
    .orderBy("starts_on")
    .orderBy("id")
    .execute();
  const cohort = filter.cohortId ? cohorts.find((c) => c.id === filter.cohortId) : undefined;
  if (filter.cohortId && !cohort) throw notFound();

  const from = filter.from ?? EARLIEST;
  const to = filter.to ?? today;
  if (from > to) throw badRequest("Periodens startdatum ligger efter dess slutdatum.");

  const scope: ResolvedScope = {
    programmeId,
    cohortId: cohort?.id ?? null,
    from,
    to,
    municipalityIds,
    protect: municipalityIds === null,
  };
  return { programmes, programme, cohorts, cohort, scope };
}

// ---------------------------------------------------------------- queries

/** Enrolments of participants who took part at some time in the period, with their participant row. */
function population(db: Db, s: ResolvedScope) {
  let q = db
    .selectFrom("enrolments as e")
    .innerJoin("cohorts as c", "c.id", "e.cohort_id")
    .innerJoin("participants as p", "p.id", "e.participant_id")
    .where("c.programme_id", "=", s.programmeId)
    .where("e.status", "in", ["active", "completed", "dropped"])
    .where("e.started_on", "is not", null)
    .where("e.started_on", "<=", s.to)
    .where((eb) => eb.or([eb("e.ended_on", "is", null), eb("e.ended_on", ">=", s.from)]));
  if (s.cohortId) q = q.where("e.cohort_id", "=", s.cohortId);
  if (s.municipalityIds) q = q.where("e.municipality_id", "in", s.municipalityIds);
  return q;
}

function leftInPeriod(s: ResolvedScope): Expression<SqlBool> {
  return sql<SqlBool>`(e.status in ('completed', 'dropped') and e.ended_on <= ${s.to})`;
}

function countColumns(s: ResolvedScope) {
  return [
    sql<number>`count(*)`.as("total"),
    sql<number>`coalesce(sum(case when e.started_on >= ${s.from} then 1 else 0 end), 0)`.as("started"),
    sql<number>`coalesce(sum(case when ${leftInPeriod(s)} then 0 else 1 end), 0)`.as("active"),
    sql<number>`coalesce(sum(case when e.status = 'completed' and e.ended_on <= ${s.to} then 1 else 0 end), 0)`.as("completed"),
    sql<number>`coalesce(sum(case when e.status = 'dropped' and e.ended_on <= ${s.to} then 1 else 0 end), 0)`.as("dropped"),
  ] as const;
}

type Counts = Record<CountMeasure, number>;
const zeroCounts = (): Counts => ({ total: 0, started: 0, active: 0, completed: 0, dropped: 0 });
const toCounts = (r: Record<CountMeasure, number | string | null>): Counts =>
  Object.fromEntries(COUNT_MEASURES.map((m) => [m, Number(r[m] ?? 0)])) as Counts;

const AGE_EXPRESSION = sql<AgeBand>`case
  when cast(substr(e.started_on, 1, 4) as integer) - p.birth_year < 18 then 'under_18'
  when cast(substr(e.started_on, 1, 4) as integer) - p.birth_year < 30 then '18_29'
  when cast(substr(e.started_on, 1, 4) as integer) - p.birth_year < 55 then '30_54'
  else '55_plus' end`;

async function countsBy(db: Db, s: ResolvedScope, category: Expression<string | number | null>): Promise<Map<string, Counts>> {
  const rows = await population(db, s)
    .select([sql<string | number>`${category}`.as("category"), ...countColumns(s)])
    .groupBy(sql`category`)
    .execute();
  return new Map(rows.map((r) => [String(r.category), toCounts(r)]));
}

async function totalCounts(db: Db, s: ResolvedScope): Promise<Counts> {
  const row = await population(db, s).select(countColumns(s)).executeTakeFirst();
  return row ? toCounts(row) : zeroCounts();
}

interface AttendanceAggregate {
  recorded: number;
  present: number;
  minutes: number;
}

function attendanceQuery(db: Db, s: ResolvedScope) {
  const toExclusive = stockholmToUtcIso(addDaysToDate(s.to, 1), "00:00");
  let q = db
    .selectFrom("attendance as a")
    .innerJoin("sessions as ss", "ss.id", "a.session_id")
    .innerJoin("cohorts as c", "c.id", "ss.cohort_id")
    .where("c.programme_id", "=", s.programmeId)
    .where("ss.status", "=", "planned")
    .where("ss.starts_at", "<", toExclusive);
  if (s.from !== EARLIEST) q = q.where("ss.starts_at", ">=", stockholmToUtcIso(s.from, "00:00"));
  if (s.cohortId) q = q.where("ss.cohort_id", "=", s.cohortId);
  if (s.municipalityIds) q = q.where("a.municipality_id", "in", s.municipalityIds);
  return q.select([
    sql<number>`count(*)`.as("recorded"),
    sql<number>`coalesce(sum(case when a.status in ('narvarande', 'sen_ankomst') then 1 else 0 end), 0)`.as("present"),
    sql<number>`coalesce(sum(a.minutes), 0)`.as("minutes"),
  ]);
}

const toAttendance = (r: { recorded: number | string; present: number | string; minutes: number | string }): AttendanceAggregate => ({
  recorded: Number(r.recorded),
  present: Number(r.present),
  minutes: Number(r.minutes),
});

async function attendanceByMonth(db: Db, s: ResolvedScope) {
  // Sessions are held in daytime, so the UTC date's month is the Stockholm month.
  const rows = await attendanceQuery(db, s)
    .select(sql<string>`substr(ss.starts_at, 1, 7)`.as("month"))
    .groupBy(sql`substr(ss.starts_at, 1, 7)`)
    .orderBy(sql`substr(ss.starts_at, 1, 7)`)
    .execute();
  return rows.map((r) => ({ month: r.month, ...toAttendance(r) }));
}

async function attendanceByMunicipality(db: Db, s: ResolvedScope) {
  const rows = await attendanceQuery(db, s).select("a.municipality_id").groupBy("a.municipality_id").execute();
  return new Map(rows.map((r) => [r.municipality_id, toAttendance(r)]));
}

/**
 * Certified minutes and their co-financing value, the same sum the co-financing page makes, per
 * municipality: the value frozen at certification, without the months waiting for review.
 */
async function certifiedByMunicipality(db: Db, s: ResolvedScope) {
  let q = db
    .selectFrom("time_reports as r")
    .where("r.programme_id", "=", s.programmeId)
    .where("r.status", "=", "certified")
    .where("r.needs_review", "=", 0)
    .where("r.month", "<=", s.to.slice(0, 7));
  if (s.from !== EARLIEST) q = q.where("r.month", ">=", s.from.slice(0, 7));
  if (s.municipalityIds) q = q.where("r.municipality_id", "in", s.municipalityIds);
  if (s.cohortId) {
    const cohortId = s.cohortId;
    q = q.where("r.participant_id", "in", (eb) => eb.selectFrom("enrolments").select("participant_id").where("cohort_id", "=", cohortId));
  }
  const rows = await q
    .select([
      "r.municipality_id",
      sql<number>`coalesce(sum(r.certified_minutes), 0)`.as("minutes"),
      sql<number>`coalesce(sum(r.certified_value_ore), 0)`.as("valueOre"),
    ])
    .groupBy("r.municipality_id")
    .execute();
  return new Map(rows.map((r) => [r.municipality_id, { minutes: Number(r.minutes), valueOre: Number(r.valueOre) }]));
}

async function outcomeCounts(db: Db, s: ResolvedScope) {
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
    .select(["o.checkpoint", "o.result", sql<number>`count(*)`.as("n")])
    .groupBy(["o.checkpoint", "o.result"])
    .execute();
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(`${r.checkpoint}|${r.result}`, Number(r.n));
  return (checkpoint: OutcomeCheckpoint, result: OutcomeResult) => counts.get(`${checkpoint}|${result}`) ?? 0;
}

// ---------------------------------------------------------------- formatting

const countFormat = new Intl.NumberFormat("sv-SE");
const percentFormat = new Intl.NumberFormat("sv-SE", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const hoursFormat = new Intl.NumberFormat("sv-SE", { minimumFractionDigits: 0, maximumFractionDigits: 2 });

/** A number as the page shows it; the exports carry the same `value`. */
export function formatStat(value: number, unit: StatUnit): string {
  switch (unit) {
    case "count":
      return countFormat.format(value);
    case "percent":
      return `${percentFormat.format(value)} %`;
    case "hours":
      return hoursFormat.format(value);
    case "kronor":
      return formatKronor(Math.round(value * 100));
  }
}

const shown = (value: number, unit: StatUnit = "count"): StatCell => ({ value, text: formatStat(value, unit) });
const notApplicable: StatCell = { value: null, text: "–" };

function rate(a: AttendanceAggregate | undefined): StatCell {
  if (!a || a.recorded === 0) return notApplicable;
  return shown(Math.round((a.present / a.recorded) * 1000) / 10, "percent");
}
const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100;

/** A rows x count-measures table; small numbers hidden when the rows are a personal attribute and the scope asks for it. */
function countTable(
  key: StatTable["key"],
  title: string,
  rowHeader: string,
  categories: { key: string; label: string }[],
  counts: Map<string, Counts>,
  totals: Counts,
  protect: boolean,
): StatTable {
  const values = categories.map((c) => COUNT_MEASURES.map((m) => (counts.get(c.key) ?? zeroCounts())[m]));
  const hidden = protect ? suppressGrid({ values, parts: PARTS, partsTotalColumn: PARTS_TOTAL, sensitive: true }) : null;
  return {
    key,
    title,
    definition: tableDefinitions[key],
    rowHeader,
    columns: COUNT_MEASURES.map((m) => ({ key: m, label: countMeasureLabels[m], unit: "count" as const })),
    rows: categories.map((c, r) => ({
      key: c.key,
      label: c.label,
      cells: values[r].map((v, col) => (hidden?.[r][col] ? { value: null, text: hiddenText(v) } : shown(v))),
    })),
    total: { label: "Totalt", cells: COUNT_MEASURES.map((m) => shown(totals[m])) },
    protectedCounts: protect,
  };
}

// ---------------------------------------------------------------- the report

export async function getStatistics(ctx: Ctx, filter: StatisticsFilter, today: string = stockholmToday()): Promise<StatisticsReport> {
  const { programmes, programme, cohorts, cohort, scope: s } = await resolveScope(ctx, filter, today);
  const db = ctx.db;

  const municipalities = await db
    .selectFrom("programme_partners as pp")
    .innerJoin("municipalities as m", "m.id", "pp.municipality_id")
    .select(["m.id", "m.name"])
    .where("pp.programme_id", "=", s.programmeId)
    .$if(s.municipalityIds !== null, (q) => q.where("m.id", "in", s.municipalityIds!))
    .orderBy("m.name")
    .execute();

  const totals = await totalCounts(db, s);
  const byMunicipality = await countsBy(db, s, sql<number>`e.municipality_id`);
  const byGender = await countsBy(db, s, sql<Gender>`p.gender`);
  const byAge = await countsBy(db, s, AGE_EXPRESSION);
  const byEducation = await countsBy(db, s, sql<string>`coalesce(p.education_level, 'unknown')`);
  const attendanceMonths = await attendanceByMonth(db, s);
  const attendanceMunicipalities = await attendanceByMunicipality(db, s);
  const certified = await certifiedByMunicipality(db, s);
  const outcomes = await outcomeCounts(db, s);

  const attendanceTotal = attendanceMonths.reduce(
    (sum, m) => ({ recorded: sum.recorded + m.recorded, present: sum.present + m.present, minutes: sum.minutes + m.minutes }),
    { recorded: 0, present: 0, minutes: 0 },
  );
  const certifiedTotal = [...certified.values()].reduce((sum, c) => ({ minutes: sum.minutes + c.minutes, valueOre: sum.valueOre + c.valueOre }), {
    minutes: 0,
    valueOre: 0,
  });
  const leavers = totals.completed + totals.dropped;

  const figure = (key: StatFigure["key"], label: string, unit: StatUnit, cell: StatCell): StatFigure => ({
    key,
    label,
    unit,
    value: cell.value,
    text: cell.text,
    definition: figureDefinitions[key],
  });
  const figures: StatFigure[] = [
    ...COUNT_MEASURES.map((m) => figure(m, countMeasureLabels[m], "count", shown(totals[m]))),
    figure("leavers", "Lämnat under perioden", "count", shown(leavers)),
    figure("attendanceRate", "Närvarograd", "percent", rate(attendanceTotal)),
    figure("hoursDelivered", "Levererade timmar", "hours", shown(hours(attendanceTotal.minutes), "hours")),
    figure("hoursCertified", "Attesterade timmar", "hours", shown(hours(certifiedTotal.minutes), "hours")),
    figure("cofinancing", "Medfinansiering", "kronor", shown(certifiedTotal.valueOre / 100, "kronor")),
  ];

  const municipalityRows = municipalities.map((m) => ({ key: String(m.id), label: m.name }));
  const tables: StatTable[] = [
    // Municipality is where the participant works, not a personal attribute: shown as counted.
    countTable("municipality", "Deltagare per kommun", "Kommun", municipalityRows, byMunicipality, totals, false),
    {
      key: "municipalityHours",
      title: "Närvaro, timmar och medfinansiering per kommun",
      definition: tableDefinitions.municipalityHours,
      rowHeader: "Kommun",
      columns: [
        { key: "attendanceRate", label: "Närvarograd", unit: "percent" },
        { key: "hoursDelivered", label: "Levererade timmar", unit: "hours" },
        { key: "hoursCertified", label: "Attesterade timmar", unit: "hours" },
        { key: "cofinancing", label: "Medfinansiering (kr)", unit: "kronor" },
      ],
      rows: municipalities.map((m) => {
        const a = attendanceMunicipalities.get(m.id);
        const c = certified.get(m.id);
        return {
          key: String(m.id),
          label: m.name,
          cells: [rate(a), shown(hours(a?.minutes ?? 0), "hours"), shown(hours(c?.minutes ?? 0), "hours"), shown((c?.valueOre ?? 0) / 100, "kronor")],
        };
      }),
      total: {
        label: "Totalt",
        cells: [
          rate(attendanceTotal),
          shown(hours(attendanceTotal.minutes), "hours"),
          shown(hours(certifiedTotal.minutes), "hours"),
          shown(certifiedTotal.valueOre / 100, "kronor"),
        ],
      },
      protectedCounts: false,
    },
    countTable(
      "gender",
      "Deltagare per kön",
      "Kön",
      (Object.keys(genderLabels) as Gender[]).map((g) => ({ key: g, label: genderLabels[g] })),
      byGender,
      totals,
      s.protect,
    ),
    countTable(
      "age",
      "Deltagare per åldersgrupp",
      "Åldersgrupp",
      (Object.keys(ageBandLabels) as AgeBand[]).map((a) => ({ key: a, label: ageBandLabels[a] })),
      byAge,
      totals,
      s.protect,
    ),
    countTable(
      "education",
      "Deltagare per utbildningsnivå",
      "Utbildningsnivå",
      [
        ...(Object.keys(educationLabels) as EducationLevel[]).map((e) => ({ key: e, label: educationLabels[e] })),
        { key: "unknown", label: unknownEducationLabel },
      ],
      byEducation,
      totals,
      s.protect,
    ),
    {
      key: "attendance",
      title: "Närvaro per månad",
      definition: tableDefinitions.attendance,
      rowHeader: "Månad",
      columns: [
        { key: "recorded", label: "Registrerade tillfällen", unit: "count" },
        { key: "present", label: "Närvarande eller sen ankomst", unit: "count" },
        { key: "attendanceRate", label: "Närvarograd", unit: "percent" },
        { key: "hoursDelivered", label: "Levererade timmar", unit: "hours" },
      ],
      rows: attendanceMonths.map((m) => ({
        key: m.month,
        label: formatMonth(`${m.month}-15`),
        cells: [shown(m.recorded), shown(m.present), rate(m), shown(hours(m.minutes), "hours")],
      })),
      total: {
        label: "Totalt",
        cells: [shown(attendanceTotal.recorded), shown(attendanceTotal.present), rate(attendanceTotal), shown(hours(attendanceTotal.minutes), "hours")],
      },
      protectedCounts: false,
    },
    outcomeTable(outcomes, leavers, s.protect),
  ];

  return {
    programmes,
    programme: { id: programme.id, name: programme.name, esfProjectNumber: programme.esf_project_number },
    cohorts,
    cohortId: cohort?.id ?? null,
    cohortName: cohort?.name ?? null,
    from: filter.from ?? null,
    to: s.to,
    scope: s.municipalityIds ? "municipality" : "programme",
    municipalityNames: s.municipalityIds ? municipalities.map((m) => m.name) : [],
    protectedCounts: s.protect,
    figures,
    tables,
  };
}

/** Results per checkpoint; each column adds up to the leavers, with those not yet followed up as their own row. */
function outcomeTable(count: (c: OutcomeCheckpoint, r: OutcomeResult) => number, leavers: number, protect: boolean): StatTable {
  const rowKeys = [...OUTCOME_RESULTS, "not_recorded"] as const;
  const values = rowKeys.map((r) =>
    OUTCOME_CHECKPOINTS.map((c) =>
      r === "not_recorded" ? leavers - OUTCOME_RESULTS.reduce((sum, result) => sum + count(c, result), 0) : count(c, r),
    ),
  );
  const hidden = protect ? suppressGrid({ values, sensitive: true }) : null;
  return {
    key: "outcomes",
    title: "Utfall efter avslut",
    definition: tableDefinitions.outcomes,
    rowHeader: "Resultat",
    columns: OUTCOME_CHECKPOINTS.map((c) => ({ key: c, label: outcomeCheckpointLabels[c], unit: "count" as const })),
    rows: rowKeys.map((r, i) => ({
      key: r,
      label: r === "not_recorded" ? notRecordedLabel : outcomeResultLabels[r],
      cells: values[i].map((v, col) => (hidden?.[i][col] ? { value: null, text: hiddenText(v) } : shown(v))),
    })),
    total: { label: "Lämnat under perioden", cells: OUTCOME_CHECKPOINTS.map(() => shown(leavers)) },
    protectedCounts: protect,
  };
}
