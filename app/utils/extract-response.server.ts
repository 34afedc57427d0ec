import type { RawRegisterExtract } from "~/domain/register-extract.server";
import { extractAsJson, extractFilename, presentExtract } from "~/ui/register-extract";

/** A registerutdrag as a download: never cached, always saved as a file. */
export function extractJsonResponse(extract: RawRegisterExtract): Response {
  return new Response(extractAsJson(presentExtract(extract)), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${extractFilename(extract)}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
