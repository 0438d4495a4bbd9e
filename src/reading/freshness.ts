import { addDays, utcDateOf, weekdaysIn, type BusinessDate } from '../domain/businessDate.js';
import { failure, success, type Result } from '../domain/result.js';

/** How far back /api/status looks for weekdays without a row: the calendar days ending yesterday. */
export const MISSING_DAYS_WINDOW = 90;

/**
 * The weekdays among the MISSING_DAYS_WINDOW calendar days ending yesterday (UTC) that have no stored row, oldest
 * first. Today is left out: its run may not have happened yet.
 */
export function missingDays(hasRow: (date: BusinessDate) => boolean, now: Date): { count: number; dates: BusinessDate[] } {
  const today = utcDateOf(now);
  const dates = weekdaysIn(addDays(today, -MISSING_DAYS_WINDOW), addDays(today, -1)).filter((date) => !hasRow(date));
  return { count: dates.length, dates };
}

/**
 * The first time after `now` the timer fires, UTC, ISO 8601: the Functions timer's six-field NCRONTAB
 * (`{second} {minute} {hour} {day} {month} {day-of-week}`), which croner reads with its seconds field. croner is
 * imported on the first call, so the other endpoints never load it.
 */
export async function nextRunOf(schedule: string, now: Date): Promise<Result<string, string>> {
  if (schedule.trim().split(/\s+/).length !== 6)
    return failure('FXGOLD_SCHEDULE must be a six-field NCRONTAB expression with seconds, e.g. "0 0 18 * * 1-5"');
  const { Cron } = await import('croner');
  try {
    const next = new Cron(schedule, { timezone: 'UTC', paused: true }).nextRun(now);
    return next ? success(next.toISOString()) : failure('FXGOLD_SCHEDULE never fires again');
  } catch (error) {
    return failure(`FXGOLD_SCHEDULE is not a valid NCRONTAB expression: ${error instanceof Error ? error.message : String(error)}`);
  }
}
