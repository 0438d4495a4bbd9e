import { z } from 'zod';
import { IsoDateSchema, type IsoDate } from '../domain/businessDate.js';
import { fixingInstant, type LocalFixingTime } from '../domain/fixingTime.js';
import { noData, permanent, type Outcome } from '../domain/failure.js';
import { CurrencyCodeSchema, PositiveNumberSchema, type GoldQuote, type QuoteRequest } from '../domain/quotes.js';
import { success } from '../domain/result.js';
import { getJson, isSuccessStatus, parseBody, statusFailure, type HttpOptions } from './http.js';
import type { DatedGoldQuote, GoldProvider } from './providers.js';

/**
 * Gold from Frankfurter v2 (no key): `GET /v2/rates?base=XAU&quotes=USD[&providers=NBP]&date=…` or `&from=…&to=…`
 * answers an array `[{"date","base":"XAU","quote":"USD","rate"}]`, one element per date the source published. A date
 * is answered with the latest fixing on or before it within 14 days, a range may begin with one dated before `from`,
 * and nothing to answer is `[]` (HTTP 200). Values are rounded by size (lib/roundable.rb: above 5000 to whole
 * numbers, above 80 to 2 decimals, …), hence always `base=XAU`: the inverse would keep about two significant figures.
 */

/** `blend`: Frankfurter's blend of every bank that publishes gold, asked without `providers`. */
export const BLEND_GOLD_SOURCE = 'blend';

/** FRANKFURTER_GOLD_SOURCE: one of Frankfurter's provider codes (NBP, …) or `blend`. */
export const FrankfurterGoldSourceSchema = z
  .string()
  .trim()
  .transform((source) => (source.toLowerCase() === BLEND_GOLD_SOURCE ? BLEND_GOLD_SOURCE : source.toUpperCase()))
  .pipe(z.string().regex(/^(blend|[A-Z]{2,6})$/, 'must be a Frankfurter provider code such as NBP, or blend'));

const GoldRatesSchema = z.array(
  z.object({ date: IsoDateSchema, base: z.literal('XAU'), quote: CurrencyCodeSchema, rate: PositiveNumberSchema }),
);
const ErrorSchema = z.object({ message: z.string() });

export interface FrankfurterGoldConfig {
  readonly baseUrl: string;
  /** A Frankfurter provider code such as `NBP`, or `blend`. */
  readonly source: string;
  readonly currency: string;
  /** When the source fixes its price (GoldTimestamp is that instant on the fixing's date). */
  readonly fixingTime: LocalFixingTime;
}

export function frankfurterGoldClient(config: FrankfurterGoldConfig, http: HttpOptions): Required<GoldProvider> {
  const goldSource = config.source === BLEND_GOLD_SOURCE ? 'FRANKFURTER' : config.source;

  async function ask(range: Record<string, string>): Promise<Outcome<DatedGoldQuote[]>> {
    const url = new URL(`${config.baseUrl}/rates`);
    url.searchParams.set('base', 'XAU');
    url.searchParams.set('quotes', config.currency);
    if (config.source !== BLEND_GOLD_SOURCE) url.searchParams.set('providers', config.source);
    for (const [key, value] of Object.entries(range)) url.searchParams.set(key, value);
    const response = await getJson('frankfurter', url, {}, http);
    if (!response.ok) return response;
    if (!isSuccessStatus(response.value.status))
      return statusFailure('frankfurter', response.value, ErrorSchema.safeParse(response.value.body).data?.message);
    const body = parseBody('frankfurter', GoldRatesSchema, response.value);
    if (!body.ok) return body;
    const other = body.value.find((element) => element.quote !== config.currency);
    if (other) return permanent('frankfurter', `invalid response: gold quoted in ${other.quote}, asked for ${config.currency}`);
    return success(body.value.map((element) => ({ date: element.date, quote: quoteOf(element.date, element.rate) })));
  }

  const quoteOf = (date: IsoDate, price: number): GoldQuote => ({
    provider: 'frankfurter',
    currency: config.currency,
    // A central bank's daily fixing, not a traded quote: no open, close, high, low or session.
    source: goldSource,
    timestamp: new Date(fixingInstant(date, config.fixingTime)).toISOString(),
    sessionStart: null,
    price,
    open: null,
    previousClose: null,
    high: null,
    low: null,
  });

  return {
    name: 'frankfurter',
    /** Always `date=` the business date, never "latest" (which may be dated after it). */
    async fetchGoldPrice(request: QuoteRequest) {
      const answer = await ask({ date: request.date });
      if (!answer.ok) return answer;
      const latest = answer.value.filter((element) => element.date <= request.date).at(-1);
      if (latest === undefined) return noData('frankfurter', `no ${goldSource} gold fixing on or up to 14 days before ${request.date}`);
      return success(latest.quote);
    },
    async fetchGoldSeries(from: IsoDate, to: IsoDate) {
      return ask({ from, to });
    },
  };
}
