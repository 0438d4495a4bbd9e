import { z } from 'zod';
import { daysBetween, IsoDateSchema, utcDateOf, type IsoDate } from '../domain/businessDate.js';
import { cleanUpstreamText } from '../domain/failureText.js';
import { permanent, type Outcome } from '../domain/failure.js';
import { CurrencyCodeSchema, PositiveNumberSchema, type QuoteRequest } from '../domain/quotes.js';
import { getJson, isSuccessStatus, parseBody, statusFailure, type HttpOptions } from './http.js';
import { pickRequestedRates, pickRequestedSeries, type RatesProvider } from './providers.js';

/**
 * exchangerate.host (APILayer, currencylayer-shaped): `/live`, `/historical?date=` or `/timeframe` with `access_key`,
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
const TimeframeSchema = z.object({
  success: z.literal(true),
  source: CurrencyCodeSchema,
  // Keyed by date, possibly unsorted: sorted by pickRequestedSeries.
  quotes: z.record(
    IsoDateSchema,
    z.record(z.string().regex(/^[A-Z]{6}$/, 'quote keys must be SOURCE+TARGET such as USDEUR'), PositiveNumberSchema),
  ),
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

/** The longest range `/timeframe` serves (currencylayer's cap). */
export const TIMEFRAME_MAX_DAYS = 365;

export function exchangerateHostClient(config: ExchangerateHostConfig, http: HttpOptions): RatesProvider {
  /** GETs `path` with the key, source and currencies; the APILayer error envelope (often HTTP 200) becomes a failure. */
  async function ask<S extends z.ZodType<{ source: string }>>(
    path: string,
    params: Record<string, string>,
    schema: S,
  ): Promise<Outcome<z.output<S>>> {
    const url = new URL(`${config.baseUrl}/${path}`);
    url.searchParams.set('access_key', config.accessKey);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
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
    const body = parseBody('exchangeratehost', schema, response.value);
    if (!body.ok) return body;
    if (body.value.source !== config.baseCurrency) {
      return permanent('exchangeratehost', `invalid response: source is ${body.value.source}, asked for ${config.baseCurrency}`);
    }
    return body;
  }
  /** `USDEUR` → `EUR`, for the quotes of the source asked for. */
  const ratesOf = (source: string, quotes: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(quotes)
        .filter(([pair]) => pair.startsWith(source))
        .map(([pair, rate]) => [pair.slice(3), rate]),
    );

  return {
    name: 'exchangeratehost',
    async fetchRates(request: QuoteRequest) {
      const latest = request.mode === 'latest';
      const body = await ask(latest ? 'live' : 'historical', latest ? {} : { date: request.date }, QuotesSchema);
      if (!body.ok) return body;
      const { source, quotes, timestamp, date } = body.value;
      const asOfDate = date ?? utcDateOf(new Date(timestamp * 1000));
      return pickRequestedRates(
        {
          provider: 'exchangeratehost',
          base: source,
          asOfDate,
          rates: ratesOf(source, quotes),
          timestamp: new Date(timestamp * 1000).toISOString(),
        },
        config.currencies,
      );
    },
    /** `/timeframe?start_date&end_date`: at most TIMEFRAME_MAX_DAYS days, quotes keyed by date (in any order). */
    async fetchSeries(from: IsoDate, to: IsoDate) {
      const days = daysBetween(from, to);
      if (days > TIMEFRAME_MAX_DAYS)
        return permanent('exchangeratehost', `timeframe ${from}..${to} is over ${TIMEFRAME_MAX_DAYS} days, the most /timeframe serves`);
      const body = await ask('timeframe', { start_date: from, end_date: to }, TimeframeSchema);
      if (!body.ok) return body;
      const { source, quotes } = body.value;
      return pickRequestedSeries(
        // The keys were parsed as dates (TimeframeSchema); Object.entries only forgets it.
        (Object.entries(quotes) as [IsoDate, Record<string, number>][]).map(([asOfDate, day]) => ({
          provider: 'exchangeratehost',
          base: source,
          asOfDate,
          rates: ratesOf(source, day),
        })),
        config.currencies,
      );
    },
  };
}
