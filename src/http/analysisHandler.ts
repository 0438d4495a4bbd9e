import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import type { AnalysisAnswer } from '../contract/apiAnswers.js';
import { analyzeSeries, MIN_OBSERVATIONS } from '../analysis/analyzeSeries.js';
import { DOLLAR_INDEX, DXY_CURRENCIES } from '../analysis/dollarIndex.js';
import { INTERVALS } from '../analysis/sampling.js';
import type { DeclaredFixingTime } from '../analysis/samplingGap.js';
import { declaredCurrencyFixingTime } from '../clients/fixingTimes.js';
import type { ReadDependencies } from '../reading/readDependencies.js';
import { parseQuery, RangeQuerySchema, resolveRange } from '../reading/readQuery.js';
import { json, jsonError } from './responses.js';
import { storageAnswer } from './storageAnswer.js';

const DEFAULT_WINDOW = 60;
const MAX_WINDOW = 1000;
const DEFAULT_LAGS = 5;
const MAX_LAGS = 10;

/** A whole number in decimal digits within [min, max] (`1e2`, `0x10`, `6.5` are refused, not coerced). */
const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]+$/, { error: `must be a whole number from ${min} to ${max}, in decimal digits`, abort: true })
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const AnalysisQuerySchema = RangeQuerySchema.extend({
  /** Observations per rolling correlation. */
  window: wholeNumber(MIN_OBSERVATIONS, MAX_WINDOW).optional(),
  interval: z.enum(INTERVALS, { error: `must be one of ${INTERVALS.join(', ')}` }).optional(),
  /** The lead-lag range and the Granger order. */
  lags: wholeNumber(1, MAX_LAGS).optional(),
});

/**
 * GET /api/analysis?from&to&currencies&window&interval&lags: gold's returns against each currency's and the dollar
 * index's (statistics, matrix, rolling correlation, lead-lag, Granger), and every series indexed to 100 (definitions in
 * src/analysis). 400 for bad input, 422 when the range holds fewer than MIN_OBSERVATIONS usable returns, 503/500 when
 * the table could not be read. The provider fixing times come as a parameter so the analysis stays pure.
 */
export async function analysisHandler(
  request: HttpRequest,
  deps: ReadDependencies,
  now: Date,
  declaredFixingTime: DeclaredFixingTime = declaredCurrencyFixingTime,
): Promise<HttpResponseInit> {
  const query = parseQuery(request.query, AnalysisQuerySchema);
  if (!query.ok) return jsonError(400, query.error);
  // DXY is a series like a currency when its six currencies are configured (and then in the default).
  const dxyAvailable = DXY_CURRENCIES.every((code) => deps.currencies.includes(code));
  if (!dxyAvailable && query.value.currencies?.includes(DOLLAR_INDEX))
    return jsonError(
      400,
      `"currencies": ${DOLLAR_INDEX} needs ${DXY_CURRENCIES.join(',')} configured (configured: ${deps.currencies.join(',')})`,
    );
  const range = resolveRange(query.value, dxyAvailable ? [...deps.currencies, DOLLAR_INDEX] : deps.currencies, now);
  if (!range.ok) return jsonError(400, range.error);
  const { from, to, currencies: series } = range.value;
  const interval = query.value.interval ?? 'day';

  const rows = await deps.rows.queryRows({
    base: deps.baseCurrency,
    from,
    to,
    currencies: [...new Set(series.flatMap((code) => (code === DOLLAR_INDEX ? DXY_CURRENCIES : [code])))],
    columns: ['GoldPrice', 'GoldSource', 'QualityFlags', 'GoldTimestamp', 'CurrencyTimestamp', 'CurrencyProvider', 'CurrencyDate'],
  });
  if (!rows.ok) return storageAnswer(rows.error, deps.secrets);
  const timedRows = rows.value.map((row) => ({
    date: row.rowKey,
    goldPrice: row.GoldPrice,
    goldSource: row.GoldSource,
    qualityFlags: row.QualityFlags,
    rates: row.rates,
    goldTimestamp: row.GoldTimestamp,
    currencyTimestamp: row.CurrencyTimestamp,
    currencyProvider: row.CurrencyProvider,
    currencyDate: row.CurrencyDate,
  }));
  const analysis = analyzeSeries(timedRows, {
    series,
    interval,
    window: query.value.window ?? DEFAULT_WINDOW,
    lags: query.value.lags ?? DEFAULT_LAGS,
    declaredFixingTime,
  });
  if (!analysis.ok) {
    const { observations, excludedPairs } = analysis.error;
    return jsonError(
      422,
      `too few observations from ${from} to ${to}: ${observations} ${interval === 'day' ? 'daily' : `${interval}ly`} returns (${rows.value.length} stored dates, ${excludedPairs} pairs excluded); the analysis needs at least ${MIN_OBSERVATIONS}, widen the range`,
      { from, to, observations, excludedPairs },
    );
  }
  return json(200, { from, to, ...analysis.value } satisfies AnalysisAnswer);
}
