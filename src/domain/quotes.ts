import { z } from 'zod';
import { BusinessDateSchema, IsoDateSchema, utcDateOf, type BusinessDate } from './businessDate.js';
import { FailureSourceSchema } from './failure.js';

export const CurrencyCodeSchema = z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code such as EUR');

/** A price or a rate: anything else (zero, negative, NaN, Infinity) would make a silently wrong row. */
/**
 * A name a provider gives to where its quote came from (goldapi's `exchange`: FOREXCOM, LBMA), stored as GoldSource
 * and shown in CSV, the dashboard and run outputs: a closed pattern, so no formula, markup or echoed text gets in.
 */
export const SourceNameSchema = z.string().regex(/^[A-Z][A-Z0-9_-]{0,31}$/, 'must be a short upper-case name such as FOREXCOM or LBMA');

export const PositiveNumberSchema = z.number().finite().positive();

/** Which endpoint family to ask: today's live quote, or the provider's record for a past date. */
export const QuoteModeSchema = z.enum(['latest', 'historical']);
export type QuoteMode = z.infer<typeof QuoteModeSchema>;

export const QuoteRequestSchema = z.object({ date: BusinessDateSchema, mode: QuoteModeSchema });
export type QuoteRequest = z.infer<typeof QuoteRequestSchema>;

/** Normalised FX rates: units of each currency per one unit of `base`. */
export const CurrencyRatesSchema = z.object({
  provider: FailureSourceSchema,
  base: CurrencyCodeSchema,
  asOfDate: IsoDateSchema,
  rates: z.record(CurrencyCodeSchema, PositiveNumberSchema),
  /**
   * When the rates were fixed, from a provider that answers it (exchangerate.host's `timestamp`); for the others the
   * registry declares their fixing time (src/clients/fixingTimes.ts).
   */
  timestamp: z.iso.datetime().optional(),
});
export type CurrencyRates = z.infer<typeof CurrencyRatesSchema>;

/**
 * Normalised gold quote. Historical quotes carry no open, high or low, nor `sessionStart` (when the trading session
 * of a live quote opened): those are null.
 */
export const GoldQuoteSchema = z.object({
  provider: FailureSourceSchema,
  currency: CurrencyCodeSchema,
  source: SourceNameSchema,
  timestamp: z.iso.datetime(),
  sessionStart: z.iso.datetime().nullable(),
  price: PositiveNumberSchema,
  open: PositiveNumberSchema.nullable(),
  previousClose: PositiveNumberSchema.nullable(),
  high: PositiveNumberSchema.nullable(),
  low: PositiveNumberSchema.nullable(),
});
export type GoldQuote = z.infer<typeof GoldQuoteSchema>;

/** Today's date asks the live endpoints; an earlier date asks the providers' historical records. */
export const quoteRequestFor = (date: BusinessDate, now: Date): QuoteRequest => ({
  date,
  mode: date === utcDateOf(now) ? 'latest' : 'historical',
});
