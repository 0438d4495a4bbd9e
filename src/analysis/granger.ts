import fCdf from '@stdlib/stats-base-dists-f-cdf';
import { residualSumOfSquares } from './leastSquares.js';

export interface GrangerTest {
  readonly F: number;
  readonly df1: number;
  readonly df2: number;
  readonly p: number;
}

/**
 * Does x's past improve the prediction of y beyond y's own past? OLS with intercept of yₜ on yₜ₋₁…yₜ₋ₚ (restricted) and
 * on those plus xₜ₋₁…xₜ₋ₚ (full), over the observations t whose p predecessors lie in t's run; F = ((RSSᵣ − RSS_f)/p) /
 * (RSS_f/(m − 2p − 1)) on (p, m − 2p − 1) degrees of freedom. On one gap-free run this is R's
 * lmtest::grangertest(y ~ x, order = p). Null when fewer than one residual degree of freedom remains, the full model
 * fits exactly, or the lags are collinear.
 */
export function grangerTest(ys: readonly number[], xs: readonly number[], runs: readonly number[], order: number): GrangerTest | null {
  const restricted: number[][] = [];
  const full: number[][] = [];
  const targets: number[] = [];
  for (let t = order; t < ys.length; t++) {
    if (runs[t - order] !== runs[t]) continue;
    const ownLags = Array.from({ length: order }, (_, lag) => ys[t - 1 - lag]!);
    const otherLags = Array.from({ length: order }, (_, lag) => xs[t - 1 - lag]!);
    restricted.push([1, ...ownLags]);
    full.push([1, ...ownLags, ...otherLags]);
    targets.push(ys[t]!);
  }
  const df2 = targets.length - 2 * order - 1;
  if (df2 < 1) return null;
  const rssFull = residualSumOfSquares(full, targets);
  const rssRestricted = residualSumOfSquares(restricted, targets);
  if (rssFull === null || rssRestricted === null || rssFull === 0) return null;
  const F = (Math.max(0, rssRestricted - rssFull) / order / rssFull) * df2;
  return { F, df1: order, df2, p: 1 - fCdf(F, order, df2) };
}
