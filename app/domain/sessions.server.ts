/**
 * Sessions (Träffar) of a cohort: who sees them, who plans them, and the
 * trace every change leaves. The programme lead plans; the coordinator of the
 * host municipality too, but only where the programme lets coordinators plan
 * (`programme_settings.coordinators_plan_sessions`, off by default: a session
 * reaches every municipality's trainees). Partner municipalities' coordinators
 * and the cohort's active participants read. Every change after creation becomes a
 * session_changes row, raises `sequence` (the calendar feed's SEQUENCE) and
 * tells the trainees concerned.
 */
import type { Db } from "~/db/connection.server";
import type { Session, SessionChangeKind, SessionFieldChanges, SessionStatus } from "~/db/schema";
import type { SessionActionValue, SessionFormValue } from "~/schemas/sessions";
import { stockholmToUtcIso, utcIsoToStockholm } from "~/utils/time";
import { writeAudit } from "./audit.server";
import { can, denied, notFound, ownParticipantIds, requireGrant, requireRole, type Ctx, type Scope } from "./context.server";
import { materialOfSessions } from "./internal/material.server";
import { notifySessionChanged } from "./internal/notices.server";
import { sessionsWithMoves, type SessionListItem } from "./internal/session-list.server";
import { conflict, INPUT_REFUSED, ok, refuse, type Checked, type Result } from "./result";

export type { SessionListItem };

export interface CohortHeader {
  id: number;
  name: string;
  programmeId: number;
  programmeName: string;
  startsOn: string;
  endsOn: string;
}

/** One entry of a session's change history (its wording is in app/ui/session-changes.ts). */
export interface SessionChangeRecord {
  kind: SessionChangeKind;
  changes: SessionFieldChanges;
  changedAt: string;
  changedBy?: string | null;
}

export interface MunicipalityOption {
  id: number;
  name: string;
}

/** The columns a form edits, in database names: the keys of a change record. */
const EDITABLE_FIELDS = [
  "title",
  "kind",
  "starts_at",
  "ends_at",
  "host_municipality_id",
  "venue",
  "address",
  "meeting_url",
  "facilitator",
  "description",
] as const;
type EditableField = (typeof EDITABLE_FIELDS)[number];
type SessionValues = Pick<Session, EditableField>;

async function loadCohort(db: Db, cohortId: number): Promise<(CohortHeader & { coordinatorsPlanSessions: boolean }) | undefined> {
  const row = await db
    .selectFrom("cohorts as c")
    .innerJoin("programmes as p", "p.id", "c.programme_id")
    .leftJoin("programme_settings as ps", "ps.programme_id", "p.id")
    .select([
      "c.id",
      "c.name",
      "c.programme_id as programmeId",
      "p.name as programmeName",
      "c.starts_on as startsOn",
      "c.ends_on as endsOn",
      "ps.coordinators_plan_sessions",
    ])
    .where("c.id", "=", cohortId)
    .executeTakeFirst();
  if (!row) return undefined;
  const { coordinators_plan_sessions, ...cohort } = row;
  return { ...cohort, coordinatorsPlanSessions: coordinators_plan_sessions === 1 };
}

type LoadedCohort = NonNullable<Awaited<ReturnType<typeof loadCohort>>>;

/** The scope of planning a session in the cohort with the given host. */
function planningScope(cohort: LoadedCohort, hostMunicipalityId: number): Scope {
  return { programmeId: cohort.programmeId, municipalityId: hostMunicipalityId, coordinatorsPlanSessions: cohort.coordinatorsPlanSessions };
}

async function partnersOf(db: Db, programmeId: number): Promise<MunicipalityOption[]> {
  return db
    .selectFrom("programme_partners as pp")
    .innerJoin("municipalities as m", "m.id", "pp.municipality_id")
    .select(["m.id", "m.name"])
    .where("pp.programme_id", "=", programmeId)
    .orderBy("m.name")
    .execute();
}

/** Every scope under which the caller might read the cohort's sessions. */
async function readScopes(ctx: Ctx, cohort: LoadedCohort, partners: MunicipalityOption[]): Promise<Scope[]> {
  const scopes: Scope[] = [{ programmeId: cohort.programmeId }, ...partners.map((m) => ({ programmeId: cohort.programmeId, municipalityId: m.id }))];
  const own = ownParticipantIds(ctx);
  if (own.length) {
    const active = await ctx.db
      .selectFrom("enrolments")
      .select("participant_id")
      .where("cohort_id", "=", cohort.id)
      .where("participant_id", "in", own)
      .where("status", "=", "active")
      .execute();
    scopes.push(...active.map((a) => ({ participantId: a.participant_id })));
  }
  return scopes;
}

/** Loads a cohort the caller may read, or answers 404 (its existence is not theirs to know) with an audit entry. */
async function requireReadableCohort(ctx: Ctx, cohortId: number, permission: "sessions:read" | "sessions:manage" = "sessions:read") {
  // A role that may never read (or plan) sessions is refused before anything is looked up.
  await requireRole(ctx, permission, { entity: "cohort", entityId: cohortId });
  const cohort = await loadCohort(ctx.db, cohortId);
  if (!cohort) throw notFound();
  const partners = await partnersOf(ctx.db, cohort.programmeId);
  const scopes = await readScopes(ctx, cohort, partners);
  if (!scopes.some((s) => can(ctx, "sessions:read", s))) {
    await denied(ctx, "sessions:read", { entity: "cohort", entityId: cohortId });
  }
  return { cohort, partners };
}

/** Host municipalities the caller may plan a session in (a lead: every partner; a coordinator: their own). */
function hostOptionsFor(ctx: Ctx, cohort: LoadedCohort, partners: MunicipalityOption[]): MunicipalityOption[] {
  return partners.filter((m) => can(ctx, "sessions:manage", planningScope(cohort, m.id)));
}

export async function listCohortSessions(ctx: Ctx, cohortId: number, now: Date = new Date()) {
  const { cohort, partners } = await requireReadableCohort(ctx, cohortId);
  const sessions = await sessionsWithMoves(ctx.db, { cohortIds: [cohortId] });
  const nowIso = now.toISOString();
  const past = sessions.filter((s) => s.endsAt < nowIso).reverse();
  return {
    cohort,
    upcoming: sessions.filter((s) => s.endsAt >= nowIso),
    past,
    /** Held sessions with any attendance recorded; null for those who do not take attendance for the whole cohort. */
    attendanceTakenIds: can(ctx, "attendance:take", { programmeId: cohort.programmeId }) ? await sessionsWithAttendance(ctx.db, past.map((s) => s.id)) : null,
    canCreate: hostOptionsFor(ctx, cohort, partners).length > 0,
    isStaff: can(ctx, "calendar:staff"),
  };
}

async function sessionsWithAttendance(db: Db, sessionIds: number[]): Promise<number[]> {
  if (!sessionIds.length) return [];
  const rows = await db.selectFrom("attendance").select("session_id").distinct().where("session_id", "in", sessionIds).execute();
  return rows.map((r) => r.session_id);
}

/** A cohort the caller may plan sessions in, with the hosts they may plan for. */
async function requirePlanningCohort(ctx: Ctx, cohortId: number) {
  const { cohort, partners } = await requireReadableCohort(ctx, cohortId, "sessions:manage");
  const hostOptions = hostOptionsFor(ctx, cohort, partners);
  if (!hostOptions.length) await denied(ctx, "sessions:manage", { entity: "cohort", entityId: cohortId });
  return { cohort, hostOptions };
}

/** What the "new session" form needs; only for those who may plan in the cohort. */
export async function getNewSessionForm(ctx: Ctx, cohortId: number) {
  return requirePlanningCohort(ctx, cohortId);
}

function valuesFromForm(value: SessionFormValue): SessionValues {
  return {
    title: value.title,
    kind: value.kind,
    starts_at: stockholmToUtcIso(value.startDate, value.startTime),
    ends_at: stockholmToUtcIso(value.endDate ?? value.startDate, value.endTime),
    host_municipality_id: value.hostMunicipalityId,
    venue: value.venue,
    address: value.address,
    meeting_url: value.meetingUrl,
    facilitator: value.facilitator,
    description: value.description,
  };
}

async function isPartner(db: Db, programmeId: number, municipalityId: number): Promise<boolean> {
  const partner = await db
    .selectFrom("programme_partners")
    .select("municipality_id")
    .where("programme_id", "=", programmeId)
    .where("municipality_id", "=", municipalityId)
    .executeTakeFirst();
  return partner !== undefined;
}

const NOT_A_PARTNER = "Värdkommunen måste vara en av programmets partnerkommuner.";

/** Plans a session in the cohort; answers its id. */
export async function createSession(ctx: Ctx, cohortId: number, posted: Checked<SessionFormValue>): Promise<Result<number>> {
  const { cohort } = await requirePlanningCohort(ctx, cohortId);
  if (posted.status !== "success") return INPUT_REFUSED;
  const values = valuesFromForm(posted.value);
  await requireGrant(ctx, "sessions:manage", planningScope(cohort, values.host_municipality_id), {
    entity: "cohort",
    entityId: cohortId,
  });
  if (!(await isPartner(ctx.db, cohort.programmeId, values.host_municipality_id))) return refuse(NOT_A_PARTNER);
  const sessionId = await ctx.db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    const row = await trx
      .insertInto("sessions")
      .values({ ...values, cohort_id: cohortId, status: "planned", sequence: 0, created_at: now, updated_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: values.host_municipality_id,
      action: "session.created",
      entity: "session",
      entityId: row.id,
      detail: { cohortId },
    });
    return row.id;
  });
  return ok(sessionId);
}

async function loadSession(ctx: Ctx, sessionId: number, permission: "sessions:read" | "sessions:manage" = "sessions:read") {
  await requireRole(ctx, permission, { entity: "session", entityId: sessionId });
  const session = await ctx.db.selectFrom("sessions").selectAll().where("id", "=", sessionId).executeTakeFirst();
  if (!session) throw notFound();
  const { cohort, partners } = await requireReadableCohort(ctx, session.cohort_id, permission);
  const canManage = can(ctx, "sessions:manage", planningScope(cohort, session.host_municipality_id));
  return { session, cohort, partners, canManage };
}

/**
 * For modules about a part of a session (its material): the session if the
 * caller may read it, or the same refusal its page gives (404, or 403 for a
 * role that never reads sessions), with whether the caller plans it.
 */
export async function requireReadableSession(ctx: Ctx, sessionId: number): Promise<{ session: Session; cohort: CohortHeader; canManage: boolean }> {
  const { session, cohort, canManage } = await loadSession(ctx, sessionId);
  return { session, cohort, canManage };
}

/** The session if the caller plans it (ADR 013), or the refusal its edit page gives. */
export async function requirePlannedSession(ctx: Ctx, sessionId: number): Promise<{ session: Session; cohort: CohortHeader }> {
  const { session, cohort } = await loadManagedSession(ctx, sessionId);
  return { session, cohort };
}

export async function getSessionDetail(ctx: Ctx, sessionId: number) {
  const { session, cohort, partners, canManage } = await loadSession(ctx, sessionId);
  const host = await ctx.db.selectFrom("municipalities").select("name").where("id", "=", session.host_municipality_id).executeTakeFirstOrThrow();
  const changeRows = await ctx.db
    .selectFrom("session_changes as sc")
    .innerJoin("users as u", "u.id", "sc.changed_by")
    .select(["sc.id", "sc.kind", "sc.changes", "sc.changed_at", "u.name as changedBy"])
    .where("sc.session_id", "=", sessionId)
    .orderBy("sc.changed_at", "desc")
    .orderBy("sc.id", "desc")
    .execute();
  const changes: (SessionChangeRecord & { id: number })[] = changeRows.map((c) => ({
    id: c.id,
    kind: c.kind,
    changes: JSON.parse(c.changes) as SessionFieldChanges,
    changedAt: c.changed_at,
    // Who changed it matters to the planners; trainees need only what and when.
    changedBy: canManage ? c.changedBy : null,
  }));
  const municipalityNames = Object.fromEntries(partners.map((m) => [m.id, m.name]));
  return {
    session: {
      id: session.id,
      title: session.title,
      kind: session.kind,
      startsAt: session.starts_at,
      endsAt: session.ends_at,
      status: session.status,
      hostMunicipality: host.name,
      venue: session.venue,
      address: session.address,
      meetingUrl: session.meeting_url,
      facilitator: session.facilitator,
      description: session.description,
      updatedAt: session.updated_at,
    },
    cohort,
    changes,
    material: await materialOfSessions(ctx.db, [sessionId]),
    municipalityNames,
    canManage,
    // The host's coordinator takes attendance for their own participants even where they do not plan.
    canTakeAttendance: can(ctx, "attendance:take", { programmeId: cohort.programmeId, municipalityId: session.host_municipality_id }),
  };
}

/** A session the caller may change (403, or 404 when the session is not theirs to see). */
async function loadManagedSession(ctx: Ctx, sessionId: number) {
  const loaded = await loadSession(ctx, sessionId, "sessions:manage");
  if (!loaded.canManage) {
    await denied(ctx, "sessions:manage", { entity: "session", entityId: sessionId, municipalityId: loaded.session.host_municipality_id });
  }
  return loaded;
}

/** The edit form's starting values, in Stockholm wall-clock time. */
export async function getSessionForEdit(ctx: Ctx, sessionId: number) {
  const { session, cohort, partners } = await loadManagedSession(ctx, sessionId);
  const start = utcIsoToStockholm(session.starts_at);
  const end = utcIsoToStockholm(session.ends_at);
  const defaults = {
    title: session.title,
    kind: session.kind,
    startDate: start.date,
    startTime: start.time,
    endDate: end.date,
    endTime: end.time,
    hostMunicipalityId: String(session.host_municipality_id),
    venue: session.venue,
    address: session.address,
    meetingUrl: session.meeting_url,
    facilitator: session.facilitator,
    description: session.description,
    sequence: String(session.sequence),
  };
  const hostOptions = hostOptionsFor(ctx, cohort, partners);
  return { session: { id: session.id, title: session.title, status: session.status }, cohort, defaults, hostOptions };
}

function diff(before: SessionValues, after: SessionValues): SessionFieldChanges {
  const changes: SessionFieldChanges = {};
  for (const field of EDITABLE_FIELDS) {
    if (before[field] !== after[field]) changes[field] = { from: before[field], to: after[field] };
  }
  return changes;
}

async function recordChange(
  trx: Db,
  ctx: Ctx,
  session: Session,
  kind: SessionChangeKind,
  changes: SessionFieldChanges,
  set: Partial<SessionValues> & { status?: SessionStatus },
): Promise<Result> {
  const now = new Date().toISOString();
  // The sequence is the session's version: raised in SQL, and only from the one the change was based on.
  const updated = await trx
    .updateTable("sessions")
    .set((eb) => ({ ...set, sequence: eb("sequence", "+", 1), updated_at: now }))
    .where("id", "=", session.id)
    .where("sequence", "=", session.sequence)
    .executeTakeFirst();
  // Nothing is written before this check, so refusing here leaves the transaction empty.
  if (Number(updated.numUpdatedRows) !== 1) return conflict(STALE_SESSION);
  await trx
    .insertInto("session_changes")
    .values({ session_id: session.id, changed_by: ctx.user.id, changed_at: now, kind, changes: JSON.stringify(changes) })
    .execute();
  await writeAudit(trx, {
    actorUserId: ctx.user.id,
    municipalityId: session.host_municipality_id,
    action: `session.${kind}`,
    entity: "session",
    entityId: session.id,
    detail: { fields: Object.keys(changes) },
  });
  await notifySessionChanged(trx, { sessionId: session.id, kind, changes });
  return ok();
}

const STALE_SESSION = "Träffen ändrades nyss av någon annan. Ladda om sidan och försök igen.";

/** Saves an edit; answers whether anything changed. A changed start or end makes it a move. */
export async function updateSession(ctx: Ctx, sessionId: number, posted: Checked<SessionFormValue>): Promise<Result<{ changed: boolean }>> {
  const { session, cohort } = await loadManagedSession(ctx, sessionId);
  if (posted.status !== "success") return INPUT_REFUSED;
  const value = posted.value;
  const after = valuesFromForm(value);
  if (after.host_municipality_id !== session.host_municipality_id) {
    // Handing the session to another host needs the right to plan there too.
    await requireGrant(ctx, "sessions:manage", planningScope(cohort, after.host_municipality_id), {
      entity: "session",
      entityId: sessionId,
    });
    if (!(await isPartner(ctx.db, cohort.programmeId, after.host_municipality_id))) return refuse(NOT_A_PARTNER);
  }
  const changes = diff(session, after);
  if (!Object.keys(changes).length) return ok({ changed: false });
  const kind: SessionChangeKind = changes.starts_at || changes.ends_at ? "moved" : "edited";
  // The form's sequence, when it sent one, is the version the user saw: an edit based on an older one is refused.
  if (value.sequence !== undefined && value.sequence !== session.sequence) return conflict(STALE_SESSION);
  const recorded = await ctx.db.transaction().execute((trx) => recordChange(trx, ctx, session, kind, changes, after));
  return recorded.ok ? ok({ changed: true }) : recorded;
}

/** Cancels a session ("cancel") or puts a cancelled one back ("reinstate"); trainees are told either way. */
export async function changeSessionStatus(ctx: Ctx, sessionId: number, posted: Checked<SessionActionValue>): Promise<Result<SessionChangeKind>> {
  const { session } = await loadManagedSession(ctx, sessionId);
  if (posted.status !== "success") return INPUT_REFUSED;
  const status: SessionStatus = posted.value.intent === "cancel" ? "cancelled" : "planned";
  if (session.status === status) return refuse(status === "cancelled" ? "Träffen är redan inställd." : "Träffen är inte inställd.");
  const kind: SessionChangeKind = status === "cancelled" ? "cancelled" : "reinstated";
  const recorded = await ctx.db.transaction().execute((trx) => recordChange(trx, ctx, session, kind, { status: { from: session.status, to: status } }, { status }));
  return recorded.ok ? ok(kind) : recorded;
}
