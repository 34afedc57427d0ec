/**
 * The effect report's small-number rule, one place for every section
 * (docs/decisions/021 and 035): no figure is drawn from a group under 5; a
 * share also hides when 0-4 lack the attribute (the reader could work them out
 * from n); a programme total adds up only the cohorts whose own figure is
 * shown, so no hidden cohort can be had by subtraction. Pure functions.
 */

export const MIN_GROUP = 5;

/** A share of n, or hidden. */
export interface Share {
  count: number | null;
  n: number;
  shown: boolean;
}

const isSmall = (count: number) => count < MIN_GROUP;

export function protectedShare(count: number, n: number): Share {
  const shown = n >= MIN_GROUP && !isSmall(count) && !isSmall(n - count);
  return { count: shown ? count : null, n, shown };
}

/** Adds up a share over the rows where it is shown. */
export function sumShown(rows: Share[]): Share {
  const shown = rows.filter((s) => s.shown);
  return protectedShare(
    shown.reduce((a, s) => a + s.count!, 0),
    shown.reduce((a, s) => a + s.n, 0),
  );
}

/**
 * A mean of paired before/after values over n people: shown only when n is at
 * least the group minimum. Sums are kept so totals can add shown groups up.
 */
export interface PairedSums {
  n: number;
  before: number;
  after: number;
}

export interface PairedMean {
  n: number;
  before: number | null;
  after: number | null;
  /** Mean of (after - before) over the n people. */
  change: number | null;
  shown: boolean;
}

export function protectedPairedMean(s: PairedSums): PairedMean {
  const shown = s.n >= MIN_GROUP;
  return shown ? { n: s.n, before: s.before / s.n, after: s.after / s.n, change: (s.after - s.before) / s.n, shown } : { n: s.n, before: null, after: null, change: null, shown };
}

/** Adds up paired sums over the groups whose own mean is shown. */
export function sumShownPairs(groups: PairedSums[]): PairedSums {
  return groups
    .filter((g) => g.n >= MIN_GROUP)
    .reduce((a, g) => ({ n: a.n + g.n, before: a.before + g.before, after: a.after + g.after }), { n: 0, before: 0, after: 0 });
}
