import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "~/db/connection.server";
import { createMunicipality, createParticipant, createUser } from "../../db/seed/factories";
import { personnummerFor } from "../../db/seed/people";
import { emptyDb } from "../../tests/support/db";
import { loadGrants, type Ctx } from "./context.server";
import { importParticipants, importTemplateCsv, MAX_IMPORT_ROWS, validateImport } from "./participant-import.server";

const HEADER = "Förnamn;Efternamn;E-post;Förvaltning;Befattning;Kön;Födelseår;Personnummer;Utbildningsnivå;Lönegrupp";
const GENDERS = ["kvinna", "man", "icke-binär", "vill ej uppge"];
const EDUCATION = ["ISCED 0-2", "ISCED 3-4", "ISCED 5-8", ""];

function row(i: number, overrides: Partial<Record<"email" | "birthYear" | "personnummer" | "department", string>> = {}): string {
  const birthYear = 1960 + (i % 40);
  const pnr = personnummerFor(birthYear, i);
  return [
    `Förnamn${i}`,
    `Efternamn${i}`,
    overrides.email ?? `person${i}@hultsfred.example`,
    overrides.department ?? "Socialförvaltningen",
    i % 3 ? "Handläggare" : "",
    GENDERS[i % 4],
    overrides.birthYear ?? String(birthYear),
    overrides.personnummer ?? (i % 2 ? `${pnr.slice(0, 8)}-${pnr.slice(8)}` : ""),
    EDUCATION[i % 4],
    String(1 + (i % 3)),
  ].join(";");
}

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

function file(rows: string[]): string {
  return `\uFEFF${HEADER}\r\n${rows.join("\r\n")}\r\n`;
}

let db: Db;
let hultsfred: number;
let vimmerby: number;
let ctx: Ctx;

beforeEach(async () => {
  db = await emptyDb();
  hultsfred = await createMunicipality(db, { name: "Hultsfred" });
  vimmerby = await createMunicipality(db, { name: "Vimmerby" });
  const userId = await createUser(db, { email: "s@hultsfred.example", name: "Hanna", grants: [{ role: "coordinator", municipalityId: hultsfred }] });
  ctx = { db, user: { id: userId, email: "s@hultsfred.example", name: "Hanna" }, grants: await loadGrants(db, userId) };
});

const count = async (table: "participants" | "participant_identities", municipalityId = hultsfred) =>
  (await db.selectFrom(table).select("municipality_id").where("municipality_id", "=", municipalityId).execute()).length;

const importFile = (text: string) => importParticipants(ctx, async () => ({ ok: true, validation: await validateImport(text) }));

describe("CSV import of participants", () => {
  it("rejects 500 rows with one bad row, imports the corrected file, and adds nobody the second time", async () => {
    const rows = Array.from({ length: 500 }, (_, i) => row(i));
    const bad = [...rows];
    bad[316] = row(316, { birthYear: "nittonåttio" });

    const rejected = await importFile(file(bad));
    expect(rejected).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { file: ["1 rad har fel. Ingenting har lästs in: rätta raderna nedan och läs in filen igen."] },
      // The header is line 1, so row index 316 is on line 318.
      lineErrors: [{ line: 318, messages: ["Födelseår: Fyll i födelseår med fyra siffror, till exempel 1985."] }],
    });
    expect(await count("participants")).toBe(0);
    expect(await count("participant_identities")).toBe(0);
    expect(await db.selectFrom("audit_log").selectAll().execute()).toEqual([]);

    expect(await importFile(file(rows))).toEqual({ ok: true, value: { created: 500, updated: 0, unchanged: 0 } });
    expect(await count("participants")).toBe(500);
    expect(await count("participant_identities")).toBe(250);

    expect(await importFile(file(rows))).toEqual({ ok: true, value: { created: 0, updated: 0, unchanged: 500 } });
    expect(await count("participants")).toBe(500);
  });

  it("lists every bad row with its line number and what is wrong, in Swedish", async () => {
    const result = await validateImport(
      file([
        row(1),
        row(2, { email: "inte-en-adress" }),
        row(3, { personnummer: "19630404-1234" }),
        "Anna;;anna@hultsfred.example;;;okänt;1985;;ISCED 9;",
        row(5, { email: "PERSON1@hultsfred.example" }),
      ]),
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.rowErrors).toEqual([
      { line: 3, messages: ["E-post: Skriv e-postadressen som namn@kommun.se."] },
      { line: 4, messages: ["Personnummer: Personnumret har fel kontrollsiffra."] },
      {
        line: 5,
        messages: [
          "Efternamn: Fyll i efternamn.",
          "Förvaltning: Fyll i förvaltning.",
          "Kön: Välj kön: kvinna, man, icke-binär eller vill ej uppge.",
          "Utbildningsnivå: Välj utbildningsnivå: ISCED 0–2, 3–4 eller 5–8.",
          "Lönegrupp: Fyll i lönegrupp.",
        ],
      },
      { line: 6, messages: ["E-post: samma e-postadress som på rad 2."] },
    ]);
  });

  it("explains a header it cannot use", async () => {
    const missing = await validateImport("Förnamn;Efternamn\nAnna;Berg\n");
    expect(!missing.ok && missing.fileError).toBe(
      'Rubrikraden saknar kolumnerna "E-post", "Förvaltning", "Kön", "Födelseår", "Lönegrupp".',
    );
    const unknown = await validateImport(`${HEADER};Skostorlek\n${row(1)};42\n`);
    expect(!unknown.ok && unknown.fileError).toBe('Rubrikraden har en okänd kolumn: "Skostorlek". Använd kolumnerna i mallen.');
    // Quote characters in a header would blur where the file's text ends and ours begins.
    const quoted = await validateImport(`${HEADER};"x""Required"" ok ""Invalid"\n${row(1)};1\n`);
    expect(!quoted.ok && quoted.fileError).toBe('Rubrikraden har en okänd kolumn: "xRequired ok Invalid". Använd kolumnerna i mallen.');
    const twice = await validateImport(`${HEADER};"a""b";"a""b"\n${row(1)};1;2\n`);
    expect(!twice.ok && twice.fileError).toBe('Kolumnen "ab" finns flera gånger i rubrikraden.');
    const empty = await validateImport(`${HEADER}\n`);
    expect(!empty.ok && empty.fileError).toBe("Filen innehåller inga deltagare, bara rubrikraden.");
  });

  it("updates a participant matched on e-mail regardless of case, keeping what empty cells leave out", async () => {
    const pnr = personnummerFor(1961, 1);
    const existing = await createParticipant(db, {
      municipalityId: hultsfred,
      firstName: "Förnamn1",
      lastName: "Efternamn1",
      email: "person1@hultsfred.example",
      department: "Kommunledningsförvaltningen",
      title: "Ekonom",
      gender: "man",
      birthYear: 1961,
      educationLevel: "isced_3_4",
      salaryGroup: "2",
      personnummer: pnr,
    });
    // The same person as the export writes them: masked personnummer, other department, no title.
    const line = `Förnamn1;Efternamn1;PERSON1@Hultsfred.example;Socialförvaltningen;;man;1961;${pnr.slice(0, 8)}-****;;2`;
    expect(await importFile(file([line]))).toEqual({ ok: true, value: { created: 0, updated: 1, unchanged: 0 } });

    const after = await db.selectFrom("participants").selectAll().where("id", "=", existing).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ department: "Socialförvaltningen", title: "Ekonom", education_level: "isced_3_4" });
    const identity = await db.selectFrom("participant_identities").select("personnummer").where("participant_id", "=", existing).executeTakeFirst();
    expect(identity?.personnummer).toBe(pnr);

    const audit = await db.selectFrom("audit_log").selectAll().where("action", "=", "participant.updated").executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!)).toEqual({ source: "import", fields: ["department"] });
  });

  it("never touches another municipality's participant with the same e-mail", async () => {
    const other = await createParticipant(db, { municipalityId: vimmerby, firstName: "F", lastName: "E", email: "person1@hultsfred.example" });
    expect(await importFile(file([row(1)]))).toEqual({ ok: true, value: { created: 1, updated: 0, unchanged: 0 } });
    const untouched = await db.selectFrom("participants").selectAll().where("id", "=", other).executeTakeFirstOrThrow();
    expect(untouched).toMatchObject({ municipality_id: vimmerby, first_name: "F" });
  });

  it("reads the gender and education labels as the export writes them", async () => {
    const text = `${HEADER}\nKim;Berg;kim@hultsfred.example;Socialförvaltningen;;Icke-binär;1990;;Eftergymnasial (ISCED 5–8);1\n`;
    const result = await validateImport(text);
    expect(result.ok && result.rows[0].input).toMatchObject({ gender: "icke_binar", educationLevel: "isced_5_8" });
  });

  it("imports the downloadable template as it is", async () => {
    expect((await validateImport(importTemplateCsv())).ok).toBe(true);
  });

  it("reads a file Excel saved as Windows-1252, and one in UTF-8, however its bytes arrive", async () => {
    const template = importTemplateCsv().slice(1);
    const windows1252 = Uint8Array.from([...template].map((c) => ({ ö: 0xf6, å: 0xe5, ä: 0xe4, Ö: 0xd6 })[c] ?? c.charCodeAt(0)));
    const utf8 = new TextEncoder().encode(importTemplateCsv());
    for (const bytes of [windows1252, utf8]) {
      for (const size of [1, 7, 4096]) {
        const result = await validateImport(chunks(bytes, size));
        expect(result.ok && result.rows[0].input.department).toBe("Socialförvaltningen");
      }
    }
  });

  it("refuses a file that mixes UTF-8 and Windows-1252", async () => {
    const bytes = Uint8Array.from([...new TextEncoder().encode(`${HEADER}\n${row(1)}\n`), 0x41, 0xf6, 0x0a]);
    const result = await validateImport(chunks(bytes, 16));
    expect(!result.ok && result.fileError).toMatch(/blandar teckenkodningar/);
  });

  it("stops reading past the row limit, and at an unknown header at once", async () => {
    let read = 0;
    async function* counted(text: string) {
      for (let i = 0; i < text.length; i += 1000) {
        read += 1000;
        yield new TextEncoder().encode(text.slice(i, i + 1000));
      }
    }
    const many = `${HEADER}\n${Array.from({ length: MAX_IMPORT_ROWS + 2000 }, (_, i) => row(i)).join("\n")}\n`;
    const tooMany = await validateImport(counted(many));
    expect(!tooMany.ok && tooMany.fileError).toBe(`Filen har fler än ${MAX_IMPORT_ROWS} rader. Läs in högst ${MAX_IMPORT_ROWS} åt gången.`);
    expect(read).toBeLessThan(many.length * 0.9);
    read = 0;
    const other = await validateImport(counted("x;y\n".repeat(100_000)));
    expect(!other.ok && other.fileError).toMatch(/okända kolumner: "x", "y"/);
    expect(read).toBe(1000);
  });
});
