import type { Outcome } from '../domain/failure.js';
import { permanent } from '../domain/failure.js';
import type { IsoDate } from '../domain/businessDate.js';
import type { CurrencyRates, GoldQuote, QuoteRequest } from '../domain/quotes.js';
import { failure, success } from '../domain/result.js';

/** A source of FX rates for the configured base and currencies. */
export interface RatesProvider {
  readonly name: CurrencyRates['provider'];
  fetchRates(request: QuoteRequest): Promise<Outcome<CurrencyRates>>;
  /**
   * A provider with a time-series endpoint: the rates of every day it published from `from` to `to` (both included),
   * oldest first, each dated by its `asOfDate`, in one request. Days without rates (weekends, ECB holidays) are simply
   * absent. Providers without one (currency-api) are asked per date instead (src/pipeline/jobSteps.ts askSeries).
   */
  fetchSeries?(from: IsoDate, to: IsoDate): Promise<Outcome<CurrencyRates[]>>;
}

/** A gold quote and the date of the fixing it is (a series element). */
export interface DatedGoldQuote {
  readonly date: IsoDate;
  readonly quote: GoldQuote;
}

/** A source of the gold price in the base currency. */
export interface GoldProvider {
  readonly name: GoldQuote['provider'];
  fetchGoldPrice(request: QuoteRequest): Promise<Outcome<GoldQuote>>;
  /**
   * A provider with a gold time series (Frankfurter v2): every fixing from `from` to `to` in one request, oldest first;
   * the first may be dated before `from`. A backfill asks it once per chunk (src/backfill/chunkGold.ts).
   */
  fetchGoldSeries?(from: IsoDate, to: IsoDate): Promise<Outcome<DatedGoldQuote[]>>;
}

/**
 * Keeps exactly the requested currencies, and fails when one is missing: providers drop unknown
 * symbols silently, and a row without a requested rate would look complete when it is not.
 */
export function pickRequestedRates(rates: CurrencyRates, requested: readonly string[]): Outcome<CurrencyRates> {
  const missing = requested.filter((code) => rates.rates[code] === undefined);
  if (missing.length > 0) return permanent(rates.provider, `invalid response: no rate for ${missing.join(', ')} (base ${rates.base})`);
  return success({ ...rates, rates: Object.fromEntries(requested.map((code) => [code, rates.rates[code] as number])) });
}

/** Each day's rates through pickRequestedRates, oldest first; the first day missing a currency fails the series. */
export function pickRequestedSeries(days: readonly CurrencyRates[], requested: readonly string[]): Outcome<CurrencyRates[]> {
  const picked: CurrencyRates[] = [];
  for (const day of [...days].sort((a, b) => a.asOfDate.localeCompare(b.asOfDate))) {
    const rates = pickRequestedRates(day, requested);
    if (!rates.ok) return failure({ ...rates.error, message: `${rates.error.message} on ${day.asOfDate}` });
    picked.push(rates.value);
  }
  return success(picked);
}
