/**
 * The CSV import under random files (fast-check): valid rows mixed with
 * broken ones and hostile cells. Either every row is imported or none is,
 * and every rejected row is named by its line with a Swedish message.
 */
import crypto from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "~/db/connection.server";
import { createMunicipality, createParticipant, createUser } from "../../db/seed/factories";
import { personnummerFor } from "../../db/seed/people";
import { emptyDb } from "../../tests/support/db";
import { loadGrants, type Ctx } from "./context.server";
import { importParticipants, IMPORT_COLUMNS, validateImport } from "./participant-import.server";

const RUNS = 200;
const HEADER = IMPORT_COLUMNS.map((c) => c.header);
type Cells = Record<(typeof HEADER)[number], string>;
const ENGLISH = /\b(Required|Invalid|Expected|String must|Number must|Too (small|big)|Unrecognized|undefined|NaN)\b/;

/** Cells that any row may carry and still be valid: SQL, HTML, unicode, quotes, separators. */
const HARMLESS_TEXT = ["'; DROP TABLE participants; --", "<script>alert(1)</script>", "Åsa-Märta Öberg", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🙂", 'Citat "så här"', "semi;kolon", "=SUM(A1)", "Ny\nrad"];

/** For each column, values that must be refused. */
const BROKEN: Partial<Record<(typeof HEADER)[number], string[]>> = {
  Förnamn: ["", "   ", "x".repeat(101)],
  Efternamn: ["", "y".repeat(101)],
  "E-post": ["inte-en-adress", "a@", "<script>@x", "", `${"a".repeat(250)}@kommun.se`],
  Förvaltning: ["", "z".repeat(151)],
  Befattning: ["b".repeat(151)],
  Kön: ["okänt", "'; DROP TABLE participants; --", ""],
  Födelseår: ["nittonåttio", "2027-02-30", "-5", "1985.5", "", "1800", "3000"],
  Personnummer: ["abc", "2027-02-30", "19630404-1234", "-1"],
  Utbildningsnivå: ["ISCED 9", "<b>gymnasial</b>"],
  Lönegrupp: ["", "l".repeat(41)],
};

const GENDERS = ["kvinna", "man", "icke-binär", "vill ej uppge", "Kvinna", "ICKE BINÄR"];
const EDUCATION = ["", "ISCED 0-2", "ISCED 3-4", "ISCED 5-8", "Eftergymnasial (ISCED 5–8)", "gymnasial"];

/** A row that must be accepted; `n` keeps e-mail addresses and personnummer apart within a file. */
const validRow = (n: number) =>
  fc
    .record({
      first: fc.oneof(fc.constantFrom("Anna", "Björn", "Çelik", "Ölvir"), fc.constantFrom(...HARMLESS_TEXT)),
      last: fc.oneof(fc.constantFrom("Berg", "Lind", "Åkesson"), fc.constantFrom(...HARMLESS_TEXT)),
      department: fc.constantFrom("Socialförvaltningen", "Barn- och utbildning", ...HARMLESS_TEXT),
      title: fc.constantFrom("", "Enhetschef", ...HARMLESS_TEXT),
      gender: fc.constantFrom(...GENDERS),
      birthYear: fc.integer({ min: 1950, max: 2000 }),
      withPnr: fc.boolean(),
      education: fc.constantFrom(...EDUCATION),
      salaryGroup: fc.constantFrom("1", "2", "3", "Grupp A"),
      upper: fc.boolean(),
    })
    .map(
      (r): Cells => ({
        Förnamn: r.first,
        Efternamn: r.last,
        "E-post": r.upper ? `PERSON${n}@Hultsfred.Example` : `person${n}@hultsfred.example`,
        Förvaltning: r.department,
        Befattning: r.title,
        Kön: r.gender,
        Födelseår: String(r.birthYear),
        Personnummer: r.withPnr ? personnummerFor(r.birthYear, n).replace(/^(\d{8})/, "$1-") : "",
        Utbildningsnivå: r.education,
        Lönegrupp: r.salaryGroup,
      }),
    );

interface GeneratedRow {
  cells: Cells;
  /** The row must be refused. */
  broken: boolean;
}

const rowArb = (n: number): fc.Arbitrary<GeneratedRow> =>
  fc.oneof(
    { weight: 4, arbitrary: validRow(n).map((cells) => ({ cells, broken: false })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(validRow(n), fc.constantFrom(...(Object.keys(BROKEN) as (keyof typeof BROKEN)[])), fc.nat())
        .map(([cells, column, pick]) => {
          const values = BROKEN[column]!;
          return { cells: { ...cells, [column]: values[pick % values.length] }, broken: true };
        }),
    },
  );

const fileArb = fc
  .integer({ min: 1, max: 25 })
  .chain((size) => fc.tuple(...Array.from({ length: size }, (_, i) => rowArb(i))))
  .chain((rows) =>
    // Sometimes the same person twice (another case), which must be refused as a duplicate.
    fc.oneof(
      { weight: 5, arbitrary: fc.constant(rows) },
      { weight: 1, arbitrary: fc.nat(rows.length - 1).map((i) => [...rows, { cells: { ...rows[i].cells, "E-post": rows[i].cells["E-post"].toUpperCase() }, broken: true }]) },
    ),
  );

const quote = (cell: string) => (/[;"\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

/** The file, and the line each row starts on (the header is line 1; quoted cells may span lines). */
function toFile(rows: GeneratedRow[]): { text: string; lines: number[] } {
  let text = `\uFEFF${HEADER.join(";")}\r\n`;
  let line = 2;
  const lines: number[] = [];
  for (const row of rows) {
    const record = HEADER.map((h) => quote(row.cells[h])).join(";");
    lines.push(line);
    text += `${record}\r\n`;
    line += 1 + (record.match(/\n/g)?.length ?? 0);
  }
  return { text, lines };
}

describe("CSV import under random files", () => {
  let db: Db;
  let ctx: Ctx;
  let hultsfred: number;

  beforeAll(async () => {
    db = await emptyDb();
    hultsfred = await createMunicipality(db, { name: "Hultsfred" });
    const vimmerby = await createMunicipality(db, { name: "Vimmerby" });
    // Already stored: some rows will update these instead of adding; another municipality's namesake stays untouched.
    await createParticipant(db, { municipalityId: hultsfred, firstName: "Finns", lastName: "Redan", email: "person3@hultsfred.example" });
    await createParticipant(db, { municipalityId: vimmerby, firstName: "Annan", lastName: "Kommun", email: "person1@hultsfred.example" });
    const userId = await createUser(db, { email: "s@hultsfred.example", name: "Hanna", grants: [{ role: "coordinator", municipalityId: hultsfred }] });
    ctx = { db, user: { id: userId, email: "s@hultsfred.example", name: "Hanna" }, grants: await loadGrants(db, userId) };
  });

  /** Every stored row an import may touch, as one checksum. */
  async function snapshot() {
    const participants = await db.selectFrom("participants").selectAll().orderBy("id").execute();
    const identities = await db.selectFrom("participant_identities").selectAll().orderBy("participant_id").execute();
    const audit = await db.selectFrom("audit_log").select(["id"]).orderBy("id").execute();
    return {
      participants,
      checksum: crypto.createHash("sha256").update(JSON.stringify([participants, identities, audit])).digest("hex"),
    };
  }

  it("imports every row or none, and names every refused row with its line and a Swedish message", async () => {
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fileArb, async (rows) => {
        const { text, lines } = toFile(rows);
        const before = await snapshot();
        const result = await importParticipants(ctx, async () => ({ ok: true, validation: await validateImport(text) }));
        const rowErrors = (!result.ok && result.lineErrors) || [];
        const fileError = !result.ok && !rowErrors.length ? result.fieldErrors!.file[0] : null;
        const after = await snapshot();

        if (!result.ok) {
          refused++;
          // Nothing written: not a participant, not a personnummer, not an audit line.
          expect(after.checksum).toBe(before.checksum);
          if (fileError !== null) {
            expect(fileError).toMatch(/[a-zåäö]/i);
            expect(fileError.replace(/"[^"]*"/g, ""), "English outside the quoted file content").not.toMatch(ENGLISH);
          } else {
            expect(rowErrors.length).toBeGreaterThan(0);
          }
          for (const error of rowErrors) {
            expect(lines, `line ${error.line} is not the start of a row`).toContain(error.line);
            expect(error.messages.length).toBeGreaterThan(0);
            for (const message of error.messages) {
              expect(message).toMatch(/[a-zåäö]{3}/i);
              expect(message).not.toMatch(ENGLISH);
            }
          }
          // Every row made broken on purpose is among those named.
          const named = new Set(rowErrors.map((e) => e.line));
          rows.forEach((row, i) => {
            if (row.broken && fileError === null) expect(named, `row on line ${lines[i]} should be refused`).toContain(lines[i]);
          });
        } else {
          accepted++;
          expect(rows.some((r) => r.broken), "a file with a broken row was imported").toBe(false);
          expect(result.value.created + result.value.updated + result.value.unchanged).toBe(rows.length);
          // Every row is stored, under its own e-mail address, in Hultsfred only.
          const stored = new Map(after.participants.filter((p) => p.municipality_id === hultsfred).map((p) => [p.email.toLowerCase(), p]));
          for (const row of rows) {
            const p = stored.get(row.cells["E-post"].toLowerCase());
            expect(p, `${row.cells["E-post"]} was not imported`).toBeDefined();
            expect(p!.first_name).toBe(row.cells.Förnamn.trim());
          }
          expect(after.participants.length - before.participants.length).toBe(result.value.created);
          // Matching is case-insensitive: no address is stored twice in a municipality.
          const emails = after.participants.filter((p) => p.municipality_id === hultsfred).map((p) => p.email.toLowerCase());
          expect(new Set(emails).size).toBe(emails.length);
        }
        if (rows.every((r) => !r.broken)) expect(result.ok, JSON.stringify(!result.ok && result)).toBe(true);
      }),
      { numRuns: RUNS },
    );
    console.log(`import fuzz: ${RUNS} random files, ${accepted} imported whole, ${refused} refused whole, 0 partial writes`);
    expect(accepted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  }, 60_000);
});
