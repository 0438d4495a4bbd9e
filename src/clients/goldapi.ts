import { z } from 'zod';
import { permanent } from '../domain/providerFailure.js';
import { PositiveNumberSchema, type QuoteRequest } from '../domain/quotes.js';
import { success } from '../domain/result.js';
import { getJson, isSuccessStatus, parseBody, statusFailure, type HttpOptions } from './http.js';
import type { GoldProvider } from './providers.js';

/**
 * goldapi.io: `/XAU/{currency}` (live spot, e.g. FOREXCOM, timestamp in seconds) or
 * `/XAU/{currency}/YYYYMMDD` (LBMA 10:30 UTC price, timestamp in milliseconds, no open/high/low).
 */
const optionalPrice = PositiveNumberSchema.nullish().transform((v) => v ?? null);
const GoldApiQuoteSchema = z.object({
  timestamp: z.number().int().positive(),
  metal: z.literal('XAU'),
  currency: z.string(),
  exchange: z.string().min(1),
  price: PositiveNumberSchema,
  open_price: optionalPrice,
  prev_close_price: optionalPrice,
  high_price: optionalPrice,
  low_price: optionalPrice,
});
const GoldApiErrorSchema = z.object({ error: z.string() });

/** Seconds and milliseconds both occur; anything past 1e12 can only be milliseconds. */
const toIsoInstant = (timestamp: number): string => new Date(timestamp > 1e12 ? timestamp : timestamp * 1000).toISOString();

export interface GoldApiConfig {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly currency: string;
}

export function goldApiClient(config: GoldApiConfig, http: HttpOptions): GoldProvider {
  return {
    name: 'goldapi',
    async fetchGoldPrice(request: QuoteRequest) {
      const path = request.mode === 'latest' ? '' : `/${request.date.replaceAll('-', '')}`;
      const url = new URL(`${config.baseUrl}/XAU/${config.currency}${path}`);
      const response = await getJson('goldapi', url, { 'x-access-token': config.apiKey }, http);
      if (!response.ok) return response;
      if (!isSuccessStatus(response.value.status)) {
        const detail = GoldApiErrorSchema.safeParse(response.value.body).data?.error;
        const refused = response.value.status === 401 || response.value.status === 403;
        const hint = refused ? 'check GOLDAPI_KEY and the quota at https://www.goldapi.io/dashboard' : undefined;
        return statusFailure('goldapi', response.value, [detail, hint].filter(Boolean).join('; ') || undefined);
      }
      const body = parseBody('goldapi', GoldApiQuoteSchema, response.value);
      if (!body.ok) return body;
      const quote = body.value;
      if (quote.currency !== config.currency) {
        return permanent('goldapi', `invalid response: quoted in ${quote.currency}, asked for ${config.currency}`);
      }
      return success({
        provider: 'goldapi' as const,
        currency: quote.currency,
        source: quote.exchange,
        timestamp: toIsoInstant(quote.timestamp),
        price: quote.price,
        open: quote.open_price,
        previousClose: quote.prev_close_price,
        high: quote.high_price,
        low: quote.low_price,
      });
    },
  };
}
