import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatPersonnummer,
  maskPersonnummer,
  parsePersonnummer,
  personnummerSchema,
} from "./personnummer";

type Vector = {
  long_format: string;
  separated_format: string;
  valid: boolean;
  type: "ssn" | "con";
};

/** The shared test vectors live in `shared/` beside the checkout (or beside a folder of worktrees). */
function sharedVectorsPath(): string {
  for (let dir = path.resolve(process.cwd(), ".."); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "shared/testdata/personnummer/list.json");
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error("shared/testdata/personnummer/list.json not found beside the checkout");
  }
}

const vectors: Vector[] = JSON.parse(readFileSync(sharedVectorsPath(), "utf8"));

// Fixed so the century of the 10-digit forms does not drift with the calendar.
const TODAY = new Date(2025, 5, 15);

function luhn(nineDigits: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    const p = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1);
    sum += p > 9 ? p - 9 : p;
  }
  return (10 - (sum % 10)) % 10;
}

/** Builds a 12-digit number with a correct check digit. */
function withCheckDigit(first11: string): string {
  return first11 + luhn(first11.slice(2));
}

function expectRejected(input: string, message: string, today = TODAY) {
  expect(parsePersonnummer(input, today)).toEqual({ ok: false, message });
}

describe("parsePersonnummer: shared test vectors", () => {
  it("has vectors to test", () => {
    expect(vectors.length).toBeGreaterThan(0);
  });

  for (const v of vectors) {
    for (const input of [v.long_format, v.separated_format]) {
      it(`${v.valid ? "accepts" : "rejects"} ${JSON.stringify(input)} (${v.type})`, () => {
        for (const today of [TODAY, new Date()]) {
          const result = parsePersonnummer(input, today);
          expect(result.ok).toBe(v.valid);
          if (result.ok) {
            expect(result.value).toBe(v.long_format);
            expect(result.kind).toBe(v.type === "con" ? "samordningsnummer" : "personnummer");
          }
        }
      });
    }
  }
});

describe("parsePersonnummer", () => {
  it("accepts 12 digits with and without dash, and 10 digits without separator", () => {
    for (const input of ["198211059954", "19821105-9954", "8211059954", "821105-9954"]) {
      expect(parsePersonnummer(input, TODAY)).toEqual({
        ok: true,
        value: "198211059954",
        kind: "personnummer",
      });
    }
  });

  it("ignores surrounding whitespace", () => {
    expect(parsePersonnummer("  19821105-9954 \t", TODAY)).toMatchObject({
      ok: true,
      value: "198211059954",
    });
  });

  it("rejects other separators and shapes with the format message", () => {
    const bad = [
      "19821105 9954",
      "821105 9954",
      "19821105--9954",
      "821105/9954",
      "82110599",
      "1982110599540",
      "19821105-995",
      "abcdefghijkl",
      "８２１１０５９９５４", // full-width digits
    ];
    for (const input of bad) expectRejected(input, "Ange personnumret som ÅÅÅÅMMDD-NNNN.");
  });

  it("accepts ÅÅÅÅMMDD+NNNN for someone aged 100 or more, and refuses the plus for anyone younger", () => {
    expect(parsePersonnummer("19090527+1474", TODAY)).toMatchObject({ ok: true, value: "190905271474", kind: "personnummer" });
    expect(parsePersonnummer("18791221+9990", TODAY)).toMatchObject({ ok: true, value: "187912219990" });
    expectRejected("19821105+9954", "Plustecken skrivs bara för den som har fyllt 100 år. Skriv ÅÅÅÅMMDD-NNNN.");
    // TODAY is 2025-06-15: born 1925-06-15 turns 100 that day, born 1925-06-16 the day after.
    expect(parsePersonnummer(`${withCheckDigit("19250615123").slice(0, 8)}+${withCheckDigit("19250615123").slice(8)}`, TODAY)).toMatchObject({ ok: true });
    expectRejected(`${withCheckDigit("19250616123").slice(0, 8)}+${withCheckDigit("19250616123").slice(8)}`, "Plustecken skrivs bara för den som har fyllt 100 år. Skriv ÅÅÅÅMMDD-NNNN.");
  });

  it("asks for a value when empty", () => {
    expectRejected("", "Ange ett personnummer.");
    expectRejected("   ", "Ange ett personnummer.");
  });

  it("rejects a wrong check digit", () => {
    expectRejected("19821105-9955", "Personnumret har fel kontrollsiffra.");
    expectRejected("8211059950", "Personnumret har fel kontrollsiffra.");
  });

  it("rejects the unallocated birth number 000 even with a correct check digit", () => {
    expectRejected(withCheckDigit("19821105000"), "Personnumret har ett ogiltigt födelsenummer (000).");
  });

  it("rejects impossible dates", () => {
    const message = "Personnumret innehåller inget giltigt datum.";
    for (const yyyymmdd of ["19821305", "19820005", "19820100", "19820431", "19010229"]) {
      expectRejected(withCheckDigit(`${yyyymmdd}123`), message);
    }
    // Samordningsnummer: day 60 or 92 are not day 1–31 plus 60.
    expectRejected(withCheckDigit("19820160123"), message);
    expectRejected(withCheckDigit("19820192123"), message);
    expectRejected(withCheckDigit("00010101123"), message);
  });

  it("accepts leap days only in leap years", () => {
    expect(parsePersonnummer(withCheckDigit("20000229123"), TODAY).ok).toBe(true);
    expect(parsePersonnummer(withCheckDigit("20040229123"), TODAY).ok).toBe(true);
    expect(parsePersonnummer(withCheckDigit("20010229123"), TODAY).ok).toBe(false);
  });

  it("recognises samordningsnummer (day + 60)", () => {
    const value = withCheckDigit("19820165123");
    expect(parsePersonnummer(value, TODAY)).toEqual({
      ok: true,
      value,
      kind: "samordningsnummer",
    });
    expect(parsePersonnummer(`${value.slice(2, 8)}-${value.slice(8)}`, TODAY)).toMatchObject({
      ok: true,
      value,
    });
  });

  it("rejects dates in the future but accepts today", () => {
    const today = new Date(2025, 5, 15);
    expectRejected(
      withCheckDigit("20250616123"),
      "Personnumret innehåller ett datum som ligger i framtiden.",
      today,
    );
    expect(parsePersonnummer(withCheckDigit("20250615123"), today).ok).toBe(true);
    expectRejected(
      withCheckDigit("20250676123"),
      "Personnumret innehåller ett datum som ligger i framtiden.",
      today,
    );
  });

  describe("century of the 10-digit form", () => {
    const today = new Date(2025, 5, 15);
    const tenDigit = (canonical: string, sep: "-" | "+" | "") =>
      `${canonical.slice(2, 8)}${sep}${canonical.slice(8)}`;
    const valueOf = (input: string) => {
      const r = parsePersonnummer(input, today);
      return r.ok ? r.value : r.message;
    };

    it("uses the latest year that is not in the future", () => {
      const born2025 = withCheckDigit("20250615123");
      const born1925 = withCheckDigit("19250616123");
      const born1926 = withCheckDigit("19260101123");
      expect(valueOf(tenDigit(born2025, "-"))).toBe(born2025);
      expect(valueOf(tenDigit(born2025, ""))).toBe(born2025);
      expect(valueOf(tenDigit(born1925, "-"))).toBe(born1925);
      expect(valueOf(tenDigit(born1926, "-"))).toBe(born1926);
    });

    it('moves a century back for "+"', () => {
      const born1925 = withCheckDigit("19250615123"); // turns 100 today
      const born1825 = withCheckDigit("18250616123"); // would turn 100 tomorrow as 1925
      const born1879 = withCheckDigit("18791221123");
      expect(valueOf(tenDigit(born1925, "+"))).toBe(born1925);
      expect(valueOf(tenDigit(born1825, "+"))).toBe(born1825);
      expect(valueOf(tenDigit(born1879, "+"))).toBe(born1879);
    });

    it("checks the leap day in the resolved century", () => {
      expect(valueOf(tenDigit(withCheckDigit("20000229123"), "-"))).toBe(
        withCheckDigit("20000229123"),
      );
      expect(valueOf(tenDigit(withCheckDigit("19000229123"), "+"))).toBe(
        "Personnumret innehåller inget giltigt datum.",
      );
    });
  });
});

describe("maskPersonnummer / formatPersonnummer", () => {
  it("masks the last four digits", () => {
    expect(maskPersonnummer("198211059954")).toBe("19821105-****");
  });

  it("formats with a dash", () => {
    expect(formatPersonnummer("198211059954")).toBe("19821105-9954");
  });

  it("masks non-canonical input completely", () => {
    expect(maskPersonnummer("19821105-9954")).toBe("****");
    expect(maskPersonnummer("")).toBe("****");
  });
});

describe("personnummerSchema", () => {
  it("treats empty and missing values as undefined", () => {
    expect(personnummerSchema.parse(undefined)).toBeUndefined();
    expect(personnummerSchema.parse("")).toBeUndefined();
    expect(personnummerSchema.parse("  ")).toBeUndefined();
  });

  it("transforms to the canonical value", () => {
    expect(personnummerSchema.parse("821105-9954")).toBe("198211059954");
  });

  it("reports the Swedish message", () => {
    const result = personnummerSchema.safeParse("19821105-9955");
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual([
      "Personnumret har fel kontrollsiffra.",
    ]);
  });
});

describe("properties", () => {
  const validNumber = fc
    .record({
      date: fc.date({
        min: new Date(1900, 0, 1),
        max: new Date(2025, 5, 15),
        noInvalidDate: true,
      }),
      serial: fc.integer({ min: 1, max: 999 }),
      samordning: fc.boolean(),
    })
    .map(({ date, serial, samordning }) => {
      const pad = (n: number, w = 2) => String(n).padStart(w, "0");
      const day = date.getDate() + (samordning ? 60 : 0);
      return withCheckDigit(
        `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(day)}${pad(serial, 3)}`,
      );
    });

  const digitHeavy = fc.stringMatching(/^\s?\d{0,8}[-+ ]?\d{0,5}\s?$/);

  it("never throws and always explains a rejection", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), digitHeavy), (input) => {
        const result = parsePersonnummer(input, TODAY);
        if (result.ok) {
          expect(result.value).toMatch(/^\d{12}$/);
        } else {
          expect(result.message.trim()).not.toBe("");
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("accepts every well-formed number in all its forms", () => {
    fc.assert(
      fc.property(validNumber, (canonical) => {
        const short = `${canonical.slice(2, 8)}${canonical.slice(8)}`;
        const born = Number(canonical.slice(0, 4));
        const sep = TODAY.getFullYear() - born > 100 ? "+" : "-";
        for (const input of [canonical, formatPersonnummer(canonical)]) {
          expect(parsePersonnummer(input, TODAY)).toMatchObject({ ok: true, value: canonical });
        }
        // Skip the year a person turns 100, when "-" or "+" depends on the birthday.
        if (TODAY.getFullYear() - born !== 100) {
          const withSep = `${short.slice(0, 6)}${sep}${short.slice(6)}`;
          expect(parsePersonnummer(withSep, TODAY)).toMatchObject({ ok: true, value: canonical });
        }
      }),
    );
  });

  it("never reveals the last four digits when masking", () => {
    fc.assert(
      fc.property(fc.oneof(validNumber, fc.string(), digitHeavy), (input) => {
        const masked = maskPersonnummer(input);
        expect(masked.endsWith("****")).toBe(true);
        expect(masked.replace(/^\d{8}-/, "")).toBe("****");
        if (/^\d{12}$/.test(input)) expect(masked).toBe(`${input.slice(0, 8)}-****`);
      }),
    );
  });
});
