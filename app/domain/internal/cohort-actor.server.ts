/**
 * Who may act on a cohort's page at all: the programme's lead and the
 * coordinators of municipalities with seats in it. Anyone else gets 403 (and
 * an audit entry), or the made-up id's 404 where the cohort is not theirs to
 * see, before any input is read. Used by each of the cohort page's actions.
 */
import { can, coordinatedMunicipalityIds, denied, requireRole, type Ctx } from "../context.server";
import { requireVisibleCohort } from "../programmes.server";

export async function requireCohortActor(ctx: Ctx, cohortId: number): Promise<void> {
  await requireRole(ctx, ["nominations:write", "nominations:decide"], { entity: "cohort", entityId: cohortId });
  const cohort = await requireVisibleCohort(ctx, cohortId);
  if (can(ctx, "nominations:decide", { programmeId: cohort.programme_id })) return;
  const own = coordinatedMunicipalityIds(ctx);
  if (own.length) {
    const seat = await ctx.db.selectFrom("cohort_seats").select("municipality_id").where("cohort_id", "=", cohortId).where("municipality_id", "in", own).executeTakeFirst();
    if (seat) return;
  }
  await denied(ctx, ["nominations:write", "nominations:decide"], { entity: "cohort", entityId: cohortId });
}
