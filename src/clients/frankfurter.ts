import { z } from 'zod';
import { IsoDateSchema, type IsoDate } from '../domain/businessDate.js';
import { permanent, type Outcome } from '../domain/failure.js';
import { CurrencyCodeSchema, PositiveNumberSchema, type QuoteRequest } from '../domain/quotes.js';
import { getJson, isSuccessStatus, parseBody, statusFailure, type HttpOptions } from './http.js';
import { pickRequestedRates, pickRequestedSeries, type RatesProvider } from './providers.js';

/** Frankfurter v1 (ECB reference rates): `/latest`, `/{date}` or the series `/{from}..{to}`, with `base` and `symbols`. No key. */
const FrankfurterRatesSchema = z.object({
  base: CurrencyCodeSchema,
  date: IsoDateSchema,
  rates: z.record(z.string(), PositiveNumberSchema),
});
const FrankfurterSeriesSchema = z.object({
  base: CurrencyCodeSchema,
  rates: z.record(IsoDateSchema, z.record(z.string(), PositiveNumberSchema)),
});
const FrankfurterErrorSchema = z.object({ message: z.string() });

export interface FrankfurterConfig {
  readonly baseUrl: string;
  readonly baseCurrency: string;
  readonly currencies: readonly string[];
}

export function frankfurterClient(config: FrankfurterConfig, http: HttpOptions): RatesProvider {
  /** GETs `path` with the base and symbols and validates the body, its base included. */
  async function ask<S extends z.ZodType<{ base: string }>>(path: string, schema: S): Promise<Outcome<z.output<S>>> {
    const url = new URL(`${config.baseUrl}/${path}`);
    url.searchParams.set('base', config.baseCurrency);
    url.searchParams.set('symbols', config.currencies.join(','));

    const response = await getJson('frankfurter', url, {}, http);
    if (!response.ok) return response;
    if (!isSuccessStatus(response.value.status)) {
      return statusFailure('frankfurter', response.value, FrankfurterErrorSchema.safeParse(response.value.body).data?.message);
    }
    const body = parseBody('frankfurter', schema, response.value);
    if (!body.ok) return body;
    if (body.value.base !== config.baseCurrency) {
      return permanent('frankfurter', `invalid response: base is ${body.value.base}, asked for ${config.baseCurrency}`);
    }
    return body;
  }

  return {
    name: 'frankfurter',
    async fetchRates(request: QuoteRequest) {
      const body = await ask(request.mode === 'latest' ? 'latest' : request.date, FrankfurterRatesSchema);
      if (!body.ok) return body;
      return pickRequestedRates(
        { provider: 'frankfurter', base: body.value.base, asOfDate: body.value.date, rates: body.value.rates },
        config.currencies,
      );
    },
    /** `/{from}..{to}`: ECB working days only, keyed by date. */
    async fetchSeries(from: IsoDate, to: IsoDate) {
      const body = await ask(`${from}..${to}`, FrankfurterSeriesSchema);
      if (!body.ok) return body;
      const { base, rates } = body.value;
      return pickRequestedSeries(
        // The keys were parsed as dates (FrankfurterSeriesSchema); Object.entries only forgets it.
        (Object.entries(rates) as [IsoDate, Record<string, number>][]).map(([asOfDate, day]) => ({
          provider: 'frankfurter',
          base,
          asOfDate,
          rates: day,
        })),
        config.currencies,
      );
    },
  };
}
