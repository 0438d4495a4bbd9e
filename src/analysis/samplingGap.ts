import type { IsoDate } from '../domain/businessDate.js';
import { carriedForwardFlag, type Interval } from './sampling.js';
import type { SeriesRow } from './seriesRow.js';
import type { SamplingGap } from '../contract/apiAnswers.js';

/** What the sampling gap reads beside the prices: when each was taken. */
export interface TimedRow extends SeriesRow {
  readonly goldTimestamp: string;
  /** When the FX rates were fixed, on rows written with the column. */
  readonly currencyTimestamp?: string | undefined;
  readonly currencyProvider: string;
  readonly currencyDate: IsoDate;
}

/** The instant a provider declares it fixes its rates on a date (ISO 8601), or null when it declares none. */
export type DeclaredFixingTime = (provider: string, currencyDate: IsoDate) => string | null;

/** Over this median gap between a row's two prices, same-day returns are not same-time returns. */
export const MAX_DAILY_GAP_HOURS = 2;

export type { SamplingGap }; // declared with the /api/analysis answer it is part of

const HOUR_MS = 3_600_000;

/**
 * How far apart in time each row's gold price and FX rates were taken: the median over rows not carried forward of
 * |GoldTimestamp − FX fixing time| in hours, the fixing time being CurrencyTimestamp or else the provider's declared one.
 */
export function samplingGap(rows: readonly TimedRow[], interval: Interval, declaredFixingTime: DeclaredFixingTime): SamplingGap {
  const gaps: number[] = [];
  let rowsUntimed = 0;
  for (const row of rows) {
    if (carriedForwardFlag(row) !== undefined) continue;
    const fixedAt = row.currencyTimestamp ?? declaredFixingTime(row.currencyProvider, row.currencyDate);
    if (fixedAt === null) rowsUntimed++;
    else gaps.push(Math.abs(Date.parse(row.goldTimestamp) - Date.parse(fixedAt)) / HOUR_MS);
  }
  const medianGapHours = median(gaps);
  const warning =
    interval === 'day' && medianGapHours !== null && medianGapHours > MAX_DAILY_GAP_HOURS
      ? `gold and FX prices are taken a median ${medianGapHours.toFixed(1)} hours apart: the daily correlation is biased toward zero, and a lead-lag at ±1 or a significant daily Granger test may be an artefact of timing; weekly or monthly is the honest horizon`
      : null;
  return { medianGapHours, rowsTimed: gaps.length, rowsUntimed, warning };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
