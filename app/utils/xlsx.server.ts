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

/** One sheet: a bold header row and the rows as text cells (a personnummer stays text, not a number). */
export async function xlsxTable(sheetName: string, header: string[], rows: string[][]): Promise<ArrayBuffer> {
  return xlsxSheets([{ name: sheetName, header, rows }]);
}

/** Several tables, one sheet each, in one file. */
export async function xlsxSheets(sheets: { name: string; header: string[]; rows: string[][] }[]): Promise<ArrayBuffer> {
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.Workbook();
  for (const { name, header, rows } of sheets) {
    const sheet = workbook.addWorksheet(name);
    sheet.columns = header.map((title) => ({ header: title, width: Math.max(14, title.length + 2) }));
    for (const row of rows) sheet.addRow(row);
    sheet.getRow(1).font = { bold: true };
  }
  const buffer = await workbook.xlsx.writeBuffer();
  return Uint8Array.from(buffer as unknown as Uint8Array).buffer;
}
