import tCdf from '@stdlib/stats-base-dists-t-cdf';

/**
 * Pearson's correlation coefficient of two equally long series: the covariance over the product of the standard
 * deviations, from mean-centred sums (two passes, so large levels lose no precision). Null when there are fewer than
 * two points or either series does not vary (r is undefined then).
 */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return null;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += xs[i]!;
    meanY += ys[i]!;
  }
  meanX /= n;
  meanY /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - meanX;
    const dy = ys[i]! - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  // Rounding may carry a perfect co-movement a hair past ±1.
  return clampToUnit(sxy / Math.sqrt(sxx * syy));
}

export const clampToUnit = (r: number): number => Math.max(-1, Math.min(1, r));

/** The 97.5 % quantile of the standard normal distribution. */
const Z_975 = 1.959963984540054;
/** Fisher's z needs n − 3 > 0. */
export const MIN_INTERVAL_OBSERVATIONS = 4;

/** The 95 % interval of r on n observations by Fisher's z, tanh(atanh(r) ± 1.96 / √(n − 3)); null when n < 4. */
export function fisherInterval95(r: number, n: number): [number, number] | null {
  if (n < MIN_INTERVAL_OBSERVATIONS) return null;
  if (Math.abs(r) === 1) return [r, r];
  const z = Math.atanh(r);
  const half = Z_975 / Math.sqrt(n - 3);
  return [Math.tanh(z - half), Math.tanh(z + half)];
}

/** Two-sided p-value for r ≠ 0, t = r·√((n − 2)/(1 − r²)) on n − 2 degrees of freedom, as R's cor.test; null when n < 3. */
export function correlationPValue(r: number, n: number): number | null {
  if (n < 3) return null;
  if (Math.abs(r) === 1) return 0;
  const t = r * Math.sqrt((n - 2) / (1 - r * r));
  return 2 * tCdf(-Math.abs(t), n - 2);
}
