/**
 * Creating and editing programmes. Creating: an administrator for any owner, a
 * coordinator for their own municipality. Editing: an administrator, the owning
 * municipality's coordinator, or the programme's lead; only an administrator
 * moves ownership to another municipality. An edit is a conditional write on
 * the programme's version.
 */
import { nowIso, type Db } from "~/db/connection.server";
import type { ProgrammeInput } from "~/schemas/programmes";
import { writeAudit } from "./audit.server";
import { coordinatedMunicipalityIds, denied, requireGrant, requireRole, rolesOf, type Ctx } from "./context.server";
import { requireVisibleProgramme } from "./programmes.server";
import { conflict, INPUT_REFUSED, invalid, ok, type Checked, type Refusal, type Result } from "./result";

const isAdmin = (ctx: Ctx) => rolesOf(ctx).has("admin");

export const STALE_PROGRAMME = "Programmet har ändrats av någon annan sedan du öppnade sidan. Ladda om sidan och gör ändringen igen.";

export interface ProgrammeFormOptions {
  municipalities: { id: number; name: string }[];
  /** The municipalities the caller may pick as owner. */
  ownerChoices: { id: number; name: string }[];
}

/** What the create form offers: an administrator picks any owner, a coordinator their own municipality. */
async function programmeFormOptions(ctx: Ctx, existing?: { ownerMunicipalityId: number }): Promise<ProgrammeFormOptions> {
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
