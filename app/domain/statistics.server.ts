/**
 * Participation statistics (Statistik) for funders, programme leads and
 * coordinators: one programme, optionally one cohort and a period of whole
 * months.
 *
 * Everything is counted by SQLite (COUNT, SUM, GROUP BY over indexed
 * columns); JavaScript only arranges the few aggregate rows that come back.
 * The headline figures, attendance, hours and co-financing follow the
 * selection exactly: none of them splits people by a personal attribute. The
 * breakdowns by municipality, gender, age band, education and outcome are
 * statistics-breakdowns.server.ts: for a funder or programme lead they cover
 * the whole programme up to today with small numbers protected (ADR 017); a
 * coordinator sees only their own municipality's share, in exact numbers,
 * since they may read those participants' details anyway. Nothing here ever
 * returns a single person.
 */
import { sql } from "kysely";
import type { Db } from "~/db/connection.server";
import { stockholmToday } from "~/utils/format";
import { addMonthsToMonth } from "~/utils/hours";
import { addDaysToDate, stockholmToUtcIso, utcIsoToStockholm } from "~/utils/time";
import { writeAudit } from "./audit.server";
import { can, coordinatedMunicipalityIds, denied, fundedProgrammeIds, ledProgrammeIds, notFound, requireGrant, type Ctx } from "./context.server";
import { computeBreakdowns, type Breakdowns } from "./internal/statistics-breakdowns.server";
import { EARLIEST, leftInPeriod, population, type ResolvedScope } from "./internal/statistics-population.server";
import { ok, refuse, type Result } from "./result";

export type { AgeBand } from "./internal/statistics-population.server";

/** What a number counts; app/ui/statistics.ts formats each kind. */
export type StatUnit = "count" | "percent" | "hours" | "kronor";

export type CountMeasure = "total" | "started" | "active" | "completed" | "dropped";
/** The columns of a breakdown table: participants = active + completed + dropped, row by row. */
export type StatusMeasure = Exclude<CountMeasure, "started">;

/**
 * One number of the report. `value` is null when the number is hidden (small-number
 * protection: the true value is then not sent anywhere) or has no meaning (a rate of nothing).
 */
export interface StatCell {
  value: number | null;
  hidden: boolean;
}

export type StatTableKey = "municipality" | "municipalityHours" | "gender" | "age" | "education" | "attendance" | "outcomes";

/** A table as numbers and keys: rows are municipalities (with their names), months or enum values. */
export interface StatTableData {
  key: StatTableKey;
  columns: { key: string; unit: StatUnit }[];
  rows: { key: string; name?: string; cells: StatCell[] }[];
  total: StatCell[] | null;
  /** Small numbers in this table are protected. */
  protectedCounts: boolean;
  /** What the table counts: the selection, every cohort in the selected period, or the whole programme up to today. */
  basis: "selection" | "period" | "programme";
}

export type FigureKey = CountMeasure | "leavers" | "attendanceRate" | "hoursDelivered" | "hoursCertified" | "cofinancing";

export interface StatFigureData extends StatCell {
  key: FigureKey;
  unit: StatUnit;
}

export interface StatisticsFilter {
  programmeId?: number;
  cohortId?: number;
  /** YYYY-MM, the first whole month; none means from the start. */
  fromMonth?: string;
  /** YYYY-MM, the last whole month (up to today); none means up to today. */
  toMonth?: string;
}

/** The statistics as numbers; app/ui/statistics-report.ts presents them for the page and the downloads. */
export interface StatisticsData {
  programmes: { id: number; name: string }[];
  programme: { id: number; name: string; esfProjectNumber: string | null };
  cohorts: { id: number; name: string }[];
  cohortId: number | null;
  cohortName: string | null;
  fromMonth: string | null;
  toMonth: string | null;
  /** The period as days: from null means the programme's start. */
  from: string | null;
  to: string;
  scope: "programme" | "municipality";
  /** The coordinator's municipalities when scope is "municipality". */
  municipalityNames: string[];
  protectedCounts: boolean;
  /** The day the protected breakdowns run to (the whole programme); null when they follow the selection. */
  breakdownsAsOf: string | null;
  figures: StatFigureData[];
  tables: StatTableData[];
}

const COUNT_MEASURES: CountMeasure[] = ["total", "started", "active", "completed", "dropped"];

interface SelectionScope extends ResolvedScope {
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

  if (filter.fromMonth && filter.toMonth && filter.fromMonth > filter.toMonth) return refuse("Periodens första månad ligger efter dess sista.");
  const from = filter.fromMonth ? `${filter.fromMonth}-01` : EARLIEST;
  const monthEnd = filter.toMonth ? addDaysToDate(`${addMonthsToMonth(filter.toMonth, 1)}-01`, -1) : today;
  const to = monthEnd < today ? monthEnd : today;
  if (from > to) return refuse("Perioden har inte börjat än: välj en månad som har börjat.");

  const scope: SelectionScope = {
    programmeId,
    cohortId: cohort?.id ?? null,
    from,
    to,
    municipalityIds,
    protect: municipalityIds === null,
  };
  return ok({ programmes, programme, cohorts, cohort, scope });
}

// ---------------------------------------------------------------- queries

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

/**
 * Attendance per Stockholm calendar month, as the time reports count months.
 * Grouped by the UTC hour in SQL (portable), then each hour is given its
 * Stockholm month here: a month always turns on a whole UTC hour.
 */
async function attendanceByMonth(db: Db, s: ResolvedScope) {
  const rows = await attendanceQuery(db, s)
    .select(sql<string>`substr(ss.starts_at, 1, 13)`.as("hour"))
    .groupBy(sql`substr(ss.starts_at, 1, 13)`)
    .execute();
  const months = new Map<string, AttendanceAggregate>();
  for (const r of rows) {
    const month = utcIsoToStockholm(`${r.hour}:00:00.000Z`).date.slice(0, 7);
    const sum = months.get(month) ?? { recorded: 0, present: 0, minutes: 0 };
    const a = toAttendance(r);
    months.set(month, { recorded: sum.recorded + a.recorded, present: sum.present + a.present, minutes: sum.minutes + a.minutes });
  }
  return [...months.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, a]) => ({ month, ...a }));
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

const shown = (value: number): StatCell => ({ value, hidden: false });
const notApplicable: StatCell = { value: null, hidden: false };

function rate(a: AttendanceAggregate | undefined): StatCell {
  if (!a || a.recorded === 0) return notApplicable;
  return shown(Math.round((a.present / a.recorded) * 1000) / 10);
}
const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100;

// ---------------------------------------------------------------- the report

/** Computes the breakdowns of a scope; the cache passes one that remembers a programme's protected tables. */
export type BreakdownSource = (db: Db, scope: ResolvedScope, municipalities: { key: string; name: string }[], protect: boolean) => Promise<Breakdowns>;

export async function getStatistics(
  ctx: Ctx,
  filter: StatisticsFilter,
  today: string = stockholmToday(),
  breakdowns: BreakdownSource = computeBreakdowns,
): Promise<Result<StatisticsData>> {
  const resolved = await resolveScope(ctx, filter, today);
  if (!resolved.ok) return resolved;
  const { programmes, programme, cohorts, cohort, scope: s } = resolved.value;
  const db = ctx.db;

  const municipalities = await db
    .selectFrom("programme_partners as pp")
    .innerJoin("municipalities as m", "m.id", "pp.municipality_id")
    .select(["m.id", "m.name"])
    .where("pp.programme_id", "=", s.programmeId)
    .$if(s.municipalityIds !== null, (q) => q.where("m.id", "in", s.municipalityIds!))
    .orderBy("m.name")
    .execute();
  const municipalityRows = municipalities.map((m) => ({ key: String(m.id), name: m.name }));

  const totals = await totalCounts(db, s);
  const attendanceMonths = await attendanceByMonth(db, s);
  const certified = await certifiedByMunicipality(db, s);
  // A funder's per-municipality figures cover every cohort: per cohort they would show which municipalities a cohort has.
  const perMunicipality: ResolvedScope = s.protect ? { ...s, cohortId: null } : s;
  const attendanceMunicipalities = await attendanceByMunicipality(db, perMunicipality);
  const certifiedMunicipalities = perMunicipality === s ? certified : await certifiedByMunicipality(db, perMunicipality);
  const breakdown = s.protect
    ? await breakdowns(db, { programmeId: s.programmeId, cohortId: null, from: EARLIEST, to: today, municipalityIds: null }, municipalityRows, true)
    : await breakdowns(db, s, municipalityRows, false);

  const sumAttendance = (list: Iterable<AttendanceAggregate>) =>
    [...list].reduce((sum, m) => ({ recorded: sum.recorded + m.recorded, present: sum.present + m.present, minutes: sum.minutes + m.minutes }), {
      recorded: 0,
      present: 0,
      minutes: 0,
    });
  const sumCertified = (list: Iterable<{ minutes: number; valueOre: number }>) =>
    [...list].reduce((sum, c) => ({ minutes: sum.minutes + c.minutes, valueOre: sum.valueOre + c.valueOre }), { minutes: 0, valueOre: 0 });
  const attendanceTotal = sumAttendance(attendanceMonths);
  const certifiedTotal = sumCertified(certified.values());
  const leavers = totals.completed + totals.dropped;

  const figure = (key: FigureKey, unit: StatUnit, cell: StatCell): StatFigureData => ({ key, unit, ...cell });
  const figures: StatFigureData[] = [
    ...COUNT_MEASURES.map((m) => figure(m, "count", shown(totals[m]))),
    figure("leavers", "count", shown(leavers)),
    figure("attendanceRate", "percent", rate(attendanceTotal)),
    figure("hoursDelivered", "hours", shown(hours(attendanceTotal.minutes))),
    figure("hoursCertified", "hours", shown(hours(certifiedTotal.minutes))),
    figure("cofinancing", "kronor", shown(certifiedTotal.valueOre / 100)),
  ];

  const municipalityAttendance = sumAttendance(attendanceMunicipalities.values());
  const municipalityCertified = sumCertified(certifiedMunicipalities.values());
  const tables: StatTableData[] = [
    {
      key: "municipalityHours",
      columns: [
        { key: "attendanceRate", unit: "percent" },
        { key: "hoursDelivered", unit: "hours" },
        { key: "hoursCertified", unit: "hours" },
        { key: "cofinancing", unit: "kronor" },
      ],
      rows: municipalities.map((m) => {
        const a = attendanceMunicipalities.get(m.id);
        const c = certifiedMunicipalities.get(m.id);
        return {
          key: String(m.id),
          name: m.name,
          cells: [rate(a), shown(hours(a?.minutes ?? 0)), shown(hours(c?.minutes ?? 0)), shown((c?.valueOre ?? 0) / 100)],
        };
      }),
      total: [
        rate(municipalityAttendance),
        shown(hours(municipalityAttendance.minutes)),
        shown(hours(municipalityCertified.minutes)),
        shown(municipalityCertified.valueOre / 100),
      ],
      protectedCounts: false,
      basis: perMunicipality === s ? "selection" : "period",
    },
    {
      key: "attendance",
      columns: [
        { key: "recorded", unit: "count" },
        { key: "present", unit: "count" },
        { key: "attendanceRate", unit: "percent" },
        { key: "hoursDelivered", unit: "hours" },
      ],
      rows: attendanceMonths.map((m) => ({ key: m.month, cells: [shown(m.recorded), shown(m.present), rate(m), shown(hours(m.minutes))] })),
      total: [shown(attendanceTotal.recorded), shown(attendanceTotal.present), rate(attendanceTotal), shown(hours(attendanceTotal.minutes))],
      protectedCounts: false,
      basis: "selection",
    },
    ...breakdown.tables,
  ];

  return ok({
    programmes,
    programme: { id: programme.id, name: programme.name, esfProjectNumber: programme.esf_project_number },
    cohorts,
    cohortId: cohort?.id ?? null,
    cohortName: cohort?.name ?? null,
    fromMonth: filter.fromMonth ?? null,
    toMonth: filter.toMonth ?? null,
    from: s.from === EARLIEST ? null : s.from,
    to: s.to,
    scope: s.municipalityIds ? "municipality" : "programme",
    municipalityNames: s.municipalityIds ? municipalities.map((m) => m.name) : [],
    protectedCounts: s.protect,
    breakdownsAsOf: breakdown.asOf,
    figures,
    tables,
  });
}

/** The statistics a caller downloads (the route presents them as CSV or XLSX); every download is audited. */
export async function exportStatistics(ctx: Ctx, filter: StatisticsFilter, format: "xlsx" | "csv"): Promise<Result<StatisticsData>> {
  const result = await getStatistics(ctx, filter);
  if (!result.ok) return result;
  const data = result.value;
  await writeAudit(ctx.db, {
    actorUserId: ctx.user.id,
    action: "statistics.exported",
    entity: "programme",
    entityId: data.programme.id,
    detail: { format, cohortId: data.cohortId, fromMonth: data.fromMonth, toMonth: data.toMonth, scope: data.scope },
  });
  return result;
}
