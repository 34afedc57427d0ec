import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { requireUserContext } from "~/auth/session.server";
import { openSessionMaterialFile } from "~/domain/session-material.server";
import { idParam } from "~/utils/params";

/**
 * A session's material file, for whoever may read the session. Served with the
 * type its content was found to be (never sniffed by the browser: server/app.ts
 * sends nosniff on every answer), not kept in any cache, and with a name that
 * cannot break out of the header.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const file = await openSessionMaterialFile(ctx, idParam(params.materialId), context.config.materialDir);
  return new Response(createReadableStreamFromReadable(file.stream), {
    headers: {
      "Content-Type": file.contentType,
      "Content-Length": String(file.sizeBytes),
      "Content-Disposition": contentDisposition(file.inline ? "inline" : "attachment", file.fileName),
      "Cache-Control": "no-store",
    },
  });
}

/** RFC 6266: an ASCII fallback in `filename`, the real name in `filename*` (RFC 8187, UTF-8, percent-encoded). */
function contentDisposition(kind: "inline" | "attachment", fileName: string): string {
  const fallback = fileName
    .normalize("NFKD")
    .replace(/[^\x20-\x7e]/g, "")
    .replace(/["\\%;]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback || "material"}"; filename*=UTF-8''${encoded}`;
}
