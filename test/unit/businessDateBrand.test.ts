import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  addDays,
  BusinessDateSchema,
  IsoDateSchema,
  lastDayOfMonth,
  parseBusinessDate,
  utcDateOf,
  weekdaysIn,
  type BusinessDate,
  type IsoDate,
} from '../../src/domain/businessDate.js';
import { instanceIdFor } from '../../src/orchestration/contract.js';
import { businessDate, isoDate } from '../support/dates.js';

const wednesday = new Date('2025-07-09T18:00:00Z');

describe('the date types: made by the parsers and the arithmetic only', () => {
  it('refuses a plain string where a BusinessDate or an IsoDate is required (checked by tsc)', () => {
    const text: string = '2025-07-08';
    // @ts-expect-error a plain string is no BusinessDate: it has to be parsed first
    expect(instanceIdFor(text)).toBe('fxgold-2025-07-08');
    // @ts-expect-error nor an IsoDate
    expect(addDays(text, 1)).toBe('2025-07-09');
    const calendarDay: IsoDate = isoDate('2025-07-08');
    // @ts-expect-error an IsoDate is not yet a BusinessDate (it may be a weekend)
    expect(instanceIdFor(calendarDay)).toBe('fxgold-2025-07-08');
    // A BusinessDate is an IsoDate, and both are strings: comparisons, templates and Map keys work as before.
    const day: BusinessDate = businessDate('2025-07-08');
    expectTypeOf(day).toExtend<IsoDate>();
    expectTypeOf(day).toExtend<string>();
    expect(addDays(day, 1) > day).toBe(true);
    expect(new Map([[day, 1]]).get(businessDate('2025-07-08'))).toBe(1);
  });

  it('types what the parsers make', () => {
    const parsed = parseBusinessDate('2025-07-08', wednesday);
    expectTypeOf(parsed).toEqualTypeOf<import('../../src/domain/result.js').Result<BusinessDate, string>>();
    expect(parsed).toEqual({ ok: true, value: '2025-07-08' });
    expectTypeOf(IsoDateSchema.parse('2025-07-05')).toEqualTypeOf<IsoDate>();
    expectTypeOf(BusinessDateSchema.parse('2025-07-07')).toEqualTypeOf<BusinessDate>();
  });

  it('types what the arithmetic makes', () => {
    expectTypeOf(addDays).returns.toEqualTypeOf<IsoDate>();
    expectTypeOf(utcDateOf).returns.toEqualTypeOf<IsoDate>();
    expectTypeOf(lastDayOfMonth).returns.toEqualTypeOf<IsoDate>();
    expectTypeOf(weekdaysIn).returns.toEqualTypeOf<BusinessDate[]>();
  });

  it('BusinessDateSchema keeps the business-day rules: a weekday, a real date, from 1999-01-04 on', () => {
    expect(BusinessDateSchema.safeParse('2025-07-07').success).toBe(true);
    expect(BusinessDateSchema.safeParse('2025-07-05').error?.issues[0]?.message).toMatch(/is a Saturday/);
    expect(BusinessDateSchema.safeParse('1998-12-31').error?.issues[0]?.message).toMatch(/before 1999-01-04/);
    expect(BusinessDateSchema.safeParse('2025-02-29').error?.issues[0]?.message).toMatch(/not a real calendar date/);
    expect(IsoDateSchema.safeParse('2025-07-05').success).toBe(true); // a weekend is a date all the same
  });

  it('weekdaysIn yields business dates only: no weekend, nothing before 1999-01-04', () => {
    expect(weekdaysIn(isoDate('1998-12-30'), isoDate('1999-01-05'))).toEqual(['1999-01-04', '1999-01-05']);
  });

  it.each([
    ['2024-02-10', '2024-02-29'], // leap year
    ['2023-02-01', '2023-02-28'],
    ['2025-12-31', '2025-12-31'], // year end
    ['2026-04-15', '2026-04-30'],
  ])('the last day of the month of %s is %s', (date, last) => {
    expect(lastDayOfMonth(isoDate(date))).toBe(last);
  });

  it('the test helpers refuse a bad literal', () => {
    expect(() => isoDate('2025-02-30')).toThrow();
    expect(() => businessDate('2025-07-05')).toThrow(/Saturday/);
  });
});
