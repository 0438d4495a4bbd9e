// Figures are reported as median and min–max of N runs: the median resists the odd slow run a shared machine
// produces, and the spread says how noisy the run was.

export const median = (values) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

export const min = (values) => Math.min(...values);
export const max = (values) => Math.max(...values);

/** Ratios of two series measured side by side (same round), one per round: their median is the figure. */
export const pairedRatios = (numerators, denominators) => numerators.map((value, i) => value / denominators[i]);

/**
 * Runs `once(i)` `runs` times, but stops early (after at least `minRuns`) when `budgetMs` is spent, so the default
 * run stays within its few minutes even on a busy machine. Returns what each run returned.
 */
export async function repeat({ runs, minRuns = Math.min(3, runs), budgetMs = Infinity }, once) {
  const started = performance.now();
  const results = [];
  for (let i = 0; i < runs; i++) {
    if (i >= minRuns && performance.now() - started > budgetMs) break;
    results.push(await once(i));
  }
  return results;
}
