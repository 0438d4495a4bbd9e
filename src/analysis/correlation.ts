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
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** r over the `window` points ending at each index; null until the window has filled. */
export function rollingPearson(xs: readonly number[], ys: readonly number[], window: number): Array<number | null> {
  return xs.map((_, end) => (end + 1 < window ? null : pearson(xs.slice(end + 1 - window, end + 1), ys.slice(end + 1 - window, end + 1))));
}
