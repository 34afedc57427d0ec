/**
 * Retention (gallring): how long a programme keeps its participants' data,
 * and when a participant who has left may be anonymised.
 *
 * The clock starts when the participant's last enrolment in a programme
 * ended (or the last month they reported time or activities in it, if that
 * is later). A participant may be anonymised once they have left (ended, no
 * open enrolment) and the retention of every programme they took part in has
 * passed. The rule and its defaults are explained in
 * docs/decisions/005-retention.md; the rule itself is in
 * internal/retention-rule.server.ts.
 */
import { nowIso } from "~/db/connection.server";
import { RETENTION_LIMITS, type RetentionInput } from "~/schemas/privacy";
import { stockholmToday } from "~/utils/format";
import { writeAudit } from "./audit.server";
import { coordinatedMunicipalityIds, denied, notFound, requireGrant, requireRole, type Ctx } from "./context.server";
import { loadFacts, retentionOf, statusFrom, type ProgrammeRetention } from "./internal/retention-rule.server";
import { INPUT_REFUSED, ok, refuse, type Checked, type Result } from "./result";

export type { AnonymisationBlock, ProgrammeRetention, RetentionProgrammeStatus, RetentionStatus } from "./internal/retention-rule.server";

const { min: MIN_RETENTION_MONTHS, max: MAX_RETENTION_MONTHS } = RETENTION_LIMITS;

// ---------------------------------------------------------------- programme settings

/** The administrator or the programme's lead; anyone else gets a 403 (audited). */
export async function getProgrammeRetention(ctx: Ctx, programmeId: number): Promise<ProgrammeRetention> {
  await requireRole(ctx, "retention:manage", { entity: "programme", entityId: programmeId });
  const exists = await ctx.db.selectFrom("programmes").select("id").where("id", "=", programmeId).executeTakeFirst();
  if (!exists) throw notFound();
  await requireGrant(ctx, "retention:manage", { programmeId }, { entity: "programme", entityId: programmeId });
  return (await retentionOf(ctx.db, [programmeId])).get(programmeId)!;
}

export async function setProgrammeRetention(ctx: Ctx, programmeId: number, posted: Checked<RetentionInput>): Promise<Result> {
  const before = await getProgrammeRetention(ctx, programmeId);
  if (posted.status !== "success") return INPUT_REFUSED;
  const { months } = posted.value;
  if (!Number.isInteger(months) || months < MIN_RETENTION_MONTHS || months > MAX_RETENTION_MONTHS) {
    return refuse(`Gallringsfristen ska vara mellan ${MIN_RETENTION_MONTHS} och ${MAX_RETENTION_MONTHS} månader.`);
  }
  if (!before.isDefault && before.months === months) return ok();
  const now = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("programme_retention")
      .values({ programme_id: programmeId, months, updated_by: ctx.user.id, updated_at: now })
      .onConflict((oc) => oc.column("programme_id").doUpdateSet({ months, updated_by: ctx.user.id, updated_at: now }))
      .execute();
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      action: "programme.retention_set",
      entity: "programme",
      entityId: programmeId,
      detail: { fields: ["retentionMonths"], from: before.months, to: months },
    });
  });
  return ok();
}

// ---------------------------------------------------------------- the coordinator's list

export const DUE_PAGE_SIZE = 25;

export interface DueParticipant {
  id: number;
  firstName: string;
  lastName: string;
  endedOn: string;
  anonymisableFrom: string;
  programmeNames: string[];
}

export interface DueList {
  municipality: { id: number; name: string };
  items: DueParticipant[];
  total: number;
  page: number;
  pageCount: number;
  /** Ended participants still inside a retention period. */
  waiting: number;
  /** The earliest day one of those may be anonymised. */
  nextDate: string | null;
}

/** "Att gallra": the own municipality's participants whose retention has passed, oldest first. */
export async function listDueForAnonymisation(ctx: Ctx, options: { page?: number } = {}, today: string = stockholmToday()): Promise<DueList> {
  const [municipalityId] = coordinatedMunicipalityIds(ctx);
  if (municipalityId === undefined) return denied(ctx, "participants:write", { entity: "participant" });
  await requireGrant(ctx, "participants:write", { municipalityId });

  const ended = await ctx.db
    .selectFrom("participants")
    .select(["id", "first_name", "last_name", "ended_on", "anonymised_at"])
    .where("municipality_id", "=", municipalityId)
    .where("ended_on", "is not", null)
    .where("anonymised_at", "is", null)
    .execute();
  const facts = await loadFacts(ctx.db, ended.map((p) => p.id));
  const due: DueParticipant[] = [];
  let waiting = 0;
  let nextDate: string | null = null;
  for (const p of ended) {
    const status = statusFrom(p, facts, today);
    if (status.canAnonymise) {
      due.push({
        id: p.id,
        firstName: p.first_name,
        lastName: p.last_name,
        endedOn: p.ended_on!,
        anonymisableFrom: status.anonymisableFrom!,
        programmeNames: status.programmes.map((x) => x.programmeName),
      });
    } else if (status.block === "retention") {
      waiting++;
      if (nextDate === null || status.anonymisableFrom! < nextDate) nextDate = status.anonymisableFrom;
    }
  }
  due.sort((a, b) => a.anonymisableFrom.localeCompare(b.anonymisableFrom) || a.id - b.id);
  const pageCount = Math.max(1, Math.ceil(due.length / DUE_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(options.page ?? 1)), pageCount);
  const municipality = await ctx.db.selectFrom("municipalities").select(["id", "name"]).where("id", "=", municipalityId).executeTakeFirstOrThrow();
  return {
    municipality,
    items: due.slice((page - 1) * DUE_PAGE_SIZE, page * DUE_PAGE_SIZE),
    total: due.length,
    page,
    pageCount,
    waiting,
    nextDate,
  };
}
