import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";

export type CsvCell = string | number | null | undefined;

export type ParsedCsv =
  | {
      ok: true;
      header: string[];
      rows: { line: number; values: Record<string, string> }[];
    }
  | { ok: false; message: string };

const BOM = "\uFEFF";

// Spreadsheet programs treat these leading characters as the start of a formula.
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;

/**
 * CSV as Swedish Excel opens it by double-click: UTF-8 with BOM, ";" between cells and
 * CRLF line endings. Text cells that could be read as formulas get a leading "'".
 */
export function toCsv(header: string[], rows: CsvCell[][]): string {
  const records = [header, ...rows].map((row) => row.map(neutralizeCell));
  return (
    BOM +
    stringify(records, {
      delimiter: ";",
      record_delimiter: "\r\n",
      // The default only quotes the full record delimiter; a lone CR or LF must be quoted too.
      // Commas are quoted so parseCsv never mistakes a one-column file for comma-separated.
      quoted_match: /[\r\n,]/,
    })
  );
}

function neutralizeCell(cell: CsvCell): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "number") return String(cell);
  return FORMULA_TRIGGER.test(cell) ? `'${cell}` : cell;
}

/** A download response; the filename may contain å, ä and ö. */
export function csvResponse(filename: string, csv: string): Response {
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": contentDisposition(filename),
      "Cache-Control": "no-store",
    },
  });
}

export function contentDisposition(filename: string): string {
  // Control characters, quotes and path separators have no place in a download name.
  const cleaned = filename.replace(/[\u0000-\u001f\u007f"\\/]/g, "").trim() || "export.csv";
  const ascii = cleaned
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\x20-\x7e]/g, "_");
  const encoded = encodeURIComponent(cleaned).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Reads an uploaded CSV file with a header row. Accepts Excel's ";" as well as ",",
 * detected from the header line. Cells are trimmed, blank lines (also ";;;") skipped,
 * and line breaks inside cells become "\n". `line` is where the row starts in the file.
 */
export function parseCsv(text: string): ParsedCsv {
  const normalized = (text.startsWith(BOM) ? text.slice(BOM.length) : text).replace(
    /\r\n?/g,
    "\n",
  );

  const records: { line: number; cells: string[] }[] = [];
  let lastLine = 0;
  try {
    parse(normalized, {
      delimiter: detectDelimiter(normalized),
      record_delimiter: "\n",
      trim: true,
      relax_column_count: true,
      // Collect rows here rather than from the return value to know where each one starts.
      on_record: (record: string[], context) => {
        records.push({ line: lastLine + 1, cells: record.map((cell) => cell.trim()) });
        lastLine = context.lines;
        return null;
      },
    });
  } catch (error) {
    return { ok: false, message: parseErrorMessage(error, lastLine + 1) };
  }

  const nonEmpty = records.filter((r) => r.cells.some((cell) => cell !== ""));
  const [headerRecord, ...dataRecords] = nonEmpty;
  if (!headerRecord) return { ok: false, message: "Filen är tom." };

  // Excel often leaves empty cells after the last column.
  const header = dropTrailingEmpty(headerRecord.cells);
  const unnamed = header.indexOf("");
  if (unnamed !== -1) {
    return {
      ok: false,
      message: `Kolumn ${unnamed + 1} i rubrikraden (rad ${headerRecord.line}) saknar namn.`,
    };
  }
  const duplicate = header.find((name, i) => header.indexOf(name) !== i);
  if (duplicate !== undefined) {
    return {
      ok: false,
      message: `Kolumnen "${duplicate}" finns flera gånger i rubrikraden.`,
    };
  }

  const rows: { line: number; values: Record<string, string> }[] = [];
  for (const { line, cells } of dataRecords) {
    if (cells.slice(header.length).some((cell) => cell !== "")) {
      return {
        ok: false,
        message: `Rad ${line} har fler värden än det finns kolumner i rubrikraden.`,
      };
    }
    // fromEntries defines own properties, so a column named "__proto__" stays a column.
    const values = Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ""]));
    rows.push({ line, values });
  }
  return { ok: true, header, rows };
}

/** Counts ";" and "," outside quotes on the first non-blank line. */
function detectDelimiter(text: string): ";" | "," {
  let semicolons = 0;
  let commas = 0;
  let inQuotes = false;
  let seenContent = false;
  for (const char of text) {
    if (char === '"') inQuotes = !inQuotes;
    else if (inQuotes) continue;
    else if (char === "\n") {
      if (seenContent) break;
    } else if (char === ";") semicolons++;
    else if (char === ",") commas++;
    if (char.trim() !== "") seenContent = true;
  }
  return commas > semicolons ? "," : ";";
}

function dropTrailingEmpty(cells: string[]): string[] {
  let end = cells.length;
  while (end > 0 && cells[end - 1] === "") end--;
  return cells.slice(0, end);
}

/** `recordStart` is where the failing row begins; csv-parse itself reports where it gave up. */
function parseErrorMessage(error: unknown, recordStart: number): string {
  const details = error && typeof error === "object" ? (error as Record<string, unknown>) : {};
  const line = typeof details.lines === "number" ? details.lines : recordStart;
  switch (details.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return `Filen kunde inte läsas: ett citattecken (") på rad ${recordStart} avslutas aldrig.`;
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
    case "INVALID_OPENING_QUOTE":
      return `Filen kunde inte läsas: felaktigt placerat citattecken (") på rad ${line}.`;
    default:
      return "Filen kunde inte läsas som CSV. Spara den som CSV (semikolonavgränsad) och försök igen.";
  }
}
