/**
 * The caller's context, handed to every domain function first, and the
 * grant checks those functions make. Routes never filter by municipality
 * themselves: the domain function asks `requireGrant` and scopes its query.
 */
import { withMunicipalityScope, type Db, type MunicipalityScope } from "~/db/connection.server";
import type { Role } from "~/db/schema";
import { FORBIDDEN_MESSAGE, notFoundResponse } from "~/utils/params";
import { writeAudit } from "./audit.server";

export interface Grant {
  role: Role;
  municipalityId: number | null;
  programmeId: number | null;
  participantId: number | null;
}

export interface CurrentUser {
  id: number;
  email: string;
  name: string;
}

export interface Ctx {
  /**
   * On PostgreSQL scoped to the caller's municipalities (`municipalityScopeOf`),
   * so row-level security holds a query that forgets its municipality filter
   * (ADR 028). Made by `userContext`.
   */
  db: Db;
  user: CurrentUser;
  grants: Grant[];
}

export interface Scope {
  municipalityId?: number | null;
  programmeId?: number | null;
  /** For programmes: the owning municipality, whose coordinator may edit it. */
  ownerMunicipalityId?: number | null;
  participantId?: number | null;
  /** For sessions: the programme lets coordinators plan the sessions their municipality hosts. */
  coordinatorsPlanSessions?: boolean;
}

export type Permission =
  | "admin"
  | "programmes:read"
  | "programmes:change_owner"
  | "participants:read"
  | "participants:write"
  | "programmes:create"
  | "programmes:manage"
  | "cohorts:manage"
  | "sessions:manage"
  | "nominations:write"
  | "nominations:decide"
  | "roster:read"
  | "statistics:read"
  | "self:read"
  | "attendance:take"
  | "attendance:read"
  | "timereports:self"
  | "timereports:read"
  | "timereports:certify"
  | "cofinancing:read"
  | "unitcosts:manage"
  | "sessions:read"
  | "calendar:staff"
  | "retention:manage"
  | "outcomes:write"
  | "scb:report"
  | "employer:manage"
  | "evaluations:answer"
  | "evaluations:manage"
  | "evaluations:read"
  | "effects:read"
  | "feedback:manage"
  | "feedback:self"
  | "feedback:shared"
  | "messages:send";

const rules: Record<Permission, (g: Grant, s: Scope) => boolean> = {
  admin: (g) => g.role === "admin",
  // Who has programme pages at all (which programmes each sees is visibleProgrammes' question).
  "programmes:read": (g, s) =>
    g.role === "admin" ||
    ((g.role === "programme_lead" || g.role === "funder") && g.programmeId === s.programmeId) ||
    (g.role === "coordinator" && s.municipalityId != null && g.municipalityId === s.municipalityId),
  "programmes:change_owner": (g) => g.role === "admin",
  "participants:read": (g, s) => g.role === "coordinator" && g.municipalityId === s.municipalityId,
  "participants:write": (g, s) => g.role === "coordinator" && g.municipalityId === s.municipalityId,
  "programmes:create": (g, s) =>
    g.role === "admin" || (g.role === "coordinator" && g.municipalityId === s.ownerMunicipalityId),
  "programmes:manage": (g, s) =>
    g.role === "admin" ||
    (g.role === "programme_lead" && g.programmeId === s.programmeId) ||
    (g.role === "coordinator" && s.ownerMunicipalityId != null && g.municipalityId === s.ownerMunicipalityId),
  "cohorts:manage": (g, s) => g.role === "programme_lead" && g.programmeId === s.programmeId,
  // Scope: the session's programme and host municipality. A coordinator plans only where the programme allows it
  // (docs/decisions/013-sessions-in-shared-cohorts.md): a session reaches every municipality's trainees.
  "sessions:manage": (g, s) =>
    (g.role === "programme_lead" && g.programmeId === s.programmeId) ||
    (g.role === "coordinator" && s.coordinatorsPlanSessions === true && s.municipalityId != null && g.municipalityId === s.municipalityId),
  "nominations:write": (g, s) => g.role === "coordinator" && g.municipalityId === s.municipalityId,
  "nominations:decide": (g, s) => g.role === "programme_lead" && g.programmeId === s.programmeId,
  "roster:read": (g, s) =>
    (g.role === "programme_lead" && g.programmeId === s.programmeId) ||
    (g.role === "coordinator" && s.municipalityId != null && g.municipalityId === s.municipalityId),
  "statistics:read": (g, s) =>
    ((g.role === "programme_lead" || g.role === "funder") && g.programmeId === s.programmeId) ||
    (g.role === "coordinator" && s.municipalityId != null && g.municipalityId === s.municipalityId),
  "self:read": (g, s) => g.role === "participant" && g.participantId === s.participantId,
  // Scope: the session's programme, or for a coordinator the host municipality; a coordinator then
  // takes attendance only for their own municipality's participants (attendance.server.ts).
  "attendance:take": (g, s) =>
    (g.role === "programme_lead" && g.programmeId === s.programmeId) ||
    (g.role === "coordinator" && s.municipalityId != null && g.municipalityId === s.municipalityId),
  "attendance:read": (g, s) =>
    (g.role === "programme_lead" && g.programmeId === s.programmeId) ||
    (g.role === "coordinator" && s.municipalityId != null && g.municipalityId === s.municipalityId),
  "timereports:self": (g, s) => g.role === "participant" && s.participantId != null && g.participantId === s.participantId,
  "timereports:read": (g, s) =>
    (g.role === "participant" && s.participantId != null && g.participantId === s.participantId) ||
    (g.role === "coordinator" && s.municipalityId != null && g.municipalityId === s.municipalityId),
  "timereports:certify": (g, s) => g.role === "coordinator" && s.municipalityId != null && g.municipalityId === s.municipalityId,
  "cofinancing:read": (g, s) =>
    (g.role === "programme_lead" && g.programmeId === s.programmeId) ||
    (g.role === "coordinator" && s.municipalityId != null && g.municipalityId === s.municipalityId),
  "unitcosts:manage": (g, s) => g.role === "admin" || (g.role === "programme_lead" && g.programmeId === s.programmeId),
  // Scope: the cohort's programme with one partner municipality, or one of the caller's participants active in it.
  "sessions:read": (g, s) =>
    (g.role === "programme_lead" && g.programmeId === s.programmeId) ||
    (g.role === "coordinator" && s.municipalityId != null && g.municipalityId === s.municipalityId) ||
    (g.role === "participant" && s.participantId != null && g.participantId === s.participantId),
  // A calendar feed of the cohorts a programme lead or coordinator manages.
  "calendar:staff": (g) => g.role === "programme_lead" || g.role === "coordinator",
  // How long a programme keeps its participants' data: the administrator or the programme's lead decides.
  "retention:manage": (g, s) => g.role === "admin" || (g.role === "programme_lead" && g.programmeId === s.programmeId),
  // Outcome follow-up after leaving a cohort: the participant's own municipality records it.
  "outcomes:write": (g, s) => g.role === "coordinator" && s.municipalityId != null && g.municipalityId === s.municipalityId,
  // The monthly SCB list: a programme lead for the programme, a coordinator for their municipality's share.
  "scb:report": (g, s) =>
    (g.role === "programme_lead" && s.programmeId != null && g.programmeId === s.programmeId) ||
    (g.role === "coordinator" && s.municipalityId != null && g.municipalityId === s.municipalityId),
  // The municipality as employer on the funder's certificate (its organisation number): the administrator or its coordinator.
  "employer:manage": (g, s) => g.role === "admin" || (g.role === "coordinator" && s.municipalityId != null && g.municipalityId === s.municipalityId),
  // Effects (issue 16). A participant answers the evaluations of their own sessions and rates themselves.
  "evaluations:answer": (g, s) => g.role === "participant" && s.participantId != null && g.participantId === s.participantId,
  // The programme's statements, goals and answer threshold: its lead.
  "evaluations:manage": (g, s) => g.role === "programme_lead" && g.programmeId === s.programmeId,
  // Evaluation results (only groups over the threshold): the lead, and coordinators of the cohort's partner municipalities.
  "evaluations:read": (g, s) =>
    (g.role === "programme_lead" && g.programmeId === s.programmeId) ||
    (g.role === "coordinator" && s.municipalityId != null && g.municipalityId === s.municipalityId),
  // The effect report: the lead and funders of the programme; a partner municipality's coordinator.
  "effects:read": (g, s) =>
    ((g.role === "programme_lead" || g.role === "funder") && g.programmeId === s.programmeId) ||
    (g.role === "coordinator" && s.municipalityId != null && g.municipalityId === s.municipalityId),
  // 360 feedback (ADR 022): the lead runs the questionnaire and rounds; the participant owns their answers, raters,
  // report and action plan. Nobody else reads an individual report unless its owner shares it.
  "feedback:manage": (g, s) => g.role === "programme_lead" && s.programmeId != null && g.programmeId === s.programmeId,
  "feedback:self": (g, s) => g.role === "participant" && s.participantId != null && g.participantId === s.participantId,
  // Whom a participant may share their report with, and who reads the reports shared with them: the programme's
  // leads and coaches (ADR 036). A coach holds nothing else: every other page refuses them as it refuses a funder.
  "feedback:shared": (g, s) => (g.role === "programme_lead" || g.role === "coach") && s.programmeId != null && g.programmeId === s.programmeId,
  // Messages to a cohort (issue 15): the lead to everyone in it, a coordinator to their own municipality's participants.
  "messages:send": (g, s) =>
    (g.role === "programme_lead" && s.programmeId != null && g.programmeId === s.programmeId) ||
    (g.role === "coordinator" && s.municipalityId != null && g.municipalityId === s.municipalityId),
};

export function can(ctx: Ctx, permission: Permission, scope: Scope = {}): boolean {
  return ctx.grants.some((g) => rules[permission](g, scope));
}

/** A scope every grant of the right role matches: used to ask whether a role could ever hold a permission. */
const ANYWHERE = { municipalityId: 0, programmeId: 0, ownerMunicipalityId: 0, participantId: 0, coordinatorsPlanSessions: true } as const;

/**
 * Whether any of the caller's roles could hold the permission for some
 * object. Derived from the rules themselves, so the two cannot disagree.
 */
export function mayEver(ctx: Ctx, permission: Permission | Permission[]): boolean {
  const permissions = Array.isArray(permission) ? permission : [permission];
  return ctx.grants.some((g) => permissions.some((p) => rules[p]({ role: g.role, municipalityId: 0, programmeId: 0, participantId: 0 }, ANYWHERE)));
}

type DenialOptions = { entity?: string; entityId?: number | string; municipalityId?: number | null };

/**
 * For a page about one object: refuses (403, audited) a caller whose roles may
 * never use it, before the object is even looked up, so that a made-up id and
 * a real one get the same answer.
 */
export async function requireRole(ctx: Ctx, permission: Permission | Permission[], options: DenialOptions = {}): Promise<void> {
  if (mayEver(ctx, permission)) return;
  await denied(ctx, permission, options);
}

/** Throws 404 (or 403 when the caller's roles may never hold the permission) and leaves an audit entry. */
export async function requireGrant(ctx: Ctx, permission: Permission, scope: Scope = {}, options: DenialOptions = {}): Promise<void> {
  if (can(ctx, permission, scope)) return;
  await denied(ctx, permission, { ...options, municipalityId: options.municipalityId ?? scope.municipalityId ?? null });
}

/**
 * Refuses and audits. A caller who could hold the permission for some other
 * object gets 404, exactly what a made-up id gets, so that nothing outside
 * their scope can be told to exist; 403 is kept for roles that may never use
 * the page at all.
 */
export async function denied(ctx: Ctx, permission: Permission | Permission[], options: DenialOptions = {}): Promise<never> {
  const hideExistence = mayEver(ctx, permission);
  await writeAudit(ctx.db, {
    actorUserId: ctx.user.id,
    municipalityId: options.municipalityId ?? null,
    action: "authz.denied",
    entity: options.entity,
    entityId: options.entityId,
    detail: { permission: Array.isArray(permission) ? permission.join("|") : permission },
  });
  if (hideExistence) throw notFound();
  throw forbidden();
}

function forbidden(): Response {
  return new Response(FORBIDDEN_MESSAGE, { status: 403 });
}

/** The one answer for "no such object" and "not yours": same status, same body. */
export function notFound(): Response {
  return notFoundResponse();
}

export function badRequest(message: string): Response {
  return new Response(message, { status: 400 });
}

export function rolesOf(ctx: Ctx): Set<Role> {
  return new Set(ctx.grants.map((g) => g.role));
}

export function coordinatedMunicipalityIds(ctx: Ctx): number[] {
  return ctx.grants.filter((g) => g.role === "coordinator").map((g) => g.municipalityId!);
}

export function ledProgrammeIds(ctx: Ctx): number[] {
  return ctx.grants.filter((g) => g.role === "programme_lead").map((g) => g.programmeId!);
}

export function fundedProgrammeIds(ctx: Ctx): number[] {
  return ctx.grants.filter((g) => g.role === "funder").map((g) => g.programmeId!);
}

export function ownParticipantIds(ctx: Ctx): number[] {
  return ctx.grants.filter((g) => g.role === "participant").map((g) => g.participantId!);
}

/**
 * The municipalities whose register the caller's grants reach: coordinators'
 * and participants' own. Administrators, programme leads and funders work
 * across municipalities by their grants, so they see all, as before.
 */
export function municipalityScopeOf(grants: Grant[]): MunicipalityScope {
  if (grants.some((g) => g.role !== "coordinator" && g.role !== "participant")) return "all";
  return grants.flatMap((g) => (g.municipalityId === null ? [] : [g.municipalityId]));
}

/**
 * A signed-in caller's context: `db` is the system handle, `ctx.db` the one
 * scoped to the caller's municipalities (the same handle on SQLite). Every
 * context of a person is made here, so none is left on the system handle.
 */
export function userContext(db: Db, user: CurrentUser, grants: Grant[]): Ctx {
  return { db: withMunicipalityScope(db, municipalityScopeOf(grants)), user, grants };
}

export async function loadGrants(db: Db, userId: number): Promise<Grant[]> {
  const rows = await db
    .selectFrom("role_grants")
    .select(["role", "municipality_id", "programme_id", "participant_id"])
    .where("user_id", "=", userId)
    .execute();
  return rows.map((r) => ({
    role: r.role,
    municipalityId: r.municipality_id,
    programmeId: r.programme_id,
    participantId: r.participant_id,
  }));
}
