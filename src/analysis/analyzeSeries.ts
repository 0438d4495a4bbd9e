import { failure, success, type Result } from '../domain/result.js';
import { pearson, rollingPearson } from './correlation.js';
import { dailyReturns, type ExcludedPair, type SeriesRow } from './returns.js';

/** Fewer returns than this say nothing about co-movement. */
export const MIN_OBSERVATIONS = 3;

/** Per-currency series beside their dates: `{ dates: [...], EUR: [...], JPY: [...] }`. */
type Series<Extra> = { readonly dates: string[] } & Readonly<Record<string, Array<number | null> | string[] | Extra>>;

export interface Analysis {
  /** Returns used: pairs of consecutive stored dates that passed the rules in returns.ts. */
  readonly observations: number;
  readonly excludedPairs: number;
  /** Each pair left out and why. */
  readonly exclusions: ExcludedPair[];
  /** Pearson's r of gold's returns with each currency's over every observation (null when a series does not vary). */
  readonly correlation: Record<string, number | null>;
  /** r over the last `window` observations at each observation's date; null until the window has filled. */
  readonly rolling: { readonly window: number } & Series<number>;
  /** Every stored date, each series at 100 on its first value: gold in the base currency, each currency's value (1 / rate) in the base. */
  readonly index: { readonly gold: number[] } & Series<never>;
}

export interface TooFewObservations {
  readonly observations: number;
  readonly excludedPairs: number;
}

/** Correlation of gold with each currency, rolling and whole-range, and the indexed levels. Pure: rows sorted oldest first. */
export function analyzeSeries(
  rows: readonly SeriesRow[],
  currencies: readonly string[],
  window: number,
): Result<Analysis, TooFewObservations> {
  const { observations, excluded } = dailyReturns(rows, currencies);
  if (observations.length < MIN_OBSERVATIONS) return failure({ observations: observations.length, excludedPairs: excluded.length });

  const gold = observations.map((o) => o.gold);
  const returnsOf = (code: string) => observations.map((o) => o.currencies[code]!);
  const perCurrency = <T>(value: (code: string) => T) => Object.fromEntries(currencies.map((code) => [code, value(code)]));
  return success({
    observations: observations.length,
    excludedPairs: excluded.length,
    exclusions: excluded,
    correlation: perCurrency((code) => pearson(gold, returnsOf(code))),
    rolling: { window, dates: observations.map((o) => o.date), ...perCurrency((code) => rollingPearson(gold, returnsOf(code), window)) },
    index: {
      dates: rows.map((row) => row.date),
      gold: indexed(rows.map((row) => row.goldPrice)).map((value) => value!),
      ...perCurrency((code) => indexed(rows.map((row) => (row.rates[code] === undefined ? undefined : 1 / row.rates[code])))),
    },
  });
}

/** Each value as a multiple of 100 of the series' first value; absent values (and any before the first) are null. */
function indexed(values: ReadonlyArray<number | undefined>): Array<number | null> {
  const first = values.find((value) => value !== undefined);
  return values.map((value) => (value === undefined || first === undefined ? null : (100 * value) / first));
}
