import { pearson } from './correlation.js';
import type { LaggedCorrelation } from '../contract/apiAnswers.js';

/** A lagged correlation needs three pairs to be more than a line through two points. */
export const MIN_LEAD_LAG_PAIRS = 3;

export type { LaggedCorrelation }; // declared with the /api/analysis answer it is part of

/**
 * For k = −lags…+lags, Pearson's r of gold's return at observation i with the series' at i + k, over every i where
 * both lie in one run (so no lag spans an excluded pair). k > 0: the series moves after gold (gold leads).
 */
export function leadLag(gold: readonly number[], series: readonly number[], runs: readonly number[], lags: number): LaggedCorrelation[] {
  const result: LaggedCorrelation[] = [];
  for (let k = -lags; k <= lags; k++) {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = Math.max(0, -k); i < gold.length && i + k < series.length; i++) {
      if (runs[i] !== runs[i + k]) continue;
      xs.push(gold[i]!);
      ys.push(series[i + k]!);
    }
    result.push({ k, n: xs.length, r: xs.length < MIN_LEAD_LAG_PAIRS ? null : pearson(xs, ys) });
  }
  return result;
}
