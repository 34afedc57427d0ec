/**
 * The attacker of the small-number tests: given only what a protected table
 * shows (the shown cells, the shown row totals, the column totals) and,
 * for a coordinator, their own people, it asks HiGHS for the smallest and
 * largest value every hidden cell and row total can take. Written apart from
 * the production audit (plain variables, one LP per bound) so that the tests
 * do not check the audit with itself.
 */
import { loadSolver } from "~/domain/suppression-audit.server";

export interface PublishedTable {
  /** Shown counts; null where the table shows "..". */
  cells: (number | null)[][];
  /** Shown row totals, null where hidden; omit when rows have no total (outcomes). */
  rowTotals?: (number | null)[];
  columnTotals: number[];
}

export interface Knowledge {
  /** The attacker's own people per cell: a lower bound on each cell. */
  own?: number[][];
  /** A row known exactly (the coordinator's own municipality). */
  ownRow?: { index: number; values: number[] };
}

export interface Range {
  min: number;
  max: number;
}

export interface Ranges {
  cells: (Range | null)[][];
  rowTotals: (Range | null)[];
}

/** Feasible range of every hidden cell and hidden row total (null where shown). */
export async function feasibleRanges(table: PublishedTable, knowledge: Knowledge = {}): Promise<Ranges> {
  return solveRanges(table, knowledge, () => true, true);
}

/**
 * The lowest value each asked-for hidden cell and row total can take (the
 * other fields null): what "can the attacker prove someone is there?" needs.
 */
export async function lowestValues(
  table: PublishedTable,
  knowledge: Knowledge,
  asked: (q: { row: number; column: number | null }) => boolean,
): Promise<{ cells: (number | null)[][]; rowTotals: (number | null)[] }> {
  const ranges = await solveRanges(table, knowledge, asked, false);
  return {
    cells: ranges.cells.map((row) => row.map((r) => r?.min ?? null)),
    rowTotals: ranges.rowTotals.map((r) => r?.min ?? null),
  };
}

async function solveRanges(
  table: PublishedTable,
  knowledge: Knowledge,
  asked: (q: { row: number; column: number | null }) => boolean,
  withMax: boolean,
): Promise<Ranges> {
  const highs = await loadSolver();
  const rows = table.cells.length;
  const cols = table.columnTotals.length;
  const n = rows * cols;
  const lower = new Float64Array(n);
  const upper = new Float64Array(n).fill(highs.infinity);
  table.cells.forEach((row, r) =>
    row.forEach((value, c) => {
      const k = r * cols + c;
      if (value !== null) lower[k] = upper[k] = value;
      else if (knowledge.ownRow?.index === r) lower[k] = upper[k] = knowledge.ownRow.values[c];
      else lower[k] = knowledge.own?.[r][c] ?? 0;
    }),
  );
  const constraints: { cells: number[]; value: number }[] = [];
  for (let c = 0; c < cols; c++) constraints.push({ cells: Array.from({ length: rows }, (_, r) => r * cols + c), value: table.columnTotals[c] });
  table.rowTotals?.forEach((total, r) => {
    if (total !== null) constraints.push({ cells: Array.from({ length: cols }, (_, c) => r * cols + c), value: total });
  });
  const starts = [0];
  const indices: number[] = [];
  for (const constraint of constraints) {
    indices.push(...constraint.cells);
    starts.push(indices.length);
  }
  const model = highs.createModel({
    numCols: n,
    numRows: constraints.length,
    colCost: new Float64Array(n),
    colLower: lower,
    colUpper: upper,
    rowLower: constraints.map((x) => x.value),
    rowUpper: constraints.map((x) => x.value),
    matrix: { format: "csr", numRows: constraints.length, numCols: n, starts, indices, values: indices.map(() => 1) },
  });
  try {
    model.options.set({ output_flag: false, presolve: "off" });
    let costed: number[] = [];
    const bound = (cells: number[], sense: 1 | -1): number => {
      for (const k of costed) model.changeColCost(k, 0);
      for (const k of cells) model.changeColCost(k, sense);
      costed = cells;
      model.run();
      const status = model.getModelStatus();
      if (status === highs.constants.modelStatus.unbounded) return sense === 1 ? -Infinity : Infinity;
      if (status !== highs.constants.modelStatus.optimal) throw new Error(`The attacker's LP ended with status ${status}: the published table contradicts itself`);
      return sense * model.getObjectiveValue();
    };
    const range = (cells: number[]): Range => ({ min: bound(cells, 1), max: withMax ? bound(cells, -1) : NaN });
    return {
      cells: table.cells.map((row, r) => row.map((value, c) => (value === null && asked({ row: r, column: c }) ? range([r * cols + c]) : null))),
      rowTotals: Array.from({ length: rows }, (_, r) =>
        table.rowTotals && table.rowTotals[r] === null && asked({ row: r, column: null })
          ? range(Array.from({ length: cols }, (_, c) => r * cols + c))
          : null,
      ),
    };
  } finally {
    model.dispose();
  }
}
