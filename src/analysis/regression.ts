/** A slope needs a residual degree of freedom: n − 2 ≥ 1. */
export const MIN_REGRESSION_OBSERVATIONS = 3;

export interface SlopeFit {
  /** OLS slope of y on x, with intercept. */
  readonly beta: number;
  /** Its classical standard error, √(s² / Σ(x − x̄)²) with s² on n − 2 degrees of freedom. */
  readonly betaSe: number;
  /** Its Newey–West standard error (Bartlett kernel, lag hacLag, no prewhitening, no small-sample adjustment). */
  readonly betaSeHac: number;
  readonly hacLag: number;
  /** Null when y does not vary. */
  readonly r2: number | null;
}

/** The Newey–West lag for n observations: floor(4·(n/100)^(2/9)). */
export const neweyWestLag = (n: number): number => Math.floor(4 * (n / 100) ** (2 / 9));

/**
 * y = α + βx + e by least squares. The slope's estimation error is Σuₜ / Sxx with uₜ = (xₜ − x̄)eₜ, so its Newey–West
 * variance is (Σₗ wₗ Σₜ uₜuₜ₋ₗ over l = −L…L) / Sxx², wₗ = 1 − |l|/(L + 1): what sandwich::NeweyWest(lm(y ~ x), lag = L,
 * prewhite = FALSE, adjust = FALSE) gives for the slope. Null when n < 3 or x does not vary.
 */
export function fitSlope(ys: readonly number[], xs: readonly number[]): SlopeFit | null {
  const n = xs.length;
  if (n < MIN_REGRESSION_OBSERVATIONS) return null;
  const meanX = xs.reduce((sum, x) => sum + x, 0) / n;
  const meanY = ys.reduce((sum, y) => sum + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const [dx, dy] = [xs[i]! - meanX, ys[i]! - meanY];
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return null;
  const beta = sxy / sxx;
  const u = xs.map((x, i) => (x - meanX) * (ys[i]! - meanY - beta * (x - meanX)));
  const residualSquares = ys.reduce((sum, y, i) => sum + (y - meanY - beta * (xs[i]! - meanX)) ** 2, 0);
  const hacLag = neweyWestLag(n);
  let meat = 0;
  for (let lag = 0; lag <= hacLag; lag++) {
    let gamma = 0;
    for (let t = lag; t < n; t++) gamma += u[t]! * u[t - lag]!;
    meat += lag === 0 ? gamma : 2 * (1 - lag / (hacLag + 1)) * gamma;
  }
  return {
    beta,
    betaSe: Math.sqrt(residualSquares / (n - 2) / sxx),
    betaSeHac: Math.sqrt(Math.max(0, meat)) / sxx,
    hacLag,
    r2: syy === 0 ? null : (sxy * sxy) / (sxx * syy),
  };
}
