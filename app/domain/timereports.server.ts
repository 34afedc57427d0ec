/**
 * Monthly time reports (tidredovisning): per participant, programme and
 * Stockholm calendar month, the hours per date and activity from attendance
 * and approved own activities. The participant confirms, the nearest manager
 * certifies (recorded by the coordinator, or the coordinator certifies on the
 * manager's behalf where the programme allows it), and a certified report is a
 * frozen snapshot of its lines, hours, unit cost and value: changing anything
 * in its month first needs a traced reopening.
 *
 * Every step is a conditional write: the report's version (and the state the
 * step starts from) is in the UPDATE's WHERE clause, which is the first
 * statement of the transaction, so a second writer either sees the first one's
 * result or finds nothing to update (docs/decisions/016-certified-time-reports.md).
 */
import { sql, type SqlBool } from "kysely";
import { nowIso, type Db } from "~/db/connection.server";
import type {
  CertifiedAs,
  Funding,
  OwnActivityKind,
  OwnActivityStatus,
  RoundingRule,
  SessionKind,
  TimeReportEventTable,
  TimeReportStatus,
} from "~/db/schema";
import { stockholmToday } from "~/utils/format";
import { addMonthsToMonth, monthBounds, roundMonthTotal, valueInOre } from "~/utils/hours";
import { writeAudit } from "./audit.server";
import {
  can,
  coordinatedMunicipalityIds,
  denied,
  notFound,
  ownParticipantIds,
  requireGrant,
  requireRole,
  type Ctx,
} from "./context.server";

export const DEFAULT_SETTINGS = { completionPercent: 80, rounding: "hour_down" as RoundingRule, onBehalfAllowed: false };

/** One date and activity of a report. `kind` is a session kind or an own activity's kind, by `source`. */
export interface ReportLine {
  date: string;
  source: "session" | "own_activity";
  sourceId: number;
  kind: SessionKind | OwnActivityKind | null;
  title: string;
  minutes: number;
}

export interface ProgrammeSettings {
  completionPercent: number;
  /** The rounding that applies: always whole hours for an ESF-funded programme. */
  rounding: RoundingRule;
  /** Whether a coordinator may certify on the nearest manager's behalf. */
  onBehalfAllowed: boolean;
  funding: Funding;
}

export type ActionResult = { ok: true } | { ok: false; status: 400 | 409; message: string };

export const STALE_REPORT = "Tidrapporten har ändrats av någon annan, ladda om sidan.";

const refuse = (status: 400 | 409, message: string): ActionResult => ({ ok: false, status, message });

/**
 * ESF-rådet counts whole hours, rounded down on the month's total; finer
 * rounding is for programmes without ESF funding. Applied when the settings
 * are read, so a programme that becomes ESF-funded counts whole hours at once.
 */
export function effectiveRounding(funding: Funding, stored: RoundingRule): RoundingRule {
  return funding === "esf" ? "hour_down" : stored;
}

export async function getProgrammeSettings(db: Db, programmeId: number): Promise<ProgrammeSettings> {
  const row = await db
    .selectFrom("programmes as g")
    .leftJoin("programme_settings as s", "s.programme_id", "g.id")
    .select(["g.funding", "s.completion_percent", "s.rounding", "s.on_behalf_allowed"])
    .where("g.id", "=", programmeId)
    .executeTakeFirstOrThrow();
  return {
    completionPercent: row.completion_percent ?? DEFAULT_SETTINGS.completionPercent,
    rounding: effectiveRounding(row.funding, row.rounding ?? DEFAULT_SETTINGS.rounding),
    onBehalfAllowed: row.on_behalf_allowed === 1,
    funding: row.funding,
  };
}

/** The lines a report consists of right now: attended sessions and approved own activities in the month. */
export async function computeReportLines(db: Db, participantId: number, programmeId: number, month: string): Promise<ReportLine[]> {
  const { fromIso, toIso } = monthBounds(month);
  const sessions = await db
    .selectFrom("attendance as a")
    .innerJoin("sessions as s", "s.id", "a.session_id")
    .innerJoin("cohorts as c", "c.id", "s.cohort_id")
    .select(["s.id", "s.title", "s.kind", "s.starts_at", "a.minutes"])
    .where("a.participant_id", "=", participantId)
    .where("c.programme_id", "=", programmeId)
    .where("s.status", "<>", "cancelled")
    .where("s.starts_at", ">=", fromIso)
    .where("s.starts_at", "<", toIso)
    .where("a.minutes", ">", 0)
    .execute();
  const own = await db
    .selectFrom("own_activities")
    .select(["id", "kind", "activity_on", "minutes", "description"])
    .where("participant_id", "=", participantId)
    .where("programme_id", "=", programmeId)
    .where("status", "=", "approved")
    .where("activity_on", ">=", `${month}-01`)
    .where("activity_on", "<", `${addMonthsToMonth(month, 1)}-01`)
    .execute();
  const lines: ReportLine[] = [
    ...sessions.map((s) => ({
      date: stockholmDate(s.starts_at),
      source: "session" as const,
      sourceId: s.id,
      kind: s.kind,
      title: s.title,
      minutes: s.minutes,
    })),
    ...own.map((o) => ({
      date: o.activity_on,
      source: "own_activity" as const,
      sourceId: o.id,
      kind: o.kind,
      title: o.description,
      minutes: o.minutes,
    })),
  ];
  return lines.sort((a, b) => a.date.localeCompare(b.date) || a.source.localeCompare(b.source) || a.title.localeCompare(b.title, "sv"));
}

function stockholmDate(iso: string): string {
  return stockholmToday(new Date(iso));
}

export function sumMinutes(lines: { minutes: number }[]): number {
  return lines.reduce((sum, l) => sum + l.minutes, 0);
}

/** Finds or creates the (draft) report for a participant's month. */
export async function ensureTimeReport(
  db: Db,
  key: { participantId: number; municipalityId: number; programmeId: number; month: string },
): Promise<{ id: number; status: TimeReportStatus }> {
  const now = nowIso();
  await db
    .insertInto("time_reports")
    .values({
      participant_id: key.participantId,
      municipality_id: key.municipalityId,
      programme_id: key.programmeId,
      month: key.month,
      status: "draft",
      needs_review: 0,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(["participant_id", "programme_id", "month"]).doNothing())
    .execute();
  return db
    .selectFrom("time_reports")
    .select(["id", "status"])
    .where("participant_id", "=", key.participantId)
    .where("programme_id", "=", key.programmeId)
    .where("month", "=", key.month)
    .executeTakeFirstOrThrow();
}

/** True when the participant's report for the month is certified: its hours may not change. */
export async function isMonthCertified(db: Db, participantId: number, programmeId: number, month: string): Promise<boolean> {
  const row = await db
    .selectFrom("time_reports")
    .select("id")
    .where("participant_id", "=", participantId)
    .where("programme_id", "=", programmeId)
    .where("month", "=", month)
    .where("status", "=", "certified")
    .executeTakeFirst();
  return !!row;
}

/**
 * Call (inside the writing transaction) after the hours of a month changed. A
 * confirmation covered the old hours, so a confirmed report goes back to draft.
 * Callers refuse changes to certified months before they write.
 */
export async function noteHoursChanged(
  db: Db,
  key: { participantId: number; municipalityId: number; programmeId: number; month: string },
  actorUserId: number | null,
): Promise<void> {
  const report = await ensureTimeReport(db, key);
  if (report.status === "certified") throw new Error(`time report ${report.id} is certified and cannot change`);
  if (report.status !== "confirmed") return;
  const now = nowIso();
  await db
    .updateTable("time_reports")
    .set((eb) => ({ status: "draft", confirmed_by: null, confirmed_at: null, updated_at: now, version: eb("version", "+", 1) }))
    .where("id", "=", report.id)
    .execute();
  await db
    .insertInto("time_report_events")
    .values({ time_report_id: report.id, kind: "returned_to_draft", actor_user_id: actorUserId, at: now, reason: "Timmarna ändrades efter bekräftelsen" })
    .execute();
}

// ---------------------------------------------------------------- reading

export interface TimeReportSummary {
  id: number;
  participantId: number;
  participantName: string;
  municipalityName: string;
  programmeId: number;
  programmeName: string;
  month: string;
  status: TimeReportStatus;
  needsReview: boolean;
  rawMinutes: number;
  minutes: number;
  version: number;
}

type SummaryRow = {
  id: number;
  participant_id: number;
  first_name: string;
  last_name: string;
  municipality_name: string;
  programme_id: number;
  programme_name: string;
  month: string;
  status: TimeReportStatus;
  needs_review: number;
  certified_raw_minutes: number | null;
  certified_minutes: number | null;
  version: number;
};

function summaryQuery(db: Db) {
  return db
    .selectFrom("time_reports as r")
    .innerJoin("participants as p", "p.id", "r.participant_id")
    .innerJoin("municipalities as m", "m.id", "r.municipality_id")
    .innerJoin("programmes as g", "g.id", "r.programme_id")
    .select([
      "r.id",
      "r.participant_id",
      "p.first_name",
      "p.last_name",
      "m.name as municipality_name",
      "r.programme_id",
      "g.name as programme_name",
      "r.month",
      "r.status",
      "r.needs_review",
      "r.certified_raw_minutes",
      "r.certified_minutes",
      "r.version",
    ]);
}

async function summarise(db: Db, rows: SummaryRow[]): Promise<TimeReportSummary[]> {
  const settings = new Map<number, ProgrammeSettings>();
  const result: TimeReportSummary[] = [];
  for (const r of rows) {
    let rawMinutes: number;
    let minutes: number;
    if (r.status === "certified") {
      rawMinutes = r.certified_raw_minutes ?? 0;
      minutes = r.certified_minutes ?? 0;
    } else {
      if (!settings.has(r.programme_id)) settings.set(r.programme_id, await getProgrammeSettings(db, r.programme_id));
      rawMinutes = sumMinutes(await computeReportLines(db, r.participant_id, r.programme_id, r.month));
      minutes = roundMonthTotal(rawMinutes, settings.get(r.programme_id)!.rounding);
    }
    result.push({
      id: r.id,
      participantId: r.participant_id,
      participantName: `${r.first_name} ${r.last_name}`,
      municipalityName: r.municipality_name,
      programmeId: r.programme_id,
      programmeName: r.programme_name,
      month: r.month,
      status: r.status,
      needsReview: r.needs_review === 1,
      rawMinutes,
      minutes,
      version: r.version,
    });
  }
  return result;
}

export interface OwnActivityRow {
  id: number;
  participantName: string;
  programmeName: string;
  kind: OwnActivityKind;
  activityOn: string;
  minutes: number;
  description: string;
  status: OwnActivityStatus;
  reason: string | null;
}

function ownActivityQuery(db: Db) {
  return db
    .selectFrom("own_activities as o")
    .innerJoin("participants as p", "p.id", "o.participant_id")
    .innerJoin("programmes as g", "g.id", "o.programme_id")
    .select(["o.id", "p.first_name", "p.last_name", "g.name as programme_name", "o.kind", "o.activity_on", "o.minutes", "o.description", "o.status", "o.reason"]);
}

function toOwnActivity(r: {
  id: number;
  first_name: string;
  last_name: string;
  programme_name: string;
  kind: OwnActivityKind;
  activity_on: string;
  minutes: number;
  description: string;
  status: OwnActivityStatus;
  reason: string | null;
}): OwnActivityRow {
  return {
    id: r.id,
    participantName: `${r.first_name} ${r.last_name}`,
    programmeName: r.programme_name,
    kind: r.kind,
    activityOn: r.activity_on,
    minutes: r.minutes,
    description: r.description,
    status: r.status,
    reason: r.reason,
  };
}

/** The trainee's page: their reports, their own activities and the programmes they may record time for. */
export async function getMyTime(ctx: Ctx) {
  const participantIds = ownParticipantIds(ctx);
  if (!participantIds.length) await denied(ctx, "timereports:self");
  const reports = await summarise(
    ctx.db,
    await summaryQuery(ctx.db).where("r.participant_id", "in", participantIds).orderBy("r.month", "desc").orderBy("g.name").execute(),
  );
  const activities = (
    await ownActivityQuery(ctx.db)
      .where("o.participant_id", "in", participantIds)
      .orderBy("o.activity_on", "desc")
      .orderBy("o.id", "desc")
      .limit(50)
      .execute()
  ).map(toOwnActivity);
  const programmes = await activeProgrammesOf(ctx.db, participantIds);
  return { reports, activities, programmes };
}

async function activeProgrammesOf(db: Db, participantIds: number[]) {
  return db
    .selectFrom("enrolments as e")
    .innerJoin("cohorts as c", "c.id", "e.cohort_id")
    .innerJoin("programmes as g", "g.id", "c.programme_id")
    .select(["g.id", "g.name"])
    .distinct()
    .where("e.participant_id", "in", participantIds)
    .where("e.status", "=", "active")
    .orderBy("g.name")
    .execute();
}

/** The coordinator's page: the municipality's reports for a month, and own activities awaiting a decision. */
export async function getMunicipalityTimeReports(ctx: Ctx, input: { month: string; status?: TimeReportStatus }) {
  const municipalityIds = coordinatedMunicipalityIds(ctx);
  if (!municipalityIds.length) await denied(ctx, "timereports:certify");
  let query = summaryQuery(ctx.db).where("r.municipality_id", "in", municipalityIds).where("r.month", "=", input.month);
  if (input.status) query = query.where("r.status", "=", input.status);
  const reports = await summarise(ctx.db, await query.orderBy("p.last_name").orderBy("p.first_name").orderBy("g.name").execute());
  const pending = (
    await ownActivityQuery(ctx.db)
      .where("o.municipality_id", "in", municipalityIds)
      .where("o.status", "=", "pending")
      .orderBy("o.activity_on")
      .limit(100)
      .execute()
  ).map(toOwnActivity);
  const flagged = await ctx.db
    .selectFrom("time_reports")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("municipality_id", "in", municipalityIds)
    .where("needs_review", "=", 1)
    .executeTakeFirstOrThrow();
  return { reports, pending, flaggedCount: Number(flagged.n) };
}

export interface TimeReportEvent {
  kind: string;
  at: string;
  actorName: string | null;
  reason: string | null;
}

export interface TimeReportDetail extends TimeReportSummary {
  lines: ReportLine[];
  rounding: RoundingRule;
  confirmedAt: string | null;
  confirmedByName: string | null;
  certifiedAt: string | null;
  certifiedByName: string | null;
  /** How the certification was given, and the manager it names (as certified). */
  certifiedAs: CertifiedAs | null;
  certifiedManagerName: string | null;
  /** The nearest manager recorded on the participant today: the default for a new certification. */
  managerName: string | null;
  onBehalfAllowed: boolean;
  /** As frozen at certification; null before, or when no unit cost was set then. */
  hourlyCostOre: number | null;
  valueOre: number | null;
  events: TimeReportEvent[];
  /** Whether the reader is the participant themself (else their coordinator). */
  ownReport: boolean;
  can: { confirm: boolean; certify: boolean; reopen: boolean; markReviewed: boolean };
}

async function loadReport(ctx: Ctx, reportId: number) {
  await requireRole(ctx, "timereports:read", { entity: "time_report", entityId: reportId });
  const report = await ctx.db.selectFrom("time_reports").selectAll().where("id", "=", reportId).executeTakeFirst();
  if (!report) throw notFound();
  await requireGrant(
    ctx,
    "timereports:read",
    { municipalityId: report.municipality_id, participantId: report.participant_id },
    { entity: "time_report", entityId: reportId },
  );
  return report;
}

/** For actions: a report the caller may not read is a 404 before their input is looked at. */
export async function assertCanReadTimeReport(ctx: Ctx, reportId: number): Promise<void> {
  await loadReport(ctx, reportId);
}

/** For actions: only a participant records own activities, only a coordinator decides them. */
export async function assertTimeRole(ctx: Ctx, role: "participant" | "coordinator"): Promise<void> {
  if (role === "participant" && !ownParticipantIds(ctx).length) await denied(ctx, "timereports:self");
  if (role === "coordinator" && !coordinatedMunicipalityIds(ctx).length) await denied(ctx, "timereports:certify");
}

export async function getTimeReport(ctx: Ctx, reportId: number): Promise<TimeReportDetail> {
  const report = await loadReport(ctx, reportId);
  return detailOf(ctx, report);
}

async function detailOf(ctx: Ctx, report: Awaited<ReturnType<typeof loadReport>>): Promise<TimeReportDetail> {
  const reportId = report.id;
  const [summary] = await summarise(ctx.db, await summaryQuery(ctx.db).where("r.id", "=", reportId).execute());
  const certified = report.status === "certified";
  const lines: ReportLine[] = certified
    ? (JSON.parse(report.certified_lines ?? "[]") as ReportLine[])
    : await computeReportLines(ctx.db, report.participant_id, report.programme_id, report.month);
  const settings = await getProgrammeSettings(ctx.db, report.programme_id);
  const rounding = certified && report.rounding ? report.rounding : settings.rounding;
  const participant = await ctx.db.selectFrom("participants").select("manager_name").where("id", "=", report.participant_id).executeTakeFirstOrThrow();
  const userName = async (id: number | null) =>
    id == null ? null : ((await ctx.db.selectFrom("users").select("name").where("id", "=", id).executeTakeFirst())?.name ?? null);
  const events = await ctx.db
    .selectFrom("time_report_events as e")
    .leftJoin("users as u", "u.id", "e.actor_user_id")
    .select(["e.kind", "e.at", "u.name as actorName", "e.reason"])
    .where("e.time_report_id", "=", reportId)
    .orderBy("e.at")
    .orderBy("e.id")
    .execute();
  const self = { participantId: report.participant_id };
  const coordinator = { municipalityId: report.municipality_id };
  return {
    ...summary,
    lines,
    rounding,
    confirmedAt: report.confirmed_at,
    confirmedByName: report.confirmed_at ? summary.participantName : null,
    certifiedAt: report.certified_at,
    certifiedByName: await userName(report.certified_by),
    certifiedAs: report.certified_as,
    certifiedManagerName: report.certified_manager_name,
    managerName: participant.manager_name,
    onBehalfAllowed: settings.onBehalfAllowed,
    hourlyCostOre: certified ? report.certified_hourly_cost_ore : null,
    valueOre: certified ? report.certified_value_ore : null,
    events,
    ownReport: can(ctx, "timereports:self", self),
    can: {
      confirm: (report.status === "draft" || report.status === "reopened") && can(ctx, "timereports:self", self),
      certify: report.status === "confirmed" && can(ctx, "timereports:certify", coordinator),
      reopen: certified && can(ctx, "timereports:certify", coordinator),
      markReviewed: certified && report.needs_review === 1 && can(ctx, "timereports:certify", coordinator),
    },
  };
}

export interface TimeReportCertificate extends TimeReportDetail {
  /** 12 digits, or null when none is recorded. */
  personnummer: string | null;
  esfProjectNumber: string | null;
  funding: Funding;
  employerOrgNumber: string | null;
}

/**
 * The printable monthly certificate for the funder: the report with the
 * participant's full personnummer, the ESF project and the employer. Showing
 * a full personnummer is audited (ids only).
 */
export async function getTimeReportCertificate(ctx: Ctx, reportId: number): Promise<TimeReportCertificate> {
  const report = await loadReport(ctx, reportId);
  const detail = await detailOf(ctx, report);
  const extra = await ctx.db
    .selectFrom("time_reports as r")
    .innerJoin("programmes as g", "g.id", "r.programme_id")
    .innerJoin("municipalities as m", "m.id", "r.municipality_id")
    .leftJoin("participant_identities as pi", "pi.participant_id", "r.participant_id")
    .select(["pi.personnummer", "g.esf_project_number", "g.funding", "m.org_number"])
    .where("r.id", "=", reportId)
    .executeTakeFirstOrThrow();
  await writeAudit(ctx.db, {
    actorUserId: ctx.user.id,
    municipalityId: report.municipality_id,
    action: "time_report.certificate_shown",
    entity: "time_report",
    entityId: reportId,
    detail: { participantId: report.participant_id, fields: extra.personnummer ? ["personnummer"] : [] },
  });
  return {
    ...detail,
    personnummer: extra.personnummer,
    esfProjectNumber: extra.esf_project_number,
    funding: extra.funding,
    employerOrgNumber: extra.org_number,
  };
}

// ---------------------------------------------------------------- writing

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
async function refusalAfterFailedClaim(db: Db, reportId: number, version: number, wrongState: string): Promise<ActionResult> {
  const now = await db.selectFrom("time_reports").select("version").where("id", "=", reportId).executeTakeFirst();
  return refuse(409, now && now.version !== version ? STALE_REPORT : wrongState);
}

/** The participant confirms that the month's hours are right. */
export async function confirmTimeReport(ctx: Ctx, reportId: number, version: number): Promise<ActionResult> {
  const report = await loadReport(ctx, reportId);
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
  return done ? { ok: true } : refusalAfterFailedClaim(ctx.db, reportId, version, "Tidrapporten är redan bekräftad.");
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
export async function certifyTimeReport(ctx: Ctx, reportId: number, input: CertifyInput): Promise<ActionResult> {
  const report = await loadReport(ctx, reportId);
  await requireGrant(ctx, "timereports:certify", { municipalityId: report.municipality_id }, { entity: "time_report", entityId: reportId });
  const managerName = input.managerName?.trim() || null;
  if (input.certifiedAs === "manager" && !managerName) return refuse(400, "Ange namnet på den närmaste chef som har attesterat.");
  const now = nowIso();
  const result = await ctx.db.transaction().execute(async (trx): Promise<ActionResult | "claimed"> => {
    if (!(await claimReport(trx, reportId, input.version, { statuses: ["confirmed"] }))) return "claimed";
    // Read under the write lock: the settings, salary group and unit cost the snapshot freezes.
    const settings = await getProgrammeSettings(trx, report.programme_id);
    if (input.certifiedAs === "on_behalf" && !settings.onBehalfAllowed) {
      throw new Refusal(400, "Programmet tillåter inte att samordnaren attesterar på chefens vägnar. Registrera chefens attest i stället.");
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
        certified_as: input.certifiedAs,
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
    await addEvent(trx, reportId, "certified", ctx.user.id, input.certifiedAs === "on_behalf" ? "På chefens vägnar" : null);
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: report.municipality_id,
      action: "time_report.certified",
      entity: "time_report",
      entityId: reportId,
      detail: {
        participantId: report.participant_id,
        month: report.month,
        certifiedAs: input.certifiedAs,
        fields: ["status", "certified_minutes", "certified_hourly_cost_ore", "certified_value_ore", "certified_lines", "certified_manager_name"],
      },
    });
    return { ok: true };
  }).catch(refusalOf);
  return result === "claimed"
    ? refusalAfterFailedClaim(ctx.db, reportId, input.version, "Deltagaren måste bekräfta tidrapporten innan den kan attesteras.")
    : result;
}

/** A refusal found inside a transaction: thrown to roll it back, answered as a result. */
class Refusal extends Error {
  constructor(
    readonly status: 400 | 409,
    message: string,
  ) {
    super(message);
  }
}

function refusalOf(error: unknown): ActionResult {
  if (error instanceof Refusal) return refuse(error.status, error.message);
  throw error;
}

/**
 * The only way to change a certified month: reopen it with a reason. Later
 * certified months of the same participant and programme are flagged for review,
 * since a correction may move time between months.
 */
export async function reopenTimeReport(ctx: Ctx, reportId: number, input: { version: number; reason: string }): Promise<ActionResult> {
  const report = await loadReport(ctx, reportId);
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
      await addEvent(trx, id, "flagged_for_review", ctx.user.id, `Tidrapporten för ${report.month} öppnades igen.`);
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
  return done ? { ok: true } : refusalAfterFailedClaim(ctx.db, reportId, input.version, "Bara en attesterad tidrapport kan öppnas igen.");
}

/** The coordinator has checked a flagged month against the reopened one; from now on it counts in the co-financing totals. */
export async function markTimeReportReviewed(ctx: Ctx, reportId: number, version: number): Promise<ActionResult> {
  const report = await loadReport(ctx, reportId);
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
  return done ? { ok: true } : refusalAfterFailedClaim(ctx.db, reportId, version, "Tidrapporten behöver ingen granskning.");
}

// ---------------------------------------------------------------- own activities

export async function recordOwnActivity(
  ctx: Ctx,
  input: { programmeId: number; kind: OwnActivityKind; date: string; minutes: number; description: string },
  today: string = stockholmToday(),
): Promise<ActionResult> {
  const participantIds = ownParticipantIds(ctx);
  if (!participantIds.length) await denied(ctx, "timereports:self");
  const enrolment = await ctx.db
    .selectFrom("enrolments as e")
    .innerJoin("cohorts as c", "c.id", "e.cohort_id")
    .select(["e.participant_id", "e.municipality_id"])
    .where("e.participant_id", "in", participantIds)
    .where("c.programme_id", "=", input.programmeId)
    .where("e.status", "=", "active")
    .executeTakeFirst();
  if (!enrolment) return refuse(400, "Du är inte aktiv i det programmet.");
  await requireGrant(ctx, "timereports:self", { participantId: enrolment.participant_id });
  if (input.date > today) return refuse(400, "Du kan bara redovisa tid som redan har ägt rum.");
  if (await isMonthCertified(ctx.db, enrolment.participant_id, input.programmeId, input.date.slice(0, 7))) {
    return refuse(409, "Tidrapporten för den månaden är redan attesterad. Kontakta din samordnare.");
  }
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("own_activities")
      .values({
        participant_id: enrolment.participant_id,
        municipality_id: enrolment.municipality_id,
        programme_id: input.programmeId,
        kind: input.kind,
        activity_on: input.date,
        minutes: input.minutes,
        description: input.description,
        status: "pending",
        created_by: ctx.user.id,
        created_at: nowIso(),
        decided_by: null,
        decided_at: null,
        reason: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: enrolment.municipality_id,
      action: "own_activity.recorded",
      entity: "own_activity",
      entityId: row.id,
      detail: { participantId: enrolment.participant_id, fields: ["kind", "activity_on", "minutes", "description"] },
    });
  });
  return { ok: true };
}

export async function decideOwnActivity(
  ctx: Ctx,
  activityId: number,
  input: { decision: "approve" | "reject"; reason?: string },
): Promise<ActionResult> {
  await requireRole(ctx, "timereports:certify", { entity: "own_activity", entityId: activityId });
  const activity = await ctx.db.selectFrom("own_activities").selectAll().where("id", "=", activityId).executeTakeFirst();
  if (!activity) throw notFound();
  await requireGrant(
    ctx,
    "timereports:certify",
    { municipalityId: activity.municipality_id },
    { entity: "own_activity", entityId: activityId },
  );
  if (input.decision === "reject" && !input.reason?.trim()) return refuse(400, "Skriv varför aktiviteten avslås.");
  const month = activity.activity_on.slice(0, 7);
  const approve = input.decision === "approve";
  const certifiedMonth = `Tidrapporten för ${month} är attesterad. Öppna den igen innan aktiviteten godkänns.`;
  return ctx.db.transaction().execute(async (trx): Promise<ActionResult> => {
    // One statement decides and checks: still pending, and (to approve) its month not certified.
    const updated = await trx
      .updateTable("own_activities")
      .set({ status: approve ? "approved" : "rejected", decided_by: ctx.user.id, decided_at: nowIso(), reason: input.reason?.trim() || null })
      .where("id", "=", activityId)
      .where("status", "=", "pending")
      .where((eb) =>
        approve
          ? eb.not(
              eb.exists(
                eb
                  .selectFrom("time_reports as r")
                  .select(sql`1`.as("one"))
                  .where("r.participant_id", "=", activity.participant_id)
                  .where("r.programme_id", "=", activity.programme_id)
                  .where("r.month", "=", month)
                  .where("r.status", "=", "certified"),
              ),
            )
          : sql<SqlBool>`1 = 1`,
      )
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      const now = await trx.selectFrom("own_activities").select("status").where("id", "=", activityId).executeTakeFirstOrThrow();
      return refuse(409, now.status !== "pending" ? "Aktiviteten är redan beslutad." : certifiedMonth);
    }
    if (approve) {
      await noteHoursChanged(
        trx,
        { participantId: activity.participant_id, municipalityId: activity.municipality_id, programmeId: activity.programme_id, month },
        ctx.user.id,
      );
    }
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: activity.municipality_id,
      action: approve ? "own_activity.approved" : "own_activity.rejected",
      entity: "own_activity",
      entityId: activityId,
      detail: { participantId: activity.participant_id, fields: ["status", "reason"] },
    });
    return { ok: true };
  });
}
