import { failure, success, type Result } from '../domain/result.js';
import { correlationMatrix, type CorrelationMatrix } from './correlationMatrix.js';
import { DOLLAR_INDEX, dollarIndexOf } from './dollarIndex.js';
import { sampledReturns, type ExcludedPair } from './returns.js';
import { rollingCorrelation } from './rolling.js';
import type { Interval } from './sampling.js';
import { samplingGap, type DeclaredFixingTime, type SamplingGap, type TimedRow } from './samplingGap.js';
import { seriesStats, type SeriesStats } from './seriesStats.js';

/** Fewer returns than this say nothing about co-movement. */
export const MIN_OBSERVATIONS = 3;

/** Per-series values beside their dates: `{ dates: [...], EUR: [...], JPY: [...] }`. */
type Series<Extra> = { readonly dates: string[] } & Readonly<Record<string, Array<number | null> | string[] | Extra>>;

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

export interface Analysis {
  readonly interval: Interval;
  readonly lags: number;
  /** Returns used: pairs of consecutive samples that passed the rules in returns.ts. */
  readonly observations: number;
  readonly excludedPairs: number;
  /** Each pair left out and why. */
  readonly exclusions: ExcludedPair[];
  /** Pearson's r of gold's returns with each series' over every observation (null when a series does not vary). */
  readonly correlation: Record<string, number | null>;
  readonly stats: Record<string, SeriesStats>;
  /**
   * The observations every statistic is computed over, in date order: gold's return and each series' (with its own
   * sign convention), so a caller can draw or recompute them.
   */
  readonly returns: { readonly dates: string[]; readonly gold: number[]; readonly series: Record<string, number[]> };
  readonly matrix: CorrelationMatrix;
  readonly sampling: SamplingGap;
  /** r over the last `window` observations at each observation's date, and its 95 % band; null until the window has filled. */
  readonly rolling: { readonly window: number; readonly ci95: Record<string, Array<[number, number] | null>> } & Series<
    number | Record<string, Array<[number, number] | null>>
  >;
  /**
   * Every stored date (the sample dates for week and month), each series at 100 on its first value: gold in USD, each
   * currency's value (1 / rate) in USD, DXY's level, and gold priced in each currency (`goldIn`).
   */
  readonly index: { readonly gold: number[]; readonly goldIn: Record<string, Array<number | null>> } & Series<
    Record<string, Array<number | null>>
  >;
  /** The dollar index's level on the same dates, when asked for. */
  readonly dollarIndex?: { readonly dates: string[]; readonly values: Array<number | null> };
}

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
    rolling: {
      window,
      dates,
      ...perSeries((code) => rolling[code]!.r),
      ci95: perSeries((code) => rolling[code]!.ci95),
    },
    index: {
      dates: levels.map((row) => row.date),
      gold: indexed(levels.map((row) => row.goldPrice)).map((value) => value!),
      ...perSeries((code) => indexed(levels.map((row) => valueInUsd(code, rateOn(row, code))))),
      goldIn: perSeries((code) => indexed(levels.map((row) => priceIn(row.goldPrice, rateOn(row, code)))), currencies),
    },
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
