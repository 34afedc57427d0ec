import { describe, expect, it } from "vitest";
import { CHART_MAX_ROWS, chartedRows } from "./statistics";
import { presentCell } from "./statistics-report";

const row = (label: string, value: number | null) => ({ label, cells: [{ value, text: value === null ? ".." : String(value) }] });

describe("chartedRows", () => {
  it("draws every row, in table order, when there are few", () => {
    const rows = [row("Aneby", 3), row("Eksjö", null), row("Vimmerby", 40)];
    expect(chartedRows(rows, 0)).toEqual(rows);
  });

  it("draws the largest rows, largest first, leaving out protected cells", () => {
    const rows = Array.from({ length: 40 }, (_, i) => row(`Kommun ${i}`, i % 7 === 0 ? null : i * 3));
    const charted = chartedRows(rows, 0);
    expect(charted).toHaveLength(CHART_MAX_ROWS);
    expect(charted.map((r) => r.cells[0].value)).toEqual([...charted.map((r) => r.cells[0].value!)].sort((a, b) => b - a));
    expect(charted[0].label).toBe("Kommun 39");
    expect(charted.every((r) => r.cells[0].value !== null)).toBe(true);
    const smallestCharted = charted.at(-1)!.cells[0].value!;
    const left = rows.filter((r) => !charted.includes(r) && r.cells[0].value !== null);
    expect(left.every((r) => r.cells[0].value! <= smallestCharted)).toBe(true);
  });
});

describe("presentCell", () => {
  it("reads a hidden number as '..' and a rate of nothing as '–', whatever the unit", () => {
    expect(presentCell({ value: null, hidden: true }, "count").text).toBe("..");
    expect(presentCell({ value: null, hidden: false }, "percent")).toEqual({ value: null, text: "–" });
    expect(presentCell({ value: 87.5, hidden: false }, "percent")).toEqual({ value: 87.5, text: "87,5 %" });
    expect(presentCell({ value: 1234.5, hidden: false }, "kronor").text).toMatch(/^1\s234,50 kr$/);
  });
});
