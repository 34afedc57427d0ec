/**
 * Session material as stored (no grant checks: session-material.server.ts and
 * the start page call these after their own): the rows of some sessions, and
 * the files on disk. A file is stored in MATERIAL_DIR under a random
 * key, never under a name the uploader chose, so no name can reach another
 * path; its type is decided by its content (file-type reads the signature),
 * never by its name or the upload's Content-Type.
 */
import crypto from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { fileTypeFromBuffer, fileTypeFromFile } from "file-type";
import type { Db } from "~/db/connection.server";
import type { SessionMaterialKind } from "~/db/schema";
import { MAX_MATERIAL_BYTES } from "~/schemas/material";
import { FileTooLargeError, fileTooLargeMessage } from "~/utils/form-data.server";

/**
 * The types a session's material may have, by what the content is. Office
 * documents are the OOXML ones (a ZIP that file-type recognises by its parts);
 * the older binary formats and macro-enabled documents are not taken, nor is
 * SVG (it can carry script) or HTML.
 */
export const MATERIAL_TYPES = {
  "application/pdf": { extension: "pdf", inline: true },
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": { extension: "docx", inline: false },
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { extension: "xlsx", inline: false },
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": { extension: "pptx", inline: false },
  "image/png": { extension: "png", inline: true },
  "image/jpeg": { extension: "jpg", inline: true },
  "image/gif": { extension: "gif", inline: true },
  "image/webp": { extension: "webp", inline: true },
} as const;

export type MaterialType = keyof typeof MATERIAL_TYPES;

/** What the first bytes may show before the rest has arrived: the allowed types, and a ZIP that may still prove to be an Office document. */
const PLAUSIBLE_FROM_HEAD = new Set<string>([...Object.keys(MATERIAL_TYPES), "application/zip"]);

/** file-type's look at the start of a file needs at most this much. */
const HEAD_BYTES = 4100;

export const MATERIAL_FILE_MESSAGES = {
  wrongType: "Filen är inte en PDF, ett Office-dokument (Word, Excel, PowerPoint) eller en bild (PNG, JPEG, GIF, WebP). Portalen ser på vad filen innehåller, inte på vad den heter.",
  tooLarge: fileTooLargeMessage(MAX_MATERIAL_BYTES),
  empty: "Filen är tom.",
} as const;

export type ReceivedFile =
  | { ok: true; key: string; sizeBytes: number; contentType: MaterialType }
  | { ok: false; status: 400 | 413; message: string };

/** A key is 24 characters of base64url: what `receiveMaterialFile` makes, checked again before any path is built from one. */
const KEY = /^[A-Za-z0-9_-]{24}$/;

function pathOf(dir: string, key: string): string {
  if (!KEY.test(key)) throw new Error("not a material file key");
  return path.join(dir, key);
}

/**
 * Writes an upload to disk as it arrives (memory holds one chunk at a time),
 * refuses it as soon as its first bytes show a type not taken or it passes its
 * size, and checks the whole file's type at the end. A refused file leaves
 * nothing behind.
 */
export async function receiveMaterialFile(dir: string, chunks: AsyncIterable<Uint8Array>): Promise<ReceivedFile> {
  await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
  const key = crypto.randomBytes(18).toString("base64url");
  const partial = `${pathOf(dir, key)}.part`;
  const out = fs.createWriteStream(partial, { flags: "wx", mode: 0o600 });
  const closed = once(out, "close");
  let keep = false;
  try {
    let size = 0;
    let head: Buffer | null = Buffer.alloc(0);
    for await (const chunk of chunks) {
      size += chunk.byteLength;
      if (head) {
        head = Buffer.concat([head, chunk]).subarray(0, HEAD_BYTES);
        if (head.length >= HEAD_BYTES) {
          if (!(await plausible(head))) return { ok: false, status: 400, message: MATERIAL_FILE_MESSAGES.wrongType };
          head = null;
        }
      }
      if (!out.write(chunk)) await once(out, "drain");
    }
    if (size === 0) return { ok: false, status: 400, message: MATERIAL_FILE_MESSAGES.empty };
    if (head && !(await plausible(head))) return { ok: false, status: 400, message: MATERIAL_FILE_MESSAGES.wrongType };
    out.end();
    await closed;
    const detected = await fileTypeFromFile(partial);
    if (!detected || !(detected.mime in MATERIAL_TYPES)) return { ok: false, status: 400, message: MATERIAL_FILE_MESSAGES.wrongType };
    await fs.promises.rename(partial, pathOf(dir, key));
    keep = true;
    return { ok: true, key, sizeBytes: size, contentType: detected.mime as MaterialType };
  } catch (error) {
    if (error instanceof FileTooLargeError) return { ok: false, status: 413, message: MATERIAL_FILE_MESSAGES.tooLarge };
    throw error;
  } finally {
    if (!keep) {
      out.destroy();
      await closed.catch(() => {});
      await fs.promises.rm(partial, { force: true });
    }
  }
}

async function plausible(head: Buffer): Promise<boolean> {
  const detected = await fileTypeFromBuffer(head);
  return detected !== undefined && PLAUSIBLE_FROM_HEAD.has(detected.mime);
}

/** Removes a stored file (gone already is fine: the row is what counts). */
export async function removeMaterialFile(dir: string, key: string): Promise<void> {
  await fs.promises.rm(pathOf(dir, key), { force: true });
}

/** A stored file's stream, or null when it is missing (a restore without the files folder). */
export async function openMaterialFile(dir: string, key: string): Promise<{ stream: fs.ReadStream; sizeBytes: number } | null> {
  const file = pathOf(dir, key);
  try {
    const handle = await fs.promises.open(file, "r");
    const { size } = await handle.stat();
    return { stream: handle.createReadStream(), sizeBytes: size };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Characters no file name on Windows, macOS or Linux may hold, controls, and bidirectional overrides that disguise an extension. */
const UNSAFE_NAME_CHARACTERS = /[\u0000-\u001f\u007f<>:"/\\|?*\u202a-\u202e\u2066-\u2069]/g;

/**
 * The name a download gets: the uploader's name without any folder part,
 * unsafe characters or leading dots, at most 120 characters, ending in the
 * extension of what the content is.
 */
export function cleanFileName(uploaded: string, contentType: MaterialType): string {
  const extension = MATERIAL_TYPES[contentType].extension;
  const base = uploaded.split(/[/\\]/).pop() ?? "";
  const stem = base
    .normalize("NFC")
    .replace(UNSAFE_NAME_CHARACTERS, " ")
    .replace(/\.[^.]*$/, "")
    .replace(/\s+/g, " ")
    .replace(/^[\s.]+|[\s.]+$/g, "")
    .slice(0, 120);
  return `${stem || "material"}.${extension}`;
}

/** One item of a session's material as pages show it. */
export interface MaterialItem {
  id: number;
  sessionId: number;
  kind: SessionMaterialKind;
  title: string;
  /** A link's address (http or https). */
  url: string | null;
  /** A file's download name. */
  fileName: string | null;
  contentType: string | null;
  sizeBytes: number | null;
  createdAt: string;
}

/** The material of the given sessions, oldest first (as it was added). */
export async function materialOfSessions(db: Db, sessionIds: number[]): Promise<MaterialItem[]> {
  if (!sessionIds.length) return [];
  return db
    .selectFrom("session_materials")
    .select([
      "id",
      "session_id as sessionId",
      "kind",
      "title",
      "url",
      "file_name as fileName",
      "content_type as contentType",
      "size_bytes as sizeBytes",
      "created_at as createdAt",
    ])
    .where("session_id", "in", sessionIds)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}
