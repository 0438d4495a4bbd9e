import type { SeriesRow } from './returns.js';

/** Two rows further apart than this are not consecutive daily observations (a long weekend with a holiday is 4 days). */
export const MAX_GAP_CALENDAR_DAYS = 5;

const DAY_MS = 86_400_000;
export const dayNumber = (date: string): number => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);

/** A `QualityFlags` entry ending in `carried-forward`: the row holds an earlier day's values. */
export const carriedForwardFlag = (row: SeriesRow): string | undefined =>
  row.qualityFlags
    ?.split(',')
    .map((flag) => flag.trim())
    .find((flag) => flag.endsWith('carried-forward'));

export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

/** A period's ordinal (consecutive periods differ by one) and its name in a reason. */
interface Period {
  readonly ordinal: number;
  readonly label: string;
}

/** ISO week: Monday to Sunday, numbered in the ISO year of its Thursday (so 2020-12-31 is in 2020-W53, 2021-01-03 too). */
function isoWeek(date: string): Period {
  const day = dayNumber(date);
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
  const monday = day - weekday;
  const thursday = new Date((monday + 3) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((monday + 3 - dayNumber(`${year}-01-01`)) / 7) + 1;
  return { ordinal: monday / 7, label: `${year}-W${String(week).padStart(2, '0')}` };
}

const calendarMonth = (date: string): Period => ({
  ordinal: Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1,
  label: date.slice(0, 7),
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
        const days = dayNumber(current.date) - dayNumber(previous.date);
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
