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

/*
 * Date arithmetic on `YYYY-MM-DD` dates, in one place: days counted in UTC, so no time zone or clock change moves a
 * date. Every module that steps, compares or spans dates uses these.
 */
const DAY_MS = 86_400_000;
const epochDayOf = (isoDate: string): number => Math.round(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
const dateOfEpochDay = (epochDay: number): string => utcDateOf(new Date(epochDay * DAY_MS));

/** The instant a date begins, 00:00 UTC. */
export const startOfUtcDay = (isoDate: string): Date => new Date(`${isoDate}T00:00:00Z`);

/** The date `days` after `isoDate` (before it when negative). */
export const addDays = (isoDate: string, days: number): string => dateOfEpochDay(epochDayOf(isoDate) + days);

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => epochDayOf(to) - epochDayOf(from);

/** Monday to Friday from `from` to `to`, both included, in order (no holiday calendar). */
export function weekdaysIn(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let day = epochDayOf(from); day <= epochDayOf(to); day++) {
    const date = dateOfEpochDay(day);
    if (!isWeekend(date)) dates.push(date);
  }
  return dates;
}

// 1970-01-05, day 4 of the Unix epoch, was a Monday: counting from it makes Saturday and Sunday days 5 and 6 of each week.
const FIRST_MONDAY = 4;

/** Monday to Friday days before `epochDay`, counted from FIRST_MONDAY (negative before it). */
function weekdaysBefore(epochDay: number): number {
  const sinceMonday = epochDay - FIRST_MONDAY;
  const weeks = Math.floor(sinceMonday / 7);
  return weeks * 5 + Math.min(sinceMonday - weeks * 7, 5);
}

/**
 * How many business days (Monday to Friday; no holiday calendar) `earlier` lags `later` by: the weekdays after
 * `earlier` up to and including `later`. Friday → Monday is 1; a date against itself is 0.
 */
export const businessDaysBetween = (earlier: string, later: string): number =>
  weekdaysBefore(epochDayOf(later) + 1) - weekdaysBefore(epochDayOf(earlier) + 1);

/**
 * The one range-cap rule, for reads and backfills, the CLI and HTTP alike: a range from `from` to `to` spans more
 * than `years` years when `to` falls on or after the same day `years` years after `from` (Feb 29 + 1 year → Mar 1).
 * Compared as numbers, so a range near 9999-12-31 (whose limit lies past year 9999) is judged right.
 */
export function spansMoreThanYears(from: string, to: string, years: number): boolean {
  const [year, month, day] = from.split('-').map(Number) as [number, number, number];
  // Date.UTC rolls Feb 29 of a common year over into Mar 1.
  return Date.parse(`${to}T00:00:00Z`) >= Date.UTC(year + years, month - 1, day);
}

/** The ISO 8601 week of a date, `YYYY-Www`: weeks start on Monday, and week 1 holds the year's first Thursday. */
export function isoWeekOf(isoDate: string): string {
  const day = epochDayOf(isoDate);
  const weekday = (((day - FIRST_MONDAY) % 7) + 7) % 7; // Monday 0 … Sunday 6
  const thursday = dateOfEpochDay(day - weekday + 3); // the week's Thursday names its year
  const week = Math.floor(daysBetween(`${thursday.slice(0, 4)}-01-01`, thursday) / 7) + 1;
  return `${thursday.slice(0, 4)}-W${String(week).padStart(2, '0')}`;
}

/** The calendar month of a date, `YYYY-MM`. */
export const monthOf = (isoDate: string): string => isoDate.slice(0, 7);
