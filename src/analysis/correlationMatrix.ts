import { pearson } from './correlation.js';
import type { CorrelationMatrix } from '../contract/apiAnswers.js';

export type { CorrelationMatrix }; // declared with the /api/analysis answer it is part of

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
