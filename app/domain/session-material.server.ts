/**
 * A session's material: links and uploaded files (PDF, Office documents,
 * images). Whoever plans the session adds and removes it (the programme lead;
 * the host's coordinator where the programme lets coordinators plan, ADR 013);
 * whoever may read the session reads it (the cohort's active participants,
 * its lead, the partner municipalities' coordinators). Anyone else gets what
 * a made-up id gets (ADR 014). Files are kept in MATERIAL_DIR under random
 * keys (internal/material.server.ts); adding and removing are audited without
 * titles or file names, which could name someone.
 */
import type { Readable } from "node:stream";
import type { MaterialPost } from "~/schemas/material";
import { nowIso } from "~/db/connection.server";
import { writeAudit } from "./audit.server";
import { notFound, type Ctx } from "./context.server";
import {
  cleanFileName,
  MATERIAL_TYPES,
  materialOfSessions,
  openMaterialFile,
  receiveMaterialFile,
  removeMaterialFile,
  type MaterialItem,
  type MaterialType,
  type ReceivedFile,
} from "./internal/material.server";
import { INPUT_REFUSED, invalid, ok, type Checked, type Result } from "./result";
import { requirePlannedSession, requireReadableSession } from "./sessions.server";

export type { MaterialItem };

/** Reads the posted form: `store` takes the file's bytes as they arrive, and answers what was stored. */
export type MaterialUpload = (store: (file: AsyncIterable<Uint8Array>, info: { filename: string }) => Promise<StoredUpload>) => Promise<{
  posted: Checked<MaterialPost>;
  file: StoredUpload | null;
}>;

/** A file on disk (or refused) with the name it came with. */
export type StoredUpload = ReceivedFile & { uploadedName: string };

/** The material page: the session, its material, for the one who plans it. */
export async function getMaterialPage(ctx: Ctx, sessionId: number) {
  const { session, cohort } = await requirePlannedSession(ctx, sessionId);
  return {
    session: { id: session.id, title: session.title, startsAt: session.starts_at, endsAt: session.ends_at, status: session.status },
    cohort,
    material: await materialOfSessions(ctx.db, [sessionId]),
  };
}

/**
 * Adds a link or a file, or removes an item. The caller's right to plan the
 * session is checked before a byte of the body is read; a file goes to disk
 * as it arrives and is removed again when anything else is refused.
 */
export async function postSessionMaterial(ctx: Ctx, sessionId: number, materialDir: string, read: MaterialUpload): Promise<Result<MaterialPost["intent"]>> {
  const { session } = await requirePlannedSession(ctx, sessionId);
  const { posted, file } = await read(async (chunks, info) => ({ ...(await receiveMaterialFile(materialDir, chunks)), uploadedName: info.filename }));
  const storedKey = file?.ok ? file.key : null;
  let kept = false;
  try {
    if (posted.status !== "success") return INPUT_REFUSED;
    const input = posted.value;
    if (input.intent === "remove") {
      const removed = await removeMaterial(ctx, session.id, session.host_municipality_id, input.materialId);
      if (removed.fileKey) await removeMaterialFile(materialDir, removed.fileKey);
      return ok(input.intent);
    }
    if (input.intent === "link") {
      await addMaterial(ctx, session.id, session.host_municipality_id, { kind: "link", title: input.title, url: input.url });
      return ok(input.intent);
    }
    if (!file) return invalid({ file: ["Välj en fil att lägga till."] });
    if (!file.ok) return file.status === 413 ? { ...invalid({ file: [file.message] }), status: 413 } : invalid({ file: [file.message] });
    const fileName = cleanFileName(file.uploadedName, file.contentType);
    await addMaterial(ctx, session.id, session.host_municipality_id, {
      kind: "file",
      title: input.title || fileName.replace(/\.[^.]+$/, ""),
      file_key: file.key,
      file_name: fileName,
      content_type: file.contentType,
      size_bytes: file.sizeBytes,
    });
    kept = true;
    return ok(input.intent);
  } finally {
    if (storedKey && !kept) await removeMaterialFile(materialDir, storedKey);
  }
}

type NewMaterial =
  | { kind: "link"; title: string; url: string }
  | { kind: "file"; title: string; file_key: string; file_name: string; content_type: MaterialType; size_bytes: number };

async function addMaterial(ctx: Ctx, sessionId: number, hostMunicipalityId: number, values: NewMaterial): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("session_materials")
      .values({ session_id: sessionId, created_by: ctx.user.id, created_at: nowIso(), ...values })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: hostMunicipalityId,
      action: "session_material.added",
      entity: "session",
      entityId: sessionId,
      detail: values.kind === "file" ? { materialId: row.id, kind: "file", contentType: values.content_type, sizeBytes: values.size_bytes } : { materialId: row.id, kind: "link" },
    });
  });
}

/** Removes one item of the session's material; an id of another session's is answered like a made-up one. */
async function removeMaterial(ctx: Ctx, sessionId: number, hostMunicipalityId: number, materialId: number): Promise<{ fileKey: string | null }> {
  const removed = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .deleteFrom("session_materials")
      .where("id", "=", materialId)
      .where("session_id", "=", sessionId)
      .returning(["kind", "file_key"])
      .executeTakeFirst();
    if (!row) return null;
    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId: hostMunicipalityId,
      action: "session_material.removed",
      entity: "session",
      entityId: sessionId,
      detail: { materialId, kind: row.kind },
    });
    return { fileKey: row.file_key };
  });
  if (!removed) throw notFound();
  return removed;
}

export interface MaterialDownload {
  stream: Readable;
  sizeBytes: number;
  fileName: string;
  contentType: MaterialType;
  /** PDF and images open in the browser; Office documents are downloaded. */
  inline: boolean;
}

/** A material file for whoever may read its session; anything else (a link, a missing file) is answered like a made-up id. */
export async function openSessionMaterialFile(ctx: Ctx, materialId: number, materialDir: string): Promise<MaterialDownload> {
  const row = await ctx.db
    .selectFrom("session_materials")
    .select(["session_id", "kind", "file_key", "file_name", "content_type"])
    .where("id", "=", materialId)
    .executeTakeFirst();
  // The session decides who may read; a made-up material id gets the answer a made-up session id gets.
  await requireReadableSession(ctx, row?.session_id ?? 0);
  if (!row || row.kind !== "file" || !row.file_key || !row.file_name || !(row.content_type! in MATERIAL_TYPES)) throw notFound();
  const file = await openMaterialFile(materialDir, row.file_key);
  if (!file) {
    console.warn(`Session material ${materialId} has no file in MATERIAL_DIR (restored without the material folder?)`);
    throw notFound();
  }
  const contentType = row.content_type as MaterialType;
  return { stream: file.stream, sizeBytes: file.sizeBytes, fileName: row.file_name, contentType, inline: MATERIAL_TYPES[contentType].inline };
}
