import { daysBetween, isoWeekOf, monthOf, type IsoDate } from '../domain/businessDate.js';
import { parseQualityFlags, type QualityFlag } from '../domain/fxGoldRow.js';
import type { SeriesRow } from './seriesRow.js';
import { INTERVALS, type Interval } from '../contract/intervals.js';

/** Two rows further apart than this are not consecutive daily observations (a long weekend with a holiday is 4 days). */
export const MAX_GAP_CALENDAR_DAYS = 5;

/** The row's carried-forward flag, when it holds an earlier day's FX rates or gold price. */
export const carriedForwardFlag = (row: SeriesRow): QualityFlag | undefined =>
  parseQualityFlags(row.qualityFlags)?.find((flag) => flag === 'fx-carried-forward' || flag === 'gold-carried-forward');

export { INTERVALS, type Interval };

/** A period's ordinal (consecutive periods differ by one) and its name in a reason. */
interface Period {
  readonly ordinal: number;
  readonly label: string;
}

/** A Monday, from which ISO weeks (Monday to Sunday) are counted. */
const A_MONDAY = '1970-01-05' as IsoDate;

/** ISO week, named in the ISO year of its Thursday (so 2020-12-31 is in 2020-W53, 2021-01-03 too). */
const isoWeek = (date: IsoDate): Period => ({ ordinal: Math.floor(daysBetween(A_MONDAY, date) / 7), label: isoWeekOf(date) });

const calendarMonth = (date: IsoDate): Period => ({
  ordinal: Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1,
  label: monthOf(date),
});

export interface Samples<Row extends SeriesRow> {
  readonly samples: Row[];
  /** Why two successive samples do not make a return of this interval, or undefined when they do. */
  readonly notConsecutive: (previous: SeriesRow, current: SeriesRow) => string | undefined;
}

/**
 * The rows a return is taken between. `day`: every stored row, successive ones at most MAX_GAP_CALENDAR_DAYS apart.
 * `week` / `month`: per ISO week / calendar month, its last row not flagged carried forward; successive samples only
 * from consecutive periods.
 */
export function samplesByInterval<Row extends SeriesRow>(rows: readonly Row[], interval: Interval): Samples<Row> {
  if (interval === 'day') {
    return {
      samples: [...rows],
      notConsecutive: (previous, current) => {
        const days = daysBetween(previous.date, current.date);
        return days > MAX_GAP_CALENDAR_DAYS ? `${days} calendar days apart (at most ${MAX_GAP_CALENDAR_DAYS})` : undefined;
      },
    };
  }
  const periodOf = interval === 'week' ? isoWeek : calendarMonth;
  const samples: Row[] = [];
  let lastOrdinal: number | undefined;
  for (const row of rows) {
    if (carriedForwardFlag(row) !== undefined) continue;
    const { ordinal } = periodOf(row.date);
    if (ordinal === lastOrdinal) samples[samples.length - 1] = row;
    else samples.push(row);
    lastOrdinal = ordinal;
  }
  return {
    samples,
    notConsecutive: (previous, current) => {
      const [from, to] = [periodOf(previous.date), periodOf(current.date)];
      return to.ordinal - from.ordinal === 1 ? undefined : `${from.label} and ${to.label} are not consecutive ${interval}s`;
    },
  };
}
