/**
 * Small-number protection for the statistics (ADR 017): cell suppression with
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
 * 2. Proof: every hidden count of 1-4 needs a witness, a table fitting
 *    everything the attacker sees in which the count (or its part beyond the
 *    coordinator's own people) is zero (suppression-audit.server.ts).
 * 3. Secondary: where there is none, the cheapest pair or rectangle of cells
 *    that makes one is hidden as well (a witness by construction), until
 *    every count is proved; where no pair or rectangle can, the LP solver
 *    (HiGHS) looks for longer ways round the table, and what it cannot find
 *    is given away by the totals or needs the whole table hidden. Hiding more
 *    never narrows what an attacker can rule out, so proved counts stay
 *    proved.
 *
 * What the published totals alone give away cannot be hidden in the table
 * (a programme of two municipalities: each coordinator can subtract); such
 * obligations are found by auditing the fully hidden table, and left.
 */
import {
  quantityCells,
  quantityRow,
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

const SMALL_COUNT_MAX = 4;

/**
 * What one municipality's coordinator knows about a table: their own people,
 * counted cell by cell, or the row that holds only their own people (their
 * municipality's row, known exactly; nothing of theirs is anywhere else).
 */
export type Insider = { counts: readonly (readonly number[])[] } | { ownRow: number };

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

export async function protectTable(table: CountTable): Promise<TableProtection> {
  const rows = table.values.length;
  const cols = rows ? table.values[0].length : 0;
  const values = table.values.flat();
  const nothing = values.map(() => 0);
  const problem: AuditProblem = {
    rows,
    cols,
    values,
    margins: table.margins,
    attackers: [
      { lower: nothing, ownRow: null },
      // A coordinator known by their row knows nothing elsewhere: one array of zeros serves them all.
      ...(table.insiders ?? []).map((insider) => ("ownRow" in insider ? { lower: nothing, ownRow: insider.ownRow } : { lower: insider.counts.flat(), ownRow: null })),
    ],
  };
  const columnTotals = Array.from({ length: cols }, (_, c) => table.values.reduce((sum, row) => sum + row[c], 0));
  const rowTotals = table.values.map((row) => row.reduce((a, b) => a + b, 0));
  // A zero that the shown totals already give away (an empty column, a municipality without participants) is shown.
  const knownZeros = values.map((_, k) => columnTotals[k % cols] === 0 || (table.margins === "public" && rowTotals[Math.floor(k / cols)] === 0));
  const knownZero = (k: number) => knownZeros[k];

  const sensitive = (k: number) => table.sensitiveColumns?.[k % cols] ?? true;
  const cellQuantities = values.map((_, cell) => (sensitive(cell) ? { cell } : null));
  const rowQuantities = rowTotals.map((_, row) => (table.margins === "protected" ? { row } : null));
  const obligations: Obligation[] = [];
  for (const quantity of [...cellQuantities, ...rowQuantities]) {
    if (!quantity) continue;
    const row = quantityRow(problem, quantity);
    const cells = quantityCells(problem, quantity);
    problem.attackers.forEach((attacker, a) => {
      if (attacker.ownRow === row) return;
      let rest = 0;
      for (const k of cells) rest += values[k] - attacker.lower[k];
      if (rest >= 1 && rest <= SMALL_COUNT_MAX) obligations.push({ quantity, attacker: a });
    });
  }
  const obliged = new Set<Quantity>(obligations.map((o) => o.quantity));
  const isObliged = (q: Quantity | null) => q !== null && obliged.has(q);
  const hidden = {
    cells: values.map((v, k) => (sensitive(k) && v <= SMALL_COUNT_MAX && !knownZero(k)) || isObliged(cellQuantities[k])),
    margins: rowTotals.map((total, r) => table.margins === "protected" && (total <= SMALL_COUNT_MAX || isObliged(rowQuantities[r]))),
  };
  if (!obligations.length) return { cells: reshape(hidden.cells, cols), margins: hidden.margins, lps: 0 };

  const auditor = new TableAuditor(problem);
  let lps = 0;
  let escalation = 0;
  // Proved obligations stay proved (hiding more only widens what an attacker must allow): each round re-audits the rest.
  let pending = obligations;
  // Each round hides something more, offers a witness that proves an obligation, or escalates.
  for (let round = 0; ; round++) {
    if (round > values.length + rows + 3) throw new Error("Small-number protection made no progress");
    for (const q of new Set(pending.map((o) => o.quantity))) {
      for (const option of ready(problem, hidden, options(problem, q, knownZero))) auditor.addWitness(q, witnessOf(problem, option, 0));
    }
    pending = auditor.unproved(pending);
    if (!pending.length) break;
    const stuck = hideCheapest(problem, hidden, pending, knownZero, auditor);
    if (stuck.length < pending.length) continue;
    // No pair or rectangle is left to hide: the solver looks for longer ways round the table ...
    const failing = await auditor.audit(hidden, stuck);
    if (!failing.length) continue;
    // ... and what even a fully hidden table cannot protect is given away by the published totals: leave it.
    const everything = { cells: values.map((_, k) => !knownZero(k)), margins: rowTotals.map(() => table.margins !== "none") };
    const inherent = new TableAuditor(problem);
    const lost = new Set(await inherent.audit(everything, failing));
    lps += inherent.lpCount;
    pending = pending.filter((o) => !lost.has(o));
    if (failing.every((o) => lost.has(o))) continue;
    // Otherwise hide every cell, then every row total.
    escalation++;
    if (escalation === 1) hidden.cells.forEach((_, k) => (hidden.cells[k] = !knownZero(k)));
    if (escalation === 1 && table.margins === "protected") hidden.margins.fill(true);
    if (escalation === 2 && table.margins !== "none") hidden.margins.fill(true);
    if (escalation > 2) throw new Error(`Small-number protection did not converge: ${JSON.stringify({ table, failing })}`);
  }
  return { cells: reshape(hidden.cells, cols), margins: hidden.margins, lps: lps + auditor.lpCount };
}

/**
 * A way to let a count move down: a pair in one column between two rows
 * whose totals are hidden (or hidden with it), a rectangle of two rows and
 * two columns whose far corner can give up as much, or, for a row total, its
 * people moved to another row whose total is hidden. Plain records, since a
 * national table has hundreds of thousands of them.
 */
interface Option {
  kind: "pair" | "rectangle" | "row";
  /** The count's row and column (column -1 for a row total), the partner row and, for a rectangle, the second column. */
  row: number;
  col: number;
  other: number;
  col2: number;
}

/** The cells an option needs hidden. */
function optionCells(problem: AuditProblem, o: Option): number[] {
  const at = (r: number, c: number) => r * problem.cols + c;
  if (o.kind === "row") return Array.from({ length: problem.cols }, (_, c) => c).filter((c) => problem.values[at(o.row, c)] > 0).map((c) => at(o.other, c));
  if (o.kind === "pair") return [at(o.other, o.col)];
  return [at(o.row, o.col2), at(o.other, o.col), at(o.other, o.col2)];
}

/** The row totals an option needs hidden: those that would otherwise pin the rows it moves people between. */
function optionMargins(problem: AuditProblem, hidden: HiddenSet, o: Option): number[] {
  if (o.kind === "rectangle") return [];
  return (o.kind === "row" ? [o.other] : [o.row, o.other]).filter((r) => rowIsBound(problem, hidden, r));
}

/** Whether an option works against what this attacker knows: not through their own row, and the far corner can give up their part. */
function fits(problem: AuditProblem, o: Option, a: number): boolean {
  const { cols, values } = problem;
  const { lower, ownRow } = problem.attackers[a];
  if (ownRow === o.other) return false;
  if (o.kind !== "rectangle") return true;
  const far = o.other * cols + o.col2;
  const own = o.row * cols + o.col;
  return values[far] - lower[far] >= values[own] - lower[own];
}

/** The change an option makes, bringing the count down to the attacker's own share. */
function witnessOf(problem: AuditProblem, o: Option, a: number): Witness {
  const at = (r: number, c: number) => r * problem.cols + c;
  const rest = (k: number) => problem.values[k] - problem.attackers[a].lower[k];
  if (o.kind === "row") {
    const columns = Array.from({ length: problem.cols }, (_, c) => c).filter((c) => problem.values[at(o.row, c)] > 0);
    return new Map(columns.flatMap((c) => [[at(o.row, c), -rest(at(o.row, c))], [at(o.other, c), rest(at(o.row, c))]]));
  }
  const q = at(o.row, o.col);
  const amount = rest(q);
  if (o.kind === "pair") return new Map([[q, -amount], [at(o.other, o.col), amount]]);
  return new Map([[q, -amount], [at(o.row, o.col2), amount], [at(o.other, o.col), amount], [at(o.other, o.col2), -amount]]);
}

function options(problem: AuditProblem, q: Quantity, knownZero: (cell: number) => boolean): Option[] {
  const { rows, cols, values } = problem;
  const row = quantityRow(problem, q);
  const col = "cell" in q ? q.cell % cols : -1;
  const found: Option[] = [];
  for (let other = 0; other < rows; other++) {
    if (other === row) continue;
    if (col < 0) {
      let blocked = false;
      for (let c = 0; c < cols; c++) blocked ||= values[row * cols + c] > 0 && knownZero(other * cols + c);
      if (!blocked) found.push({ kind: "row", row, col, other, col2: -1 });
      continue;
    }
    if (knownZero(other * cols + col)) continue;
    found.push({ kind: "pair", row, col, other, col2: -1 });
    for (let col2 = 0; col2 < cols; col2++) {
      if (col2 !== col && !knownZero(row * cols + col2) && values[other * cols + col2] > 0) found.push({ kind: "rectangle", row, col, other, col2 });
    }
  }
  return found;
}

function isHidden(problem: AuditProblem, hidden: HiddenSet, o: Option): boolean {
  const { cols } = problem;
  if (o.kind === "rectangle") return hidden.cells[o.row * cols + o.col2] && hidden.cells[o.other * cols + o.col] && hidden.cells[o.other * cols + o.col2];
  if (rowIsBound(problem, hidden, o.other) || (o.kind === "pair" && rowIsBound(problem, hidden, o.row))) return false;
  return optionCells(problem, o).every((k) => hidden.cells[k]);
}

/** How many ready options to offer per count: two with different partner rows cover any one coordinator's own row. */
const READY_WITNESSES = 2;

/** The options that need nothing more hidden, the roomiest far corner first, one per partner row. */
function ready(problem: AuditProblem, hidden: HiddenSet, found: Option[]): Option[] {
  const slack = (o: Option) => (o.kind === "rectangle" ? problem.values[o.other * problem.cols + o.col2] : Infinity);
  const chosen: Option[] = [];
  for (const o of found.filter((x) => fits(problem, x, 0) && isHidden(problem, hidden, x)).sort((a, b) => slack(b) - slack(a) || a.other - b.other)) {
    if (chosen.length < READY_WITNESSES && !chosen.some((x) => x.other === o.other)) chosen.push(o);
  }
  return chosen;
}

/**
 * The option that hides the least beyond what is hidden now, weighed by the
 * counts it takes from the reader; then the fewest cells, then the earliest
 * partner row: the result never depends on chance.
 */
function cheapest(problem: AuditProblem, hidden: HiddenSet, found: Option[]): Option | null {
  const rowTotal = (r: number) => {
    let total = 0;
    for (let c = 0; c < problem.cols; c++) total += problem.values[r * problem.cols + c];
    return total;
  };
  const weight = (r: number) => (problem.margins === "public" ? (rowTotal(r) + 1) * PUBLIC_MARGIN_WEIGHT : rowTotal(r) * PROTECTED_MARGIN_WEIGHT);
  let best: { option: Option; value: number; items: number } | null = null;
  for (const option of found) {
    const cells = optionCells(problem, option).filter((k) => !hidden.cells[k]);
    const margins = optionMargins(problem, hidden, option);
    const items = cells.length + margins.length;
    if (!items) continue;
    const value = cells.reduce((sum, k) => sum + problem.values[k], 0) + margins.reduce((sum, r) => sum + weight(r), 0);
    if (!best || value < best.value || (value === best.value && items < best.items)) best = { option, value, items };
  }
  return best?.option ?? null;
}

/**
 * For every obligation not yet proved: offer a pair or rectangle that is
 * already hidden, or hide the cheapest that fits the attacker. What serves
 * the outsider usually serves the coordinators too, so it is tried first.
 * Returns the obligations no pair or rectangle can serve.
 */
function hideCheapest(problem: AuditProblem, hidden: HiddenSet & { cells: boolean[]; margins: boolean[] }, pending: Obligation[], knownZero: (cell: number) => boolean, auditor: TableAuditor): Obligation[] {
  const stuck: Obligation[] = [];
  const byQuantity = new Map<Quantity, Obligation[]>();
  for (const o of pending) {
    const list = byQuantity.get(o.quantity);
    if (list) list.push(o);
    else byQuantity.set(o.quantity, [o]);
  }
  for (const [q, list] of byQuantity) {
    const candidates = options(problem, q, knownZero);
    const chosen: Option[] = [];
    for (const o of list) {
      const present = chosen.find((x) => fits(problem, x, o.attacker)) ?? candidates.find((x) => fits(problem, x, o.attacker) && isHidden(problem, hidden, x));
      if (present) {
        auditor.addWitness(q, witnessOf(problem, present, o.attacker));
        continue;
      }
      const best = cheapest(
        problem,
        hidden,
        candidates.filter((x) => fits(problem, x, o.attacker)),
      );
      if (!best) {
        stuck.push(o);
        continue;
      }
      for (const r of optionMargins(problem, hidden, best)) hidden.margins[r] = true;
      for (const k of optionCells(problem, best)) hidden.cells[k] = true;
      chosen.push(best);
    }
  }
  return stuck;
}

function reshape(flat: boolean[], cols: number): boolean[][] {
  const out: boolean[][] = [];
  for (let k = 0; k < flat.length; k += cols) out.push(flat.slice(k, k + cols));
  return out;
}

