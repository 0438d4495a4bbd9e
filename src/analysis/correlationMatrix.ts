import { pearson } from './correlation.js';

export interface CorrelationMatrix {
  readonly labels: string[];
  /** values[i][j]: Pearson's r of series i with series j; null where one of them does not move. */
  readonly values: Array<Array<number | null>>;
}

/** The correlation of every pair of equally long return series, in the order given. */
export function correlationMatrix(series: ReadonlyArray<readonly [label: string, returns: readonly number[]]>): CorrelationMatrix {
  return {
    labels: series.map(([label]) => label),
    values: series.map(([, xs], i) =>
      series.map(([, ys], j) => {
        const r = pearson(xs, ys);
        return i === j && r !== null ? 1 : r;
      }),
    ),
  };
}
