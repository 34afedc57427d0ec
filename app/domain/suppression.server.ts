/**
 * Small-number protection for the statistics (ADR 013): cell suppression with
 * a linear-programming audit in the loop, the method of τ-Argus and sdcTable
 * (Fischetti & Salazar-González 2000; Hundepool et al. 2012, ch. 4).
 *
 * A protected table counts people by a personal attribute or municipality
 * (rows) and status (columns). Its column totals are the published headline
 * figures; a row's total is shown like a cell ("protected"), always shown
 * ("public": participants per municipality) or not a count ("none": outcomes).
 *
 * 1. Primary: every count 0-4 is hidden, zeros too (as Statistics Norway's
 *    GaussSuppression does by default), so a hidden cell never tells that it
 *    holds someone. A count whose part outside one municipality is 1-4 is
 *    hidden too: that municipality's coordinator knows their own people.
 *    (Per municipality only completed and dropped are sensitive: who takes
 *    part is public, see CountTable.sensitiveColumns.)
 * 2. Audit: for every hidden count of 1-4, the LP audit (suppression-audit)
 *    must find a table fitting everything the attacker sees in which the
 *    count (or its part beyond the coordinator's own people) is zero.
 * 3. Secondary: where the audit fails, the cheapest rectangle or pair of cells
 *    that would let the count move is hidden as well, and the audit runs
 *    again, until every count is proved. Hiding more never narrows what an
 *    attacker can rule out, so proved counts stay proved.
 *
 * What the published totals alone give away cannot be hidden in the table
 * (a programme of two municipalities: each coordinator can subtract); such
 * obligations are found by auditing the fully hidden table, and left.
 */
import {
  loadSolver,
  quantityRow,
  quantityValue,
  rowIsBound,
  TableAuditor,
  type AuditProblem,
  type HiddenSet,
  type MarginRule,
  type Obligation,
  type Quantity,
  type Witness,
} from "./suppression-audit.server";

export type { MarginRule } from "./suppression-audit.server";

export const SMALL_COUNT_MAX = 4;

/** What one municipality's coordinator knows about a table: their own people. */
export interface Insider {
  /** Their own people, counted cell by cell (the table's shape). */
  counts: readonly (readonly number[])[];
  /** The row holding only their own people (their municipality's row), if the table has one. */
  ownRow: number | null;
}

export interface CountTable {
  /** values[row][column]: each person is in exactly one cell. */
  values: readonly (readonly number[])[];
  margins: MarginRule;
  /**
   * Columns whose small counts must be protected (default: all). Where the
   * rows' totals are public (participants per municipality), being active is
   * only taking part, which is public too: only completed and dropped are.
   */
  sensitiveColumns?: readonly boolean[];
  insiders?: readonly Insider[];
}

export interface TableProtection {
  /** Hidden cells, values[row][column]. */
  cells: boolean[][];
  /** Hidden row totals (always false when the rule is "none"). */
  margins: boolean[];
  /** LPs the audit solved, for the cost figures. */
  lps: number;
}

// Public row totals (participants per municipality) are hidden only when nothing else protects a count;
// other row totals are what a reader looks at first, so a cell of the same size goes before them.
const PUBLIC_MARGIN_WEIGHT = 1000;
const PROTECTED_MARGIN_WEIGHT = 2;

interface Option {
  cells: number[];
  margins: number[];
  cost: number;
}

export async function protectTable(table: CountTable): Promise<TableProtection> {
  const rows = table.values.length;
  const cols = rows ? table.values[0].length : 0;
  const values = table.values.flat();
  const problem: AuditProblem = {
    rows,
    cols,
    values,
    margins: table.margins,
    attackers: [
      { lower: values.map(() => 0), ownRow: null },
      ...(table.insiders ?? []).map((insider) => ({ lower: insider.counts.flat(), ownRow: insider.ownRow })),
    ],
  };
  const columnTotal = (c: number) => table.values.reduce((sum, row) => sum + row[c], 0);
  const rowTotal = (r: number) => table.values[r].reduce((a, b) => a + b, 0);
  // A zero that the shown totals already give away (an empty column, a municipality without participants) is shown.
  const knownZero = (k: number) => columnTotal(k % cols) === 0 || (table.margins === "public" && rowTotal(Math.floor(k / cols)) === 0);

  const sensitive = (k: number) => table.sensitiveColumns?.[k % cols] ?? true;
  const quantities: Quantity[] = [
    ...values.flatMap((_, cell) => (sensitive(cell) ? [{ cell }] : [])),
    ...(table.margins === "protected" ? Array.from({ length: rows }, (_, row) => ({ row })) : []),
  ];
  let obligations: Obligation[] = [];
  for (const quantity of quantities) {
    const value = quantityValue(problem, quantity);
    problem.attackers.forEach((attacker, a) => {
      if (attacker.ownRow === quantityRow(problem, quantity)) return;
      const rest = value - quantityValue(problem, quantity, attacker.lower);
      if (rest >= 1 && rest <= SMALL_COUNT_MAX) obligations.push({ quantity, attacker: a });
    });
  }
  const obliged = new Set(obligations.map((o) => ("cell" in o.quantity ? `c${o.quantity.cell}` : `r${o.quantity.row}`)));
  const hidden = {
    cells: values.map((v, k) => obliged.has(`c${k}`) || (sensitive(k) && v <= SMALL_COUNT_MAX && !knownZero(k))),
    margins: Array.from({ length: rows }, (_, r) => table.margins === "protected" && (obliged.has(`r${r}`) || rowTotal(r) <= SMALL_COUNT_MAX)),
  };
  if (!obligations.length) return { cells: reshape(hidden.cells, cols), margins: hidden.margins, lps: 0 };

  const highs = await loadSolver();
  const auditor = new TableAuditor(highs, problem);
  let lps = 0;
  let escalation = 0;
  const quantityOf = new Map(obligations.map((o) => [o.quantity, o.quantity]));
  for (;;) {
    for (const q of quantityOf.values()) for (const w of structuralWitnesses(problem, hidden, q, knownZero)) auditor.addWitness(q, w);
    const failing = auditor.audit(hidden, obligations);
    if (!failing.length) break;
    const stuck: Obligation[] = [];
    for (const o of failing) {
      const option = cheapestOption(problem, hidden, o, knownZero);
      if (!option || option.cells.length + option.margins.length === 0) stuck.push(o);
      for (const k of option?.cells ?? []) hidden.cells[k] = true;
      for (const r of option?.margins ?? []) hidden.margins[r] = true;
    }
    if (stuck.length < failing.length) continue;
    // What even a fully hidden table cannot protect is given away by the published totals: leave it.
    const everything = { cells: values.map((_, k) => !knownZero(k)), margins: Array.from({ length: rows }, () => table.margins !== "none") };
    const inherent = new TableAuditor(highs, problem);
    const lost = new Set(inherent.audit(everything, stuck));
    lps += inherent.lpCount;
    obligations = obligations.filter((o) => !lost.has(o));
    if (lost.size === stuck.length) continue;
    // No rectangle or pair does it: hide every cell, then every row total.
    escalation++;
    if (escalation === 1) hidden.cells.forEach((_, k) => (hidden.cells[k] = !knownZero(k)));
    if (escalation === 1 && table.margins === "protected") hidden.margins.fill(true);
    if (escalation === 2 && table.margins !== "none") hidden.margins.fill(true);
    if (escalation > 2) throw new Error(`Small-number protection did not converge: ${JSON.stringify({ table, stuck })}`);
  }
  return { cells: reshape(hidden.cells, cols), margins: hidden.margins, lps: lps + auditor.lpCount };
}

/** How many pairs or rectangles to offer per count: two with different partner rows cover any one coordinator's own row. */
const STRUCTURAL_WITNESSES = 2;

/**
 * Changes that bring a count to zero for an outsider using only hidden
 * cells: a pair in one column between two rows whose totals are hidden, a
 * rectangle whose far corner can give up as much, or (for a row total) its
 * people moved to another free row. The largest far corners first, and
 * different partner rows, so the witnesses hold for as many coordinators as
 * possible; the LP handles everything else.
 */
function structuralWitnesses(problem: AuditProblem, hidden: HiddenSet, q: Quantity, knownZero: (cell: number) => boolean): Witness[] {
  const { rows, cols, values } = problem;
  const at = (r: number, c: number) => r * cols + c;
  const row = quantityRow(problem, q);
  const free = (r: number) => !rowIsBound(problem, hidden, r);
  const found: { witness: Witness; partner: number; slack: number }[] = [];
  for (let other = 0; other < rows; other++) {
    if (other === row) continue;
    if ("row" in q) {
      const moving = Array.from({ length: cols }, (_, c) => c).filter((c) => values[at(row, c)] > 0);
      if (!free(other) || moving.some((c) => !hidden.cells[at(other, c)] || knownZero(at(other, c)))) continue;
      found.push({ witness: new Map(moving.flatMap((c) => [[at(row, c), -values[at(row, c)]], [at(other, c), values[at(row, c)]]])), partner: other, slack: Infinity });
      continue;
    }
    const c = q.cell % cols;
    const v = values[q.cell];
    if (!hidden.cells[at(other, c)] || knownZero(at(other, c))) continue;
    if (free(row) && free(other)) found.push({ witness: new Map([[q.cell, -v], [at(other, c), v]]), partner: other, slack: Infinity });
    for (let c2 = 0; c2 < cols; c2++) {
      const far = at(other, c2);
      if (c2 === c || !hidden.cells[at(row, c2)] || !hidden.cells[far] || knownZero(at(row, c2)) || values[far] < v) continue;
      found.push({ witness: new Map([[q.cell, -v], [at(row, c2), v], [at(other, c), v], [far, -v]]), partner: other, slack: values[far] - v });
    }
  }
  found.sort((a, b) => b.slack - a.slack || a.partner - b.partner);
  const chosen: typeof found = [];
  for (const f of found) {
    if (chosen.length < STRUCTURAL_WITNESSES && !chosen.some((x) => x.partner === f.partner)) chosen.push(f);
  }
  return chosen.map((x) => x.witness);
}

function reshape(flat: boolean[], cols: number): boolean[][] {
  const out: boolean[][] = [];
  for (let k = 0; k < flat.length; k += cols) out.push(flat.slice(k, k + cols));
  return out;
}

/**
 * The cheapest cells (by the counts they would hide) that let the count move
 * down to the attacker's share: a pair in the same column (when the two rows'
 * totals are hidden or hidden with it), or a rectangle of two rows and two
 * columns whose far corner can give up as much. Ties go to fewer cells, then
 * to the earlier row and column, so the result does not depend on chance.
 */
function cheapestOption(
  problem: AuditProblem,
  hidden: HiddenSet,
  o: Obligation,
  knownZero: (cell: number) => boolean,
): Option | null {
  const { rows, cols, values } = problem;
  const attacker = problem.attackers[o.attacker];
  const at = (r: number, c: number) => r * cols + c;
  const need = quantityValue(problem, o.quantity) - quantityValue(problem, o.quantity, attacker.lower);
  const marginCost = (r: number) => {
    const total = values.slice(r * cols, r * cols + cols).reduce((a, b) => a + b, 0);
    return problem.margins === "public" ? (total + 1) * PUBLIC_MARGIN_WEIGHT : total * PROTECTED_MARGIN_WEIGHT;
  };
  const freeing = (r: number) => (rowIsBound(problem, hidden, r) ? [r] : []);
  const build = (cells: number[], margins: number[]): Option | null => {
    if (cells.some(knownZero)) return null;
    const newCells = [...new Set(cells)].filter((k) => !hidden.cells[k]);
    const newMargins = [...new Set(margins)].filter((r) => !hidden.margins[r]);
    return {
      cells: newCells,
      margins: newMargins,
      cost: newCells.reduce((sum, k) => sum + values[k], 0) + newMargins.reduce((sum, r) => sum + marginCost(r), 0),
    };
  };
  const row = quantityRow(problem, o.quantity);
  const options: Option[] = [];
  const add = (option: Option | null) => option && options.push(option);
  for (let other = 0; other < rows; other++) {
    if (other === row || other === attacker.ownRow) continue;
    if ("row" in o.quantity) {
      // A row total moves only by moving its people to another row whose total is hidden too.
      const moving = Array.from({ length: cols }, (_, c) => c).filter((c) => values[at(row, c)] > attacker.lower[at(row, c)]);
      add(build(moving.map((c) => at(other, c)), freeing(other)));
      continue;
    }
    const c = o.quantity.cell % cols;
    add(build([at(other, c)], [...freeing(row), ...freeing(other)]));
    for (let c2 = 0; c2 < cols; c2++) {
      if (c2 === c || values[at(other, c2)] - attacker.lower[at(other, c2)] < need) continue;
      add(build([at(row, c2), at(other, c), at(other, c2)], []));
    }
  }
  if (!options.length) return null;
  return options.reduce((best, x) => (x.cost < best.cost || (x.cost === best.cost && x.cells.length + x.margins.length < best.cells.length + best.margins.length) ? x : best));
}
