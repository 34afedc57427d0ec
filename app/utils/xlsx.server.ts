import { contentDisposition } from "./csv.server";

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** An Excel download; the filename may contain å, ä and ö. */
export function xlsxResponse(filename: string, body: ArrayBuffer): Response {
  return new Response(body, {
    headers: {
      "Content-Type": XLSX_CONTENT_TYPE,
      "Content-Disposition": contentDisposition(filename),
      "Cache-Control": "no-store",
    },
  });
}
