/**
 * Programmes (Program): who may see them (one rule for every list and check),
 * the programme list and a programme's page. Creating and editing them is in
 * programme-edits.server.ts.
 *
 * Seeing: an administrator sees every programme, a programme lead and a funder
 * the programmes granted to them, a coordinator the programmes their
 * municipality owns or is a partner in. Participants have no programme pages.
 */
import type { Funding, ProgrammeKind } from "~/db/schema";
import {
  can,
  coordinatedMunicipalityIds,
  denied,
  fundedProgrammeIds,
  ledProgrammeIds,
  notFound,
  requireRole,
  rolesOf,
  type Ctx,
} from "./context.server";

export const PROGRAMMES_PER_PAGE = 20;

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
  canReadEffects: boolean;
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
    canReadEffects: can(ctx, "effects:read", scope) || partners.some((m) => can(ctx, "effects:read", { municipalityId: m.id })),
  };
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
