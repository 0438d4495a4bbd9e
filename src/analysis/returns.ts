import { daysBetween } from '../domain/businessDate.js';

/** What the analysis reads of one stored row. */
export interface SeriesRow {
  readonly date: string;
  readonly goldPrice: number;
  /** The kind of gold quote (`FOREXCOM` live spot, `LBMA` fixing): returns across a change of kind are not comparable. */
  readonly goldSource: string;
  /** The row's QualityFlags column, absent on rows written before the gates. */
  readonly qualityFlags?: string | undefined;
  /** Units of each currency per one unit of the base; a currency the row lacks is absent. */
  readonly rates: Readonly<Record<string, number>>;
}

/** The returns between two consecutive stored dates, dated by the later one. */
export interface Observation {
  readonly date: string;
  readonly gold: number;
  readonly currencies: Readonly<Record<string, number>>;
}

export interface ExcludedPair {
  readonly from: string;
  readonly to: string;
  readonly reason: string;
}

/** Two rows further apart than this are not consecutive observations (a long weekend with a holiday is 4 days). */
export const MAX_GAP_CALENDAR_DAYS = 5;

/** A `QualityFlags` entry ending in `carried-forward`: the row holds an earlier day's values. */
const carriedForwardFlag = (row: SeriesRow): string | undefined =>
  row.qualityFlags
    ?.split(',')
    .map((flag) => flag.trim())
    .find((flag) => flag.endsWith('carried-forward'));

/**
 * Log returns between consecutive stored dates (rows sorted by date, oldest first):
 * - gold: ln(GoldPrice[t] / GoldPrice[t-1]);
 * - a currency's value in the base is 1 / rate, so its return is ln(rate[t-1] / rate[t]) (positive = it strengthened).
 * A pair is left out, with its reason, when the two gold quotes are of different kinds, the dates are more than
 * MAX_GAP_CALENDAR_DAYS apart, either row is flagged as carried forward, or either row lacks a requested currency.
 */
export function dailyReturns(
  rows: readonly SeriesRow[],
  currencies: readonly string[],
): { observations: Observation[]; excluded: ExcludedPair[] } {
  const observations: Observation[] = [];
  const excluded: ExcludedPair[] = [];
  for (let t = 1; t < rows.length; t++) {
    const previous = rows[t - 1]!;
    const current = rows[t]!;
    const reason = exclusionReason(previous, current, currencies);
    if (reason !== undefined) {
      excluded.push({ from: previous.date, to: current.date, reason });
      continue;
    }
    observations.push({
      date: current.date,
      gold: Math.log(current.goldPrice / previous.goldPrice),
      currencies: Object.fromEntries(currencies.map((code) => [code, Math.log(previous.rates[code]! / current.rates[code]!)])),
    });
  }
  return { observations, excluded };
}

function exclusionReason(previous: SeriesRow, current: SeriesRow, currencies: readonly string[]): string | undefined {
  if (previous.goldSource !== current.goldSource) return `the gold quote changed kind (${previous.goldSource} to ${current.goldSource})`;
  const days = daysBetween(previous.date, current.date);
  if (days > MAX_GAP_CALENDAR_DAYS) return `${days} calendar days apart (at most ${MAX_GAP_CALENDAR_DAYS})`;
  for (const row of [previous, current]) {
    const flag = carriedForwardFlag(row);
    if (flag !== undefined) return `${row.date} is flagged ${flag}`;
  }
  for (const row of [previous, current]) {
    const missing = currencies.find((code) => row.rates[code] === undefined);
    if (missing !== undefined) return `${row.date} has no ${missing} rate`;
  }
  return undefined;
}
