/**
 * The hours ledger: what a participant's month of a programme adds up to
 * (attended sessions and approved own activities, per Stockholm calendar
 * date), the programme's counting rules, and the draft report that follows
 * the hours. These helpers take a handle and ids and check no grant: the
 * time-report, attendance and co-financing modules call them after checking.
 */
import { nowIso, type Db } from "~/db/connection.server";
import type { Funding, OwnActivityKind, RoundingRule, SessionKind, TimeReportStatus } from "~/db/schema";
import { stockholmToday } from "~/utils/format";
import { addMonthsToMonth, monthBounds } from "~/utils/hours";

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

/**
 * ESF-rådet counts whole hours, rounded down on the month's total; finer
 * rounding is for programmes without ESF funding. Applied when the settings
 * are read, so a programme that becomes ESF-funded counts whole hours at once.
 */
function effectiveRounding(funding: Funding, stored: RoundingRule): RoundingRule {
  return funding === "esf" ? "hour_down" : stored;
}

/** The settings of each programme asked for, in one query. */
export async function programmeSettingsOf(db: Db, programmeIds: number[]): Promise<Map<number, ProgrammeSettings>> {
  const settings = new Map<number, ProgrammeSettings>();
  if (!programmeIds.length) return settings;
  const rows = await db
    .selectFrom("programmes as g")
    .leftJoin("programme_settings as s", "s.programme_id", "g.id")
    .select(["g.id", "g.funding", "s.completion_percent", "s.rounding", "s.on_behalf_allowed"])
    .where("g.id", "in", [...new Set(programmeIds)])
    .execute();
  for (const row of rows) {
    settings.set(row.id, {
      completionPercent: row.completion_percent ?? DEFAULT_SETTINGS.completionPercent,
      rounding: effectiveRounding(row.funding, row.rounding ?? DEFAULT_SETTINGS.rounding),
      onBehalfAllowed: row.on_behalf_allowed === 1,
      funding: row.funding,
    });
  }
  return settings;
}

export async function getProgrammeSettings(db: Db, programmeId: number): Promise<ProgrammeSettings> {
  const settings = (await programmeSettingsOf(db, [programmeId])).get(programmeId);
  if (!settings) throw new Error(`programme ${programmeId} does not exist`);
  return settings;
}

interface LedgerRange {
  participantIds: number[];
  programmeIds: number[];
  /** The first and last month (YYYY-MM) of the range, both included. */
  firstMonth: string;
  lastMonth: string;
}

type LedgerLine = ReportLine & { participantId: number; programmeId: number };

/** Every line of the given participants and programmes in the months: attended sessions and approved own activities. */
async function ledgerLines(db: Db, range: LedgerRange): Promise<LedgerLine[]> {
  const { fromIso } = monthBounds(range.firstMonth);
  const { toIso } = monthBounds(range.lastMonth);
  const sessions = await db
    .selectFrom("attendance as a")
    .innerJoin("sessions as s", "s.id", "a.session_id")
    .innerJoin("cohorts as c", "c.id", "s.cohort_id")
    .select(["a.participant_id", "c.programme_id", "s.id", "s.title", "s.kind", "s.starts_at", "a.minutes"])
    .where("a.participant_id", "in", range.participantIds)
    .where("c.programme_id", "in", range.programmeIds)
    .where("s.status", "<>", "cancelled")
    .where("s.starts_at", ">=", fromIso)
    .where("s.starts_at", "<", toIso)
    .where("a.minutes", ">", 0)
    .execute();
  const own = await db
    .selectFrom("own_activities")
    .select(["participant_id", "programme_id", "id", "kind", "activity_on", "minutes", "description"])
    .where("participant_id", "in", range.participantIds)
    .where("programme_id", "in", range.programmeIds)
    .where("status", "=", "approved")
    .where("activity_on", ">=", `${range.firstMonth}-01`)
    .where("activity_on", "<", `${addMonthsToMonth(range.lastMonth, 1)}-01`)
    .execute();
  return [
    ...sessions.map((s) => ({
      participantId: s.participant_id,
      programmeId: s.programme_id,
      date: stockholmToday(new Date(s.starts_at)),
      source: "session" as const,
      sourceId: s.id,
      kind: s.kind,
      title: s.title,
      minutes: s.minutes,
    })),
    ...own.map((o) => ({
      participantId: o.participant_id,
      programmeId: o.programme_id,
      date: o.activity_on,
      source: "own_activity" as const,
      sourceId: o.id,
      kind: o.kind,
      title: o.description,
      minutes: o.minutes,
    })),
  ];
}

/** The lines a report consists of right now: attended sessions and approved own activities in the month. */
export async function computeReportLines(db: Db, participantId: number, programmeId: number, month: string): Promise<ReportLine[]> {
  const lines = await ledgerLines(db, { participantIds: [participantId], programmeIds: [programmeId], firstMonth: month, lastMonth: month });
  return lines
    .map(({ participantId: _participant, programmeId: _programme, ...line }) => line)
    .sort((a, b) => a.date.localeCompare(b.date) || a.source.localeCompare(b.source) || a.title.localeCompare(b.title, "sv"));
}

export interface LedgerKey {
  participantId: number;
  programmeId: number;
  month: string;
}

const keyOf = (k: LedgerKey) => `${k.participantId}|${k.programmeId}|${k.month}`;

/** The unrounded minutes of many participant-months at once (two queries, however many reports). */
export async function minutesOf(db: Db, keys: LedgerKey[]): Promise<(key: LedgerKey) => number> {
  const totals = new Map<string, number>();
  if (keys.length) {
    const months = keys.map((k) => k.month).sort();
    const lines = await ledgerLines(db, {
      participantIds: [...new Set(keys.map((k) => k.participantId))],
      programmeIds: [...new Set(keys.map((k) => k.programmeId))],
      firstMonth: months[0],
      lastMonth: months[months.length - 1],
    });
    for (const line of lines) {
      const key = keyOf({ participantId: line.participantId, programmeId: line.programmeId, month: line.date.slice(0, 7) });
      totals.set(key, (totals.get(key) ?? 0) + line.minutes);
    }
  }
  return (key) => totals.get(keyOf(key)) ?? 0;
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
