import { describe, expect, it } from 'vitest';
import { parseBusinessDate } from '../../src/domain/businessDate.js';
import { quoteRequestFor } from '../../src/domain/quotes.js';

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
    expect(quoteRequestFor('2025-07-09', wednesday)).toEqual({ date: '2025-07-09', mode: 'latest' });
    expect(quoteRequestFor('2025-07-08', wednesday)).toEqual({ date: '2025-07-08', mode: 'historical' });
  });
});
