import type { RegisterExtract } from "~/domain/register-extract.server";
import { extractAsJson, extractFilename } from "~/domain/register-extract.server";

/** A registerutdrag as a download: never cached, always saved as a file. */
export function extractJsonResponse(extract: RegisterExtract): Response {
  return new Response(extractAsJson(extract), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${extractFilename(extract)}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
