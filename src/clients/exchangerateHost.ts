import { z } from 'zod';
import { IsoDateSchema, utcDateOf } from '../domain/businessDate.js';
import { cleanUpstreamText } from '../domain/failureText.js';
import { permanent } from '../domain/providerFailure.js';
import { CurrencyCodeSchema, PositiveNumberSchema, type QuoteRequest } from '../domain/quotes.js';
import { getJson, isSuccessStatus, parseBody, statusFailure, type HttpOptions } from './http.js';
import { pickRequestedRates, type RatesProvider } from './providers.js';

/**
 * exchangerate.host (APILayer, currencylayer-shaped): `/live` or `/historical?date=` with `access_key`,
 * `source` and `currencies`. Quotes are keyed SOURCE+TARGET (`USDEUR`). Errors usually arrive as
 * HTTP 200 with `success: false`.
 */
const QuotesSchema = z.object({
  success: z.literal(true),
  timestamp: z.number().int().positive(),
  source: CurrencyCodeSchema,
  date: IsoDateSchema.optional(),
  quotes: z.record(z.string().regex(/^[A-Z]{6}$/, 'quote keys must be SOURCE+TARGET such as USDEUR'), PositiveNumberSchema),
});
const ApiErrorSchema = z.object({
  success: z.literal(false),
  error: z.object({ code: z.number().int(), type: z.string().optional(), info: z.string().optional() }),
});

/**
 * APILayer error codes: all of them (auth, quota, bad request) fail the same way on a retry. One code covers several
 * causes (105 is both "no HTTPS on this plan" and "this source currency not on this plan"), so these meanings are
 * only the fallback for an error that comes without the provider's own `info`.
 */
const CODE_MEANINGS: Record<number, string> = {
  101: 'missing or invalid access key',
  102: 'account inactive',
  103: 'unknown API function',
  104: 'usage limit reached for this plan',
  105: 'function not available on this plan',
  106: 'no rates available for this date',
  201: 'invalid source currency',
  202: 'invalid currency codes',
  301: 'invalid date',
  302: 'invalid date',
};

export interface ExchangerateHostConfig {
  readonly baseUrl: string;
  readonly accessKey: string;
  readonly baseCurrency: string;
  readonly currencies: readonly string[];
}

export function exchangerateHostClient(config: ExchangerateHostConfig, http: HttpOptions): RatesProvider {
  return {
    name: 'exchangeratehost',
    async fetchRates(request: QuoteRequest) {
      const url = new URL(`${config.baseUrl}/${request.mode === 'latest' ? 'live' : 'historical'}`);
      url.searchParams.set('access_key', config.accessKey);
      if (request.mode === 'historical') url.searchParams.set('date', request.date);
      url.searchParams.set('source', config.baseCurrency);
      url.searchParams.set('currencies', config.currencies.join(','));

      const response = await getJson('exchangeratehost', url, {}, http);
      if (!response.ok) return response;
      const apiError = ApiErrorSchema.safeParse(response.value.body);
      if (apiError.success) {
        const { code, type, info } = apiError.data.error;
        const kind = cleanUpstreamText(type ?? '', 100);
        const explanation = cleanUpstreamText(info ?? '') || (CODE_MEANINGS[code] ?? 'unknown error');
        return permanent('exchangeratehost', `error ${code}${kind ? ` ${kind}` : ''}: ${explanation}`);
      }
      if (!isSuccessStatus(response.value.status)) return statusFailure('exchangeratehost', response.value, undefined);
      const body = parseBody('exchangeratehost', QuotesSchema, response.value);
      if (!body.ok) return body;
      const { source, quotes, timestamp, date } = body.value;
      if (source !== config.baseCurrency) {
        return permanent('exchangeratehost', `invalid response: source is ${source}, asked for ${config.baseCurrency}`);
      }
      const rates = Object.fromEntries(
        Object.entries(quotes).filter(([pair]) => pair.startsWith(source)).map(([pair, rate]) => [pair.slice(3), rate]),
      );
      const asOfDate = date ?? utcDateOf(new Date(timestamp * 1000));
      return pickRequestedRates({ provider: 'exchangeratehost', base: source, asOfDate, rates }, config.currencies);
    },
  };
}
