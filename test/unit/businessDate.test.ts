import { describe, expect, it } from 'vitest';
import {
  addDays,
  businessDaysBetween,
  daysBetween,
  isoWeekOf,
  monthOf,
  parseBusinessDate,
  spansMoreThanYears,
  weekdaysIn,
} from '../../src/domain/businessDate.js';
import { quoteRequestFor } from '../../src/domain/quotes.js';
import { businessDate, isoDate } from '../support/dates.js';

const wednesday = new Date('2025-07-09T18:00:00Z');

describe('parseBusinessDate', () => {
  it('accepts a weekday up to today', () => {
    expect(parseBusinessDate('2025-07-09', wednesday)).toEqual({ ok: true, value: '2025-07-09' });
    expect(parseBusinessDate('2025-07-07', wednesday)).toEqual({ ok: true, value: '2025-07-07' });
  });

  it.each([
    ['2025-07-05', /2025-07-05 is a Saturday/],
    ['2025-07-06', /2025-07-06 is a Sunday/],
    ['2025-07-10', /in the future \(today is 2025-07-09 UTC\)/],
    ['2025-02-30', /not a real calendar date/],
    ['09/07/2025', /form YYYY-MM-DD/],
    ['1998-12-31', /before 1999-01-04, the first day of the euro/],
  ])('refuses %s with a reason', (text, reason) => {
    const result = parseBusinessDate(text, wednesday);
    expect(result.ok ? '' : result.error).toMatch(reason);
  });
});

describe('quoteRequestFor', () => {
  it('asks live endpoints for today and historical ones for earlier dates', () => {
    expect(quoteRequestFor(businessDate('2025-07-09'), wednesday)).toEqual({ date: '2025-07-09', mode: 'latest' });
    expect(quoteRequestFor(businessDate('2025-07-08'), wednesday)).toEqual({ date: '2025-07-08', mode: 'historical' });
  });
});

describe('date arithmetic', () => {
  it.each([
    ['2024-02-28', 1, '2024-02-29'], // leap day
    ['2024-02-29', 1, '2024-03-01'],
    ['2023-02-28', 1, '2023-03-01'],
    ['2025-12-31', 1, '2026-01-01'], // year end
    ['2026-01-01', -1, '2025-12-31'],
    ['2026-03-31', -31, '2026-02-28'], // month end, backwards
    ['2026-03-28', 2, '2026-03-30'], // across the spring clock change in Europe: UTC days, nothing moves
    ['9999-12-30', 1, '9999-12-31'],
  ])('%s %s days is %s', (date, days, expected) => {
    expect(addDays(isoDate(date), days)).toBe(expected);
    expect(daysBetween(isoDate(date), isoDate(expected))).toBe(days);
  });

  it('lists the weekdays of a range, both ends included, across a month and a year end', () => {
    expect(weekdaysIn(isoDate('2025-12-26'), isoDate('2026-01-05'))).toEqual([
      '2025-12-26',
      '2025-12-29',
      '2025-12-30',
      '2025-12-31',
      '2026-01-01',
      '2026-01-02',
      '2026-01-05',
    ]);
    expect(weekdaysIn(isoDate('2026-02-28'), isoDate('2026-03-01'))).toEqual([]); // a weekend only
    expect(weekdaysIn(isoDate('2024-02-29'), isoDate('2024-02-29'))).toEqual(['2024-02-29']);
  });

  it('counts business days between two dates', () => {
    expect(businessDaysBetween(isoDate('2026-11-27'), isoDate('2026-11-30'))).toBe(1); // Friday to Monday
    expect(businessDaysBetween(isoDate('2026-11-30'), isoDate('2026-11-30'))).toBe(0);
    expect(businessDaysBetween(isoDate('2025-12-31'), isoDate('2026-01-07'))).toBe(5);
  });

  it.each([
    ['2026-12-31', '2026-W53'], // 2026 has 53 ISO weeks (it starts on a Thursday)
    ['2027-01-03', '2026-W53'], // the Sunday after still belongs to 2026's week 53
    ['2027-01-04', '2027-W01'],
    ['2024-12-30', '2025-W01'], // a Monday in December in the next year's week 1
    ['2021-01-03', '2020-W53'],
    ['2024-02-29', '2024-W09'],
    ['2025-06-02', '2025-W23'],
  ])('%s is in ISO week %s', (date, week) => {
    expect(isoWeekOf(isoDate(date))).toBe(week);
  });

  it('takes the month of a date', () => {
    expect(monthOf(isoDate('2024-02-29'))).toBe('2024-02');
  });
});

describe('the range cap (reads and backfills alike)', () => {
  it.each([
    ['2000-01-01', '2029-12-31', 30, false],
    ['2000-01-01', '2030-01-01', 30, true], // the same day 30 years later is over
    ['2000-02-29', '2030-02-28', 30, false],
    ['2000-02-29', '2030-03-01', 30, true], // Feb 29 + 30 years rolls over into Mar 1
    ['9999-12-31', '9999-12-31', 30, false], // the limit lies past year 9999: compared as dates, not as text
    ['9990-01-01', '9999-12-31', 30, false],
    ['2005-01-03', '2025-01-02', 20, false],
    ['2005-01-03', '2025-01-03', 20, true],
  ])('%s to %s over %s years: %s', (from, to, years, over) => {
    expect(spansMoreThanYears(isoDate(from), isoDate(to), years)).toBe(over);
  });
});
