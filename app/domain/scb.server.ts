/**
 * The monthly list for SCB (ESF participant reporting): everyone in a
 * programme who started or ended in a calendar month, with personnummer,
 * name, start and end date and the ESF project number.
 *
 * A programme lead reports the whole programme, a coordinator their own
 * municipality's share. Marking a month as reported keeps a fingerprint of
 * the list; reporting the month again later (after the list changed, or as
 * an explicit correction, "rättelse") flags every later reported month of
 * the same scope, and of the whole programme, for re-reporting, since the
 * later lists were built on the one that was wrong.
 *
 * The page shows personnummer masked; only the downloads carry them in full
 * (12 digits, ÅÅÅÅMMDDNNNN, as SCB's register files have them), and every
 * download is audited (ids only). A row without a personnummer cannot be
 * reported: the page lists those rows, and neither the downloads nor "mark as
 * reported" are given until they are fixed.
 */
import crypto from "node:crypto";
import { sql, type SqlBool } from "kysely";
import { nowIso, type Db } from "~/db/connection.server";
import type { EnrolmentStatus } from "~/db/schema";
import { stockholmToday } from "~/utils/format";
import { addMonthsToMonth } from "~/utils/hours";
import { writeAudit } from "./audit.server";
import { can, coordinatedMunicipalityIds, denied, notFound, requireGrant, type Ctx } from "./context.server";
import { visibleProgrammes } from "./programmes.server";
import { maskPersonnummer } from "./personnummer";
import { type Checked, INPUT_REFUSED, ok, type Refusal, refuse, type Result } from "./result";

export const SCB_MONTHS_SHOWN = 12;

export interface ScbRow {
  enrolmentId: number;
  participantId: number;
  municipalityName: string;
  cohortName: string;
  firstName: string;
  lastName: string;
  personnummer: string | null;
  startedOn: string;
  endedOn: string | null;
  status: EnrolmentStatus;
  startedInMonth: boolean;
  endedInMonth: boolean;
}

export interface ScbMonthStatus {
  month: string;
  started: number;
  ended: number;
  reportedAt: string | null;
  correctedAt: string | null;
  needsRereport: boolean;
}

export interface ScbScope {
  programme: { id: number; name: string; esfProjectNumber: string | null };
  /** null: the whole programme. */
  municipalityId: number | null;
  municipalityName: string | null;
}


/** Refuses (403, audited) anyone with no programme to report, before any input is read. */
async function requireScbReporter(ctx: Ctx): Promise<{ id: number; name: string }[]> {
  const programmes = await visibleProgrammes(ctx, "work");
  if (!programmes.length) await denied(ctx, "scb:report");
  return programmes;
}

async function resolveScbScope(ctx: Ctx, programmeId: number | undefined) {
  const programmes = await requireScbReporter(ctx);
  const id = programmeId ?? programmes[0].id;
  const programme = await ctx.db.selectFrom("programmes").select(["id", "name", "esf_project_number"]).where("id", "=", id).executeTakeFirst();
  if (!programme) throw notFound();
  const scope: ScbScope = {
    programme: { id: programme.id, name: programme.name, esfProjectNumber: programme.esf_project_number },
    municipalityId: null,
    municipalityName: null,
  };
  if (!can(ctx, "scb:report", { programmeId: id })) {
    const partner = await ctx.db
      .selectFrom("programme_partners as pp")
      .innerJoin("municipalities as m", "m.id", "pp.municipality_id")
      .select(["m.id", "m.name"])
      .where("pp.programme_id", "=", id)
      .where("pp.municipality_id", "in", coordinatedMunicipalityIds(ctx).length ? coordinatedMunicipalityIds(ctx) : [0])
      .orderBy("m.name")
      .executeTakeFirst();
    if (!partner) await denied(ctx, "scb:report", { entity: "programme", entityId: id });
    await requireGrant(ctx, "scb:report", { municipalityId: partner!.id }, { entity: "programme", entityId: id });
    scope.municipalityId = partner!.id;
    scope.municipalityName = partner!.name;
  }
  return { programmes, scope };
}

function monthRefusal(month: string, today: string): Refusal | null {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return refuse("Ange månaden som ÅÅÅÅ-MM.");
  if (month > today.slice(0, 7)) return refuse("Månaden har inte börjat än.");
  return null;
}

/** Enrolments of the scope that count for SCB: they have started, and ended ones have an end date. */
function scopedEnrolments(db: Db, scope: ScbScope) {
  let q = db
    .selectFrom("enrolments as e")
    .innerJoin("cohorts as c", "c.id", "e.cohort_id")
    .where("c.programme_id", "=", scope.programme.id)
    .where("e.status", "in", ["active", "completed", "dropped"])
    .where("e.started_on", "is not", null);
  if (scope.municipalityId !== null) q = q.where("e.municipality_id", "=", scope.municipalityId);
  return q;
}

async function monthRows(db: Db, scope: ScbScope, month: string): Promise<ScbRow[]> {
  const first = `${month}-01`;
  const next = `${addMonthsToMonth(month, 1)}-01`;
  const rows = await scopedEnrolments(db, scope)
    .innerJoin("participants as p", "p.id", "e.participant_id")
    .innerJoin("municipalities as m", "m.id", "e.municipality_id")
    .leftJoin("participant_identities as pi", "pi.participant_id", "e.participant_id")
    .where((eb) =>
      eb.or([
        eb.and([eb("e.started_on", ">=", first), eb("e.started_on", "<", next)]),
        eb.and([eb("e.status", "in", ["completed", "dropped"]), eb("e.ended_on", ">=", first), eb("e.ended_on", "<", next)]),
      ]),
    )
    .select([
      "e.id",
      "e.participant_id",
      "e.status",
      "e.started_on",
      "e.ended_on",
      "m.name as municipality_name",
      "c.name as cohort_name",
      "p.first_name",
      "p.last_name",
      "pi.personnummer",
    ])
    .orderBy("m.name")
    .orderBy("p.last_name")
    .orderBy("p.first_name")
    .orderBy("e.id")
    .execute();
  return rows.map((r) => {
    const ended = r.status === "completed" || r.status === "dropped";
    return {
      enrolmentId: r.id,
      participantId: r.participant_id,
      municipalityName: r.municipality_name,
      cohortName: r.cohort_name,
      firstName: r.first_name,
      lastName: r.last_name,
      personnummer: r.personnummer,
      startedOn: r.started_on!,
      endedOn: ended ? r.ended_on : null,
      status: r.status,
      startedInMonth: r.started_on! >= first && r.started_on! < next,
      endedInMonth: ended && r.ended_on != null && r.ended_on >= first && r.ended_on < next,
    };
  });
}

/** What was reported: who, with which dates and identity. A different fingerprint means the list changed. */
function fingerprintOf(rows: ScbRow[]): string {
  const lines = rows
    .map((r) => [r.enrolmentId, r.startedOn, r.endedOn ?? "", r.status, r.personnummer ?? "", r.firstName, r.lastName].join("|"))
    .sort();
  return crypto.createHash("sha256").update(lines.join("\n")).digest("hex");
}

function reportsOf(db: Db, scope: ScbScope) {
  const q = db.selectFrom("scb_reports").where("programme_id", "=", scope.programme.id);
  return scope.municipalityId === null ? q.where("municipality_id", "is", null) : q.where("municipality_id", "=", scope.municipalityId);
}

async function monthStatuses(db: Db, scope: ScbScope, months: string[]): Promise<ScbMonthStatus[]> {
  const first = `${months[months.length - 1]}-01`;
  const started = await scopedEnrolments(db, scope)
    .where("e.started_on", ">=", first)
    .select([sql<string>`substr(e.started_on, 1, 7)`.as("month"), sql<number>`count(*)`.as("n")])
    .groupBy(sql`substr(e.started_on, 1, 7)`)
    .execute();
  const ended = await scopedEnrolments(db, scope)
    .where("e.status", "in", ["completed", "dropped"])
    .where("e.ended_on", ">=", first)
    .select([sql<string>`substr(e.ended_on, 1, 7)`.as("month"), sql<number>`count(*)`.as("n")])
    .groupBy(sql`substr(e.ended_on, 1, 7)`)
    .execute();
  const reports = await reportsOf(db, scope)
    .select(["month", "reported_at", "corrected_at", "needs_rereport"])
    .where("month", "in", months)
    .execute();
  return months.map((month) => {
    const report = reports.find((r) => r.month === month);
    return {
      month,
      started: Number(started.find((r) => r.month === month)?.n ?? 0),
      ended: Number(ended.find((r) => r.month === month)?.n ?? 0),
      reportedAt: report?.reported_at ?? null,
      correctedAt: report?.corrected_at ?? null,
      needsRereport: report?.needs_rereport === 1,
    };
  });
}

export interface ScbMonthPage {
  programmes: { id: number; name: string }[];
  programme: ScbScope["programme"];
  municipalityName: string | null;
  month: string;
  months: ScbMonthStatus[];
  /** Personnummer masked. */
  rows: ScbRow[];
  current: ScbMonthStatus;
  /** The list differs from the one that was reported. */
  changedSinceReport: boolean;
  /** Rows without a personnummer: to fix before the month can be exported or reported. */
  missingPersonnummer: ScbRow[];
  /** Whether the caller may open those participants (a coordinator's own municipality). */
  canFixRows: boolean;
}

export async function getScbMonth(ctx: Ctx, input: { programmeId?: number; month?: string }, today: string = stockholmToday()): Promise<Result<ScbMonthPage>> {
  const { programmes, scope } = await resolveScbScope(ctx, input.programmeId);
  const thisMonth = today.slice(0, 7);
  const month = input.month ?? addMonthsToMonth(thisMonth, -1);
  const badMonth = monthRefusal(month, today);
  if (badMonth) return badMonth;
  const months = Array.from({ length: SCB_MONTHS_SHOWN }, (_, i) => addMonthsToMonth(thisMonth, -i));
  if (!months.includes(month)) months.push(month);
  months.sort().reverse();
  const statuses = await monthStatuses(ctx.db, scope, months);
  const rows = await monthRows(ctx.db, scope, month);
  const report = await reportsOf(ctx.db, scope).select(["fingerprint"]).where("month", "=", month).executeTakeFirst();
  return ok({
    programmes,
    programme: scope.programme,
    municipalityName: scope.municipalityName,
    month,
    months: statuses,
    rows: rows.map((r) => ({ ...r, personnummer: r.personnummer ? maskPersonnummer(r.personnummer) : null })),
    current: statuses.find((s) => s.month === month)!,
    changedSinceReport: !!report && report.fingerprint !== fingerprintOf(rows),
    missingPersonnummer: rows.filter((r) => !r.personnummer).map((r) => ({ ...r, personnummer: null })),
    canFixRows: scope.municipalityId !== null,
  });
}

/** SCB wants every participant identified: no row may go out without a personnummer. */
function incompleteRefusal(rows: ScbRow[]): Refusal | null {
  const missing = rows.filter((r) => !r.personnummer).length;
  if (!missing) return null;
  return refuse(
    `${missing === 1 ? "En deltagare" : `${missing} deltagare`} i månadens lista saknar personnummer. Lägg in dem innan månaden laddas ner eller markeras som rapporterad.`,
  );
}

export interface ScbExport {
  programme: ScbScope["programme"];
  municipalityName: string | null;
  month: string;
  /** Every row with its full personnummer. */
  rows: (ScbRow & { personnummer: string })[];
}

/** The month's list with full personnummer, for SCB; the download is audited. */
export async function exportScbMonth(
  ctx: Ctx,
  input: { programmeId?: number; month: string },
  format: "csv" | "xlsx",
  today: string = stockholmToday(),
): Promise<Result<ScbExport>> {
  const { scope } = await resolveScbScope(ctx, input.programmeId);
  const badMonth = monthRefusal(input.month, today);
  if (badMonth) return badMonth;
  const rows = await monthRows(ctx.db, scope, input.month);
  const incomplete = incompleteRefusal(rows);
  if (incomplete) return incomplete;
  await writeAudit(ctx.db, {
    actorUserId: ctx.user.id,
    municipalityId: scope.municipalityId,
    action: "scb.exported",
    entity: "programme",
    entityId: scope.programme.id,
    detail: { month: input.month, format, rows: rows.length },
  });
  return ok({ programme: scope.programme, municipalityName: scope.municipalityName, month: input.month, rows: rows.map((r) => ({ ...r, personnummer: r.personnummer! })) });
}

export interface ScbReported {
  programmeId: number;
  month: string;
  /** The month had been reported before: this was a correction. */
  corrected: boolean;
  /** Later reported months now flagged for re-reporting. */
  flagged: number;
}

/**
 * Marks the month as reported. Reporting a month that was already reported
 * is a correction: every later reported month is flagged for re-reporting
 * (the same municipality's and the whole programme's; a lead's correction
 * flags every municipality's later months too).
 */
export async function markScbMonthReported(
  ctx: Ctx,
  submitted: Checked<{ programmeId: number; month: string }>,
  today: string = stockholmToday(),
): Promise<Result<ScbReported>> {
  await requireScbReporter(ctx);
  if (submitted.status !== "success") return INPUT_REFUSED;
  const input = submitted.value;
  const { scope } = await resolveScbScope(ctx, input.programmeId);
  const badMonth = monthRefusal(input.month, today);
  if (badMonth) return badMonth;
  const now = nowIso();
  return ctx.db.transaction().execute(async (trx): Promise<Result<ScbReported>> => {
    const rows = await monthRows(trx, scope, input.month);
    const incomplete = incompleteRefusal(rows);
    if (incomplete) return incomplete;
    const fingerprint = fingerprintOf(rows);
    const existing = await reportsOf(trx, scope).select(["id"]).where("month", "=", input.month).executeTakeFirst();
    let flagged = 0;
    if (existing) {
      await trx
        .updateTable("scb_reports")
        .set({ reported_at: now, reported_by: ctx.user.id, row_count: rows.length, fingerprint, needs_rereport: 0, flagged_at: null, corrected_at: now })
        .where("id", "=", existing.id)
        .execute();
      const later = await trx
        .updateTable("scb_reports")
        .set({ needs_rereport: 1, flagged_at: now })
        .where("programme_id", "=", scope.programme.id)
        .where("month", ">", input.month)
        .where(
          scope.municipalityId === null
            ? sql<SqlBool>`1 = 1`
            : sql<SqlBool>`(municipality_id is null or municipality_id = ${scope.municipalityId})`,
        )
        .executeTakeFirst();
      flagged = Number(later.numUpdatedRows);
    } else {
      await trx
        .insertInto("scb_reports")
        .values({
          programme_id: scope.programme.id,
          municipality_id: scope.municipalityId,
          month: input.month,
          reported_at: now,
          reported_by: ctx.user.id,
          row_count: rows.length,
          fingerprint,
          needs_rereport: 0,
          flagged_at: null,
          corrected_at: null,
        })
        .execute();
    }
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: scope.municipalityId,
      action: existing ? "scb.corrected" : "scb.reported",
      entity: "programme",
      entityId: scope.programme.id,
      detail: { month: input.month, rows: rows.length, flaggedLaterMonths: flagged },
    });
    return ok({ programmeId: scope.programme.id, month: input.month, corrected: !!existing, flagged });
  });
}
