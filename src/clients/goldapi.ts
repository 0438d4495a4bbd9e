import { z } from 'zod';
import { cleanUpstreamText, holdsSecret } from '../domain/failureText.js';
import { noData, permanent } from '../domain/failure.js';
import { CurrencyCodeSchema, PositiveNumberSchema, SourceNameSchema, type QuoteRequest } from '../domain/quotes.js';
import { success } from '../domain/result.js';
import { getJson, isSuccessStatus, parseBody, statusFailure, type HttpOptions } from './http.js';
import type { GoldProvider } from './providers.js';

/**
 * goldapi.io: `/XAU/{currency}` (live spot, e.g. FOREXCOM, timestamp in seconds) or
 * `/XAU/{currency}/YYYYMMDD` (LBMA 10:30 UTC price, timestamp in milliseconds, no open/high/low).
 */
const optionalPrice = PositiveNumberSchema.nullish().transform((v) => v ?? null);

/** The app asks for no date before 1999, and a quote from after 2100 is garbage: wide bounds that still catch it. */
const EARLIEST_INSTANT = Date.UTC(1999, 0, 1);
const LATEST_INSTANT = Date.UTC(2100, 0, 1);

/**
 * A Unix time as an ISO instant. Seconds and milliseconds both occur; anything past 1e12 can only be milliseconds.
 * An implausible value (one that would not even make a valid Date, such as 9e15) fails validation instead of throwing.
 */
const InstantSchema = z
  .number()
  .int()
  .positive()
  .transform((t) => (t > 1e12 ? t : t * 1000))
  .refine((ms) => ms >= EARLIEST_INSTANT && ms < LATEST_INSTANT, 'must be an instant between 1999 and 2100 (Unix seconds or milliseconds)')
  .transform((ms) => new Date(ms).toISOString());

const GoldApiQuoteSchema = z.object({
  timestamp: InstantSchema,
  metal: z.literal('XAU'),
  currency: CurrencyCodeSchema,
  // Stored as GoldSource and shown in the run's output: a closed name, never a provider's text.
  exchange: SourceNameSchema,
  price: PositiveNumberSchema,
  open_price: optionalPrice,
  prev_close_price: optionalPrice,
  high_price: optionalPrice,
  low_price: optionalPrice,
  /** Live quotes only: when the current trading session opened. */
  open_time: InstantSchema.nullish().transform((v) => v ?? null),
});
const GoldApiErrorSchema = z.object({ error: z.string() });

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
      const detail = GoldApiErrorSchema.safeParse(response.value.body).data?.error;
      // A date without an LBMA fixing (a holiday): 404, or an error body in place of a price.
      if (
        request.mode === 'historical' &&
        (response.value.status === 404 || (isSuccessStatus(response.value.status) && detail !== undefined))
      ) {
        return noData(
          'goldapi',
          `no gold price for ${request.date}${detail === undefined ? '' : `: ${cleanUpstreamText(detail)}`} (HTTP ${response.value.status})`,
        );
      }
      if (!isSuccessStatus(response.value.status)) {
        const refused = response.value.status === 401 || response.value.status === 403;
        const hint = refused ? 'check GOLDAPI_KEY and the quota at https://www.goldapi.io/dashboard' : undefined;
        return statusFailure('goldapi', response.value, detail, hint);
      }
      const body = parseBody('goldapi', GoldApiQuoteSchema, response.value);
      if (!body.ok) return body;
      const quote = body.value;
      // A key echoed in a success field would be stored and served to every reader: refused, never named.
      if (holdsSecret(quote.exchange, [config.apiKey])) {
        return permanent('goldapi', 'invalid response: exchange: must not contain the API key (GOLDAPI_KEY)');
      }
      if (quote.currency !== config.currency) {
        return permanent('goldapi', `invalid response: quoted in ${quote.currency}, asked for ${config.currency}`);
      }
      return success({
        provider: 'goldapi' as const,
        currency: quote.currency,
        source: quote.exchange,
        timestamp: quote.timestamp,
        sessionStart: quote.open_time,
        price: quote.price,
        open: quote.open_price,
        previousClose: quote.prev_close_price,
        high: quote.high_price,
        low: quote.low_price,
      });
    },
  };
}
