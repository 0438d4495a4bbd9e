/** A pivot this small against the largest column norm means the columns are (numerically) linearly dependent. */
const RANK_TOLERANCE = 1e-10;

/**
 * The residual sum of squares of y regressed on the columns of a design matrix (rows of equal length), by Householder
 * QR as R's lm does (no normal equations, so near-collinear lags lose no precision). Null when the design is rank
 * deficient or has no more rows than columns.
 */
export function residualSumOfSquares(design: readonly (readonly number[])[], y: readonly number[]): number | null {
  const m = design.length;
  const k = design[0]?.length ?? 0;
  if (m <= k) return null;
  // Column-major copy, reflected in place.
  const columns = Array.from({ length: k }, (_, j) => Float64Array.from(design, (row) => row[j]!));
  const rhs = Float64Array.from(y);
  const largestNorm = Math.max(...columns.map((column) => Math.hypot(...column)));
  for (let j = 0; j < k; j++) {
    const column = columns[j]!;
    let norm = 0;
    for (let i = j; i < m; i++) norm += column[i]! * column[i]!;
    norm = Math.sqrt(norm);
    if (norm <= RANK_TOLERANCE * largestNorm) return null;
    const alpha = column[j]! > 0 ? -norm : norm;
    // v = column[j..] − alpha·e₁, reflected as H = I − 2vvᵀ/vᵀv.
    const v = column.slice(j);
    v[0]! -= alpha;
    let vv = 0;
    for (let i = 0; i < v.length; i++) vv += v[i]! * v[i]!;
    const reflect = (target: Float64Array) => {
      let dot = 0;
      for (let i = 0; i < v.length; i++) dot += v[i]! * target[j + i]!;
      const scale = (2 * dot) / vv;
      for (let i = 0; i < v.length; i++) target[j + i]! -= scale * v[i]!;
    };
    for (let later = j; later < k; later++) reflect(columns[later]!);
    reflect(rhs);
  }
  let rss = 0;
  for (let i = k; i < m; i++) rss += rhs[i]! * rhs[i]!;
  return rss;
}
