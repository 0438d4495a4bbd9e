import type { CurrencyRates, GoldQuote } from '../../src/domain/quotes.js';
import { isoDate } from './dates.js';

/** The normalised values the fixtures produce (see the client tests), for tests above the clients. */
export const sampleRates = (): CurrencyRates => ({
  provider: 'frankfurter',
  base: 'USD',
  asOfDate: isoDate('2025-07-08'),
  rates: { EUR: 0.8512, JPY: 146, GBP: 0.7355, CHF: 0.7961, CAD: 1.3668, AUD: 1.5308, NZD: 1.6673, SEK: 9.5766, NOK: 10.1188 },
});

export const sampleGold = (): GoldQuote => ({
  provider: 'goldapi',
  currency: 'USD',
  source: 'FOREXCOM',
  timestamp: '2025-07-08T18:00:12.000Z',
  sessionStart: '2025-07-08T00:00:00.000Z',
  price: 3301,
  open: 3337.6,
  previousClose: 3337.6,
  high: 3345.15,
  low: 3287.92,
});
