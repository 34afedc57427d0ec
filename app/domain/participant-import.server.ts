/**
 * CSV import of participants for a coordinator's own municipality.
 *
 * The whole file is checked first, as it arrives (a row at a time, never the
 * whole file in memory; reading stops at the header or past the row limit),
 * every row through the same schema as the add form; then either every row
 * is written, in one transaction, or none is.
 * Rows are matched to existing participants on e-mail (case-insensitive), so
 * importing the same people again updates them instead of adding duplicates.
 */
import { unstable_coerceFormValue as coerceFormValue } from "@conform-to/zod";
import { sql } from "kysely";
import { nowIso } from "~/db/connection.server";
import type { Participant } from "~/db/schema";
import { participantSchema, type ParticipantInput } from "~/schemas/participants";
import { CsvEncodingError, decodeCsvBytes, quoteFromFile, readCsv, toCsv, type CsvRow } from "~/utils/csv.server";
import { writeAudit } from "./audit.server";
import type { Ctx } from "./context.server";
import { invalid, ok, type Result } from "./result";
import { requireOwnMunicipality } from "./internal/participant-access.server";
import { changedFields, columnsOf, participantColumns, setPersonnummer, type ParticipantColumns } from "./internal/participant-records.server";

export const MAX_IMPORT_ROWS = 5000;

export interface ImportColumn {
  header: string;
  field: keyof ParticipantInput;
  /** The column must be in the header row. */
  required: boolean;
  help: string;
}

/** The file's columns, in template order. The import page documents them from this list. */
export const IMPORT_COLUMNS: ImportColumn[] = [
  { header: "Förnamn", field: "firstName", required: true, help: "Deltagarens förnamn." },
  { header: "Efternamn", field: "lastName", required: true, help: "Deltagarens efternamn." },
  {
    header: "E-post",
    field: "email",
    required: true,
    help: "E-postadress i tjänsten. Känner igen deltagare som redan finns: samma adress uppdaterar i stället för att lägga till.",
  },
  { header: "Förvaltning", field: "department", required: true, help: "Till exempel Socialförvaltningen." },
  { header: "Befattning", field: "title", required: false, help: "Till exempel Enhetschef. Får vara tom." },
  { header: "Kön", field: "gender", required: true, help: "kvinna, man, icke-binär eller vill ej uppge." },
  { header: "Födelseår", field: "birthYear", required: true, help: "Fyra siffror, till exempel 1985." },
  {
    header: "Personnummer",
    field: "personnummer",
    required: false,
    help: "ÅÅÅÅMMDD-NNNN, samordningsnummer går också bra. Får vara tom; bara för rapportering till ESF och SCB.",
  },
  {
    header: "Utbildningsnivå",
    field: "educationLevel",
    required: false,
    help: "ISCED 0-2 (förgymnasial), ISCED 3-4 (gymnasial) eller ISCED 5-8 (eftergymnasial). Får vara tom.",
  },
  { header: "Lönegrupp", field: "salaryGroup", required: true, help: "Lönegruppen som används för medfinansieringen, till exempel 2." },
];

/** Columns of the participant export that an import reads past, so an exported file can be imported again. */
const EXPORT_ONLY_COLUMNS = ["Status", "Slutdatum", "Orsak till avslut"];

/** Optional cells left empty keep what is stored for a participant who already exists. */
const KEEP_WHEN_EMPTY: (keyof ParticipantInput)[] = ["title", "personnummer", "educationLevel"];

export interface RowError {
  line: number;
  messages: string[];
}

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/** What the route read of the upload: the checked file, or why there is none. */
export type ReceivedImport = { ok: true; validation: ImportValidation } | { ok: false; message: string };

export type ImportValidation = { ok: true; rows: ValidRow[] } | { ok: false; fileError: string | null; rowErrors: RowError[] };

/** Validations made here; importParticipants writes no others (rows it has not checked itself). */
const checked = new WeakSet<ImportValidation>();

interface ValidRow {
  line: number;
  input: ParticipantInput;
  /** Cells the file left empty (or masked) in optional columns. */
  empty: Set<keyof ParticipantInput>;
}

export function importTemplateCsv(): string {
  return toCsv(
    IMPORT_COLUMNS.map((c) => c.header),
    [["Anna", "Exempelsson", "anna.exempelsson@kommun.se", "Socialförvaltningen", "Enhetschef", "kvinna", 1985, "", "ISCED 5-8", "2"]],
  );
}

/**
 * The add form's schema with the form's coercion ("" is missing, "1985" a
 * number), built once: parseWithZod rebuilds it at every call, which for
 * 5 000 rows is seconds of CPU and a hundred MB of garbage.
 */
const rowSchema = coerceFormValue(participantSchema);

const normalise = (s: string) => s.trim().toLocaleLowerCase("sv").replace(/\s+/g, " ");

function genderCode(value: string): string {
  const v = normalise(value).replace(/_/g, " ").replace(/-/g, " ");
  const codes: Record<string, string> = {
    kvinna: "kvinna",
    man: "man",
    "icke binär": "icke_binar",
    "icke binar": "icke_binar",
    "vill ej uppge": "vill_ej_uppge",
  };
  return codes[v] ?? value;
}

function educationCode(value: string): string {
  const v = normalise(value).replace(/[–—]/g, "-");
  const range = /(\d)\s*-\s*(\d)/.exec(v);
  if (range) {
    const code = `isced_${range[1]}_${range[2]}`;
    if (["isced_0_2", "isced_3_4", "isced_5_8"].includes(code)) return code;
  }
  const words: Record<string, string> = { förgymnasial: "isced_0_2", gymnasial: "isced_3_4", eftergymnasial: "isced_5_8" };
  return words[v] ?? value;
}

// The participant export writes "19850101-****"; importing it back must not wipe the stored number.
const MASKED_PERSONNUMMER = /^(\d{8}-)?\*{4}$/;

/**
 * Checks every row of a file (its bytes as they arrive, or text already in
 * memory); returns the rows ready to write, or everything that is wrong.
 */
export async function validateImport(file: AsyncIterable<Uint8Array> | string): Promise<ImportValidation> {
  const validation = await check(file);
  checked.add(validation);
  return validation;
}

async function check(file: AsyncIterable<Uint8Array> | string): Promise<ImportValidation> {
  let byHeader = new Map<string, string>();
  const headerOf = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c.field, c.header])) as Record<keyof ParticipantInput, string>;
  const rowErrors: RowError[] = [];
  const rows: ValidRow[] = [];
  const lineOfEmail = new Map<string, number>();
  const lineOfPersonnummer = new Map<string, number>();
  let count = 0;

  const onHeader = (header: string[]): string | null => {
    byHeader = new Map(header.map((h) => [normalise(h), h]));
    const known = new Set([...IMPORT_COLUMNS.map((c) => normalise(c.header)), ...EXPORT_ONLY_COLUMNS.map(normalise)]);
    const unknown = header.filter((h) => !known.has(normalise(h)));
    if (unknown.length) {
      // A file of something else entirely: name a few of its columns, not all.
      const named = unknown.slice(0, 5).map(quoteFromFile).join(", ") + (unknown.length > 5 ? ` och ${unknown.length - 5} till` : "");
      return `Rubrikraden har ${unknown.length === 1 ? "en okänd kolumn" : "okända kolumner"}: ${named}. Använd kolumnerna i mallen.`;
    }
    const missing = IMPORT_COLUMNS.filter((c) => c.required && !byHeader.has(normalise(c.header)));
    if (missing.length) return `Rubrikraden saknar ${missing.length === 1 ? "kolumnen" : "kolumnerna"} ${missing.map((c) => `"${c.header}"`).join(", ")}.`;
    return null;
  };

  const onRow = ({ line, values }: CsvRow): string | null => {
    if (++count > MAX_IMPORT_ROWS) return `Filen har fler än ${MAX_IMPORT_ROWS} rader. Läs in högst ${MAX_IMPORT_ROWS} åt gången.`;
    const cell = (column: ImportColumn) => {
      const header = byHeader.get(normalise(column.header));
      return header === undefined ? "" : (values[header] ?? "");
    };
    const form: Record<string, string> = {};
    const empty = new Set<keyof ParticipantInput>();
    for (const column of IMPORT_COLUMNS) {
      let value = cell(column);
      if (column.field === "gender") value = genderCode(value);
      if (column.field === "educationLevel" && value) value = educationCode(value);
      if (column.field === "personnummer" && MASKED_PERSONNUMMER.test(value)) value = "";
      if (!value && KEEP_WHEN_EMPTY.includes(column.field)) empty.add(column.field);
      form[column.field] = value;
    }

    const parsed = rowSchema.safeParse(form);
    const messages: string[] = [];
    if (!parsed.success) {
      const byField = (field: string) => parsed.error.issues.filter((issue) => issue.path.join(".") === field).map((issue) => issue.message);
      for (const column of IMPORT_COLUMNS) {
        for (const message of byField(column.field)) messages.push(`${column.header}: ${message}`);
      }
      messages.push(...byField(""));
    } else {
      const { email, personnummer } = parsed.data as ParticipantInput;
      const earlier = lineOfEmail.get(email);
      if (earlier !== undefined) messages.push(`${headerOf.email}: samma e-postadress som på rad ${earlier}.`);
      else lineOfEmail.set(email, line);
      if (personnummer) {
        const earlierPnr = lineOfPersonnummer.get(personnummer);
        if (earlierPnr !== undefined) messages.push(`${headerOf.personnummer}: samma personnummer som på rad ${earlierPnr}.`);
        else lineOfPersonnummer.set(personnummer, line);
      }
      if (!messages.length) rows.push({ line, input: parsed.data as ParticipantInput, empty });
    }
    if (messages.length) rowErrors.push({ line, messages });
    return null;
  };

  let read;
  try {
    read = await readCsv(typeof file === "string" ? textOnce(file) : decodeCsvBytes(file), { header: onHeader, row: onRow });
  } catch (error) {
    if (error instanceof CsvEncodingError) return { ok: false, fileError: error.message, rowErrors: [] };
    throw error;
  }
  if (!read.ok) return { ok: false, fileError: read.message, rowErrors: [] };
  if (!count) return { ok: false, fileError: "Filen innehåller inga deltagare, bara rubrikraden.", rowErrors: [] };
  if (rowErrors.length) return { ok: false, fileError: null, rowErrors };
  return { ok: true, rows };
}

async function* textOnce(text: string): AsyncGenerator<string> {
  yield text;
}

/**
 * Imports every row of a validated file, or none. The caller's grant is
 * checked before `receive` reads a byte of the upload.
 */
export async function importParticipants(ctx: Ctx, receive: () => Promise<ReceivedImport>): Promise<Result<ImportCounts>> {
  const municipalityId = await requireOwnMunicipality(ctx, "participants:write");
  const received = await receive();
  if (!received.ok) return invalid({ file: [received.message] });
  const validation = received.validation;
  if (!checked.has(validation)) throw new Error("importParticipants takes only what validateImport returned");
  if (!validation.ok) {
    const { fileError, rowErrors } = validation;
    const message =
      fileError ??
      `${rowErrors.length} ${rowErrors.length === 1 ? "rad har" : "rader har"} fel. Ingenting har lästs in: rätta raderna nedan och läs in filen igen.`;
    return { ...invalid({ file: [message] }), lineErrors: rowErrors };
  }

  const now = nowIso();
  return ctx.db.transaction().execute(async (trx) => {
    const emails = validation.rows.map((r) => r.input.email);
    const existing = new Map<string, Participant & { personnummer: string | null }>();
    // Chunked to stay far below SQLite's limit on bound parameters.
    for (let i = 0; i < emails.length; i += 500) {
      const found = await trx
        .selectFrom("participants as p")
        .leftJoin("participant_identities as i", "i.participant_id", "p.id")
        .selectAll("p")
        .select("i.personnummer")
        .where("p.municipality_id", "=", municipalityId)
        .where(sql<string>`lower(p.email)`, "in", emails.slice(i, i + 500))
        .execute();
      for (const p of found) existing.set(p.email.toLowerCase(), p);
    }

    let created = 0;
    let updated = 0;
    let unchanged = 0;
    for (const { input, empty } of validation.rows) {
      const current = existing.get(input.email);
      if (!current) {
        const row = await trx
          .insertInto("participants")
          .values({ municipality_id: municipalityId, ...participantColumns(input), ended_on: null, end_reason: null, created_at: now, updated_at: now })
          .returning("id")
          .executeTakeFirstOrThrow();
        if (input.personnummer) await setPersonnummer(trx, municipalityId, row.id, input.personnummer);
        await writeAudit(trx, {
          actorUserId: ctx.user.id,
          municipalityId,
          action: "participant.created",
          entity: "participant",
          entityId: row.id,
          detail: { source: "import" },
        });
        created++;
        continue;
      }

      const columns: Partial<ParticipantColumns> = participantColumns(input);
      if (empty.has("title")) delete columns.title;
      if (empty.has("educationLevel")) delete columns.education_level;
      // The import file has no manager columns: an update keeps the manager recorded in the form.
      if (input.managerName === undefined) delete columns.manager_name;
      if (input.managerEmail === undefined) delete columns.manager_email;
      const fields: string[] = changedFields(columnsOf(current), columns);
      const personnummerChanged = !empty.has("personnummer") && input.personnummer !== undefined && input.personnummer !== current.personnummer;
      if (personnummerChanged) fields.push("personnummer");
      if (!fields.length) {
        unchanged++;
        continue;
      }
      await trx
        .updateTable("participants")
        .set({ ...columns, updated_at: now })
        .where("id", "=", current.id)
        .where("municipality_id", "=", municipalityId)
        .execute();
      if (personnummerChanged) await setPersonnummer(trx, municipalityId, current.id, input.personnummer!);
      await writeAudit(trx, {
        actorUserId: ctx.user.id,
        municipalityId,
        action: "participant.updated",
        entity: "participant",
        entityId: current.id,
        detail: { source: "import", fields },
      });
      updated++;
    }

    await writeAudit(trx, {
      actorUserId: ctx.user.id,
      municipalityId,
      action: "participant.imported",
      entity: "participant",
      detail: { rows: validation.rows.length, created, updated, unchanged },
    });
    return ok({ created, updated, unchanged });
  });
}

/** What the import page shows before a file is sent. */
export async function getImportPage(ctx: Ctx): Promise<{ municipalityName: string; columns: ImportColumn[]; maxRows: number }> {
  const municipalityId = await requireOwnMunicipality(ctx, "participants:write");
  const municipality = await ctx.db.selectFrom("municipalities").select("name").where("id", "=", municipalityId).executeTakeFirstOrThrow();
  return { municipalityName: municipality.name, columns: IMPORT_COLUMNS, maxRows: MAX_IMPORT_ROWS };
}

/** The template file, for coordinators only (like the page that links to it). */
export async function getImportTemplate(ctx: Ctx): Promise<{ filename: string; csv: string }> {
  await requireOwnMunicipality(ctx, "participants:write");
  return { filename: "deltagare-mall.csv", csv: importTemplateCsv() };
}
