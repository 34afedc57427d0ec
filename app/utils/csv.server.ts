import { parse } from "csv-parse";
import { stringify } from "csv-stringify/sync";

export type CsvCell = string | number | null | undefined;

export type ParsedCsv = { ok: true; header: string[]; rows: CsvRow[] } | { ok: false; message: string };

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
/**
 * Text from the file quoted back in a message: at most 40 characters, without
 * quote characters of its own, so the quotes mark exactly where the file's
 * text begins and ends (a header like `a"b` would otherwise leave the reader
 * unable to tell the file's words from ours).
 */
export function quoteFromFile(text: string): string {
  return `"${text.replace(/["“”]/g, "").slice(0, 40)}"`;
}

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

export interface CsvRow {
  /** Where the row starts in the file (1-based). */
  line: number;
  values: Record<string, string>;
}

/** What a reader of rows says: null to go on, or a message that stops the reading there. */
export interface CsvVisitor {
  header?(header: string[]): string | null;
  row(row: CsvRow): string | null;
}

/**
 * Reads a CSV file with a header row as it arrives, one row at a time, so a
 * file's size never becomes memory: each row is handed to `visit` and
 * forgotten. Accepts Excel's ";" as well as ",", detected from the header
 * line. Cells are trimmed, blank lines (also ";;;") skipped, and line breaks
 * inside cells become "\n". Stops at the first problem, or when `visit` says so.
 */
export async function readCsv(text: AsyncIterable<string>, visit: CsvVisitor): Promise<{ ok: true; header: string[] } | { ok: false; message: string }> {
  let header: string[] | null = null;
  let stop: string | null = null;
  let lastLine = 0;
  const onRecord = (record: string[], lines: number) => {
    const line = lastLine + 1;
    lastLine = lines;
    if (stop !== null) return;
    const cells = record.map((cell) => cell.trim());
    if (!cells.some((cell) => cell !== "")) return;
    if (!header) {
      // Excel often leaves empty cells after the last column.
      header = dropTrailingEmpty(cells);
      const unnamed = header.indexOf("");
      const duplicate = header.find((name, i) => header!.indexOf(name) !== i);
      if (unnamed !== -1) stop = `Kolumn ${unnamed + 1} i rubrikraden (rad ${line}) saknar namn.`;
      else if (duplicate !== undefined) stop = `Kolumnen ${quoteFromFile(duplicate)} finns flera gånger i rubrikraden.`;
      else stop = visit.header?.(header) ?? null;
      return;
    }
    if (cells.slice(header.length).some((cell) => cell !== "")) {
      stop = `Rad ${line} har fler värden än det finns kolumner i rubrikraden.`;
      return;
    }
    // fromEntries defines own properties, so a column named "__proto__" stays a column.
    stop = visit.row({ line, values: Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ""])) });
  };

  let parser: ReturnType<typeof parseStream> | null = null;
  let failure: unknown = null;
  const lines = oneLineBreak(text);
  let pending = "";
  reading: for await (const chunk of lines) {
    if (!parser) {
      // The delimiter is read from the header line, so hold text back until it is whole (or long enough to tell).
      pending += chunk;
      if (!firstLineIsWhole(pending) && pending.length < 64 * 1024) continue;
      parser = parseStream(detectDelimiter(pending), onRecord, (error) => (failure ??= error));
      parser.write(pending);
      pending = "";
    } else {
      // Rows are checked as they are parsed; in slices, with other requests served in between.
      for (let at = 0; at < chunk.length; at += SLICE) {
        parser.write(chunk.slice(at, at + SLICE));
        if (stop !== null || failure) break reading;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    // csv-parse handles each write at once (on_record runs inside write), so a stop is seen here.
    if (stop !== null || failure) break;
  }
  if (!parser && stop === null) {
    parser = parseStream(detectDelimiter(pending), onRecord, (error) => (failure ??= error));
    parser.write(pending);
  }
  if (parser && stop === null && !failure) {
    parser.end();
    parser.resume();
    await new Promise<void>((resolve) => parser!.once("close", resolve));
  } else parser?.destroy();

  if (failure) return { ok: false, message: parseErrorMessage(failure, lastLine + 1) };
  if (stop !== null) return { ok: false, message: stop };
  if (!header) return { ok: false, message: "Filen är tom." };
  return { ok: true, header };
}

/**
 * About 25 rows of a typical file (a few ms of checking): small enough that a
 * request arriving meanwhile, which needs several turns of the event loop, is
 * not held up for long on a busy machine.
 */
const SLICE = 2 * 1024;

function parseStream(delimiter: string, onRecord: (record: string[], lines: number) => void, onError: (error: unknown) => void) {
  const parser = parse({
    delimiter,
    record_delimiter: "\n",
    trim: true,
    relax_column_count: true,
    // Rows are handed on here and not kept: the parser's output stays empty.
    on_record: (record: string[], context) => {
      onRecord(record, context.lines);
      return null;
    },
  });
  parser.on("error", onError);
  return parser;
}

/** Text with every line break as "\n" and the BOM gone, a chunk at a time (a CR at a chunk's end waits for the next). */
async function* oneLineBreak(text: AsyncIterable<string>): AsyncGenerator<string> {
  let first = true;
  let carry = "";
  for await (let chunk of text) {
    if (first && chunk.startsWith(BOM)) chunk = chunk.slice(BOM.length);
    if (chunk) first = false;
    chunk = carry + chunk;
    carry = chunk.endsWith("\r") ? "\r" : "";
    if (carry) chunk = chunk.slice(0, -1);
    if (chunk) yield chunk.replace(/\r\n?/g, "\n");
  }
  if (carry) yield "\n";
}

/** Whether the first line with content has ended (outside quotes). */
function firstLineIsWhole(text: string): boolean {
  let inQuotes = false;
  let seenContent = false;
  for (const char of text) {
    if (char === '"') inQuotes = !inQuotes;
    else if (char === "\n" && !inQuotes && seenContent) return true;
    if (char.trim() !== "") seenContent = true;
  }
  return false;
}

/** A whole CSV text already in memory, read as readCsv does (for exports read back and small files). */
export async function parseCsv(text: string): Promise<ParsedCsv> {
  const rows: CsvRow[] = [];
  const result = await readCsv(once(text), {
    row: (row) => {
      rows.push(row);
      return null;
    },
  });
  return result.ok ? { ok: true, header: result.header, rows } : result;
}

async function* once<T>(value: T): AsyncGenerator<T> {
  yield value;
}

/**
 * The text of an uploaded file as its bytes arrive. Excel's "CSV
 * (semikolonavgränsad)" is Windows-1252, not UTF-8: a file is read as UTF-8
 * until a byte shows it is not; if no other non-ASCII byte came before
 * (ASCII reads the same either way), the rest is read as Windows-1252.
 */
export async function* decodeCsvBytes(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  let windows1252: TextDecoder | null = null;
  let onlyAscii = true;
  for await (const chunk of bytes) {
    if (windows1252) {
      yield windows1252.decode(chunk, { stream: true });
      continue;
    }
    try {
      const text = utf8.decode(chunk, { stream: true });
      if (onlyAscii && chunk.some((b) => b > 0x7f)) onlyAscii = false;
      yield text;
    } catch {
      if (!onlyAscii) throw new CsvEncodingError();
      windows1252 = new TextDecoder("windows-1252");
      yield windows1252.decode(chunk, { stream: true });
    }
  }
  if (windows1252) return;
  try {
    yield utf8.decode();
  } catch {
    throw new CsvEncodingError();
  }
}

/** A file that is neither UTF-8 nor Windows-1252 throughout. */
export class CsvEncodingError extends Error {
  constructor() {
    super("Filen blandar teckenkodningar. Spara den i Excel som ”CSV UTF-8 (kommaavgränsad)” eller ”CSV (semikolonavgränsad)” och försök igen.");
  }
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
