/**
 * The municipality as the participants' employer. Its organisation number is
 * printed on the monthly certificate the ESF funder asks for; the
 * administrator or the municipality's own coordinator sets it.
 */
import type { EmployerInput } from "~/schemas/municipalities";
import { writeAudit } from "./audit.server";
import { coordinatedMunicipalityIds, notFound, requireGrant, requireRole, type Ctx } from "./context.server";
import { type Checked, INPUT_REFUSED, ok, type Result } from "./result";

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

/**
 * Sets the organisation number (validated by the form's schema, NNNNNN-NNNN);
 * audited with the previous value's presence only. A caller whose roles never
 * keep employer details is refused before their input is looked at.
 */
export async function setEmployerOrgNumber(ctx: Ctx, submitted: Checked<EmployerInput>): Promise<Result> {
  await requireRole(ctx, "employer:manage", { entity: "municipality" });
  if (submitted.status !== "success") return INPUT_REFUSED;
  const { municipalityId, orgNumber } = submitted.value;
  await requireGrant(ctx, "employer:manage", { municipalityId });
  const municipality = await ctx.db.selectFrom("municipalities").select(["id", "org_number"]).where("id", "=", municipalityId).executeTakeFirst();
  if (!municipality) throw notFound();
  if (municipality.org_number === orgNumber) return ok();
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
  return ok();
}
