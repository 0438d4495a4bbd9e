import { clampToUnit, fisherInterval95 } from './correlation.js';

/** Below this share of its mean square a window's variance is rounding noise from the running sums: the series did not move. */
const FLAT_RELATIVE_VARIANCE = 1e-12;

export interface RollingCorrelation {
  /** r over the `window` points ending at each index; null until the window has filled or when a series is flat in it. */
  readonly r: Array<number | null>;
  /** Each r's 95 % band by Fisher's z; null where r is, or the window has fewer than 4 points. */
  readonly ci95: Array<[number, number] | null>;
}

/**
 * Rolling Pearson correlation from running sums of x, y, x², y² and xy (each point added once and taken out once),
 * so the cost is linear in the series' length whatever the window.
 */
export function rollingCorrelation(xs: readonly number[], ys: readonly number[], window: number): RollingCorrelation {
  const r: Array<number | null> = [];
  const ci95: Array<[number, number] | null> = [];
  let [sx, sy, sxx, syy, sxy] = [0, 0, 0, 0, 0];
  for (let end = 0; end < xs.length; end++) {
    const [x, y] = [xs[end]!, ys[end]!];
    [sx, sy, sxx, syy, sxy] = [sx + x, sy + y, sxx + x * x, syy + y * y, sxy + x * y];
    if (end >= window) {
      const [ox, oy] = [xs[end - window]!, ys[end - window]!];
      [sx, sy, sxx, syy, sxy] = [sx - ox, sy - oy, sxx - ox * ox, syy - oy * oy, sxy - ox * oy];
    }
    const value = end + 1 < window ? null : correlationOfSums(window, sx, sy, sxx, syy, sxy);
    r.push(value);
    ci95.push(value === null ? null : fisherInterval95(value, window));
  }
  return { r, ci95 };
}

function correlationOfSums(n: number, sx: number, sy: number, sxx: number, syy: number, sxy: number): number | null {
  const varX = n * sxx - sx * sx;
  const varY = n * syy - sy * sy;
  if (varX <= FLAT_RELATIVE_VARIANCE * n * sxx || varY <= FLAT_RELATIVE_VARIANCE * n * syy) return null;
  return clampToUnit((n * sxy - sx * sy) / Math.sqrt(varX * varY));
}
