/**
 * Programmes (Program): who may see them, and who may create and edit them.
 *
 * Seeing: an administrator sees every programme, a programme lead and a funder
 * the programmes granted to them, a coordinator the programmes their
 * municipality owns or is a partner in. Participants have no programme pages.
 * Editing: an administrator, the owning municipality's coordinator, or the
 * programme's lead. Only an administrator moves ownership to another municipality.
 */
import { nowIso, type Db } from "~/db/connection.server";
import type { Funding, ProgrammeKind } from "~/db/schema";
import type { ProgrammeInput } from "~/schemas/programmes";
import { writeAudit } from "./audit.server";
import { conflict, INPUT_REFUSED, invalid, ok, type Checked, type Refusal, type Result } from "./result";
import {
  can,
  coordinatedMunicipalityIds,
  denied,
  fundedProgrammeIds,
  ledProgrammeIds,
  notFound,
  requireGrant,
  requireRole,
  rolesOf,
  type Ctx,
} from "./context.server";

export const PROGRAMMES_PER_PAGE = 20;

export const STALE_PROGRAMME = "Programmet har ändrats av någon annan sedan du öppnade sidan. Ladda om sidan och gör ändringen igen.";

function isAdmin(ctx: Ctx): boolean {
  return rolesOf(ctx).has("admin");
}

/**
 * Through which grants a programme is the caller's: "any" (the programme pages:
 * an administrator sees all, a funder what they fund), or "work" (the lead's
 * and the partner municipalities' coordinators' own figures: co-financing, SCB).
 */
export type ProgrammeReach = "any" | "work";

/**
 * The one rule for which programmes are the caller's: those they lead or fund,
 * and those their municipality owns or is a partner in; every programme for an
 * administrator. Everything that lists or checks programmes starts from here.
 */
function visibleProgrammesQuery(ctx: Ctx, reach: ProgrammeReach) {
  const programmes = ctx.db.selectFrom("programmes as p");
  if (reach === "any" && isAdmin(ctx)) return programmes;
  const direct = reach === "any" ? [...ledProgrammeIds(ctx), ...fundedProgrammeIds(ctx)] : ledProgrammeIds(ctx);
  const municipalities = coordinatedMunicipalityIds(ctx);
  return programmes.where((eb) =>
    eb.or([
      eb("p.id", "in", direct.length ? direct : [0]),
      ...(municipalities.length
        ? [
            eb("p.owner_municipality_id", "in", municipalities),
            eb("p.id", "in", eb.selectFrom("programme_partners").select("programme_id").where("municipality_id", "in", municipalities)),
          ]
        : []),
    ]),
  );
}

/** The programmes the caller may see (or works with), by name. */
export async function visibleProgrammes(ctx: Ctx, reach: ProgrammeReach = "any"): Promise<{ id: number; name: string }[]> {
  return visibleProgrammesQuery(ctx, reach).select(["p.id", "p.name"]).orderBy("p.name").execute();
}

async function isVisibleProgramme(ctx: Ctx, programmeId: number): Promise<boolean> {
  return (await visibleProgrammesQuery(ctx, "any").select("p.id").where("p.id", "=", programmeId).executeTakeFirst()) !== undefined;
}

/** True for the roles that have programme pages at all; others get 403 with an audit entry. */
async function requireProgrammeRole(ctx: Ctx): Promise<void> {
  await requireRole(ctx, "programmes:read");
}

/** Throws 404 (and writes an audit entry) unless the caller may see the programme. */
export async function requireVisibleProgramme(ctx: Ctx, programmeId: number): Promise<void> {
  await requireProgrammeRole(ctx);
  const exists = await ctx.db.selectFrom("programmes").select("id").where("id", "=", programmeId).executeTakeFirst();
  if (!exists) throw notFound();
  if (!(await isVisibleProgramme(ctx, programmeId))) await denied(ctx, "programmes:read", { entity: "programme", entityId: programmeId });
}

export interface ProgrammeListItem {
  id: number;
  name: string;
  kind: ProgrammeKind;
  funding: Funding;
  ownerName: string;
  startsOn: string;
  endsOn: string;
  partnerCount: number;
  cohortCount: number;
}

export async function listProgrammes(
  ctx: Ctx,
  options: { page?: number } = {},
): Promise<{ items: ProgrammeListItem[]; page: number; pageCount: number; total: number; canCreate: boolean }> {
  await requireProgrammeRole(ctx);
  const canCreate = isAdmin(ctx) || coordinatedMunicipalityIds(ctx).length > 0;
  const base = visibleProgrammesQuery(ctx, "any");
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  const pageCount = Math.max(1, Math.ceil(total / PROGRAMMES_PER_PAGE));
  const page = Math.min(Math.max(1, Math.floor(options.page ?? 1)), pageCount);

  const rows = await base
    .innerJoin("municipalities as m", "m.id", "p.owner_municipality_id")
    .select((eb) => [
      "p.id",
      "p.name",
      "p.kind",
      "p.funding",
      "p.starts_on as startsOn",
      "p.ends_on as endsOn",
      "m.name as ownerName",
      eb.selectFrom("programme_partners as pp").whereRef("pp.programme_id", "=", "p.id").select((e) => e.fn.countAll<number>().as("n")).as("partnerCount"),
      eb.selectFrom("cohorts as c").whereRef("c.programme_id", "=", "p.id").select((e) => e.fn.countAll<number>().as("n")).as("cohortCount"),
    ])
    .orderBy("p.starts_on", "desc")
    .orderBy("p.name")
    .limit(PROGRAMMES_PER_PAGE)
    .offset((page - 1) * PROGRAMMES_PER_PAGE)
    .execute();
  return {
    items: rows.map((r) => ({ ...r, partnerCount: Number(r.partnerCount), cohortCount: Number(r.cohortCount) })),
    page,
    pageCount,
    total,
    canCreate,
  };
}

export interface ProgrammeDetail {
  id: number;
  name: string;
  kind: ProgrammeKind;
  funding: Funding;
  ownerMunicipalityId: number;
  ownerName: string;
  esfProjectNumber: string | null;
  startsOn: string;
  endsOn: string;
  description: string;
  partners: { id: number; name: string }[];
  cohorts: { id: number; name: string; startsOn: string; endsOn: string; capacity: number; seats: number; enrolled: number; waitlisted: number }[];
  canEdit: boolean;
  canCreateCohort: boolean;
}

export async function getProgramme(ctx: Ctx, programmeId: number): Promise<ProgrammeDetail> {
  await requireVisibleProgramme(ctx, programmeId);
  const p = await ctx.db
    .selectFrom("programmes as p")
    .innerJoin("municipalities as m", "m.id", "p.owner_municipality_id")
    .selectAll("p")
    .select("m.name as ownerName")
    .where("p.id", "=", programmeId)
    .executeTakeFirstOrThrow();
  const partners = await ctx.db
    .selectFrom("programme_partners as pp")
    .innerJoin("municipalities as m", "m.id", "pp.municipality_id")
    .select(["m.id", "m.name"])
    .where("pp.programme_id", "=", programmeId)
    .orderBy("m.name")
    .execute();
  const cohorts = await ctx.db
    .selectFrom("cohorts as c")
    .select((eb) => [
      "c.id",
      "c.name",
      "c.starts_on as startsOn",
      "c.ends_on as endsOn",
      "c.capacity",
      eb.selectFrom("cohort_seats as s").whereRef("s.cohort_id", "=", "c.id").select((e) => e.fn.coalesce(e.fn.sum<number>("s.seats"), e.lit(0)).as("n")).as("seats"),
      eb
        .selectFrom("enrolments as e")
        .whereRef("e.cohort_id", "=", "c.id")
        .where("e.status", "in", ["accepted", "active", "completed"])
        .select((e) => e.fn.countAll<number>().as("n"))
        .as("enrolled"),
      eb
        .selectFrom("enrolments as e")
        .whereRef("e.cohort_id", "=", "c.id")
        .where("e.status", "=", "waitlisted")
        .select((e) => e.fn.countAll<number>().as("n"))
        .as("waitlisted"),
    ])
    .where("c.programme_id", "=", programmeId)
    .orderBy("c.starts_on")
    .execute();
  const scope = { programmeId, ownerMunicipalityId: p.owner_municipality_id };
  return {
    id: p.id,
    name: p.name,
    kind: p.kind,
    funding: p.funding,
    ownerMunicipalityId: p.owner_municipality_id,
    ownerName: p.ownerName,
    esfProjectNumber: p.esf_project_number,
    startsOn: p.starts_on,
    endsOn: p.ends_on,
    description: p.description,
    partners,
    cohorts: cohorts.map((c) => ({ ...c, seats: Number(c.seats), enrolled: Number(c.enrolled), waitlisted: Number(c.waitlisted) })),
    canEdit: can(ctx, "programmes:manage", scope),
    canCreateCohort: can(ctx, "cohorts:manage", scope),
  };
}

export interface ProgrammeFormOptions {
  municipalities: { id: number; name: string }[];
  /** The municipalities the caller may pick as owner. */
  ownerChoices: { id: number; name: string }[];
}

/** What the create form offers: an administrator picks any owner, a coordinator their own municipality. */
export async function programmeFormOptions(ctx: Ctx, existing?: { ownerMunicipalityId: number }): Promise<ProgrammeFormOptions> {
  const municipalities = await ctx.db.selectFrom("municipalities").select(["id", "name"]).orderBy("name").execute();
  let ownerIds: number[];
  if (isAdmin(ctx)) ownerIds = municipalities.map((m) => m.id);
  else if (existing) ownerIds = [existing.ownerMunicipalityId];
  else ownerIds = coordinatedMunicipalityIds(ctx);
  return { municipalities, ownerChoices: municipalities.filter((m) => ownerIds.includes(m.id)) };
}

/** The create page: only callers who could create a programme for some municipality get it. */
export async function getNewProgrammeForm(ctx: Ctx): Promise<ProgrammeFormOptions> {
  await requireProgrammeCreator(ctx);
  return programmeFormOptions(ctx);
}

async function requireProgrammeCreator(ctx: Ctx): Promise<void> {
  if (!isAdmin(ctx) && coordinatedMunicipalityIds(ctx).length === 0) await denied(ctx, "programmes:create");
}

const UNKNOWN_MUNICIPALITY = { partnerMunicipalityIds: ["En vald kommun finns inte."] };

async function unknownMunicipalities(db: Db, ids: number[]): Promise<number[]> {
  if (!ids.length) return [];
  const found = await db.selectFrom("municipalities").select("id").where("id", "in", ids).execute();
  return ids.filter((id) => !found.some((f) => f.id === id));
}

export async function createProgramme(ctx: Ctx, posted: Checked<ProgrammeInput>): Promise<Result<{ id: number }>> {
  await requireProgrammeCreator(ctx);
  if (posted.status !== "success") return INPUT_REFUSED;
  const input = posted.value;
  await requireGrant(ctx, "programmes:create", { ownerMunicipalityId: input.ownerMunicipalityId, municipalityId: input.ownerMunicipalityId });
  const partnerIds = [...new Set([input.ownerMunicipalityId, ...input.partnerMunicipalityIds])];
  if ((await unknownMunicipalities(ctx.db, partnerIds)).length) {
    return invalid(UNKNOWN_MUNICIPALITY);
  }
  const id = await ctx.db.transaction().execute(async (trx) => {
    const now = nowIso();
    const row = await trx
      .insertInto("programmes")
      .values({
        name: input.name,
        kind: input.kind,
        funding: input.funding,
        owner_municipality_id: input.ownerMunicipalityId,
        esf_project_number: input.esfProjectNumber || null,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        description: input.description ?? "",
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("programme_partners")
      .values(partnerIds.map((municipality_id) => ({ programme_id: row.id, municipality_id })))
      .execute();
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: input.ownerMunicipalityId,
      action: "programme.created",
      entity: "programme",
      entityId: row.id,
      detail: { partnerMunicipalityIds: partnerIds },
    });
    return row.id;
  });
  return ok({ id });
}

/** The edit form's starting values; only for callers who may edit the programme. */
export async function getProgrammeForEdit(ctx: Ctx, programmeId: number): Promise<{ values: ProgrammeInput; options: ProgrammeFormOptions; name: string }> {
  const p = await requireEditableProgramme(ctx, programmeId);
  const partners = await ctx.db.selectFrom("programme_partners").select("municipality_id").where("programme_id", "=", programmeId).execute();
  return {
    name: p.name,
    values: {
      name: p.name,
      kind: p.kind,
      funding: p.funding,
      ownerMunicipalityId: p.owner_municipality_id,
      partnerMunicipalityIds: partners.map((r) => r.municipality_id),
      esfProjectNumber: p.esf_project_number ?? "",
      startsOn: p.starts_on,
      endsOn: p.ends_on,
      description: p.description,
      version: p.version,
    },
    options: await programmeFormOptions(ctx, { ownerMunicipalityId: p.owner_municipality_id }),
  };
}

/** Throws 403/404 (with an audit entry) unless the caller may edit the programme. */
async function requireEditableProgramme(ctx: Ctx, programmeId: number) {
  await requireRole(ctx, "programmes:manage", { entity: "programme", entityId: programmeId });
  await requireVisibleProgramme(ctx, programmeId);
  const p = await ctx.db.selectFrom("programmes").selectAll().where("id", "=", programmeId).executeTakeFirstOrThrow();
  await requireGrant(
    ctx,
    "programmes:manage",
    { programmeId, ownerMunicipalityId: p.owner_municipality_id },
    { entity: "programme", entityId: programmeId },
  );
  return p;
}

export async function updateProgramme(ctx: Ctx, programmeId: number, posted: Checked<ProgrammeInput>): Promise<Result<{ id: number }>> {
  const existing = await requireEditableProgramme(ctx, programmeId);
  if (posted.status !== "success") return INPUT_REFUSED;
  const input = posted.value;
  if (input.ownerMunicipalityId !== existing.owner_municipality_id && !isAdmin(ctx)) {
    await denied(ctx, "programmes:change_owner", { entity: "programme", entityId: programmeId });
  }
  const partnerIds = [...new Set([input.ownerMunicipalityId, ...input.partnerMunicipalityIds])];
  if ((await unknownMunicipalities(ctx.db, partnerIds)).length) {
    return invalid(UNKNOWN_MUNICIPALITY);
  }
  const stale = conflict(STALE_PROGRAMME);
  if (input.version === undefined) return stale;
  const version = input.version;
  const before = {
    name: existing.name,
    kind: existing.kind,
    funding: existing.funding,
    ownerMunicipalityId: existing.owner_municipality_id,
    esfProjectNumber: existing.esf_project_number ?? "",
    startsOn: existing.starts_on,
    endsOn: existing.ends_on,
    description: existing.description,
  };
  const after = {
    name: input.name,
    kind: input.kind,
    funding: input.funding,
    ownerMunicipalityId: input.ownerMunicipalityId,
    esfProjectNumber: input.esfProjectNumber ?? "",
    startsOn: input.startsOn,
    endsOn: input.endsOn,
    description: input.description ?? "",
  };
  const changedFields = (Object.keys(after) as (keyof typeof after)[]).filter((k) => before[k] !== after[k]);

  return ctx.db.transaction().execute(async (trx): Promise<Result<{ id: number }>> => {
    // The version check is the write itself, and it takes the write lock: the partners and seats read below cannot change before commit.
    const updated = await trx
      .updateTable("programmes")
      .set((eb) => ({
        name: after.name,
        kind: after.kind,
        funding: after.funding,
        owner_municipality_id: after.ownerMunicipalityId,
        esf_project_number: after.esfProjectNumber || null,
        starts_on: after.startsOn,
        ends_on: after.endsOn,
        description: after.description,
        updated_at: nowIso(),
        version: eb("version", "+", 1),
      }))
      .where("id", "=", programmeId)
      .where("version", "=", version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return stale;
    const current = await trx.selectFrom("programme_partners").select("municipality_id").where("programme_id", "=", programmeId).execute();
    const removed = current.map((r) => r.municipality_id).filter((id) => !partnerIds.includes(id));
    const added = partnerIds.filter((id) => !current.some((r) => r.municipality_id === id));
    if (removed.length) {
      // A partner with seats in a cohort keeps them (and its participants' enrolments); move the seats first.
      const withSeats = await trx
        .selectFrom("cohort_seats as s")
        .innerJoin("municipalities as m", "m.id", "s.municipality_id")
        .select("m.name")
        .distinct()
        .where("s.programme_id", "=", programmeId)
        .where("s.municipality_id", "in", removed)
        .execute();
      if (withSeats.length) {
        throw new Refused(invalid({
          partnerMunicipalityIds: [
            `${withSeats.map((m) => m.name).join(", ")} har platser i en omgång och kan inte tas bort som partner. Ta bort platserna i omgången först.`,
          ],
        }));
      }
      await trx.deleteFrom("programme_partners").where("programme_id", "=", programmeId).where("municipality_id", "in", removed).execute();
    }
    if (added.length) {
      await trx
        .insertInto("programme_partners")
        .values(added.map((municipality_id) => ({ programme_id: programmeId, municipality_id })))
        .execute();
    }
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: after.ownerMunicipalityId,
      action: "programme.updated",
      entity: "programme",
      entityId: programmeId,
      detail: { fields: changedFields, partnersAdded: added, partnersRemoved: removed },
    });
    return ok({ id: programmeId });
  }).catch((error: unknown) => {
    if (error instanceof Refused) return error.refusal;
    throw error;
  });
}

/** A refusal found inside a transaction: thrown to roll it back, answered as a value. */
class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super("refused");
  }
}

/** A cohort row the caller has been checked to see (requireVisibleCohort). */
export interface VisibleCohort {
  id: number;
  programme_id: number;
  name: string;
  starts_on: string;
  ends_on: string;
  capacity: number;
  programmeName: string;
}

/** A cohort the caller may see (the same people as its programme); 404 otherwise. */
export async function requireVisibleCohort(ctx: Ctx, cohortId: number): Promise<VisibleCohort> {
  await requireProgrammeRole(ctx);
  const cohort = await ctx.db
    .selectFrom("cohorts as c")
    .innerJoin("programmes as p", "p.id", "c.programme_id")
    .select(["c.id", "c.programme_id", "c.name", "c.starts_on", "c.ends_on", "c.capacity", "p.name as programmeName"])
    .where("c.id", "=", cohortId)
    .executeTakeFirst();
  if (!cohort) throw notFound();
  if (!(await isVisibleProgramme(ctx, cohort.programme_id))) await denied(ctx, "programmes:read", { entity: "cohort", entityId: cohortId });
  return cohort;
}
