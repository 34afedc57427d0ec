/**
 * How the participant modules find the municipality and the participant a
 * coordinator may work with. Each public function of those modules starts
 * here, so the check is made once, where the data is loaded.
 */
import type { Participant } from "~/db/schema";
import { coordinatedMunicipalityIds, denied, notFound, requireGrant, type Ctx, type Permission } from "../context.server";
import { conflict, type Refusal } from "../result";
import { systemDb } from "./system-handle.server";

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

/**
 * For a participant id the caller's handle does not see (on PostgreSQL its
 * scope hides other municipalities' participants): 404, as for a made-up id,
 * and when the participant exists in another municipality the attempt is
 * audited with that municipality, as the grant check does for what it sees.
 */
export async function refuseUnseenParticipant(ctx: Ctx, participantId: number, permission: Permission | Permission[]): Promise<never> {
  // Crosses municipalities on purpose: only the municipality of a participant the caller is then refused, for the audit entry.
  const elsewhere = await systemDb(ctx).selectFrom("participants").select("municipality_id").where("id", "=", participantId).executeTakeFirst();
  if (elsewhere) await denied(ctx, permission, { entity: "participant", entityId: participantId, municipalityId: elsewhere.municipality_id });
  throw notFound();
}

/** Anonymisation is final: nobody may write a name (or a login) back onto the row. */
export function refuseIfAnonymised(p: Participant): Refusal | null {
  return p.anonymised_at ? conflict("Deltagaren är anonymiserad. Uppgifterna kan inte ändras.") : null;
}
