import { lastDayOfMonth, utcDateOf, weekdaysIn } from './businessDate.js';

/** Gold requests one daily run makes (one per business day, retries aside): what the reserve keeps per remaining weekday. */
export const REQUESTS_PER_DAILY_RUN = 1;

/** Weekdays from `now`'s date (included: today's run may still be to come) to the end of its UTC month. */
export function remainingWeekdays(now: Date): number {
  const today = utcDateOf(now);
  return weekdaysIn(today, lastDayOfMonth(today)).length;
}

/**
 * The daily reserve: the metered gold requests kept for the month's remaining weekday runs. Backfills and manual runs
 * (a past date) may not use it; the daily run (today's date) may.
 */
export const dailyReserveAt = (now: Date): number => remainingWeekdays(now) * REQUESTS_PER_DAILY_RUN;
