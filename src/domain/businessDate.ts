import { z } from 'zod';
import { cleanUpstreamText } from './failureText.js';
import { failure, success, type Result } from './result.js';

/** A calendar date `YYYY-MM-DD` (UTC) that really exists. */
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date in the form YYYY-MM-DD', abort: true })
  .refine(isRealDate, 'is not a real calendar date');

function isRealDate(isoDate: string): boolean {
  const instant = new Date(`${isoDate}T00:00:00Z`);
  return !Number.isNaN(instant.getTime()) && instant.toISOString().startsWith(isoDate);
}

/** The providers have no rates for earlier days (Frankfurter's ECB series starts on the euro's first trading day). */
export const FIRST_BUSINESS_DATE = '1999-01-04';

export const utcDateOf = (instant: Date): string => instant.toISOString().slice(0, 10);

export function isWeekend(isoDate: string): boolean {
  const day = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
}

/**
 * Checks that `text` names a business day the job can run for: a real date, Monday to Friday, from
 * FIRST_BUSINESS_DATE up to `today` (UTC). The error says which rule was broken.
 */
export function parseBusinessDate(text: string, today: Date): Result<string, string> {
  const parsed = IsoDateSchema.safeParse(text);
  // The text is the caller's: quoted short and on one line, so a megabyte of it is not echoed back.
  if (!parsed.success) return failure(`date "${cleanUpstreamText(text, 40)}" ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  if (parsed.data < FIRST_BUSINESS_DATE)
    return failure(`date ${parsed.data} is before ${FIRST_BUSINESS_DATE}, the first day of the euro and of ECB reference rates`);
  if (isWeekend(parsed.data))
    return failure(`date ${parsed.data} is a ${weekdayName(parsed.data)}: markets are closed, there is no business day to record`);
  if (parsed.data > utcDateOf(today)) return failure(`date ${parsed.data} is in the future (today is ${utcDateOf(today)} UTC)`);
  return success(parsed.data);
}

function weekdayName(isoDate: string): string {
  return new Date(`${isoDate}T00:00:00Z`).toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });
}

/**
 * A date as the number yyyymmdd: dates compare as numbers whatever the year's digits (as text, 10029-12-31 sorts
 * before 9999-12-31), and adding n × YEAR_STEP is the same day n years later (Feb 29 needs no special case).
 */
export const dateNumber = (date: string): number => Number(date.replaceAll('-', ''));
export const YEAR_STEP = 10_000;
