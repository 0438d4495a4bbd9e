import { z } from 'zod';
import { IsoDateSchema } from '../domain/businessDate.js';
import { permanent } from '../domain/providerFailure.js';
import { CurrencyCodeSchema, PositiveNumberSchema, type QuoteRequest } from '../domain/quotes.js';
import { getJson, isSuccessStatus, parseBody, statusFailure, type HttpOptions } from './http.js';
import { pickRequestedRates, type RatesProvider } from './providers.js';

/** Frankfurter v1 (ECB reference rates): `/latest` or `/{date}` with `base` and `symbols`. No key. */
const FrankfurterRatesSchema = z.object({
  base: CurrencyCodeSchema,
  date: IsoDateSchema,
  rates: z.record(z.string(), PositiveNumberSchema),
});
const FrankfurterErrorSchema = z.object({ message: z.string() });

export interface FrankfurterConfig {
  readonly baseUrl: string;
  readonly baseCurrency: string;
  readonly currencies: readonly string[];
}

export function frankfurterClient(config: FrankfurterConfig, http: HttpOptions): RatesProvider {
  return {
    name: 'frankfurter',
    async fetchRates(request: QuoteRequest) {
      const url = new URL(`${config.baseUrl}/${request.mode === 'latest' ? 'latest' : request.date}`);
      url.searchParams.set('base', config.baseCurrency);
      url.searchParams.set('symbols', config.currencies.join(','));

      const response = await getJson('frankfurter', url, {}, http);
      if (!response.ok) return response;
      if (!isSuccessStatus(response.value.status)) {
        return statusFailure('frankfurter', response.value, FrankfurterErrorSchema.safeParse(response.value.body).data?.message);
      }
      const body = parseBody('frankfurter', FrankfurterRatesSchema, response.value);
      if (!body.ok) return body;
      if (body.value.base !== config.baseCurrency) {
        return permanent('frankfurter', `invalid response: base is ${body.value.base}, asked for ${config.baseCurrency}`);
      }
      return pickRequestedRates({ provider: 'frankfurter', base: body.value.base, asOfDate: body.value.date, rates: body.value.rates }, config.currencies);
    },
  };
}
