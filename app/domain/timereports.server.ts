/**
 * Monthly time reports (tidredovisning), as their pages show them: per
 * participant, programme and Stockholm calendar month, the hours per date and
 * activity from attendance and approved own activities (the hours ledger,
 * internal/hours-ledger.server.ts). The steps that confirm, certify and reopen
 * a report are in time-report-workflow.server.ts; own activities in
 * own-activities.server.ts.
 */
import type { Db } from "~/db/connection.server";
import type { CertifiedAs, Funding, RoundingRule, TimeReportStatus } from "~/db/schema";
import { writeAudit } from "./audit.server";
import { can, coordinatedMunicipalityIds, denied, ownParticipantIds, type Ctx } from "./context.server";
import { computeReportLines, getProgrammeSettings, type ReportLine } from "./internal/hours-ledger.server";
import {
  loadReport,
  ownActivityQuery,
  summarise,
  summaryQuery,
  toOwnActivity,
  type OwnActivityRow,
  type TimeReportSummary,
} from "./internal/time-reports.server";

export type { OwnActivityRow, ReportLine, TimeReportSummary };

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

/**
 * After certifying one report: the next confirmed report of the same month
 * the caller may certify (by name, as the month's list shows them), or null.
 */
export async function nextReportToCertify(ctx: Ctx, reportId: number): Promise<number | null> {
  const report = await loadReport(ctx, reportId);
  const municipalityIds = coordinatedMunicipalityIds(ctx);
  if (!municipalityIds.length) return null;
  const next = await ctx.db
    .selectFrom("time_reports as r")
    .innerJoin("participants as p", "p.id", "r.participant_id")
    .select("r.id")
    .where("r.municipality_id", "in", municipalityIds)
    .where("r.month", "=", report.month)
    .where("r.status", "=", "confirmed")
    .where("r.id", "<>", reportId)
    .orderBy("p.last_name")
    .orderBy("p.first_name")
    .orderBy("r.id")
    .executeTakeFirst();
  return next?.id ?? null;
}
