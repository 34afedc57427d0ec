/**
 * Small-number protection for aggregate statistics (pure, no database).
 *
 * The rule, in two steps:
 * 1. Primary: a count crossed with a personal attribute (gender, age band,
 *    education, outcome) that is 1-4 is hidden.
 * 2. Secondary: the cells of a table are tied together by published sums
 *    ("relations": a column adds up to its published total, a row's parts add
 *    up to the row's total cell). If a relation has exactly one hidden cell,
 *    that cell could be recovered by subtraction, so the smallest non-zero
 *    visible cell of the relation is hidden too (a zero one only when no
 *    non-zero cell is left). This repeats until every relation has either no
 *    hidden cell or at least two, so no hidden value follows from the shown
 *    numbers by subtraction, not even in several steps.
 *
 * A hidden cell whose value is 0-4 reads "<5", a larger one "..": primary and
 * secondary cells look alike, so the marker does not tell which is which.
 * Published totals are never hidden; every relation must hold at least two cells.
 */

export const SMALL_COUNT_MAX = 4;
export const HIDDEN_SMALL = "<5";
export const HIDDEN_OTHER = "..";

/** Indexes of cells whose values are tied by one published sum. */
export type Relation = readonly number[];

export function isPrimarySuppressed(value: number, sensitive: boolean): boolean {
  return sensitive && value >= 1 && value <= SMALL_COUNT_MAX;
}

/** Which cells to hide: `values[i]` is a count, `sensitive[i]` whether it is crossed with a personal attribute. */
export function suppressCells(values: readonly number[], sensitive: readonly boolean[], relations: readonly Relation[]): boolean[] {
  for (const relation of relations) {
    if (relation.length < 2) throw new Error("A relation needs at least two cells; a single cell equals its published total.");
  }
  const hidden = values.map((v, i) => isPrimarySuppressed(v, sensitive[i] ?? false));
  let changed = true;
  while (changed) {
    changed = false;
    for (const relation of relations) {
      if (relation.filter((i) => hidden[i]).length !== 1) continue;
      const visible = relation.filter((i) => !hidden[i]);
      const nonZero = visible.filter((i) => values[i] > 0);
      const candidates = nonZero.length ? nonZero : visible;
      // Smallest value first; on a tie the earliest cell, so the result is deterministic.
      const pick = candidates.reduce((best, i) => (values[i] < values[best] ? i : best), candidates[0]);
      hidden[pick] = true;
      changed = true;
    }
  }
  return hidden;
}

/** What a reader sees in a hidden cell. */
export function hiddenText(value: number): string {
  return value <= SMALL_COUNT_MAX ? HIDDEN_SMALL : HIDDEN_OTHER;
}

/**
 * The hidden cells an outsider could still work out by subtraction, repeated
 * until nothing more follows: known cells are the shown ones, and a relation
 * with one unknown cell gives it away. Empty when the protection holds.
 */
export function recoverableBySubtraction(hidden: readonly boolean[], relations: readonly Relation[]): number[] {
  const known = hidden.map((h) => !h);
  let changed = true;
  while (changed) {
    changed = false;
    for (const relation of relations) {
      const unknown = relation.filter((i) => !known[i]);
      if (unknown.length === 1) {
        known[unknown[0]] = true;
        changed = true;
      }
    }
  }
  return hidden.flatMap((h, i) => (h && known[i] ? [i] : []));
}

export interface CountGrid {
  /** values[row][column] */
  values: number[][];
  /** Column indexes whose cells add up, row by row, to the cell in `partsTotalColumn`. */
  parts?: number[];
  partsTotalColumn?: number;
  /** Whether the rows are a personal attribute (gender, age band...). Municipalities are not. */
  sensitive: boolean;
}

/**
 * Hidden cells of a rows x columns table whose column totals are published:
 * every column is a relation, and so is every row's parts-plus-total.
 */
export function suppressGrid(grid: CountGrid): boolean[][] {
  const rows = grid.values.length;
  const cols = rows ? grid.values[0].length : 0;
  const index = (r: number, c: number) => r * cols + c;
  const flat = grid.values.flat();
  const relations: Relation[] = [];
  if (rows >= 2) for (let c = 0; c < cols; c++) relations.push(Array.from({ length: rows }, (_, r) => index(r, c)));
  if (grid.parts && grid.partsTotalColumn !== undefined) {
    for (let r = 0; r < rows; r++) relations.push([...grid.parts.map((c) => index(r, c)), index(r, grid.partsTotalColumn)]);
  }
  if (rows < 2 && grid.sensitive && flat.some((v) => v > 0)) {
    // A single category equals the published totals; no cell of it can be hidden meaningfully.
    throw new Error("A protected table needs at least two rows.");
  }
  const hidden = suppressCells(flat, flat.map(() => grid.sensitive), relations);
  return grid.values.map((row, r) => row.map((_, c) => hidden[index(r, c)]));
}
