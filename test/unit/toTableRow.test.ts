import { describe, expect, it } from 'vitest';
import { FxGoldRowSchema, toTableRow } from '../../src/domain/fxGoldRow.js';
import { sampleGold, sampleRates } from '../support/quotes.js';
import { businessDate, isoDate } from '../support/dates.js';

const ingestedAt = '2025-07-08T18:00:15.000Z';

describe('toTableRow', () => {
  it('merges rates and gold into the documented row', () => {
    const row = toTableRow({
      date: businessDate('2025-07-08'),
      currency: sampleRates(),
      gold: sampleGold(),
      currencyTimestamp: null,
      ingestedAt,
    });
    expect(row).toEqual({
      ok: true,
      value: {
        partitionKey: 'USD',
        rowKey: '2025-07-08',
        BaseCurrency: 'USD',
        Rate_EUR: 0.8512,
        Rate_JPY: 146,
        Rate_GBP: 0.7355,
        Rate_CHF: 0.7961,
        Rate_CAD: 1.3668,
        Rate_AUD: 1.5308,
        Rate_NZD: 1.6673,
        Rate_SEK: 9.5766,
        Rate_NOK: 10.1188,
        GoldPrice: 3301,
        GoldOpeningPrice: 3337.6,
        GoldClosingPrice: 3337.6,
        GoldHigh: 3345.15,
        GoldLow: 3287.92,
        GoldSource: 'FOREXCOM',
        GoldTimestamp: '2025-07-08T18:00:12.000Z',
        CurrencyDate: '2025-07-08',
        CurrencyProvider: 'frankfurter',
        GoldProvider: 'goldapi',
        IngestedAt: ingestedAt,
      },
    });
    expect(row.ok && FxGoldRowSchema.safeParse(row.value).success).toBe(true);
  });

  it('leaves out the gold columns a historical (LBMA) quote does not have', () => {
    const gold = { ...sampleGold(), source: 'LBMA', open: null, high: null, low: null };
    const row = toTableRow({ date: businessDate('2025-07-07'), currency: sampleRates(), gold, currencyTimestamp: null, ingestedAt });
    expect(row.ok && Object.keys(row.value).filter((k) => k.startsWith('Gold'))).toEqual([
      'GoldPrice',
      'GoldClosingPrice',
      'GoldSource',
      'GoldTimestamp',
      'GoldProvider',
    ]);
  });

  it('keeps the business date as the key even when the FX provider reports an earlier as-of date', () => {
    const row = toTableRow({
      date: businessDate('2025-04-18'),
      currency: { ...sampleRates(), asOfDate: isoDate('2025-04-17') },
      gold: sampleGold(),
      currencyTimestamp: null,
      ingestedAt,
    });
    expect(row.ok && [row.value.rowKey, row.value.CurrencyDate]).toEqual(['2025-04-18', '2025-04-17']);
  });

  it('refuses to merge gold quoted in another currency than the rates base', () => {
    const row = toTableRow({
      date: businessDate('2025-07-08'),
      currency: sampleRates(),
      gold: { ...sampleGold(), currency: 'EUR' },
      currencyTimestamp: null,
      ingestedAt,
    });
    expect(row).toEqual({ ok: false, error: 'gold is quoted in EUR but the rates are based on USD' });
  });
});
