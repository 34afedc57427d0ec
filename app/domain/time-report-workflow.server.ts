/**
 * The monthly time report's workflow: the participant confirms the month's
 * hours, the nearest manager certifies (recorded by the coordinator, or the
 * coordinator certifies on the manager's behalf where the programme allows
 * it), and a certified report is a frozen snapshot of its lines, hours, unit
 * cost and value: changing anything in its month first needs a traced
 * reopening, after which later certified months are reviewed.
 *
 * Every step is a conditional write: the report's version (and the state the
 * step starts from) is in the UPDATE's WHERE clause, which is the first
 * statement of the transaction, so a second writer either sees the first one's
 * result or finds nothing to update (docs/decisions/016-certified-time-reports.md).
 */
import { nowIso, type Db } from "~/db/connection.server";
import type { CertifiedAs, TimeReportEventTable, TimeReportStatus } from "~/db/schema";
import { roundMonthTotal, valueInOre } from "~/utils/hours";
import { formatMonth } from "~/utils/format";
import { writeAudit } from "./audit.server";
import { requireGrant, requireRole, type Ctx } from "./context.server";
import { computeReportLines, getProgrammeSettings, sumMinutes } from "./internal/hours-ledger.server";
import { loadReport, type LoadedReport } from "./internal/time-reports.server";
import type { TimeReportAction } from "~/schemas/timereports";
import { type Checked, conflict, INPUT_REFUSED, ok, type Refusal, refuse, type Result } from "./result";

export const STALE_REPORT = "Tidrapporten har ändrats av någon annan. Ladda om sidan och försök igen.";

async function addEvent(db: Db, reportId: number, kind: TimeReportEventTable["kind"], actorUserId: number, reason: string | null = null) {
  await db
    .insertInto("time_report_events")
    .values({ time_report_id: reportId, kind, actor_user_id: actorUserId, at: nowIso(), reason })
    .execute();
}

/**
 * The first statement of every step's transaction: raises the version only if
 * the report is still at the version the caller loaded and in a state the step
 * starts from. It takes SQLite's write lock, so what the step reads afterwards
 * cannot change before it commits; false means someone else got there first.
 */
async function claimReport(
  trx: Db,
  reportId: number,
  version: number,
  condition: { statuses: TimeReportStatus[]; needsReview?: boolean },
): Promise<boolean> {
  let query = trx
    .updateTable("time_reports")
    .set((eb) => ({ version: eb("version", "+", 1), updated_at: nowIso() }))
    .where("id", "=", reportId)
    .where("version", "=", version)
    .where("status", "in", condition.statuses);
  if (condition.needsReview) query = query.where("needs_review", "=", 1);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Why a claim failed: another writer (409) or a state the step does not start from. */
async function refusalAfterFailedClaim(db: Db, reportId: number, version: number, wrongState: string): Promise<Result> {
  const now = await db.selectFrom("time_reports").select("version").where("id", "=", reportId).executeTakeFirst();
  return conflict(now && now.version !== version ? STALE_REPORT : wrongState);
}

/** The participant confirms that the month's hours are right. */
async function confirm(ctx: Ctx, report: LoadedReport, version: number): Promise<Result> {
  const reportId = report.id;
  await requireGrant(ctx, "timereports:self", { participantId: report.participant_id }, { entity: "time_report", entityId: reportId });
  const now = nowIso();
  const done = await ctx.db.transaction().execute(async (trx) => {
    if (!(await claimReport(trx, reportId, version, { statuses: ["draft", "reopened"] }))) return false;
    await trx.updateTable("time_reports").set({ status: "confirmed", confirmed_by: ctx.user.id, confirmed_at: now }).where("id", "=", reportId).execute();
    await addEvent(trx, reportId, "confirmed", ctx.user.id);
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: report.municipality_id,
      action: "time_report.confirmed",
      entity: "time_report",
      entityId: reportId,
      detail: { participantId: report.participant_id, month: report.month, fields: ["status"] },
    });
    return true;
  });
  return done ? ok() : refusalAfterFailedClaim(ctx.db, reportId, version, "Tidrapporten är redan bekräftad.");
}

export interface CertifyInput {
  version: number;
  /** "manager": the nearest manager has certified and the coordinator records it; "on_behalf": the coordinator certifies for the manager. */
  certifiedAs: CertifiedAs;
  managerName?: string;
}

/**
 * Certification: the lines, hours, rounding, salary group, unit cost and value
 * are frozen as they are at this moment, and the report is locked. Either the
 * coordinator records that the named nearest manager has certified the month,
 * or, where the programme allows it, certifies on the manager's behalf.
 */
async function certify(ctx: Ctx, report: LoadedReport, input: CertifyInput): Promise<Result> {
  const reportId = report.id;
  await requireGrant(ctx, "timereports:certify", { municipalityId: report.municipality_id }, { entity: "time_report", entityId: reportId });
  const managerName = input.managerName?.trim() || null;
  if (input.certifiedAs === "manager" && !managerName) return refuse("Ange namnet på den närmaste chef som har attesterat.");
  const result = await ctx.db
    .transaction()
    .execute((trx) => certifyInside(trx, ctx, report, input.version, input.certifiedAs, managerName))
    .catch(refusalOf);
  return result === "claimed"
    ? refusalAfterFailedClaim(ctx.db, reportId, input.version, "Deltagaren måste bekräfta tidrapporten innan den kan attesteras.")
    : result;
}

/**
 * The certification's writes, inside the caller's transaction: claims the
 * report at `version` ("claimed" when that fails), freezes the snapshot,
 * records the event and the audit entry. `managerName` null: the
 * participant's recorded nearest manager.
 */
async function certifyInside(
  trx: Db,
  ctx: Ctx,
  report: LoadedReport,
  version: number,
  certifiedAs: CertifiedAs,
  managerName: string | null,
): Promise<Result | "claimed"> {
  const reportId = report.id;
  const now = nowIso();
  if (!(await claimReport(trx, reportId, version, { statuses: ["confirmed"] }))) return "claimed";
  // Read under the write lock: the settings, salary group and unit cost the snapshot freezes.
  const settings = await getProgrammeSettings(trx, report.programme_id);
  if (certifiedAs === "on_behalf" && !settings.onBehalfAllowed) {
    throw new RefusalThrown("Programmet tillåter inte att samordnaren attesterar på chefens vägnar. Registrera chefens attest i stället.");
  }
  const participant = await trx.selectFrom("participants").select(["salary_group", "manager_name"]).where("id", "=", report.participant_id).executeTakeFirstOrThrow();
  const cost = await trx
    .selectFrom("unit_costs")
    .select("hourly_cost_ore")
    .where("programme_id", "=", report.programme_id)
    .where("salary_group", "=", participant.salary_group)
    .where("year", "=", Number(report.month.slice(0, 4)))
    .executeTakeFirst();
  const lines = await computeReportLines(trx, report.participant_id, report.programme_id, report.month);
  const raw = sumMinutes(lines);
  const minutes = roundMonthTotal(raw, settings.rounding);
  const hourlyCostOre = cost?.hourly_cost_ore ?? null;
  await trx
    .updateTable("time_reports")
    .set({
      status: "certified",
      certified_by: ctx.user.id,
      certified_at: now,
      certified_as: certifiedAs,
      certified_manager_name: managerName ?? participant.manager_name,
      needs_review: 0,
      rounding: settings.rounding,
      certified_raw_minutes: raw,
      certified_minutes: minutes,
      certified_salary_group: participant.salary_group,
      certified_lines: JSON.stringify(lines),
      certified_hourly_cost_ore: hourlyCostOre,
      certified_value_ore: hourlyCostOre == null ? null : valueInOre(minutes, hourlyCostOre),
    })
    .where("id", "=", reportId)
    .execute();
  await addEvent(trx, reportId, "certified", ctx.user.id, certifiedAs === "on_behalf" ? "På chefens vägnar" : null);
  await writeAudit(trx, {
    actorUserId: ctx.user.id,
    municipalityId: report.municipality_id,
    action: "time_report.certified",
    entity: "time_report",
    entityId: reportId,
    detail: {
      participantId: report.participant_id,
      month: report.month,
      certifiedAs,
      fields: ["status", "certified_minutes", "certified_hourly_cost_ore", "certified_value_ore", "certified_lines", "certified_manager_name"],
    },
  });
  return ok();
}

/** A refusal found inside a transaction: thrown to roll it back, answered as a result. */
class RefusalThrown extends Error {}

function refusalOf(error: unknown): Refusal {
  if (error instanceof RefusalThrown) return refuse(error.message);
  throw error;
}

/**
 * The only way to change a certified month: reopen it with a reason. Later
 * certified months of the same participant and programme are flagged for review,
 * since a correction may move time between months.
 */
async function reopen(ctx: Ctx, report: LoadedReport, input: { version: number; reason: string }): Promise<Result> {
  const reportId = report.id;
  await requireGrant(ctx, "timereports:certify", { municipalityId: report.municipality_id }, { entity: "time_report", entityId: reportId });
  const now = nowIso();
  const done = await ctx.db.transaction().execute(async (trx) => {
    if (!(await claimReport(trx, reportId, input.version, { statuses: ["certified"] }))) return false;
    await trx.updateTable("time_reports").set({ status: "reopened", confirmed_by: null, confirmed_at: null }).where("id", "=", reportId).execute();
    await addEvent(trx, reportId, "reopened", ctx.user.id, input.reason);
    const later = await trx
      .updateTable("time_reports")
      .set((eb) => ({ needs_review: 1, updated_at: now, version: eb("version", "+", 1) }))
      .where("participant_id", "=", report.participant_id)
      .where("programme_id", "=", report.programme_id)
      .where("month", ">", report.month)
      .where("status", "=", "certified")
      .returning("id")
      .execute();
    for (const { id } of later) {
      await addEvent(trx, id, "flagged_for_review", ctx.user.id, `Tidrapporten för ${formatMonth(`${report.month}-15`)} öppnades igen.`);
    }
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: report.municipality_id,
      action: "time_report.reopened",
      entity: "time_report",
      entityId: reportId,
      detail: { participantId: report.participant_id, month: report.month, flaggedReportIds: later.map((l) => l.id), fields: ["status"] },
    });
    return true;
  });
  return done ? ok() : refusalAfterFailedClaim(ctx.db, reportId, input.version, "Bara en attesterad tidrapport kan öppnas igen.");
}

/** The coordinator has checked a flagged month against the reopened one; from now on it counts in the co-financing totals. */
async function markReviewed(ctx: Ctx, report: LoadedReport, version: number): Promise<Result> {
  const reportId = report.id;
  await requireGrant(ctx, "timereports:certify", { municipalityId: report.municipality_id }, { entity: "time_report", entityId: reportId });
  const done = await ctx.db.transaction().execute(async (trx) => {
    if (!(await claimReport(trx, reportId, version, { statuses: ["certified"], needsReview: true }))) return false;
    await trx.updateTable("time_reports").set({ needs_review: 0 }).where("id", "=", reportId).execute();
    await addEvent(trx, reportId, "reviewed", ctx.user.id);
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: report.municipality_id,
      action: "time_report.reviewed",
      entity: "time_report",
      entityId: reportId,
      detail: { fields: ["needs_review"] },
    });
    return true;
  });
  return done ? ok() : refusalAfterFailedClaim(ctx.db, reportId, version, "Tidrapporten behöver ingen granskning.");
}

/**
 * The report page's one action: loads the report (404 for a reader it is not
 * theirs, before the input is looked at), then takes the step asked for, which
 * checks the step's own grant. Answers which step was taken.
 */
export async function actOnTimeReport(ctx: Ctx, reportId: number, input: Checked<TimeReportAction>): Promise<Result<TimeReportAction["intent"]>> {
  const report = await loadReport(ctx, reportId);
  if (input.status !== "success") return INPUT_REFUSED;
  const action = input.value;
  const done =
    action.intent === "confirm"
      ? await confirm(ctx, report, action.version)
      : action.intent === "certify"
        ? await certify(ctx, report, action)
        : action.intent === "reopen"
          ? await reopen(ctx, report, action)
          : await markReviewed(ctx, report, action.version);
  return done.ok ? ok(action.intent) : done;
}

export async function confirmTimeReport(ctx: Ctx, reportId: number, version: number): Promise<Result> {
  return confirm(ctx, await loadReport(ctx, reportId), version);
}

export async function certifyTimeReport(ctx: Ctx, reportId: number, input: CertifyInput): Promise<Result> {
  return certify(ctx, await loadReport(ctx, reportId), input);
}

export async function reopenTimeReport(ctx: Ctx, reportId: number, input: { version: number; reason: string }): Promise<Result> {
  return reopen(ctx, await loadReport(ctx, reportId), input);
}

export async function markTimeReportReviewed(ctx: Ctx, reportId: number, version: number): Promise<Result> {
  return markReviewed(ctx, await loadReport(ctx, reportId), version);
}

export interface CertifyMonthInput {
  certifiedAs: CertifiedAs;
  /** The confirmed reports as the coordinator's list showed them: each at the version seen. */
  reports: { id: number; version: number }[];
}

/**
 * Certifies a month's confirmed reports in one action, all or none: every
 * report is loaded with the caller's grant first (another municipality's id
 * is a 404 and nothing is written), then one transaction claims each at the
 * version the list showed and freezes it, with its own event and audit entry.
 * A report someone else changed in between rolls the whole action back (409).
 * "manager": each participant's recorded nearest manager has certified; a
 * report without one is certified on its own page.
 */
export async function certifyMonth(ctx: Ctx, submitted: Checked<CertifyMonthInput>): Promise<Result<number>> {
  await requireRole(ctx, "timereports:certify");
  if (submitted.status !== "success") return INPUT_REFUSED;
  const input = submitted.value;
  const versions = new Map(input.reports.map((r) => [r.id, r.version]));
  if (versions.size !== input.reports.length) return refuse("Samma tidrapport finns två gånger i listan. Ladda om sidan.");
  const reports: LoadedReport[] = [];
  for (const id of versions.keys()) {
    const report = await loadReport(ctx, id);
    await requireGrant(ctx, "timereports:certify", { municipalityId: report.municipality_id }, { entity: "time_report", entityId: id });
    reports.push(report);
  }
  if (input.certifiedAs === "manager") {
    const withoutManager = await ctx.db
      .selectFrom("participants")
      .select("id")
      .where("id", "in", reports.map((r) => r.participant_id))
      .where((eb) => eb.or([eb("manager_name", "is", null), eb("manager_name", "=", "")]))
      .execute();
    if (withoutManager.length) {
      return refuse(
        `${withoutManager.length === 1 ? "En deltagare" : `${withoutManager.length} deltagare`} saknar närmaste chef. Attestera de tidrapporterna en och en, eller lägg in chefen först.`,
      );
    }
  }
  const result = await ctx.db
    .transaction()
    .execute(async (trx) => {
      for (const report of reports) {
        const done = await certifyInside(trx, ctx, report, versions.get(report.id)!, input.certifiedAs, null);
        if (done === "claimed") throw new RefusalThrown(STALE_MONTH);
        if (!done.ok) throw new RefusalThrown(done.message ?? STALE_MONTH);
      }
      return ok(reports.length);
    })
    .catch((error: unknown) => (error instanceof RefusalThrown && error.message === STALE_MONTH ? conflict(STALE_MONTH) : refusalOf(error)));
  return result;
}

export const STALE_MONTH = "Någon av tidrapporterna har ändrats sedan listan visades. Inget är attesterat: ladda om sidan och försök igen.";
