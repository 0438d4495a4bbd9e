import { correlationPValue, fisherInterval95, pearson } from './correlation.js';
import { grangerTest } from './granger.js';
import { leadLag } from './leadLag.js';
import { fitSlope } from './regression.js';
import type { SeriesStats } from '../contract/apiAnswers.js';

/** Everything the analysis says about gold against one series, over the same observations. */
export type { SeriesStats }; // declared with the /api/analysis answer it is part of

/** The statistics of gold's returns against one series' (both in observation order, with each observation's run). */
export function seriesStats(gold: readonly number[], series: readonly number[], runs: readonly number[], lags: number): SeriesStats {
  const n = gold.length;
  const r = pearson(gold, series);
  const fit = fitSlope(gold, series);
  return {
    n,
    r,
    ci95: r === null ? null : fisherInterval95(r, n),
    p: r === null ? null : correlationPValue(r, n),
    beta: fit?.beta ?? null,
    betaSe: fit?.betaSe ?? null,
    betaSeHac: fit?.betaSeHac ?? null,
    hacLag: fit?.hacLag ?? null,
    r2: fit?.r2 ?? null,
    leadLag: leadLag(gold, series, runs, lags),
    granger: { goldToX: grangerTest(series, gold, runs, lags), xToGold: grangerTest(gold, series, runs, lags) },
  };
}
