import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  HIDDEN_OTHER,
  HIDDEN_SMALL,
  hiddenText,
  isPrimarySuppressed,
  recoverableBySubtraction,
  suppressCells,
  suppressGrid,
  type Relation,
} from "./suppression";

/** Relations of a grid the way suppressGrid builds them, for the attacker's side of the tests. */
function gridRelations(rows: number, cols: number, parts?: number[], partsTotal?: number): Relation[] {
  const relations: Relation[] = [];
  for (let c = 0; c < cols; c++) relations.push(Array.from({ length: rows }, (_, r) => r * cols + c));
  if (parts && partsTotal !== undefined) for (let r = 0; r < rows; r++) relations.push([...parts.map((c) => r * cols + c), r * cols + partsTotal]);
  return relations;
}

/** A count table like the statistics': columns total, started, active, completed, dropped with total = active + completed + dropped. */
const countTable = fc.integer({ min: 2, max: 7 }).chain((rows) =>
  fc.array(
    fc.tuple(fc.nat({ max: 12 }), fc.nat({ max: 12 }), fc.nat({ max: 12 }), fc.nat({ max: 1 })).map(([active, completed, dropped, extraStarted]) => {
      const total = active + completed + dropped;
      return [total, Math.max(0, total - extraStarted), active, completed, dropped];
    }),
    { minLength: rows, maxLength: rows },
  ),
);

describe("small-number protection", () => {
  it("hides 1-4 only where the count is crossed with a personal attribute", () => {
    expect([0, 1, 4, 5].map((v) => isPrimarySuppressed(v, true))).toEqual([false, true, true, false]);
    expect(isPrimarySuppressed(3, false)).toBe(false);
    expect(hiddenText(0)).toBe(HIDDEN_SMALL);
    expect(hiddenText(4)).toBe(HIDDEN_SMALL);
    expect(hiddenText(5)).toBe(HIDDEN_OTHER);
  });

  it("hides the next-smallest non-zero cell when one hidden cell could be recovered from the total", () => {
    // 10 + 3 + 7 = 20 published: hiding only the 3 would give it away; the 7 goes too, not the 10.
    expect(suppressCells([10, 3, 7], [true, true, true], [[0, 1, 2]])).toEqual([false, true, true]);
    // Only zeros are left: one of them is hidden, so "<5" and "<5" cannot be told apart.
    expect(suppressCells([0, 2, 0], [true, true, true], [[0, 1, 2]])).toEqual([true, true, false]);
    // Two small cells protect each other.
    expect(suppressCells([9, 2, 1], [true, true, true], [[0, 1, 2]])).toEqual([false, true, true]);
    // Nothing small: nothing hidden.
    expect(suppressCells([9, 0, 5], [true, true, true], [[0, 1, 2]])).toEqual([false, false, false]);
  });

  it("follows a hidden cell through rows and columns until every relation is safe", () => {
    // Rows: [total, active, completed, dropped]; total = active + completed + dropped.
    const values = [
      [12, 9, 2, 1],
      [20, 20, 0, 0],
    ];
    const hidden = suppressGrid({ values: values.map((r) => [r[0], r[0], ...r.slice(1)]), parts: [2, 3, 4], partsTotalColumn: 0, sensitive: true });
    // Row 1's "1" and "2" are small; the dropped column then needs row 2's 0 hidden too.
    expect(hidden).toEqual([
      [false, false, false, true, true],
      [false, false, false, true, true],
    ]);
  });

  it("leaves a table alone when its rows are not a personal attribute", () => {
    expect(suppressGrid({ values: [[1, 2], [3, 4]], sensitive: false })).toEqual([
      [false, false],
      [false, false],
    ]);
  });

  it("refuses a relation of one cell, which would equal its published total", () => {
    expect(() => suppressCells([3], [true], [[0]])).toThrow();
  });

  it("property: every sensitive 1-4 is hidden, and nothing hidden can be recovered by subtraction", () => {
    fc.assert(
      fc.property(countTable, (values) => {
        const rows = values.length;
        const cols = 5;
        const hidden = suppressGrid({ values, parts: [2, 3, 4], partsTotalColumn: 0, sensitive: true });
        const flatHidden = hidden.flat();
        const flatValues = values.flat();
        flatValues.forEach((v, i) => {
          if (v >= 1 && v <= 4) expect(flatHidden[i]).toBe(true);
        });
        expect(recoverableBySubtraction(flatHidden, gridRelations(rows, cols, [2, 3, 4], 0))).toEqual([]);
        // What a reader sees never holds a small number.
        flatValues.forEach((v, i) => {
          const shown = flatHidden[i] ? hiddenText(v) : v;
          expect(typeof shown === "string" || shown === 0 || shown > 4).toBe(true);
        });
      }),
      { numRuns: 500 },
    );
  });

  it("property: any sensitive table and relations give nothing away by subtraction", () => {
    const arbitrary = fc.integer({ min: 2, max: 12 }).chain((n) =>
      fc.record({
        values: fc.array(fc.nat({ max: 9 }), { minLength: n, maxLength: n }),
        relations: fc.array(fc.uniqueArray(fc.nat({ max: n - 1 }), { minLength: 2, maxLength: n }), { minLength: 1, maxLength: 6 }),
      }),
    );
    fc.assert(
      fc.property(arbitrary, ({ values, relations }) => {
        const hidden = suppressCells(values, values.map(() => true), relations);
        values.forEach((v, i) => {
          if (v >= 1 && v <= 4) expect(hidden[i]).toBe(true);
        });
        expect(recoverableBySubtraction(hidden, relations)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it("the attacker's check itself finds a lone hidden cell", () => {
    expect(recoverableBySubtraction([false, true, false], [[0, 1, 2]])).toEqual([1]);
    // Two steps: the row gives away cell 1, and then the column gives away cell 3.
    expect(recoverableBySubtraction([false, true, false, true], [[0, 1], [1, 3], [2, 3, 0]])).toEqual([1, 3]);
  });
});
