import { z } from 'zod';
import { cleanUpstreamText } from './failureText.js';
import { failure, success, type Result } from './result.js';

/**
 * A calendar date `YYYY-MM-DD` (UTC) that really exists. Made only where a date enters (IsoDateSchema, the parsers
 * below) and by the date arithmetic; inside, it travels as this type and is not checked again. Being a string, it
 * compares, interpolates and keys a Map as one.
 */
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date in the form YYYY-MM-DD', abort: true })
  .refine(isRealDate, 'is not a real calendar date')
  .brand<'IsoDate'>();
export type IsoDate = z.infer<typeof IsoDateSchema>;

function isRealDate(isoDate: string): boolean {
  const instant = new Date(`${isoDate}T00:00:00Z`);
  return !Number.isNaN(instant.getTime()) && instant.toISOString().startsWith(isoDate);
}

/** The providers have no rates for earlier days (Frankfurter's ECB series starts on the euro's first trading day). */
export const FIRST_BUSINESS_DATE = '1999-01-04' as BusinessDate;

/** The earliest bound a read range may have: 1 January of FIRST_BUSINESS_DATE's year (no row is earlier). */
export const EARLIEST_RANGE_DATE = '1999-01-01' as IsoDate;

/** The UTC calendar date of an instant. */
export const utcDateOf = (instant: Date): IsoDate => instant.toISOString().slice(0, 10) as IsoDate;

export function isWeekend(isoDate: IsoDate): boolean {
  const day = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
}

/** Why `date` is no business day (a weekend, or before FIRST_BUSINESS_DATE), or undefined when it is one. */
function notABusinessDay(date: IsoDate): string | undefined {
  if (date < FIRST_BUSINESS_DATE)
    return `date ${date} is before ${FIRST_BUSINESS_DATE}, the first day of the euro and of ECB reference rates`;
  if (isWeekend(date)) return `date ${date} is a ${weekdayName(date)}: markets are closed, there is no business day to record`;
  return undefined;
}

/**
 * A business date: a real date, Monday to Friday (no holiday calendar), from FIRST_BUSINESS_DATE on. What the job
 * runs for, the backfill plans and a row is keyed by. Made by BusinessDateSchema, parseBusinessDate and weekdaysIn.
 */
export const BusinessDateSchema = IsoDateSchema.superRefine((date, context) => {
  const problem = notABusinessDay(date);
  if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
}).brand<'BusinessDate'>();
export type BusinessDate = z.infer<typeof BusinessDateSchema>;

/** A business date whose check was done by the caller: the one place a date becomes a BusinessDate without a parse. */
const asBusinessDate = (date: IsoDate): BusinessDate => date as BusinessDate;

/**
 * Checks that `text` names a business day the job can run for: a real date, Monday to Friday, from
 * FIRST_BUSINESS_DATE up to `today` (UTC). The error says which rule was broken.
 */
export function parseBusinessDate(text: string, today: Date): Result<BusinessDate, string> {
  const parsed = IsoDateSchema.safeParse(text);
  // The text is the caller's: quoted short and on one line, so a megabyte of it is not echoed back.
  if (!parsed.success) return failure(`date "${cleanUpstreamText(text, 40)}" ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  const problem = notABusinessDay(parsed.data);
  if (problem !== undefined) return failure(problem);
  if (parsed.data > utcDateOf(today)) return failure(`date ${parsed.data} is in the future (today is ${utcDateOf(today)} UTC)`);
  return success(asBusinessDate(parsed.data));
}

function weekdayName(isoDate: IsoDate): string {
  return new Date(`${isoDate}T00:00:00Z`).toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });
}

/*
 * Date arithmetic on `YYYY-MM-DD` dates, in one place: days counted in UTC, so no time zone or clock change moves a
 * date. Every module that steps, compares or spans dates uses these.
 */
const DAY_MS = 86_400_000;
const epochDayOf = (isoDate: IsoDate): number => Math.round(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
const dateOfEpochDay = (epochDay: number): IsoDate => utcDateOf(new Date(epochDay * DAY_MS));

/** The instant a date begins, 00:00 UTC. */
export const startOfUtcDay = (isoDate: IsoDate): Date => new Date(`${isoDate}T00:00:00Z`);

/** The date `days` after `isoDate` (before it when negative). */
export const addDays = (isoDate: IsoDate, days: number): IsoDate => dateOfEpochDay(epochDayOf(isoDate) + days);

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: IsoDate, to: IsoDate): number => epochDayOf(to) - epochDayOf(from);

/** Monday to Friday from `from` to `to`, both included, in order (no holiday calendar), none before FIRST_BUSINESS_DATE. */
export function weekdaysIn(from: IsoDate, to: IsoDate): BusinessDate[] {
  const dates: BusinessDate[] = [];
  for (let day = epochDayOf(from < FIRST_BUSINESS_DATE ? FIRST_BUSINESS_DATE : from); day <= epochDayOf(to); day++) {
    const date = dateOfEpochDay(day);
    if (!isWeekend(date)) dates.push(asBusinessDate(date));
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
export const businessDaysBetween = (earlier: IsoDate, later: IsoDate): number =>
  weekdaysBefore(epochDayOf(later) + 1) - weekdaysBefore(epochDayOf(earlier) + 1);

/**
 * The one range-cap rule, for reads and backfills, the CLI and HTTP alike: a range from `from` to `to` spans more
 * than `years` years when `to` falls on or after the same day `years` years after `from` (Feb 29 + 1 year → Mar 1).
 * Compared as numbers, so a range near 9999-12-31 (whose limit lies past year 9999) is judged right.
 */
export function spansMoreThanYears(from: IsoDate, to: IsoDate, years: number): boolean {
  const [year, month, day] = from.split('-').map(Number) as [number, number, number];
  // Date.UTC rolls Feb 29 of a common year over into Mar 1.
  return Date.parse(`${to}T00:00:00Z`) >= Date.UTC(year + years, month - 1, day);
}

/** The ISO 8601 week of a date, `YYYY-Www`: weeks start on Monday, and week 1 holds the year's first Thursday. */
export function isoWeekOf(isoDate: IsoDate): string {
  const day = epochDayOf(isoDate);
  const weekday = (((day - FIRST_MONDAY) % 7) + 7) % 7; // Monday 0 … Sunday 6
  const thursday = dateOfEpochDay(day - weekday + 3); // the week's Thursday names its year
  const week = Math.floor(daysBetween(`${thursday.slice(0, 4)}-01-01` as IsoDate, thursday) / 7) + 1;
  return `${thursday.slice(0, 4)}-W${String(week).padStart(2, '0')}`;
}

/** The last day of a date's calendar month. */
export function lastDayOfMonth(isoDate: IsoDate): IsoDate {
  const [year, month] = isoDate.split('-').map(Number) as [number, number];
  // Day 0 of the next month is the last of this one.
  return utcDateOf(new Date(Date.UTC(year, month, 0)));
}

/** The calendar month of a date, `YYYY-MM`. */
export const monthOf = (isoDate: IsoDate): string => isoDate.slice(0, 7);
