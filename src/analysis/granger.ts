import fCdf from '@stdlib/stats-base-dists-f-cdf';
import { nestedResidualSumsOfSquares } from './leastSquares.js';
import type { GrangerTest } from '../contract/apiAnswers.js';

/** One Granger F test; declared with the /api/analysis answer it is part of. */
export type { GrangerTest };

/**
 * Does x's past improve the prediction of y beyond y's own past? OLS with intercept of yₜ on yₜ₋₁…yₜ₋ₚ (restricted) and
 * on those plus xₜ₋₁…xₜ₋ₚ (full), over the observations t whose p predecessors lie in t's run; F = ((RSSᵣ − RSS_f)/p) /
 * (RSS_f/(m − 2p − 1)) on (p, m − 2p − 1) degrees of freedom. On one gap-free run this is R's
 * lmtest::grangertest(y ~ x, order = p). Null when fewer than one residual degree of freedom remains, the full model
 * fits exactly, or the lags are collinear.
 */
export function grangerTest(ys: readonly number[], xs: readonly number[], runs: readonly number[], order: number): GrangerTest | null {
  const rows: number[] = [];
  for (let t = order; t < ys.length; t++) if (runs[t - order] === runs[t]) rows.push(t);
  const df2 = rows.length - 2 * order - 1;
  if (df2 < 1) return null;
  const lagged = (series: readonly number[], lag: number) => {
    const column = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) column[i] = series[rows[i]! - lag]!;
    return column;
  };
  // Columns: the intercept, y's own lags (the restricted model), then x's lags (the full model).
  const design = [
    new Float64Array(rows.length).fill(1),
    ...Array.from({ length: order }, (_, lag) => lagged(ys, lag + 1)),
    ...Array.from({ length: order }, (_, lag) => lagged(xs, lag + 1)),
  ];
  const [rssRestricted, rssFull] = nestedResidualSumsOfSquares(design, lagged(ys, 0), [order + 1, 2 * order + 1]);
  if (rssFull === null || rssFull === undefined || rssRestricted === null || rssRestricted === undefined || rssFull === 0) return null;
  const F = (Math.max(0, rssRestricted - rssFull) / order / rssFull) * df2;
  return { F, df1: order, df2, p: 1 - fCdf(F, order, df2) };
}
