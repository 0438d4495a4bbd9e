import { describe, expect, it } from 'vitest';
import { FxGoldRowSchema, toTableRow, type FxGoldRow } from '../../src/domain/fxGoldRow.js';
import type { Result } from '../../src/domain/result.js';
import { businessDaysBetween } from '../../src/domain/businessDate.js';
import { AcceptableGateSchema, type GoldAsOf, type QualityFailure, type QualityInput } from '../../src/quality/gate.js';
import { applyQualityGates, type QualityPass } from '../../src/quality/gates.js';
import { DEFAULT_QUALITY_LIMITS, QualityLimitsSchema, type QualityLimits } from '../../src/quality/limits.js';
import { sampleGold, sampleRates } from '../support/quotes.js';
import { businessDate, isoDate } from '../support/dates.js';

const BUSINESS_DATE = businessDate('2025-07-08'); // a Tuesday
const NOW = new Date('2025-07-08T18:00:15.000Z');
const LIVE_GOLD: GoldAsOf = { mode: 'latest', sessionStart: '2025-07-08T00:00:00.000Z', timestamp: '2025-07-08T18:00:12.000Z' };
const G10 = ['EUR', 'JPY', 'GBP', 'CHF', 'CAD', 'AUD', 'NZD', 'SEK', 'NOK'];

/** The row the transform builds from the sample quotes: clean for 2025-07-08. */
function cleanRow(): FxGoldRow {
  const built = toTableRow({
    date: BUSINESS_DATE,
    currency: sampleRates(),
    gold: sampleGold(),
    currencyTimestamp: null,
    ingestedAt: '2025-07-08T18:00:15.000Z',
  });
  if (!built.ok) throw new Error(built.error);
  return built.value;
}

const PREVIOUS: FxGoldRow = { ...cleanRow(), rowKey: businessDate('2025-07-07'), CurrencyDate: isoDate('2025-07-07'), GoldPrice: 3301.45 };

/** Columns to change on the clean row (a Partial<FxGoldRow> would let a rate be undefined). */
type RowChange = Partial<Omit<FxGoldRow, `Rate_${string}`>> & Record<`Rate_${string}`, number>;

interface Case extends Partial<Omit<QualityInput, 'row' | 'gold'>> {
  readonly row?: RowChange;
  readonly gold?: Partial<GoldAsOf>;
  readonly limits?: Partial<QualityLimits>;
}

/** Gates the clean row with `row`'s columns changed, the live gold quote of the business date unless told otherwise. */
const gate = ({ row, gold, limits, ...rest }: Case = {}): Result<QualityPass, QualityFailure> =>
  applyQualityGates(
    {
      businessDate: BUSINESS_DATE,
      currencies: G10,
      row: { ...cleanRow(), ...row },
      gold: { ...LIVE_GOLD, ...gold },
      now: NOW,
      accepted: [],
      ...rest,
    },
    { ...DEFAULT_QUALITY_LIMITS, ...limits },
  );

function passed(result: Result<QualityPass, QualityFailure>): QualityPass {
  if (!result.ok) throw new Error(`expected the row to pass, it failed: ${result.error.message}`);
  return result.value;
}

function failed(result: Result<QualityPass, QualityFailure>): QualityFailure {
  if (result.ok) throw new Error(`expected the row to fail, it passed with flags [${result.value.flags.join(',')}]`);
  return result.error;
}

describe('a clean row', () => {
  it('passes unchanged except for an empty QualityFlags, and still fits the row schema', () => {
    const { row, flags } = passed(gate({ previous: PREVIOUS }));
    expect(flags).toEqual([]);
    expect(row).toEqual({ ...cleanRow(), QualityFlags: '' });
    expect(FxGoldRowSchema.safeParse(row).success).toBe(true);
  });

  it('rows written before the gates (no QualityFlags column) are still valid rows', () => {
    expect(FxGoldRowSchema.safeParse(cleanRow()).success).toBe(true);
  });
});

describe('completeness', () => {
  it('fails when a configured currency has no rate, naming the column, even with plausibility accepted', () => {
    const { Rate_SEK: _dropped, ...withoutSek } = cleanRow();
    const failure = failed(
      applyQualityGates(
        { businessDate: BUSINESS_DATE, currencies: G10, row: withoutSek, gold: LIVE_GOLD, now: NOW, accepted: ['plausibility'] },
        DEFAULT_QUALITY_LIMITS,
      ),
    );
    expect(failure).toMatchObject({ gate: 'completeness', column: 'Rate_SEK' });
    expect(failure.message).toMatch(/^completeness gate: Rate_SEK is missing/);
  });
});

describe('fx-as-of', () => {
  it('fails CurrencyDate 2031-01-01 on the row for 2025-07-08', () => {
    expect(failed(gate({ row: { CurrencyDate: isoDate('2031-01-01') } }))).toEqual({
      gate: 'fx-as-of',
      column: 'CurrencyDate',
      message: 'fx-as-of gate: CurrencyDate 2031-01-01 is after the business date 2025-07-08',
    });
  });

  it('fails rates dated even one day after the business date, passes the business date itself', () => {
    expect(failed(gate({ row: { CurrencyDate: isoDate('2025-07-09') } })).gate).toBe('fx-as-of');
    expect(passed(gate({ row: { CurrencyDate: BUSINESS_DATE } })).flags).toEqual([]);
  });

  it('fails rates from 2020 on the row for 2025-07-08', () => {
    const failure = failed(gate({ row: { CurrencyDate: isoDate('2020-07-08') } }));
    expect(failure.gate).toBe('fx-as-of');
    expect(failure.message).toMatch(
      /CurrencyDate 2020-07-08 is \d+ business days before the business date 2025-07-08; limit 3 \(FXGOLD_MAX_FX_AGE_DAYS\)/,
    );
  });

  it('counts business days across the weekend: 3 back (Thursday) is flagged, 4 back (Wednesday) fails', () => {
    const threeBack = passed(gate({ row: { CurrencyDate: isoDate('2025-07-03') } }));
    expect(threeBack.flags).toEqual(['fx-carried-forward']);
    expect(threeBack.row.QualityFlags).toBe('fx-carried-forward');
    expect(failed(gate({ row: { CurrencyDate: isoDate('2025-07-02') } })).message).toContain('is 4 business days before');
  });

  it('honours FXGOLD_MAX_FX_AGE_DAYS', () => {
    expect(failed(gate({ row: { CurrencyDate: isoDate('2025-07-07') }, limits: { maxFxAgeDays: 0 } })).gate).toBe('fx-as-of');
    expect(passed(gate({ row: { CurrencyDate: isoDate('2025-07-01') }, limits: { maxFxAgeDays: 5 } })).flags).toEqual([
      'fx-carried-forward',
    ]);
  });
});

describe('gold-as-of', () => {
  it('2024-01-01 (market shut): a live quote of Friday 29 December is flagged and dated to its session, not the request', () => {
    const { row, flags } = passed(
      applyQualityGates(
        {
          businessDate: businessDate('2024-01-01'),
          currencies: G10,
          row: {
            ...cleanRow(),
            rowKey: businessDate('2024-01-01'),
            CurrencyDate: isoDate('2023-12-29'),
            GoldTimestamp: '2024-01-01T19:20:46.000Z',
          },
          gold: { mode: 'latest', sessionStart: '2023-12-29T00:00:00Z', timestamp: '2024-01-01T19:20:46.000Z' },
          now: new Date('2024-01-01T19:20:47.000Z'),
          accepted: [],
        },
        DEFAULT_QUALITY_LIMITS,
      ),
    );
    expect(flags).toEqual(['fx-carried-forward', 'gold-carried-forward']);
    expect(row.QualityFlags).toBe('fx-carried-forward,gold-carried-forward');
    expect(row.GoldTimestamp).toBe('2023-12-29T00:00:00.000Z');
  });

  it('a session opening from 20:00 UTC the evening before belongs to the business date; one opening earlier does not', () => {
    const evening = passed(gate({ gold: { sessionStart: '2025-07-07T20:00:00.000Z' } }));
    expect(evening.flags).toEqual([]);
    expect(evening.row.GoldTimestamp).toBe(LIVE_GOLD.timestamp);
    const afternoon = passed(gate({ gold: { sessionStart: '2025-07-07T19:59:59.000Z' } }));
    expect(afternoon.flags).toEqual(['gold-carried-forward']);
    expect(afternoon.row.GoldTimestamp).toBe('2025-07-07T19:59:59.000Z');
  });

  it('a live session 3 business days old is flagged, 4 fails (FXGOLD_MAX_GOLD_AGE_DAYS)', () => {
    expect(passed(gate({ gold: { sessionStart: '2025-07-03T00:00:00.000Z' } })).flags).toEqual(['gold-carried-forward']);
    expect(failed(gate({ gold: { sessionStart: '2025-07-02T00:00:00.000Z' } }))).toEqual({
      gate: 'gold-as-of',
      column: 'GoldTimestamp',
      message:
        'gold-as-of gate: GoldTimestamp session start 2025-07-02T00:00:00.000Z dates the quote 2025-07-02, 4 business days before the business date 2025-07-08; limit 3 (FXGOLD_MAX_GOLD_AGE_DAYS)',
    });
    expect(passed(gate({ gold: { sessionStart: '2025-07-02T00:00:00.000Z' }, limits: { maxGoldAgeDays: 4 } })).flags).toEqual([
      'gold-carried-forward',
    ]);
  });

  it('fails a live quote 5 days old, whether its session or (without one) its timestamp says so', () => {
    expect(failed(gate({ gold: { sessionStart: '2025-07-01T00:00:00.000Z' } })).gate).toBe('gold-as-of');
    const byTimestamp = failed(gate({ gold: { sessionStart: null, timestamp: '2025-07-01T18:00:12.000Z' } }));
    expect(byTimestamp.message).toContain('GoldTimestamp 2025-07-01T18:00:12.000Z dates the quote 2025-07-01, 5 business days before');
  });

  it('fails a 1970 gold timestamp, and any before 1999; 1999-01-01 itself can be a quote', () => {
    expect(failed(gate({ gold: { sessionStart: null, timestamp: '1970-01-01T00:00:00.000Z' } })).message).toBe(
      'gold-as-of gate: GoldTimestamp 1970-01-01T00:00:00.000Z is before 1999-01-01, earlier than any gold quote',
    );
    const firstBusinessDay = (timestamp: string): Case => ({
      businessDate: businessDate('1999-01-04'),
      now: new Date('1999-01-04T18:00:00.000Z'),
      row: { rowKey: businessDate('1999-01-04'), CurrencyDate: isoDate('1999-01-04') },
      gold: { mode: 'historical', sessionStart: null, timestamp },
    });
    expect(passed(gate(firstBusinessDay('1999-01-01T10:30:00.000Z'))).flags).toEqual(['gold-carried-forward']);
    expect(failed(gate(firstBusinessDay('1998-12-31T10:30:00.000Z'))).message).toContain('is before 1999-01-01');
  });

  it('fails a timestamp or a session start in the future, allowing five minutes of clock skew', () => {
    expect(passed(gate({ gold: { timestamp: '2025-07-08T18:05:15.000Z' } })).flags).toEqual([]);
    expect(failed(gate({ gold: { timestamp: '2025-07-08T18:05:16.000Z' } })).message).toBe(
      'gold-as-of gate: GoldTimestamp 2025-07-08T18:05:16.000Z is in the future (now 2025-07-08T18:00:15.000Z)',
    );
    expect(failed(gate({ gold: { sessionStart: '2025-07-09T00:00:00.000Z' } })).message).toContain(
      'session start 2025-07-09T00:00:00.000Z is in the future',
    );
  });

  it('fails a historical fixing dated 2025-06-02 stored as 2025-07-08', () => {
    const failure = failed(gate({ gold: { mode: 'historical', sessionStart: null, timestamp: '2025-06-02T10:30:00.000Z' } }));
    expect(failure).toMatchObject({ gate: 'gold-as-of', column: 'GoldTimestamp' });
    expect(failure.message).toContain('dates the quote 2025-06-02, 26 business days before the business date 2025-07-08');
  });

  it('fails a historical fixing dated after the business date; flags one from the day before (no fixing that day)', () => {
    const later = {
      businessDate: businessDate('2025-07-07'),
      now: NOW,
      row: { rowKey: businessDate('2025-07-07'), CurrencyDate: isoDate('2025-07-07') },
    };
    expect(
      failed(gate({ ...later, gold: { mode: 'historical', sessionStart: null, timestamp: '2025-07-08T10:30:00.000Z' } })).message,
    ).toBe('gold-as-of gate: GoldTimestamp 2025-07-08T10:30:00.000Z dates the quote 2025-07-08, after the business date 2025-07-07');
    const earlier = passed(gate({ ...later, gold: { mode: 'historical', sessionStart: null, timestamp: '2025-07-04T10:30:00.000Z' } }));
    expect(earlier.flags).toEqual(['gold-carried-forward']);
    expect(earlier.row.GoldTimestamp).toBe('2025-07-04T10:30:00.000Z');
  });
});

describe('plausibility: static bands', () => {
  it.each([0.0001, 99.99, 100_000.01, 1e9])('fails gold at %s USD per ounce', (price) => {
    const failure = failed(gate({ row: { GoldPrice: price } }));
    expect(failure).toMatchObject({ gate: 'plausibility', column: 'GoldPrice' });
    expect(failure.message).toMatch(/^plausibility gate: GoldPrice \S+ is outside the plausible range \[100, 100000\] USD per ounce$/);
  });

  it.each([100, 100_000])('passes gold at the band edge %s', (price) => {
    expect(passed(gate({ row: { GoldPrice: price } })).flags).toEqual([]);
  });

  it.each([1e-12, 1e300])('fails EUR at %s per USD', (rate) => {
    expect(failed(gate({ row: { Rate_EUR: rate } }))).toEqual({
      gate: 'plausibility',
      column: 'Rate_EUR',
      message: `plausibility gate: Rate_EUR ${rate} is outside the plausible range [0.4, 2.5] EUR per USD`,
    });
  });

  // The documented band table: each edge passes, a step beyond it fails.
  it.each([
    ['EUR', 0.4, 2.5],
    ['JPY', 50, 500],
    ['GBP', 0.3, 1.5],
    ['CHF', 0.3, 5],
    ['CAD', 0.5, 3],
    ['AUD', 0.4, 4],
    ['NZD', 0.4, 5],
    ['SEK', 2, 30],
    ['NOK', 2, 30],
    ['XYZ', 1e-6, 1e7],
  ])('%s per USD: passes [%s, %s], fails just outside', (code, min, max) => {
    const currencies = code === 'XYZ' ? [...G10, 'XYZ'] : G10;
    const withRate = (rate: number) => gate({ currencies, row: { [`Rate_${code}`]: rate } });
    expect(passed(withRate(min)).flags).toEqual([]);
    expect(passed(withRate(max)).flags).toEqual([]);
    expect(failed(withRate(min * 0.99)).column).toBe(`Rate_${code}`);
    expect(failed(withRate(max * 1.01)).column).toBe(`Rate_${code}`);
  });

  it('with another base than USD only the wide bands apply', () => {
    // JPY-based values are far outside the per-USD bands (EUR 0.0058, gold 480000) yet right.
    const { Rate_JPY: _base, ...usdBased } = cleanRow();
    const row = { ...usdBased, partitionKey: 'JPY', BaseCurrency: 'JPY', Rate_USD: 0.0068, Rate_EUR: 0.0058, GoldPrice: 480_000 };
    const currencies = G10.filter((code) => code !== 'JPY').concat('USD');
    const gateJpy = (change: RowChange) =>
      applyQualityGates(
        { businessDate: BUSINESS_DATE, currencies, row: { ...row, ...change }, gold: LIVE_GOLD, now: NOW, accepted: [] },
        DEFAULT_QUALITY_LIMITS,
      );
    expect(passed(gateJpy({})).flags).toEqual([]);
    expect(failed(gateJpy({ Rate_EUR: 1e-12 })).message).toBe(
      'plausibility gate: Rate_EUR 1e-12 is outside the plausible range [0.000001, 10000000] EUR per JPY',
    );
    expect(failed(gateJpy({ GoldPrice: 1e13 })).column).toBe('GoldPrice');
  });
});

describe('plausibility: day-over-day moves against the previous row', () => {
  it('fails a gold price 99 % below the previous row, with the message operators see', () => {
    expect(failed(gate({ previous: PREVIOUS, row: { GoldPrice: 31.2 } }))).toEqual({
      gate: 'plausibility',
      column: 'GoldPrice',
      message:
        'plausibility gate: GoldPrice 31.20 is 99.1 % below the previous row (2025-07-07: 3301.45); limit 20 % (FXGOLD_MAX_GOLD_MOVE_PCT)',
    });
  });

  it('gold: a move of exactly 20 % passes either way, more fails', () => {
    const previous = { ...PREVIOUS, GoldPrice: 3000 };
    expect(passed(gate({ previous, row: { GoldPrice: 3600 } })).flags).toEqual([]);
    expect(passed(gate({ previous, row: { GoldPrice: 2400 } })).flags).toEqual([]);
    expect(failed(gate({ previous, row: { GoldPrice: 3601 } })).message).toContain(
      'GoldPrice 3601.00 is 20.0 % above the previous row (2025-07-07: 3000.00)',
    );
    expect(failed(gate({ previous, row: { GoldPrice: 2399 } })).message).toContain('GoldPrice 2399.00 is 20.0 % below');
  });

  it('rates: up to 15 % passes, beyond fails; a 10x jump in JPY is caught', () => {
    const previous = { ...PREVIOUS, Rate_JPY: 100 };
    expect(passed(gate({ previous, row: { Rate_JPY: 114.9 } })).flags).toEqual([]);
    expect(passed(gate({ previous, row: { Rate_JPY: 85.1 } })).flags).toEqual([]);
    expect(failed(gate({ previous, row: { Rate_JPY: 115.1 } })).message).toContain(
      'Rate_JPY 115.1 is 15.1 % above the previous row (2025-07-07: 100); limit 15 % (FXGOLD_MAX_FX_MOVE_PCT)',
    );
    expect(failed(gate({ previous, row: { Rate_JPY: 84.9 } })).column).toBe('Rate_JPY');
    expect(failed(gate({ previous: PREVIOUS, row: { Rate_JPY: 1460 } })).message).toContain('Rate_JPY 1460 is 900.0 % above');
  });

  it('honours FXGOLD_MAX_GOLD_MOVE_PCT and FXGOLD_MAX_FX_MOVE_PCT', () => {
    const goldDown6Pct = { previous: PREVIOUS, row: { GoldPrice: 3100 } };
    expect(passed(gate(goldDown6Pct)).flags).toEqual([]);
    expect(failed(gate({ ...goldDown6Pct, limits: { maxGoldMovePct: 5 } })).message).toContain('limit 5 % (FXGOLD_MAX_GOLD_MOVE_PCT)');
    const eurUp6Pct = { previous: { ...PREVIOUS, Rate_EUR: 0.8 }, row: { Rate_EUR: 0.8512 } };
    expect(passed(gate(eurUp6Pct)).flags).toEqual([]);
    expect(failed(gate({ ...eurUp6Pct, limits: { maxFxMovePct: 5 } })).message).toContain('limit 5 % (FXGOLD_MAX_FX_MOVE_PCT)');
  });

  it('without a previous row only the bands apply', () => {
    expect(passed(gate({ row: { GoldPrice: 1000 } })).flags).toEqual([]);
  });
});

describe('accepting plausibility', () => {
  it('lets a plausibility failure through and flags the row accepted:plausibility', () => {
    const { row, flags } = passed(gate({ previous: PREVIOUS, row: { GoldPrice: 31.2 }, accepted: ['plausibility'] }));
    expect(row.GoldPrice).toBe(31.2);
    expect(flags).toEqual(['accepted:plausibility']);
    expect(row.QualityFlags).toBe('accepted:plausibility');
  });

  it('keeps the other flags, and flags nothing when there was nothing to accept', () => {
    const both = passed(gate({ row: { CurrencyDate: isoDate('2025-07-07'), Rate_EUR: 1e300 }, accepted: ['plausibility'] }));
    expect(both.row.QualityFlags).toBe('fx-carried-forward,accepted:plausibility');
    expect(passed(gate({ previous: PREVIOUS, accepted: ['plausibility'] })).row.QualityFlags).toBe('');
  });

  it('does not bypass the other gates', () => {
    expect(failed(gate({ row: { CurrencyDate: isoDate('2031-01-01') }, accepted: ['plausibility'] })).gate).toBe('fx-as-of');
    expect(failed(gate({ gold: { sessionStart: null, timestamp: '1970-01-01T00:00:00.000Z' }, accepted: ['plausibility'] })).gate).toBe(
      'gold-as-of',
    );
  });

  it('only plausibility can be named as accepted', () => {
    expect(AcceptableGateSchema.safeParse('plausibility').success).toBe(true);
    for (const gateName of ['completeness', 'fx-as-of', 'gold-as-of']) expect(AcceptableGateSchema.safeParse(gateName).success).toBe(false);
  });
});

describe('limits', () => {
  it('defaults to 3 and 3 business days, 20 % and 15 %', () => {
    expect(QualityLimitsSchema.parse({})).toEqual({ maxFxAgeDays: 3, maxGoldAgeDays: 3, maxGoldMovePct: 20, maxFxMovePct: 15 });
  });

  it.each([{ maxFxAgeDays: 1.5 }, { maxGoldAgeDays: -1 }, { maxGoldAgeDays: 21 }, { maxGoldMovePct: 0 }, { maxFxMovePct: 101 }])(
    'refuses %o',
    (limits) => {
      expect(QualityLimitsSchema.safeParse(limits).success).toBe(false);
    },
  );
});

describe('businessDaysBetween', () => {
  it('agrees with counting Monday-to-Friday days one by one, across weekends and years', () => {
    const addDays = (date: string, days: number) =>
      new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const isWeekday = (date: string) => ![0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
    for (const start of ['1969-12-26', '1998-12-28', '2023-12-27', '2025-07-03']) {
      let counted = 0;
      for (let offset = 0; offset <= 20; offset += 1) {
        if (offset > 0 && isWeekday(addDays(start, offset))) counted += 1;
        expect(businessDaysBetween(isoDate(start), isoDate(addDays(start, offset))), `${start} → +${offset}`).toBe(counted);
      }
    }
  });
});
