/**
 * A cohort's roster (Deltagarlista): everyone enrolled, as the caller may see
 * them. The programme lead sees all; a coordinator sees their own
 * municipality's participants in full and the others' by name once they are in
 * the cohort. Also the roster's export, scoped exactly like the page.
 */
import type { EnrolmentStatus } from "~/db/schema";
import { writeAudit } from "./audit.server";
import { can, coordinatedMunicipalityIds, denied, requireRole, type Ctx } from "./context.server";
import { systemDb } from "./internal/system-handle.server";
import { requireVisibleCohort, type VisibleCohort } from "./programmes.server";

/** A roster row with everything: for the lead, and for a coordinator's own participants. */
export interface FullRosterRow {
  kind: "full";
  enrolmentId: number;
  /** Set only for the caller's own municipality's participants, whose page they may open. */
  participantId: number | null;
  firstName: string;
  lastName: string;
  municipality: string;
  status: EnrolmentStatus;
  waitlistPosition: number | null;
  nominatedAt: string;
  startedOn: string | null;
  endedOn: string | null;
  dropReason: string | null;
  email: string;
  title: string;
  department: string;
  canAccept: boolean;
  canManage: boolean;
}

/** Another municipality's participant, as a coordinator sees them: a name and a municipality, nothing more. */
export interface LimitedRosterRow {
  kind: "limited";
  firstName: string;
  lastName: string;
  municipality: string;
}

export type RosterRow = FullRosterRow | LimitedRosterRow;

/** Other municipalities' participants are shown once they are in the cohort, not while nominated or waiting. */
const SHARED_STATUSES: EnrolmentStatus[] = ["accepted", "active", "completed"];

const STATUS_ORDER: EnrolmentStatus[] = ["active", "accepted", "nominated", "waitlisted", "completed", "dropped"];

/**
 * The roster of a cohort already checked with requireVisibleCohort: null for
 * callers without a roster (administrators and funders see the seat figures only).
 */
export async function rosterOf(ctx: Ctx, cohort: VisibleCohort): Promise<RosterRow[] | null> {
  const cohortId = cohort.id;
  const isLead = can(ctx, "roster:read", { programmeId: cohort.programme_id }) && can(ctx, "nominations:decide", { programmeId: cohort.programme_id });
  const own = coordinatedMunicipalityIds(ctx).filter((m) => can(ctx, "roster:read", { municipalityId: m }));
  if (!isLead && !own.length) return null;

  const full = await ctx.db
    .selectFrom("enrolments as e")
    .innerJoin("participants as p", (join) => join.onRef("p.id", "=", "e.participant_id").onRef("p.municipality_id", "=", "e.municipality_id"))
    .innerJoin("municipalities as m", "m.id", "e.municipality_id")
    .select([
      "e.id as enrolmentId",
      "e.municipality_id",
      "p.id as participantId",
      "p.first_name as firstName",
      "p.last_name as lastName",
      "m.name as municipality",
      "e.status",
      "e.waitlist_position as waitlistPosition",
      "e.nominated_at as nominatedAt",
      "e.started_on as startedOn",
      "e.ended_on as endedOn",
      "e.drop_reason as dropReason",
      "p.email",
      "p.title",
      "p.department",
    ])
    .where("e.cohort_id", "=", cohortId)
    .$if(!isLead, (qb) => qb.where("e.municipality_id", "in", own))
    .execute();
  const rows: RosterRow[] = full.map(({ municipality_id, ...r }) => ({
    kind: "full",
    ...r,
    participantId: own.includes(municipality_id) ? r.participantId : null,
    canAccept: isLead && r.status === "nominated",
    canManage: isLead || own.includes(municipality_id),
  }));

  if (!isLead) {
    // Crosses municipalities on purpose: a shared cohort's coordinators see who else is in it, by name and
    // municipality only (these three columns), once accepted; nothing else of another municipality's register.
    const others = await systemDb(ctx)
      .selectFrom("enrolments as e")
      .innerJoin("participants as p", (join) => join.onRef("p.id", "=", "e.participant_id").onRef("p.municipality_id", "=", "e.municipality_id"))
      .innerJoin("municipalities as m", "m.id", "e.municipality_id")
      .select(["p.first_name as firstName", "p.last_name as lastName", "m.name as municipality"])
      .where("e.cohort_id", "=", cohortId)
      .where("e.municipality_id", "not in", own)
      .where("e.status", "in", SHARED_STATUSES)
      .execute();
    rows.push(...others.map((r) => ({ kind: "limited" as const, ...r })));
  }

  const rank = (r: RosterRow) => (r.kind === "full" ? STATUS_ORDER.indexOf(r.status) : 0);
  return rows.sort(
    (a, b) =>
      a.municipality.localeCompare(b.municipality, "sv") ||
      rank(a) - rank(b) ||
      (a.kind === "full" && b.kind === "full" ? (a.waitlistPosition ?? 0) - (b.waitlistPosition ?? 0) : 0) ||
      a.lastName.localeCompare(b.lastName, "sv") ||
      a.firstName.localeCompare(b.firstName, "sv"),
  );
}

/**
 * The roster for export, scoped exactly like the page. Writes an audit entry:
 * personal data leaves the portal. The file's columns are app/ui/rosters.ts's.
 */
export async function exportRoster(ctx: Ctx, cohortId: number): Promise<{ programmeName: string; cohortName: string; rows: RosterRow[] }> {
  await requireRole(ctx, "roster:read", { entity: "cohort", entityId: cohortId });
  const cohort = await requireVisibleCohort(ctx, cohortId);
  const rows = await rosterOf(ctx, cohort);
  if (!rows) return denied(ctx, "roster:read", { entity: "cohort", entityId: cohortId });
  await writeAudit(ctx.db, {
    actorUserId: ctx.user.id,
    action: "roster.exported",
    entity: "cohort",
    entityId: cohortId,
    detail: { rows: rows.length, fullRows: rows.filter((r) => r.kind === "full").length },
  });
  return { programmeName: cohort.programmeName, cohortName: cohort.name, rows };
}
