import type { Transaction } from "kysely";
import type { Db } from "~/db/connection.server";
import type { Database } from "~/db/schema";
import { nowIso } from "~/db/connection.server";

export interface AuditEntry {
  actorUserId: number | null;
  municipalityId?: number | null;
  /** Dotted verb, e.g. "participant.updated", "auth.login_failed", "authz.denied". */
  action: string;
  entity?: string;
  entityId?: string | number | null;
  /** Ids and field names only: the log line itself never holds personal data. */
  detail?: Record<string, unknown>;
}

export async function writeAudit(db: Db | Transaction<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      at: nowIso(),
      actor_user_id: entry.actorUserId,
      municipality_id: entry.municipalityId ?? null,
      action: entry.action,
      entity: entry.entity ?? null,
      entity_id: entry.entityId == null ? null : String(entry.entityId),
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
    })
    .execute();
}
