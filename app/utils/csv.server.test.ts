import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvResponse, parseCsv, toCsv } from "./csv.server";

async function parsedOk(text: string) {
  const result = await parseCsv(text);
  if (!result.ok) throw new Error(`expected ok, got: ${result.message}`);
  return result;
}

describe("toCsv", () => {
  it("writes BOM, semicolons and CRLF", () => {
    expect(toCsv(["Namn", "Antal"], [["Åsa", 3]])).toBe("\uFEFFNamn;Antal\r\nÅsa;3\r\n");
  });

  it("quotes cells containing separators, quotes or line breaks", () => {
    const csv = toCsv(["a", "b", "c", "d", "e"], [["x;y", 'säg "hej"', "rad1\nrad2", "cr\rx", "a,b"]]);
    expect(csv).toBe(
      '\uFEFFa;b;c;d;e\r\n"x;y";"säg ""hej""";"rad1\nrad2";"cr\rx";"a,b"\r\n',
    );
  });

  it("quotes commas so a one-column file reads back as one column", async () => {
    const csv = toCsv(["Efternamn, förnamn"], [["Berg, Åsa"]]);
    expect(csv).toBe('\uFEFF"Efternamn, förnamn"\r\n"Berg, Åsa"\r\n');
    expect((await parsedOk(csv)).rows[0].values).toEqual({ "Efternamn, förnamn": "Berg, Åsa" });
  });

  it("writes null and undefined as empty cells", () => {
    expect(toCsv(["a", "b", "c"], [[null, undefined, ""]])).toBe("\uFEFFa;b;c\r\n;;\r\n");
  });

  it("neutralises cells that spreadsheets would read as formulas", () => {
    const cells = ["=SUM(A1:A2)", "+46701234567", "-1", "@import", "\tx", "\rx"];
    const csv = toCsv(["h"], cells.map((cell) => [cell]));
    const lines = csv.slice(1).split("\r\n");
    expect(lines.slice(1, 6)).toEqual(["'=SUM(A1:A2)", "'+46701234567", "'-1", "'@import", "'\tx"]);
    expect(csv).toContain(`"'\rx"`);
  });

  it("applies the guard to the header too", () => {
    expect(toCsv(["=cmd"], [])).toBe("\uFEFF'=cmd\r\n");
  });

  it("leaves numbers alone, also negative ones", () => {
    expect(toCsv(["n"], [[-5], [1.5], [0]])).toBe("\uFEFFn\r\n-5\r\n1.5\r\n0\r\n");
  });

  it("does not touch the formula characters later in a cell", () => {
    expect(toCsv(["h"], [["a=b"], ["x-y"], ["e@post.se"]])).toBe(
      "\uFEFFh\r\na=b\r\nx-y\r\ne@post.se\r\n",
    );
  });
});

describe("csvResponse", () => {
  it("sets download headers and keeps the BOM in the body", async () => {
    const csv = toCsv(["Namn"], [["Örjan"]]);
    const response = csvResponse("deltagare.csv", csv);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("Content-Disposition")).toBe(
      `attachment; filename="deltagare.csv"; filename*=UTF-8''deltagare.csv`,
    );
    // Response.text() strips a BOM, so look at the bytes.
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes)).toBe(csv);
  });

  it("gives an ASCII fallback and an RFC 5987 name for å, ä and ö", () => {
    const header = csvResponse("Närvaro Åsa Öberg (vår).csv", "").headers.get(
      "Content-Disposition",
    );
    expect(header).toBe(
      `attachment; filename="Narvaro Asa Oberg (var).csv"; ` +
        `filename*=UTF-8''N%C3%A4rvaro%20%C3%85sa%20%C3%96berg%20%28v%C3%A5r%29.csv`,
    );
  });

  it("strips quotes, path separators and control characters from the name", () => {
    const header = csvResponse('a"b\\c/d\r\ne.csv', "").headers.get("Content-Disposition");
    expect(header).toBe(`attachment; filename="abcde.csv"; filename*=UTF-8''abcde.csv`);
  });

  it("replaces characters without ASCII form in the fallback", () => {
    const header = csvResponse("rapport–2025 €.csv", "").headers.get("Content-Disposition");
    expect(header).toContain('filename="rapport_2025 _.csv"');
    expect(header).toContain("filename*=UTF-8''rapport%E2%80%932025%20%E2%82%AC.csv");
  });

  it("falls back to a default name when nothing is left", () => {
    const header = csvResponse("\r\n", "").headers.get("Content-Disposition");
    expect(header).toBe(`attachment; filename="export.csv"; filename*=UTF-8''export.csv`);
  });
});

describe("parseCsv", () => {
  it("reads semicolon CSV with BOM and CRLF", async () => {
    expect(await parseCsv("\uFEFFNamn;E-post\r\nÅsa;asa@example.se\r\n")).toEqual({
      ok: true,
      header: ["Namn", "E-post"],
      rows: [{ line: 2, values: { Namn: "Åsa", "E-post": "asa@example.se" } }],
    });
  });

  it("reads comma CSV without BOM", async () => {
    expect((await parsedOk('namn,ort\nÖrjan,"Umeå, Västerbotten"\n')).rows).toEqual([
      { line: 2, values: { namn: "Örjan", ort: "Umeå, Västerbotten" } },
    ]);
  });

  it("detects the separator from the header, ignoring quoted text", async () => {
    expect((await parsedOk('"Efternamn, förnamn";Ort\n"Berg, Åsa";Luleå\n')).rows[0].values).toEqual({
      "Efternamn, förnamn": "Berg, Åsa",
      Ort: "Luleå",
    });
    expect((await parsedOk('"a;b",c\n1,2\n')).header).toEqual(["a;b", "c"]);
  });

  it("trims cells and header names", async () => {
    expect(await parsedOk(' Namn ; Ort \n  Åsa  ;  "Kiruna " \n')).toEqual({
      ok: true,
      header: ["Namn", "Ort"],
      rows: [{ line: 2, values: { Namn: "Åsa", Ort: "Kiruna" } }],
    });
  });

  it("skips blank lines and reports file line numbers", async () => {
    const text = "\n\nNamn;Ort\r\n\r\nÅsa;Luleå\r\n   \r\n;;\r\n\"Bo\nBerg\";Umeå\r\nCia;Piteå";
    const result = await parsedOk(text);
    expect(result.header).toEqual(["Namn", "Ort"]);
    expect(result.rows).toEqual([
      { line: 5, values: { Namn: "Åsa", Ort: "Luleå" } },
      { line: 8, values: { Namn: "Bo\nBerg", Ort: "Umeå" } },
      { line: 10, values: { Namn: "Cia", Ort: "Piteå" } },
    ]);
  });

  it("accepts old Mac line endings", async () => {
    expect((await parsedOk("a;b\r1;2\r3;4")).rows.map((r) => r.line)).toEqual([2, 3]);
  });

  it("fills missing trailing cells and tolerates empty extra cells", async () => {
    expect((await parsedOk("a;b;c\n1\n2;3;4;;\n")).rows.map((r) => r.values)).toEqual([
      { a: "1", b: "", c: "" },
      { a: "2", b: "3", c: "4" },
    ]);
  });

  it("ignores empty cells after the last header column", async () => {
    expect((await parsedOk("a;b;;\n1;2;;\n")).header).toEqual(["a", "b"]);
  });

  it("returns no rows for a header-only file", async () => {
    expect(await parseCsv("a;b\r\n")).toEqual({ ok: true, header: ["a", "b"], rows: [] });
  });

  it("keeps a column named __proto__ as data", async () => {
    const values = (await parsedOk("__proto__;b\nx;y\n")).rows[0].values;
    expect(Object.keys(values)).toEqual(["__proto__", "b"]);
    expect(values.__proto__).toBe("x");
  });

  describe("rejections", () => {
    it.each([
      ["", "Filen är tom."],
      ["\uFEFF", "Filen är tom."],
      ["\r\n \r\n;;\r\n", "Filen är tom."],
      ['a;b\n1;2\n"öppen;3\nmer\n', 'Filen kunde inte läsas: ett citattecken (") på rad 3 avslutas aldrig.'],
      ['a;b\n1;"x"y\n', 'Filen kunde inte läsas: felaktigt placerat citattecken (") på rad 2.'],
      ['a;b\n1;2\n\nx"y;2\n', 'Filen kunde inte läsas: felaktigt placerat citattecken (") på rad 4.'],
      ["a;;b\n1;2;3\n", "Kolumn 2 i rubrikraden (rad 1) saknar namn."],
      ["\na;b;a\n1;2;3\n", 'Kolumnen "a" finns flera gånger i rubrikraden.'],
      ["a;b\n1;2\n\n1;2;3\n", "Rad 4 har fler värden än det finns kolumner i rubrikraden."],
    ])("rejects %j", async (text, message) => {
      expect(await parseCsv(text)).toEqual({ ok: false, message });
    });
  });
});

describe("round trip toCsv → parseCsv", () => {
  it("keeps å/ä/ö, semicolons, commas, quotes and line breaks", async () => {
    const header = ["Namn", "Kommentar", "Antal", "Tom"];
    const rows = [
      ["Åsa Öberg", 'Sa "hej"; gick sedan', 3, null],
      ["Ärla, Per", "rad ett\nrad två\r\nrad tre", -2, undefined],
      ["Ödön", "x;y,z", 1.25, ""],
    ];
    const result = await parsedOk(toCsv(header, rows));
    expect(result.header).toEqual(header);
    expect(result.rows).toEqual([
      { line: 2, values: { Namn: "Åsa Öberg", Kommentar: 'Sa "hej"; gick sedan', Antal: "3", Tom: "" } },
      {
        line: 3,
        values: { Namn: "Ärla, Per", Kommentar: "rad ett\nrad två\nrad tre", Antal: "-2", Tom: "" },
      },
      { line: 6, values: { Namn: "Ödön", Kommentar: "x;y,z", Antal: "1.25", Tom: "" } },
    ]);
  });

  it("keeps the formula guard prefix on the way back", async () => {
    expect((await parsedOk(toCsv(["h"], [["=1+1"]]))).rows[0].values.h).toBe("'=1+1");
  });

  const headerName = fc
    .string({ minLength: 1, maxLength: 12 })
    .map((s) => s.trim())
    .filter((s) => s !== "" && !/^[=+\-@\t\r]/.test(s));
  // Parsing trims cells and turns CR into LF, so compare against the normalised form.
  const cell = fc.string({ maxLength: 20, unit: "grapheme" }).filter((s) => !/^[=+\-@\t\r]/.test(s));
  const normalise = (s: string) => s.replace(/\r\n?/g, "\n").trim();

  it("returns what was written, for arbitrary text", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(headerName, { minLength: 1, maxLength: 5, selector: normalise }),
        fc.array(fc.array(cell, { minLength: 5, maxLength: 5 }), { maxLength: 5 }),
        async (rawHeader, rawRows) => {
          const header = rawHeader.map(normalise);
          const rows = rawRows
            .map((r) => r.slice(0, header.length))
            .filter((r) => r.some((c) => normalise(c) !== ""));
          const result = await parsedOk(toCsv(header, rows));
          expect(result.header).toEqual(header);
          expect(result.rows.map((r) => r.values)).toEqual(
            rows.map((r) => Object.fromEntries(header.map((h, i) => [h, normalise(r[i])]))),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("parseCsv properties", () => {
  const csvish = fc
    .array(fc.constantFrom("a", "å", ";", ",", '"', "\n", "\r\n", "\r", " ", "\t", "\uFEFF", "x"), {
      maxLength: 60,
    })
    .map((parts) => parts.join(""));

  it("never throws and always explains a failure", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string({ unit: "binary" }), csvish), async (text) => {
        const result = await parseCsv(text);
        if (!result.ok) expect(result.message.trim()).not.toBe("");
        else for (const row of result.rows) expect(row.line).toBeGreaterThan(1);
      }),
      { numRuns: 2000 },
    );
  });
});
