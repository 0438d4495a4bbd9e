import type { AnalysisAnswer } from '../contract/apiAnswers.js';
import { failure, success, type Result } from '../domain/result.js';
import { correlationMatrix } from './correlationMatrix.js';
import { DOLLAR_INDEX, dollarIndexOf } from './dollarIndex.js';
import { sampledReturns } from './returns.js';
import { rollingCorrelation } from './rolling.js';
import type { Interval } from './sampling.js';
import { samplingGap, type DeclaredFixingTime, type TimedRow } from './samplingGap.js';
import { seriesStats } from './seriesStats.js';

/** Fewer returns than this say nothing about co-movement. */
export const MIN_OBSERVATIONS = 3;

export interface AnalysisOptions {
  /** Currency codes, and `DXY` for the dollar index, in the order asked for. */
  readonly series: readonly string[];
  readonly interval: Interval;
  /** Observations per rolling correlation. */
  readonly window: number;
  /** The lead-lag range and the Granger order. */
  readonly lags: number;
  readonly declaredFixingTime: DeclaredFixingTime;
}

/** GET /api/analysis without the range the handler settled on; its fields are described in src/contract/apiAnswers.ts. */
export type Analysis = Omit<AnalysisAnswer, 'from' | 'to'>;

/**
 * `named` beside one series per code, as `rolling` and `index` hold them (zod's catchall). An object literal cannot
 * be checked against a type whose named fields do not match its index signature; the spread of two generic objects
 * is typed as their intersection, which is that type.
 */
const besideSeries = <Named extends object, S>(named: Named, series: Record<string, S>) => ({ ...named, ...series });

export interface TooFewObservations {
  readonly observations: number;
  readonly excludedPairs: number;
}

/** Gold against each requested series: statistics, matrix, rolling correlation, indexed levels. Pure: rows sorted oldest first. */
export function analyzeSeries(rows: readonly TimedRow[], options: AnalysisOptions): Result<Analysis, TooFewObservations> {
  const { series: codes, interval, window, lags } = options;
  const withDxy = codes.includes(DOLLAR_INDEX)
    ? rows.map((row) => {
        const level = dollarIndexOf(row.rates);
        return level === undefined ? row : { ...row, rates: { ...row.rates, [DOLLAR_INDEX]: level } };
      })
    : rows;
  const { samples, observations, excluded } = sampledReturns(withDxy, codes, interval);
  if (observations.length < MIN_OBSERVATIONS) return failure({ observations: observations.length, excludedPairs: excluded.length });

  const gold = observations.map((o) => o.gold);
  const runs = observations.map((o) => o.run);
  const dates = observations.map((o) => o.date);
  const perSeries = <T>(value: (code: string) => T, only = codes) => Object.fromEntries(only.map((code) => [code, value(code)]));
  const seriesReturns = perSeries((code) => observations.map((o) => o.currencies[code]!));
  const returnsOf = (code: string) => seriesReturns[code]!;
  const currencies = codes.filter((code) => code !== DOLLAR_INDEX);
  const stats = perSeries((code) => seriesStats(gold, returnsOf(code), runs, lags));
  const rolling = perSeries((code) => rollingCorrelation(gold, returnsOf(code), window));
  const levels = interval === 'day' ? withDxy : samples;
  const rateOn = (row: TimedRow, code: string) => row.rates[code];
  return success({
    interval,
    lags,
    observations: observations.length,
    excludedPairs: excluded.length,
    exclusions: excluded,
    correlation: perSeries((code) => stats[code]!.r),
    stats,
    returns: { dates, gold, series: seriesReturns },
    matrix: correlationMatrix([
      ['gold', gold],
      ...[...codes.filter((code) => code === DOLLAR_INDEX), ...currencies].map((code) => [code, returnsOf(code)] as const),
    ]),
    sampling: samplingGap(rows, interval, options.declaredFixingTime),
    rolling: besideSeries(
      { window, dates, ci95: perSeries((code) => rolling[code]!.ci95) },
      perSeries((code) => rolling[code]!.r),
    ),
    index: besideSeries(
      {
        dates: levels.map((row) => row.date),
        gold: indexed(levels.map((row) => row.goldPrice)).map((value) => value!),
        goldIn: perSeries((code) => indexed(levels.map((row) => priceIn(row.goldPrice, rateOn(row, code)))), currencies),
      },
      perSeries((code) => indexed(levels.map((row) => valueInUsd(code, rateOn(row, code))))),
    ),
    ...(codes.includes(DOLLAR_INDEX)
      ? { dollarIndex: { dates: levels.map((row) => row.date), values: levels.map((row) => row.rates[DOLLAR_INDEX] ?? null) } }
      : {}),
  });
}

/** A currency's value in USD is 1 / rate; DXY is already the dollar's value. */
const valueInUsd = (code: string, rate: number | undefined) => (rate === undefined ? undefined : code === DOLLAR_INDEX ? rate : 1 / rate);
const priceIn = (usdPrice: number, rate: number | undefined) => (rate === undefined ? undefined : usdPrice * rate);

/** Each value as a multiple of 100 of the series' first value; absent values (and any before the first) are null. */
function indexed(values: ReadonlyArray<number | undefined>): Array<number | null> {
  const first = values.find((value) => value !== undefined);
  return values.map((value) => (value === undefined || first === undefined ? null : (100 * value) / first));
}
