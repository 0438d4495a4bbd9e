import { describe, expect, it } from 'vitest';
import { missingDays, nextRunOf } from '../../src/reading/freshness.js';

describe('the next scheduled run (six-field NCRONTAB, UTC)', () => {
  it('weekdays 18:00: from Friday evening, Monday 18:00; from a weekday morning, that day; seconds are honoured', async () => {
    expect(await nextRunOf('0 0 18 * * 1-5', new Date('2026-12-04T19:00:00Z'))).toEqual({ ok: true, value: '2026-12-07T18:00:00.000Z' });
    expect(await nextRunOf('0 0 18 * * 1-5', new Date('2026-12-02T09:30:00Z'))).toEqual({ ok: true, value: '2026-12-02T18:00:00.000Z' });
    expect(await nextRunOf('30 15 18 * * Mon-Fri', new Date('2026-12-02T18:15:00Z'))).toEqual({
      ok: true,
      value: '2026-12-02T18:15:30.000Z',
    });
  });

  it('refuses a five-field expression and nonsense, saying what the setting must be', async () => {
    expect(await nextRunOf('0 18 * * 1-5', new Date())).toMatchObject({ ok: false, error: expect.stringMatching(/six-field NCRONTAB/) });
    expect(await nextRunOf('0 0 25 * * 1-5', new Date())).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^FXGOLD_SCHEDULE is not a valid/),
    });
  });
});

describe('missing days', () => {
  it('the weekdays of the 90 calendar days ending yesterday without a row; today and weekends left out', () => {
    const stored = new Set(['2026-09-03', '2026-09-04']);
    // From 2026-09-03 (90 days before 2026-12-02) to 2026-12-01: every weekday but the two stored is missing.
    const all = missingDays(() => false, new Date('2026-12-02T12:00:00Z'));
    expect(all.dates[0]).toBe('2026-09-03');
    expect(all.dates.at(-1)).toBe('2026-12-01');
    expect(all.count).toBe(64);
    const some = missingDays((date) => stored.has(date) || date > '2026-09-07', new Date('2026-12-02T12:00:00Z'));
    expect(some).toEqual({ count: 1, dates: ['2026-09-07'] });
  });
});
