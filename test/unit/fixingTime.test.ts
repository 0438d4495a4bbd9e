import { describe, expect, it } from 'vitest';
import { fixingInstant } from '../../src/domain/fixingTime.js';
import { isoDate } from '../support/dates.js';

const ecb = { timeZone: 'Europe/Berlin', hour: 14, minute: 15 };

describe('fixingInstant', () => {
  it.each([
    ['2026-01-15', '2026-01-15T13:15:00Z'], // CET, UTC+1
    ['2026-03-27', '2026-03-27T13:15:00Z'], // the Friday before the clocks go forward
    ['2026-03-30', '2026-03-30T12:15:00Z'], // the Monday after: CEST, UTC+2
    ['2026-10-23', '2026-10-23T12:15:00Z'], // the Friday before the clocks go back
    ['2026-10-26', '2026-10-26T13:15:00Z'], // the Monday after
    ['2024-02-29', '2024-02-29T13:15:00Z'],
  ])('puts the ECB 14:15 Frankfurt fixing on %s at %s', (date, instant) => {
    expect(fixingInstant(isoDate(date), ecb)).toBe(instant);
  });

  it('keeps a UTC time of day as it is', () => {
    expect(fixingInstant(isoDate('2026-03-02'), { timeZone: 'UTC', hour: 0, minute: 0 })).toBe('2026-03-02T00:00:00Z');
  });

  it('works on the day the clocks change, after the change', () => {
    expect(fixingInstant(isoDate('2026-03-29'), ecb)).toBe('2026-03-29T12:15:00Z');
    expect(fixingInstant(isoDate('2026-10-25'), ecb)).toBe('2026-10-25T13:15:00Z');
  });
});
