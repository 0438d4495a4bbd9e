/** A pivot this small against the largest column norm means the columns are (numerically) linearly dependent. */
const RANK_TOLERANCE = 1e-10;

/**
 * The residual sums of squares of y regressed on the first `counts[i]` columns of a design (columns of equal length),
 * for each i, by one Householder QR as R's lm does (no normal equations, so near-collinear lags lose no precision):
 * after the first c reflections the squares of y's transformed entries past c are the residuals of the model on those
 * c columns, so nested models cost one factorisation. Null for a count whose columns are rank deficient or not fewer
 * than the rows. Works on copies.
 */
export function nestedResidualSumsOfSquares(
  design: readonly Float64Array[],
  y: Float64Array,
  counts: readonly number[],
): Array<number | null> {
  const m = y.length;
  const columns = design.map((column) => column.slice());
  const rhs = y.slice();
  const largestNorm = Math.max(...columns.map(norm));
  const v = new Float64Array(m);
  const sums = new Map<number, number | null>();
  const residualSum = (from: number) => {
    let sum = 0;
    for (let i = from; i < m; i++) sum += rhs[i]! * rhs[i]!;
    return sum;
  };
  let deficient = false;
  for (let j = 0; j <= columns.length; j++) {
    if (counts.includes(j)) sums.set(j, deficient || j >= m ? null : residualSum(j));
    if (j === columns.length || deficient) continue;
    const column = columns[j]!;
    let columnNorm = 0;
    for (let i = j; i < m; i++) columnNorm += column[i]! * column[i]!;
    columnNorm = Math.sqrt(columnNorm);
    if (columnNorm <= RANK_TOLERANCE * largestNorm) {
      deficient = true;
      continue;
    }
    // v = column[j..] − alpha·e₁; the reflection is H = I − 2vvᵀ/vᵀv.
    const alpha = column[j]! > 0 ? -columnNorm : columnNorm;
    let vv = 0;
    for (let i = j; i < m; i++) {
      v[i] = column[i]! - (i === j ? alpha : 0);
      vv += v[i]! * v[i]!;
    }
    const reflect = (target: Float64Array) => {
      let dot = 0;
      for (let i = j; i < m; i++) dot += v[i]! * target[i]!;
      const scale = (2 * dot) / vv;
      for (let i = j; i < m; i++) target[i]! -= scale * v[i]!;
    };
    for (let later = j; later < columns.length; later++) reflect(columns[later]!);
    reflect(rhs);
  }
  return counts.map((count) => sums.get(count) ?? null);
}

function norm(column: Float64Array): number {
  let sum = 0;
  for (const value of column) sum += value * value;
  return Math.sqrt(sum);
}
