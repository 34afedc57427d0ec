/**
 * Co-financing (medfinansiering): the participants' working time in the
 * programme is the municipalities' contribution. Certified hours x the
 * programme's hourly unit cost for the participant's salary group and the
 * report's year = the value, summed per municipality and month. Only
 * certified reports count, with the hours, salary group, unit cost and value
 * frozen at certification: a later change of a unit cost applies to reports
 * certified afterwards. A certified month flagged for review (an earlier month
 * was reopened) is shown apart and counted only once it has been reviewed.
 * Money is whole öre.
 */
import { nowIso } from "~/db/connection.server";
import type { RoundingRule } from "~/db/schema";
import { valueInOre } from "~/utils/hours";
import { writeAudit } from "./audit.server";
import { can, coordinatedMunicipalityIds, denied, notFound, requireGrant, requireRole, type Ctx } from "./context.server";
import { visibleProgrammes } from "./programmes.server";
import { INPUT_REFUSED, invalid, ok, type Checked, type Result } from "./result";
import { DEFAULT_SETTINGS, getProgrammeSettings } from "./internal/hours-ledger.server";

export interface CofinancingRow {
  reportId: number;
  participantId: number;
  participantName: string;
  municipalityId: number;
  municipalityName: string;
  month: string;
  salaryGroup: string;
  minutes: number;
  hourlyCostOre: number | null;
  valueOre: number;
  needsReview: boolean;
}

export interface CofinancingTotal {
  municipalityName: string;
  month: string;
  minutes: number;
  valueOre: number;
}


export async function getCofinancing(ctx: Ctx, input: { programmeId?: number; year: number; month?: string }) {
  const programmes = await visibleProgrammes(ctx, "work");
  if (!programmes.length) await denied(ctx, "cofinancing:read");
  const programmeId = input.programmeId ?? programmes[0].id;
  const programme = programmes.find((p) => p.id === programmeId);
  if (!programme) await denied(ctx, "cofinancing:read", { entity: "programme", entityId: programmeId });
  const leads = can(ctx, "cofinancing:read", { programmeId });
  const municipalityIds = leads ? null : coordinatedMunicipalityIds(ctx);
  if (municipalityIds) {
    await requireGrant(ctx, "cofinancing:read", { municipalityId: municipalityIds[0] }, { entity: "programme", entityId: programmeId });
  }

  let query = ctx.db
    .selectFrom("time_reports as r")
    .innerJoin("participants as p", "p.id", "r.participant_id")
    .innerJoin("municipalities as m", "m.id", "r.municipality_id")
    .select([
      "r.id",
      "r.participant_id",
      "p.first_name",
      "p.last_name",
      "r.municipality_id",
      "m.name as municipality_name",
      "r.month",
      "r.certified_salary_group",
      "r.certified_minutes",
      "r.needs_review",
      "r.certified_hourly_cost_ore",
      "r.certified_value_ore",
    ])
    .where("r.programme_id", "=", programmeId)
    .where("r.status", "=", "certified")
    .where("r.month", ">=", `${input.year}-01`)
    .where("r.month", "<=", `${input.year}-12`);
  if (municipalityIds) query = query.where("r.municipality_id", "in", municipalityIds);
  const raw = await query.orderBy("r.month").orderBy("m.name").orderBy("p.last_name").orderBy("p.first_name").execute();

  const rows: CofinancingRow[] = raw.map((r) => {
    const minutes = r.certified_minutes ?? 0;
    return {
      reportId: r.id,
      participantId: r.participant_id,
      participantName: `${r.first_name} ${r.last_name}`,
      municipalityId: r.municipality_id,
      municipalityName: r.municipality_name,
      month: r.month,
      salaryGroup: r.certified_salary_group ?? "",
      minutes,
      hourlyCostOre: r.certified_hourly_cost_ore,
      valueOre: r.certified_value_ore ?? 0,
      needsReview: r.needs_review === 1,
    };
  });
  const counted = rows.filter((r) => !r.needsReview);
  const flagged = rows.filter((r) => r.needsReview);
  const totals = new Map<string, CofinancingTotal>();
  for (const r of counted) {
    const k = `${r.month}|${r.municipalityName}`;
    const t = totals.get(k) ?? { municipalityName: r.municipalityName, month: r.month, minutes: 0, valueOre: 0 };
    t.minutes += r.minutes;
    t.valueOre += r.valueOre;
    totals.set(k, t);
  }
  return {
    programmes,
    programmeId,
    programmeName: programme!.name,
    year: input.year,
    scope: leads ? ("programme" as const) : ("municipality" as const),
    rows,
    /** The participant rows of one month, for the page; the CSV takes them all. */
    monthRows: input.month ? rows.filter((r) => r.month === input.month) : [],
    /** Per municipality and month, without the months waiting for review. */
    totals: [...totals.values()],
    totalMinutes: counted.reduce((s, r) => s + r.minutes, 0),
    totalValueOre: counted.reduce((s, r) => s + r.valueOre, 0),
    /** Certified months flagged for review: shown apart, not in the totals until reviewed. */
    flaggedRows: flagged,
    flaggedMinutes: flagged.reduce((s, r) => s + r.minutes, 0),
    flaggedValueOre: flagged.reduce((s, r) => s + r.valueOre, 0),
    missingCosts: [...new Set(rows.filter((r) => r.hourlyCostOre == null).map((r) => `${r.salaryGroup || "(ingen)"} ${r.month.slice(0, 4)}`))],
  };
}

// ---------------------------------------------------------------- unit costs and programme settings

async function loadProgramme(ctx: Ctx, programmeId: number) {
  await requireRole(ctx, "unitcosts:manage", { entity: "programme", entityId: programmeId });
  const programme = await ctx.db.selectFrom("programmes").select(["id", "name"]).where("id", "=", programmeId).executeTakeFirst();
  if (!programme) throw notFound();
  await requireGrant(ctx, "unitcosts:manage", { programmeId }, { entity: "programme", entityId: programmeId });
  return programme;
}

/*
 * The cost page's three forms, as posted: each checks the caller before it
 * looks at the input (a stranger's post is refused whatever it holds), then
 * saves through the setter below.
 */

export async function saveSessionPlanning(ctx: Ctx, programmeId: number, submitted: Checked<{ coordinatorsPlanSessions: boolean }>): Promise<Result> {
  await loadProgramme(ctx, programmeId);
  if (submitted.status !== "success") return INPUT_REFUSED;
  await setCoordinatorsPlanSessions(ctx, programmeId, submitted.value.coordinatorsPlanSessions);
  return ok();
}

export async function saveProgrammeSettings(
  ctx: Ctx,
  programmeId: number,
  submitted: Checked<{ completionPercent: number; rounding: RoundingRule; onBehalfAllowed: boolean }>,
): Promise<Result> {
  await loadProgramme(ctx, programmeId);
  if (submitted.status !== "success") return INPUT_REFUSED;
  const { completionPercent, rounding, onBehalfAllowed } = submitted.value;
  return setProgrammeSettings(ctx, programmeId, { completionPercent, rounding, onBehalfAllowed });
}

/** `hourlyCost` in öre, as the form's schema gives it. */
export async function saveUnitCost(
  ctx: Ctx,
  programmeId: number,
  submitted: Checked<{ salaryGroup: string; year: number; hourlyCost: number }>,
): Promise<Result<UnitCostChange>> {
  await loadProgramme(ctx, programmeId);
  if (submitted.status !== "success") return INPUT_REFUSED;
  const { salaryGroup, year, hourlyCost } = submitted.value;
  return ok(await setUnitCost(ctx, programmeId, { salaryGroup, year, hourlyCostOre: hourlyCost }));
}

export async function getUnitCosts(ctx: Ctx, programmeId: number) {
  const programme = await loadProgramme(ctx, programmeId);
  const costs = await ctx.db
    .selectFrom("unit_costs")
    .select(["id", "salary_group as salaryGroup", "year", "hourly_cost_ore as hourlyCostOre", "updated_at as updatedAt"])
    .where("programme_id", "=", programmeId)
    .orderBy("year", "desc")
    .orderBy("salary_group")
    .execute();
  const planning = await ctx.db
    .selectFrom("programme_settings")
    .select("coordinators_plan_sessions")
    .where("programme_id", "=", programmeId)
    .executeTakeFirst();
  const certified = await ctx.db
    .selectFrom("time_reports")
    .select(["certified_salary_group as salaryGroup", "month", "certified_hourly_cost_ore as costOre"])
    .where("programme_id", "=", programmeId)
    .where("status", "=", "certified")
    .execute();
  return {
    programme,
    costs: costs.map((c) => ({
      ...c,
      /** Certified reports of the group and year, and how many of them were certified with another cost. */
      certifiedReports: certified.filter((r) => r.salaryGroup === c.salaryGroup && r.month.startsWith(`${c.year}-`)).length,
      certifiedAtOtherCost: certified.filter(
        (r) => r.salaryGroup === c.salaryGroup && r.month.startsWith(`${c.year}-`) && r.costOre != null && r.costOre !== c.hourlyCostOre,
      ).length,
    })),
    settings: await getProgrammeSettings(ctx.db, programmeId),
    coordinatorsPlanSessions: planning?.coordinators_plan_sessions === 1,
  };
}

/**
 * Lets (or stops) coordinators plan the sessions their municipality hosts. A
 * session and every change to it reach all municipalities' trainees, meeting
 * link included, so the programme's lead decides; off by default.
 */
export async function setCoordinatorsPlanSessions(ctx: Ctx, programmeId: number, allowed: boolean): Promise<void> {
  await loadProgramme(ctx, programmeId);
  const now = nowIso();
  const value = allowed ? 1 : 0;
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("programme_settings")
      .values({
        programme_id: programmeId,
        completion_percent: DEFAULT_SETTINGS.completionPercent,
        rounding: DEFAULT_SETTINGS.rounding,
        coordinators_plan_sessions: value,
        updated_by: ctx.user.id,
        updated_at: now,
      })
      .onConflict((oc) => oc.column("programme_id").doUpdateSet({ coordinators_plan_sessions: value, updated_by: ctx.user.id, updated_at: now }))
      .execute();
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      action: "programme_settings.updated",
      entity: "programme",
      entityId: programmeId,
      detail: { fields: ["coordinators_plan_sessions"], coordinatorsPlanSessions: allowed },
    });
  });
}

export interface UnitCostChange {
  /** Certified reports of the group and year that keep the cost they were certified with. */
  keptCertified: number;
  /** Certified reports that had no unit cost when certified and now get this one. */
  filledCertified: number;
}

/**
 * Sets (or replaces) the hourly unit cost of a salary group for a year. It
 * applies to reports certified from now on; certified reports keep the cost
 * and value frozen at certification. Only a certified report that had no
 * cost at all (so no value was claimed) gets this one, in the same write.
 */
export async function setUnitCost(
  ctx: Ctx,
  programmeId: number,
  input: { salaryGroup: string; year: number; hourlyCostOre: number },
): Promise<UnitCostChange> {
  await loadProgramme(ctx, programmeId);
  const now = nowIso();
  return ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("unit_costs")
      .values({
        programme_id: programmeId,
        salary_group: input.salaryGroup,
        year: input.year,
        hourly_cost_ore: input.hourlyCostOre,
        updated_by: ctx.user.id,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(["programme_id", "salary_group", "year"]).doUpdateSet({ hourly_cost_ore: input.hourlyCostOre, updated_by: ctx.user.id, updated_at: now }),
      )
      .execute();
    const ofGroupAndYear = trx
      .selectFrom("time_reports")
      .where("programme_id", "=", programmeId)
      .where("status", "=", "certified")
      .where("certified_salary_group", "=", input.salaryGroup)
      .where("month", ">=", `${input.year}-01`)
      .where("month", "<=", `${input.year}-12`);
    const kept = await ofGroupAndYear
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("certified_hourly_cost_ore", "is not", null)
      .executeTakeFirstOrThrow();
    const missing = await ofGroupAndYear.select(["id", "certified_minutes"]).where("certified_hourly_cost_ore", "is", null).execute();
    for (const r of missing) {
      await trx
        .updateTable("time_reports")
        .set({ certified_hourly_cost_ore: input.hourlyCostOre, certified_value_ore: valueInOre(r.certified_minutes ?? 0, input.hourlyCostOre) })
        .where("id", "=", r.id)
        .execute();
    }
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      action: "unit_cost.set",
      entity: "programme",
      entityId: programmeId,
      detail: {
        salaryGroup: input.salaryGroup,
        year: input.year,
        fields: ["hourly_cost_ore"],
        keptCertified: Number(kept.n),
        filledReportIds: missing.map((r) => r.id),
      },
    });
    return { keptCertified: Number(kept.n), filledCertified: missing.length };
  });
}

export const ESF_ROUNDING_ONLY = "Ett ESF-finansierat program räknar bara hela timmar, avrundat nedåt på månadens summa (ESF-rådets regel).";

/**
 * The completion rule, the rounding rule and whether coordinators may certify
 * on the manager's behalf; they apply to reports certified from now on. An
 * ESF-funded programme counts whole hours only.
 */
export async function setProgrammeSettings(
  ctx: Ctx,
  programmeId: number,
  input: { completionPercent: number; rounding: RoundingRule; onBehalfAllowed: boolean },
): Promise<Result> {
  await loadProgramme(ctx, programmeId);
  const { funding } = await getProgrammeSettings(ctx.db, programmeId);
  if (funding === "esf" && input.rounding !== "hour_down") return invalid({ rounding: [ESF_ROUNDING_ONLY] });
  const now = nowIso();
  const values = {
    completion_percent: input.completionPercent,
    rounding: input.rounding,
    on_behalf_allowed: input.onBehalfAllowed ? 1 : 0,
    updated_by: ctx.user.id,
    updated_at: now,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("programme_settings")
      .values({ programme_id: programmeId, ...values })
      .onConflict((oc) => oc.column("programme_id").doUpdateSet(values))
      .execute();
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      action: "programme_settings.updated",
      entity: "programme",
      entityId: programmeId,
      detail: { fields: ["completion_percent", "rounding", "on_behalf_allowed"] },
    });
  });
  return ok();
}

/** The payment-claim export: every certified participant-month of the year; the export is audited. */
export async function exportCofinancing(ctx: Ctx, input: { programmeId?: number; year: number }) {
  const data = await getCofinancing(ctx, input);
  await writeAudit(ctx.db, {
    actorUserId: ctx.user.id,
    municipalityId: data.scope === "municipality" ? (coordinatedMunicipalityIds(ctx)[0] ?? null) : null,
    action: "cofinancing.exported",
    entity: "programme",
    entityId: data.programmeId,
    detail: { year: data.year, rows: data.rows.length },
  });
  return { programmeName: data.programmeName, year: data.year, rows: data.rows };
}
