import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { analyzeSeries, MIN_OBSERVATIONS } from '../analysis/analyzeSeries.js';
import type { ReadDependencies } from '../reading/readDependencies.js';
import { parseQuery, RangeQuerySchema, resolveRange } from '../reading/readQuery.js';
import { json, jsonError } from './responses.js';
import { storageAnswer } from './storageAnswer.js';

const DEFAULT_WINDOW = 60;
const MAX_WINDOW = 1000;

/** Observations per rolling correlation, written in decimal digits (`1e2`, `0x10`, `6.5` are refused, not coerced). */
const WindowSchema = z
  .string()
  .regex(/^[0-9]+$/, { error: `must be a whole number from ${MIN_OBSERVATIONS} to ${MAX_WINDOW}, in decimal digits`, abort: true })
  .transform(Number)
  .pipe(z.number().min(MIN_OBSERVATIONS, `must be at least ${MIN_OBSERVATIONS}`).max(MAX_WINDOW, `must be at most ${MAX_WINDOW}`));

const AnalysisQuerySchema = RangeQuerySchema.extend({ window: WindowSchema.optional() });

/**
 * GET /api/analysis?from&to&currencies&window: gold's return correlated with each currency's over the range and over a
 * rolling window, and every series indexed to 100 (definitions in src/analysis). 400 for bad input, 422 when the
 * range holds fewer than MIN_OBSERVATIONS usable returns, 503/500 when the table could not be read.
 */
export async function analysisHandler(request: HttpRequest, deps: ReadDependencies, now: Date): Promise<HttpResponseInit> {
  const query = parseQuery(request.query, AnalysisQuerySchema);
  if (!query.ok) return jsonError(400, query.error);
  const range = resolveRange(query.value, deps.currencies, now);
  if (!range.ok) return jsonError(400, range.error);
  const { from, to, currencies } = range.value;

  const rows = await deps.rows.queryRows({
    base: deps.baseCurrency,
    from,
    to,
    currencies,
    columns: ['GoldPrice', 'GoldSource', 'QualityFlags'],
  });
  if (!rows.ok) return storageAnswer(rows.error, deps.secrets);
  const series = rows.value.map((row) => ({
    date: row.rowKey,
    goldPrice: row.GoldPrice,
    goldSource: row.GoldSource,
    qualityFlags: row.QualityFlags,
    rates: row.rates,
  }));
  const analysis = analyzeSeries(series, currencies, query.value.window ?? DEFAULT_WINDOW);
  if (!analysis.ok) {
    const { observations, excludedPairs } = analysis.error;
    return jsonError(
      422,
      `too few observations from ${from} to ${to}: ${observations} daily returns (${rows.value.length} stored dates, ${excludedPairs} pairs excluded); the analysis needs at least ${MIN_OBSERVATIONS}, widen the range`,
      { from, to, observations, excludedPairs },
    );
  }
  return json(200, { from, to, ...analysis.value });
}
