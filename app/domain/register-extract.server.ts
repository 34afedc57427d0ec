/**
 * Registerutdrag (GDPR art. 15): everything the portal stores about one
 * participant, as a readable page and as a JSON file. The owning
 * municipality's coordinator may take it out; so may the participant
 * themself. Every table's rows come from the personal-data registry
 * (internal/personal-data.server.ts), the same one anonymisation walks; how
 * they read is in app/ui/register-extract.ts, so the page and the file agree.
 *
 * Nothing about other people goes in: rows are selected by the participant's
 * id or by their own login, and staff who handled the data appear only as
 * what they did, not by name. Secrets stay out (password hash, session ids,
 * calendar tokens). Every extract is audited with ids only.
 */
import type { Participant } from "~/db/schema";
import { stockholmToday } from "~/utils/format";
import { writeAudit } from "./audit.server";
import { coordinatedMunicipalityIds, denied, notFound, ownParticipantIds, requireGrant, type Ctx } from "./context.server";
import { extractPersonalData, loadSubject, type ExtractedTable, type ExtractRow } from "./internal/personal-data.server";

export type { ExtractedTable } from "./internal/personal-data.server";

/** The extract's raw rows per table (labels, formats and order in app/ui/register-extract.ts). */
export interface RawRegisterExtract {
  participantId: number;
  participantName: string;
  municipalityName: string;
  generatedAt: string;
  tables: Record<ExtractedTable, ExtractRow[]>;
}

/** The coordinator's way in: another municipality's participant is a 404, audited. */
export async function getRegisterExtract(ctx: Ctx, participantId: number, format: "html" | "json"): Promise<RawRegisterExtract> {
  if (!coordinatedMunicipalityIds(ctx).length) return denied(ctx, "participants:read", { entity: "participant", entityId: participantId });
  const p = await ctx.db.selectFrom("participants").selectAll().where("id", "=", participantId).executeTakeFirst();
  if (!p) throw notFound();
  await requireGrant(
    ctx,
    "participants:read",
    { municipalityId: p.municipality_id },
    { entity: "participant", entityId: participantId },
  );
  return buildAndAudit(ctx, p, format, "coordinator");
}

/** The participant's own extract (Mina uppgifter). */
export async function getOwnRegisterExtract(ctx: Ctx, format: "html" | "json"): Promise<RawRegisterExtract> {
  const [participantId] = ownParticipantIds(ctx);
  if (participantId === undefined) return denied(ctx, "self:read", { entity: "participant" });
  await requireGrant(ctx, "self:read", { participantId });
  const p = await ctx.db.selectFrom("participants").selectAll().where("id", "=", participantId).executeTakeFirst();
  if (!p) throw notFound();
  return buildAndAudit(ctx, p, format, "self");
}

async function buildAndAudit(ctx: Ctx, p: Participant, format: "html" | "json", via: "coordinator" | "self"): Promise<RawRegisterExtract> {
  const municipality = await ctx.db.selectFrom("municipalities").select("name").where("id", "=", p.municipality_id).executeTakeFirstOrThrow();
  const tables = await extractPersonalData(ctx.db, await loadSubject(ctx.db, p), stockholmToday());
  await writeAudit(ctx.db, {
    actorUserId: ctx.user.id,
    municipalityId: p.municipality_id,
    action: "participant.register_extract",
    entity: "participant",
    entityId: p.id,
    detail: { format, via },
  });
  return {
    participantId: p.id,
    participantName: `${p.first_name} ${p.last_name}`,
    municipalityName: municipality.name,
    generatedAt: new Date().toISOString(),
    tables,
  };
}
