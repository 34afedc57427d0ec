/**
 * How the participant modules find the municipality and the participant a
 * coordinator may work with. Each public function of those modules starts
 * here, so the check is made once, where the data is loaded.
 */
import type { Participant } from "~/db/schema";
import { coordinatedMunicipalityIds, denied, requireGrant, type Ctx, type Permission } from "../context.server";
import { conflict, type Refusal } from "../result";
import { refuseUnseen } from "./system-handle.server";

export type ParticipantPermission = "participants:read" | "participants:write";

/**
 * The municipality whose participants the caller coordinates. Anyone without a
 * coordinator grant is refused (403, audited). A person coordinating several
 * municipalities works with the first; the portal has no such user today.
 */
export async function requireOwnMunicipality(ctx: Ctx, permission: ParticipantPermission): Promise<number> {
  const [municipalityId] = coordinatedMunicipalityIds(ctx);
  if (municipalityId === undefined) return denied(ctx, permission, { entity: "participant" });
  await requireGrant(ctx, permission, { municipalityId });
  return municipalityId;
}

/**
 * Loads a participant the caller may see. A participant of another
 * municipality is answered exactly like one that does not exist (404), and
 * the attempt is audited.
 */
export async function loadOwnParticipant(ctx: Ctx, participantId: number, permission: ParticipantPermission): Promise<Participant> {
  if (!coordinatedMunicipalityIds(ctx).length) return denied(ctx, permission, { entity: "participant", entityId: participantId });
  const row = await ctx.db.selectFrom("participants").selectAll().where("id", "=", participantId).executeTakeFirst();
  if (!row) return refuseUnseenParticipant(ctx, participantId, permission);
  await requireGrant(ctx, permission, { municipalityId: row.municipality_id }, { entity: "participant", entityId: participantId });
  return row;
}

/** A participant id the caller's handle does not see (on PostgreSQL, another municipality's): 404, audited when it exists. */
export function refuseUnseenParticipant(ctx: Ctx, participantId: number, permission: Permission | Permission[]): Promise<never> {
  return refuseUnseen(ctx, { table: "participants", id: participantId, entity: "participant" }, permission);
}

/** Anonymisation is final: nobody may write a name (or a login) back onto the row. */
export function refuseIfAnonymised(p: Participant): Refusal | null {
  return p.anonymised_at ? conflict("Deltagaren är anonymiserad. Uppgifterna kan inte ändras.") : null;
}
