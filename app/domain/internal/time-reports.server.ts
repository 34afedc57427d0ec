/**
 * What the time-report pages share: the one way a report is loaded (with the
 * reader's grant checked), and the summary and own-activity queries. The
 * summary queries take a handle: callers scope them by the caller's grants.
 */
import type { Db } from "~/db/connection.server";
import type { OwnActivityKind, OwnActivityStatus, TimeReportStatus } from "~/db/schema";
import { roundMonthTotal } from "~/utils/hours";
import { requireGrant, requireRole, type Ctx } from "../context.server";
import { minutesOf, programmeSettingsOf } from "./hours-ledger.server";
import { refuseUnseen } from "./system-handle.server";

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

export function summaryQuery(db: Db) {
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

/** Summaries of many reports in four queries: certified ones as frozen, the others from the ledger now. */
export async function summarise(db: Db, rows: SummaryRow[]): Promise<TimeReportSummary[]> {
  const open = rows.filter((r) => r.status !== "certified");
  const settings = await programmeSettingsOf(db, open.map((r) => r.programme_id));
  const ledger = await minutesOf(db, open.map((r) => ({ participantId: r.participant_id, programmeId: r.programme_id, month: r.month })));
  return rows.map((r) => {
    const certified = r.status === "certified";
    const rawMinutes = certified ? (r.certified_raw_minutes ?? 0) : ledger({ participantId: r.participant_id, programmeId: r.programme_id, month: r.month });
    return {
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
      minutes: certified ? (r.certified_minutes ?? 0) : roundMonthTotal(rawMinutes, settings.get(r.programme_id)!.rounding),
      version: r.version,
    };
  });
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

export function ownActivityQuery(db: Db) {
  return db
    .selectFrom("own_activities as o")
    .innerJoin("participants as p", "p.id", "o.participant_id")
    .innerJoin("programmes as g", "g.id", "o.programme_id")
    .select(["o.id", "p.first_name", "p.last_name", "g.name as programme_name", "o.kind", "o.activity_on", "o.minutes", "o.description", "o.status", "o.reason"]);
}

export function toOwnActivity(r: {
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

/** A report the caller may read (404 when not theirs, 403 when their roles never read reports). */
export async function loadReport(ctx: Ctx, reportId: number) {
  await requireRole(ctx, "timereports:read", { entity: "time_report", entityId: reportId });
  const report = await ctx.db.selectFrom("time_reports").selectAll().where("id", "=", reportId).executeTakeFirst();
  if (!report) return refuseUnseen(ctx, { table: "time_reports", id: reportId, entity: "time_report" }, "timereports:read");
  await requireGrant(
    ctx,
    "timereports:read",
    { municipalityId: report.municipality_id, participantId: report.participant_id },
    { entity: "time_report", entityId: reportId },
  );
  return report;
}

export type LoadedReport = Awaited<ReturnType<typeof loadReport>>;
