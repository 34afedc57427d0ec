/**
 * The caller's context, handed to every domain function first, and the
 * grant checks those functions make. Routes never filter by municipality
 * themselves: the domain function asks `requireGrant` and scopes its query.
 */
import type { Db } from "~/db/connection.server";
import type { Role } from "~/db/schema";
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
}

export type Permission =
  | "admin"
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
  | "scb:report";

const rules: Record<Permission, (g: Grant, s: Scope) => boolean> = {
  admin: (g) => g.role === "admin",
  "participants:read": (g, s) => g.role === "coordinator" && g.municipalityId === s.municipalityId,
  "participants:write": (g, s) => g.role === "coordinator" && g.municipalityId === s.municipalityId,
  "programmes:create": (g, s) =>
    g.role === "admin" || (g.role === "coordinator" && g.municipalityId === s.ownerMunicipalityId),
  "programmes:manage": (g, s) =>
    g.role === "admin" ||
    (g.role === "programme_lead" && g.programmeId === s.programmeId) ||
    (g.role === "coordinator" && s.ownerMunicipalityId != null && g.municipalityId === s.ownerMunicipalityId),
  "cohorts:manage": (g, s) => g.role === "programme_lead" && g.programmeId === s.programmeId,
  "sessions:manage": (g, s) =>
    (g.role === "programme_lead" && g.programmeId === s.programmeId) ||
    (g.role === "coordinator" && s.municipalityId != null && g.municipalityId === s.municipalityId),
  "nominations:write": (g, s) => g.role === "coordinator" && g.municipalityId === s.municipalityId,
  "nominations:decide": (g, s) => g.role === "programme_lead" && g.programmeId === s.programmeId,
  "roster:read": (g, s) =>
    (g.role === "programme_lead" && g.programmeId === s.programmeId) ||
    (g.role === "coordinator" && s.municipalityId != null && g.municipalityId === s.municipalityId),
  "statistics:read": (g, s) =>
    ((g.role === "programme_lead" || g.role === "funder") && g.programmeId === s.programmeId) ||
    (g.role === "coordinator" && s.municipalityId != null && g.municipalityId === s.municipalityId),
  "self:read": (g, s) => g.role === "participant" && g.participantId === s.participantId,
  // Scope: the session's programme and its host municipality.
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
};

export function can(ctx: Ctx, permission: Permission, scope: Scope = {}): boolean {
  return ctx.grants.some((g) => rules[permission](g, scope));
}

/** Throws 403 (or 404 when existence itself is private) and leaves an audit entry. */
export async function requireGrant(
  ctx: Ctx,
  permission: Permission,
  scope: Scope = {},
  options: { hideExistence?: boolean; entity?: string; entityId?: number | string } = {},
): Promise<void> {
  if (can(ctx, permission, scope)) return;
  await denied(ctx, permission, { ...options, municipalityId: scope.municipalityId ?? null });
}

export async function denied(
  ctx: Ctx,
  permission: string,
  options: { hideExistence?: boolean; entity?: string; entityId?: number | string; municipalityId?: number | null } = {},
): Promise<never> {
  await writeAudit(ctx.db, {
    actorUserId: ctx.user.id,
    municipalityId: options.municipalityId ?? null,
    action: "authz.denied",
    entity: options.entity,
    entityId: options.entityId,
    detail: { permission },
  });
  if (options.hideExistence) throw notFound();
  throw new Response("Du har inte behörighet till den här sidan.", { status: 403 });
}

export function notFound(message = "Sidan finns inte."): Response {
  return new Response(message, { status: 404 });
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
