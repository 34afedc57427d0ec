/**
 * The municipality as the participants' employer. Its organisation number is
 * printed on the monthly certificate the ESF funder asks for; the
 * administrator or the municipality's own coordinator sets it.
 */
import { writeAudit } from "./audit.server";
import { coordinatedMunicipalityIds, notFound, requireGrant, type Ctx } from "./context.server";

export interface Employer {
  municipalityId: number;
  name: string;
  orgNumber: string | null;
}

/** The municipalities whose employer details the caller keeps (a coordinator's own). */
export async function getEmployers(ctx: Ctx): Promise<Employer[]> {
  const ids = coordinatedMunicipalityIds(ctx);
  if (!ids.length) return [];
  const rows = await ctx.db.selectFrom("municipalities").select(["id", "name", "org_number"]).where("id", "in", ids).orderBy("name").execute();
  return rows.map((r) => ({ municipalityId: r.id, name: r.name, orgNumber: r.org_number }));
}

/** Sets the organisation number (already validated, NNNNNN-NNNN); audited with the previous value's presence only. */
export async function setEmployerOrgNumber(ctx: Ctx, municipalityId: number, orgNumber: string): Promise<void> {
  await requireGrant(ctx, "employer:manage", { municipalityId });
  const municipality = await ctx.db.selectFrom("municipalities").select(["id", "org_number"]).where("id", "=", municipalityId).executeTakeFirst();
  if (!municipality) throw notFound();
  if (municipality.org_number === orgNumber) return;
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable("municipalities").set({ org_number: orgNumber }).where("id", "=", municipalityId).execute();
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId,
      action: "municipality.org_number_set",
      entity: "municipality",
      entityId: municipalityId,
      detail: { fields: ["org_number"], replaced: municipality.org_number != null },
    });
  });
}
