/**
 * Who may read a programme's effect figures (evaluation results, self-rating
 * aggregates, the effect report): a grant for the programme itself (lead,
 * funder) or for one of its partner municipalities (coordinator). No grant
 * check of its own: the public modules call `requireProgrammeReader`.
 */
import type { Db } from "~/db/connection.server";
import { can, denied, requireRole, type Ctx, type Permission } from "../context.server";

export interface ProgrammeReader {
  programme: { id: number; name: string; ownerMunicipalityId: number };
  /** The caller sees the whole programme (lead, funder). */
  wholeProgramme: boolean;
  /** Partner municipalities the caller coordinates (their own municipality's figures). */
  ownMunicipalityIds: number[];
}

export async function partnerMunicipalityIds(db: Db, programmeId: number): Promise<number[]> {
  const rows = await db.selectFrom("programme_partners").select("municipality_id").where("programme_id", "=", programmeId).execute();
  return rows.map((r) => r.municipality_id);
}

/** 403 for roles that never read such figures, 404 for a programme not theirs or made up (both audited). */
export async function requireProgrammeReader(ctx: Ctx, permission: Permission, programmeId: number): Promise<ProgrammeReader> {
  await requireRole(ctx, permission, { entity: "programme", entityId: programmeId });
  const programme = await ctx.db
    .selectFrom("programmes")
    .select(["id", "name", "owner_municipality_id as ownerMunicipalityId"])
    .where("id", "=", programmeId)
    .executeTakeFirst();
  if (!programme) return denied(ctx, permission, { entity: "programme", entityId: programmeId });
  const wholeProgramme = can(ctx, permission, { programmeId });
  const partners = await partnerMunicipalityIds(ctx.db, programmeId);
  const ownMunicipalityIds = partners.filter((municipalityId) => can(ctx, permission, { municipalityId }));
  if (!wholeProgramme && !ownMunicipalityIds.length) return denied(ctx, permission, { entity: "programme", entityId: programmeId });
  return { programme, wholeProgramme, ownMunicipalityIds };
}
