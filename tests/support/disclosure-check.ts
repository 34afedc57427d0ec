/**
 * Checks a published (protected) table against the truth behind it, as an
 * attacker would attack it: an outsider with the LP attacker, and every
 * coordinator with their own people as well. Returns what leaks, in words,
 * so a failing test says which cell and for whom.
 *
 * A count leaks when it is 1-4 (for a coordinator: its part outside their
 * municipality is 1-4) and either it is shown, or it is hidden but the
 * attacker can prove it holds someone. What a fully hidden table would give
 * away too (only the exact totals shown) is not the table's doing: it is
 * counted as inherent and returned apart.
 */
import type { CountTable } from "~/domain/suppression.server";
import { feasibleRanges, lowestValues, type Knowledge, type PublishedTable } from "./lp-attacker";

export interface TrueTable {
  /** values[row][column] */
  values: number[][];
  /** "protected": row totals hidden like cells; "public": always shown; "none": rows have no total. */
  margins: "protected" | "public" | "none";
  sensitiveColumns?: boolean[];
  /** Each coordinator's own people per cell; ownRow: their municipality's row. */
  insiders: { counts: number[][]; ownRow: number | null }[];
}

export interface Findings {
  leaks: string[];
  inherent: number;
}

const SMALL = (n: number) => n >= 1 && n <= 4;

export async function attackTable(truth: TrueTable, published: PublishedTable, name = "table"): Promise<Findings> {
  const rows = truth.values.length;
  const cols = rows ? truth.values[0].length : 0;
  const leaks: string[] = [];
  let inherent = 0;
  const columnTotal = (c: number) => truth.values.reduce((sum, row) => sum + row[c], 0);
  const rowTotal = (r: number) => truth.values[r].reduce((a, b) => a + b, 0);
  const knownZero = (r: number, c: number) => columnTotal(c) === 0 || (truth.margins === "public" && rowTotal(r) === 0);
  const sensitive = (c: number) => truth.sensitiveColumns?.[c] ?? true;
  // The most an honest protection could hide: every cell but the zeros the totals give away, and every row total.
  const everything: PublishedTable = {
    cells: truth.values.map((row, r) => row.map((v, c) => (knownZero(r, c) ? v : null))),
    rowTotals: truth.margins === "none" ? undefined : truth.values.map(() => null),
    columnTotals: published.columnTotals,
  };

  const attackers: { who: string; knowledge: Knowledge; share: (r: number, c: number | null) => number; ownRow: number | null }[] = [
    { who: "an outsider", knowledge: {}, share: () => 0, ownRow: null },
    ...truth.insiders.map((insider, i) => ({
      who: `coordinator ${i}`,
      knowledge: insider.ownRow !== null ? { ownRow: { index: insider.ownRow, values: truth.values[insider.ownRow] } } : { own: insider.counts },
      share: (r: number, c: number | null) => (insider.ownRow !== null ? 0 : c === null ? insider.counts[r].reduce((a, b) => a + b, 0) : insider.counts[r][c]),
      ownRow: insider.ownRow,
    })),
  ];

  for (const attacker of attackers) {
    const rest = (r: number, c: number | null) => (c === null ? rowTotal(r) : truth.values[r][c]) - attacker.share(r, c);
    const asked = ({ row, column }: { row: number; column: number | null }) =>
      row !== attacker.ownRow && (column === null ? truth.margins === "protected" : sensitive(column)) && SMALL(rest(row, column));
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        if (asked({ row: r, column: c }) && published.cells[r][c] !== null) leaks.push(`${name}: ${attacker.who} reads ${rest(r, c)} in row ${r} column ${c}`);
      }
      if (truth.margins === "protected" && asked({ row: r, column: null }) && published.rowTotals?.[r] !== null) {
        leaks.push(`${name}: ${attacker.who} reads the total ${rest(r, null)} of row ${r}`);
      }
    }
    const lowest = await lowestValues(published, attacker.knowledge, asked);
    const proves = (low: number | null, r: number, c: number | null) => low !== null && low > attacker.share(r, c) + 0.5;
    let whenAllHidden: Awaited<ReturnType<typeof lowestValues>> | null = null;
    const check = async (low: number | null, r: number, c: number | null) => {
      if (!proves(low, r, c)) return;
      whenAllHidden ??= await lowestValues(everything, attacker.knowledge, asked);
      const bound = c === null ? whenAllHidden.rowTotals[r] : whenAllHidden.cells[r][c];
      if (proves(bound, r, c)) inherent++;
      else leaks.push(`${name}: ${attacker.who} proves at least ${low! - attacker.share(r, c)} in row ${r} ${c === null ? "total" : `column ${c}`}`);
    };
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) await check(lowest.cells[r][c], r, c);
      await check(lowest.rowTotals[r], r, null);
    }
  }
  return { leaks, inherent };
}

/** The same table as the protection takes it. */
export function countTable(truth: TrueTable): CountTable {
  return {
    values: truth.values,
    margins: truth.margins,
    sensitiveColumns: truth.sensitiveColumns,
    insiders: truth.insiders.map((i) => (i.ownRow !== null ? { ownRow: i.ownRow } : { counts: i.counts })),
  };
}

/** The table as an attacker reads it: hidden cells null. */
export function publish(truth: TrueTable, hidden: { cells: boolean[][]; margins: boolean[] }): PublishedTable {
  return {
    cells: truth.values.map((row, r) => row.map((v, c) => (hidden.cells[r][c] ? null : v))),
    rowTotals: truth.margins === "none" ? undefined : truth.values.map((row, r) => (hidden.margins[r] ? null : row.reduce((a, b) => a + b, 0))),
    columnTotals: truth.values.length ? truth.values[0].map((_, c) => truth.values.reduce((sum, row) => sum + row[c], 0)) : [],
  };
}

export { feasibleRanges };
