/**
 * The linear-programming audit behind small-number protection (ADR 017).
 *
 * An attacker who sees a protected table knows every shown cell, every column
 * total and every shown row total, and that counts are never negative. A
 * coordinator (an "insider") also knows their own municipality's people: their
 * share of each cell is a lower bound, and their municipality's own row is
 * known exactly. For a hidden count the question is: can this attacker prove
 * that someone is in it? The audit answers it with a real LP solver (HiGHS):
 * it minimises the hidden count over every table that fits what the attacker
 * knows. The count is protected when that minimum reaches the attacker's own
 * share (zero for a funder): the cell may as well be empty of other people.
 *
 * Each LP is written in deviations from the true table (x = value + up - down)
 * with a small cost on every deviation, so the table it finds differs from the
 * truth in few cells. Such a "witness" also proves the same count for other
 * attackers whose knowledge it does not contradict, so most coordinators are
 * answered without a new LP. Witnesses found without the solver (a pair or a
 * rectangle of hidden cells) are checked the same way first.
 */
import loadHighs, { type Highs } from "highs";

/** How a row's sum is treated: hidden like a cell when small, always shown, or not a count at all. */
export type MarginRule = "protected" | "public" | "none";

export interface AuditProblem {
  rows: number;
  cols: number;
  /** Cell counts, row by row (index r * cols + c). */
  values: readonly number[];
  margins: MarginRule;
  /** attackers[0] is the outsider (a funder); the others are insiders. */
  attackers: readonly Attacker[];
}

export interface Attacker {
  /** What the attacker knows is at least in each cell (their own people). */
  lower: readonly number[];
  /** A row of the table that holds only the attacker's own people, known exactly. */
  ownRow: number | null;
}

export interface HiddenSet {
  cells: readonly boolean[];
  margins: readonly boolean[];
}

/** A hidden cell or a hidden row total. */
export type Quantity = { cell: number } | { row: number };

/** An attacker must not be able to prove the quantity holds anyone besides their own people. */
export interface Obligation {
  quantity: Quantity;
  attacker: number;
}

/** A feasible change of the hidden cells: cell index -> change. */
export type Witness = Map<number, number>;

// The LP is totally unimodular (sums of cells), so its optimum is a whole number: half a person is a safe tolerance.
const TOLERANCE = 0.5;
const NUMERIC = 1e-7;

let solver: Promise<Highs> | null = null;
/** HiGHS compiled to WebAssembly, loaded once per process on first use. */
export function loadSolver(): Promise<Highs> {
  solver ??= loadHighs();
  return solver;
}

export function quantityCells(problem: AuditProblem, q: Quantity): number[] {
  if ("cell" in q) return [q.cell];
  return Array.from({ length: problem.cols }, (_, c) => q.row * problem.cols + c);
}

function quantityValue(problem: AuditProblem, q: Quantity, of: readonly number[] = problem.values): number {
  return quantityCells(problem, q).reduce((sum, k) => sum + of[k], 0);
}

export function quantityRow(problem: AuditProblem, q: Quantity): number {
  return "cell" in q ? Math.floor(q.cell / problem.cols) : q.row;
}

/** Whether a row's sum is a published constraint. */
export function rowIsBound(problem: AuditProblem, hidden: HiddenSet, row: number): boolean {
  return problem.margins !== "none" && !hidden.margins[row];
}

/**
 * Audits one protected table, keeping the witnesses it finds between calls
 * (a witness stays valid when more cells are hidden: hiding only removes
 * constraints). Returns the obligations that fail.
 */
export class TableAuditor {
  /** By quantity: obligations of one count share the same quantity object. */
  private readonly witnesses = new Map<Quantity, Witness[]>();
  /** LPs solved so far, for the cost figures. */
  lpCount = 0;

  constructor(private readonly problem: AuditProblem) {}

  /** A change found without the solver (a pair or rectangle of hidden cells); checked like any other. */
  addWitness(q: Quantity, witness: Witness): void {
    const list = this.witnesses.get(q);
    if (list) list.push(witness);
    else this.witnesses.set(q, [witness]);
  }

  /** The obligations no witness found so far proves, without solving anything. */
  unproved(obligations: readonly Obligation[]): Obligation[] {
    return obligations.filter((o) => !this.provedByWitness(o));
  }

  /** Proves what the witnesses do not, with the solver (loaded on first need: most tables never need it). */
  async audit(hidden: HiddenSet, obligations: readonly Obligation[]): Promise<Obligation[]> {
    const unproved = obligations.filter((o) => !this.provedByWitness(o));
    const pinnedCells = new Map<number, boolean>();
    const pinned = unproved.filter((o) => {
      if (!("cell" in o.quantity)) return this.pinnedBySum(hidden, o);
      const known = pinnedCells.get(o.quantity.cell);
      if (known !== undefined) return known;
      const result = this.pinnedBySum(hidden, o);
      pinnedCells.set(o.quantity.cell, result);
      return result;
    });
    const pinnedSet = new Set(pinned);
    const open = unproved.filter((o) => !pinnedSet.has(o));
    if (!open.length) return pinned;
    const p = this.problem;
    const hiddenCells = p.values.map((_, k) => k).filter((k) => hidden.cells[k]);
    const column = new Map(hiddenCells.map((k, i) => [k, i]));
    const constraints: number[][] = [];
    for (let c = 0; c < p.cols; c++) constraints.push(hiddenCells.filter((k) => k % p.cols === c));
    for (let r = 0; r < p.rows; r++) {
      if (rowIsBound(p, hidden, r)) constraints.push(hiddenCells.filter((k) => Math.floor(k / p.cols) === r));
    }
    const rows = constraints.filter((cells) => cells.length > 0);
    const starts = [0];
    const indices: number[] = [];
    const coefficients: number[] = [];
    for (const cells of rows) {
      for (const k of cells) {
        const i = column.get(k)!;
        indices.push(2 * i, 2 * i + 1);
        coefficients.push(1, -1);
      }
      starts.push(indices.length);
    }
    const n = 2 * hiddenCells.length;
    const total = p.values.reduce((a, b) => a + b, 0);
    // Small enough that fewer changed cells never outweighs a lower optimum by half a person.
    const epsilon = 0.1 / (1 + 2 * total);
    const highs = await loadSolver();
    const model = highs.createModel({
      numCols: n,
      numRows: rows.length,
      colCost: new Float64Array(n).fill(epsilon),
      colLower: new Float64Array(n),
      colUpper: Float64Array.from({ length: n }, (_, j) => (j % 2 ? p.values[hiddenCells[j >> 1]] : highs.infinity)),
      rowLower: new Float64Array(rows.length),
      rowUpper: new Float64Array(rows.length),
      matrix: { format: "csr", numRows: rows.length, numCols: n, starts, indices, values: coefficients },
    });
    try {
      // No presolve and primal simplex: measured fastest for these many small re-solves.
      model.options.set({ output_flag: false, presolve: "off", simplex_strategy: 4 });
      const failed: Obligation[] = [...pinned];
      const byAttacker = new Map<number, Obligation[]>();
      for (const o of open) {
        const list = byAttacker.get(o.attacker);
        if (list) list.push(o);
        else byAttacker.set(o.attacker, [o]);
      }
      // Bounds and costs are changed only where they differ, so the solver keeps its basis between LPs.
      const outsider = (i: number): [number, number] => [highs.infinity, p.values[hiddenCells[i]]];
      let changedBounds: number[] = [];
      let costed: number[] = [];
      const setBound = (i: number, [up, down]: [number, number]) => {
        model.changeColBounds(2 * i, 0, up);
        model.changeColBounds(2 * i + 1, 0, down);
      };
      for (const [a, list] of byAttacker) {
        const attacker = p.attackers[a];
        for (const i of changedBounds) setBound(i, outsider(i));
        changedBounds = [];
        hiddenCells.forEach((k, i) => {
          const own = attacker.ownRow !== null && Math.floor(k / p.cols) === attacker.ownRow;
          if (!own && attacker.lower[k] === 0) return;
          setBound(i, own ? [0, 0] : [highs.infinity, Math.max(0, p.values[k] - attacker.lower[k])]);
          changedBounds.push(i);
        });
        for (const o of list) {
          if (this.provedByWitness(o)) continue;
          for (const i of costed) {
            model.changeColCost(2 * i, epsilon);
            model.changeColCost(2 * i + 1, epsilon);
          }
          costed = quantityCells(p, o.quantity).flatMap((k) => (column.has(k) ? [column.get(k)!] : []));
          for (const i of costed) {
            model.changeColCost(2 * i, 1 + epsilon);
            model.changeColCost(2 * i + 1, epsilon - 1);
          }
          model.run();
          this.lpCount++;
          if (model.getModelStatus() !== highs.constants.modelStatus.optimal) {
            throw new Error(`Small-number audit: the LP ended with status ${model.getModelStatus()}`);
          }
          // The objective is the change of the count plus less than 0.1 for the deviations:
          // when even it stays above the attacker's share, the count is pinned, and the witness is not needed.
          const share = quantityValue(p, o.quantity, attacker.lower) - quantityValue(p, o.quantity);
          if (model.getObjectiveValue() > share + TOLERANCE + 0.1) {
            failed.push(o);
            continue;
          }
          const x = model.getSolution().colValue;
          const witness: Witness = new Map();
          hiddenCells.forEach((k, i) => {
            const change = x[2 * i] - x[2 * i + 1];
            if (Math.abs(change) > NUMERIC) witness.set(k, change);
          });
          this.addWitness(o.quantity, witness);
          if (!this.proves(witness, o)) failed.push(o);
        }
      }
      return failed;
    } finally {
      model.dispose();
    }
  }

  /** A count that is the only hidden cell of a published sum is given away by it: no LP needed. */
  private pinnedBySum(hidden: HiddenSet, o: Obligation): boolean {
    const p = this.problem;
    const alone = (k: number) => {
      const r = Math.floor(k / p.cols);
      const c = k % p.cols;
      const inColumn = Array.from({ length: p.rows }, (_, i) => i * p.cols + c).some((x) => x !== k && hidden.cells[x]);
      const inRow = !rowIsBound(p, hidden, r) || Array.from({ length: p.cols }, (_, j) => r * p.cols + j).some((x) => x !== k && hidden.cells[x]);
      return !inColumn || !inRow;
    };
    const cells = quantityCells(p, o.quantity).filter((k) => p.values[k] > p.attackers[o.attacker].lower[k]);
    return "cell" in o.quantity ? alone(o.quantity.cell) : cells.some((k) => !Array.from({ length: p.rows }, (_, i) => i * p.cols + (k % p.cols)).some((x) => x !== k && hidden.cells[x]));
  }

  private provedByWitness(o: Obligation): boolean {
    const list = this.witnesses.get(o.quantity);
    if (!list) return false;
    for (const w of list) if (this.proves(w, o)) return true;
    return false;
  }

  /**
   * Whether a witness shows the attacker cannot rule out an empty (rest of the)
   * quantity: it brings the quantity down to the attacker's own share and
   * contradicts nothing else they know. Moving only part of the way along it
   * then gives a table where the quantity is exactly their share.
   */
  private proves(witness: Witness, o: Obligation): boolean {
    const p = this.problem;
    const attacker = p.attackers[o.attacker];
    let reached = 0;
    let share = 0;
    if ("cell" in o.quantity) {
      reached = p.values[o.quantity.cell] + (witness.get(o.quantity.cell) ?? 0);
      share = attacker.lower[o.quantity.cell];
    } else {
      for (const k of quantityCells(p, o.quantity)) {
        reached += p.values[k] + (witness.get(k) ?? 0);
        share += attacker.lower[k];
      }
    }
    if (reached > share + TOLERANCE) return false;
    for (const [k, change] of witness) {
      if (attacker.ownRow !== null && Math.floor(k / p.cols) === attacker.ownRow) return false;
      if ("cell" in o.quantity && k === o.quantity.cell) continue;
      if (p.values[k] + change < attacker.lower[k] - NUMERIC) return false;
    }
    return true;
  }
}
