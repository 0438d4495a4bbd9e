const DAY_MS = 86_400_000;
// 1970-01-05, day 4 of the Unix epoch, was a Monday: counting from it makes Saturday and Sunday days 5 and 6 of each week.
const FIRST_MONDAY = 4;

/** Monday to Friday days before `epochDay`, counted from FIRST_MONDAY (negative before it). */
function weekdaysBefore(epochDay: number): number {
  const sinceMonday = epochDay - FIRST_MONDAY;
  const weeks = Math.floor(sinceMonday / 7);
  return weeks * 5 + Math.min(sinceMonday - weeks * 7, 5);
}

const epochDayOf = (isoDate: string): number => Math.round(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);

/**
 * How many business days (Monday to Friday; no holiday calendar) `earlier` lags `later` by: the weekdays after
 * `earlier` up to and including `later`. Friday → Monday is 1; a date against itself is 0.
 */
export const businessDaysBetween = (earlier: string, later: string): number =>
  weekdaysBefore(epochDayOf(later) + 1) - weekdaysBefore(epochDayOf(earlier) + 1);
