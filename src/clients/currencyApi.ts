import { z } from 'zod';
import { IsoDateSchema, type IsoDate } from '../domain/businessDate.js';
import { failure, success } from '../domain/result.js';
import { noData, permanent, type Failure, type Outcome } from '../domain/failure.js';
import { PositiveNumberSchema, type QuoteRequest } from '../domain/quotes.js';
import { isSecureOrLoopback } from '../domain/urls.js';
import { getJson, isSuccessStatus, parseBody, statusFailure, type HttpOptions } from './http.js';
import { pickRequestedRates, type GoldProvider, type RatesProvider } from './providers.js';

/**
 * fawazahmed0's currency-api: no key, one static JSON file per day and base currency, built about 00:00 UTC,
 * `{"date":"2025-07-08","usd":{"eur":0.85120456,"xau":0.00030289,...}}` with lower-case keys. The same files are
 * published on jsDelivr and on a Cloudflare Pages mirror, so each is a URL template tried in order.
 */

/** jsDelivr first, the pages.dev mirror when it fails. The setting CURRENCYAPI_URLS overrides this list. */
export const DEFAULT_CURRENCYAPI_URLS =
  'https://cdn.jsdelivr.net/npm/@fawazahmed0/currency-api@{date}/v1/currencies/{base}.json,https://{date}.currency-api.pages.dev/v1/currencies/{base}.json';

/** Its history starts here: an earlier date is a 404 on every mirror. */
const HISTORY_STARTS = '2024-03';

/** A template with `{date}` (`latest` or `YYYY-MM-DD`) and `{base}` (the lower-case base) filled in, or undefined if that is no URL. */
function expandTemplate(template: string, date: string, base: string): URL | undefined {
  try {
    return new URL(template.replaceAll('{date}', date).replaceAll('{base}', base));
  } catch {
    return undefined;
  }
}

/** https only; plain http is allowed on loopback so that tests can stand in for the mirrors. */
const isAllowedUrl = (url: URL | undefined): url is URL => url !== undefined && isSecureOrLoopback(url);

const UrlTemplateSchema = z
  .string()
  .refine((template) => template.includes('{base}'), 'must contain {base}')
  // Without {date} a past business date would silently get today's file.
  .refine((template) => template.includes('{date}'), 'must contain {date}')
  .refine(
    (template) => isAllowedUrl(expandTemplate(template, 'latest', 'usd')),
    'must be an https URL once {date} and {base} are filled in',
  );

/** CURRENCYAPI_URLS: comma-separated URL templates, tried in the order given. */
export const CurrencyApiUrlsSchema = z
  .string()
  .transform((list) =>
    list
      .split(',')
      .map((template) => template.trim())
      .filter((template) => template !== ''),
  )
  .pipe(z.array(UrlTemplateSchema).min(1, 'must list at least one URL template'));

/**
 * The day file, checking only the entries read (`keys`, optional so a missing one is reported by name): the file
 * lists some 300 currencies and tokens, and an odd value for one the desk never reads must not fail it.
 */
function dayFileSchema(base: string, keys: readonly string[]) {
  const entries = z.looseObject(Object.fromEntries(keys.map((key) => [key, PositiveNumberSchema.optional()])));
  // A computed key widens the inferred shape to an index signature, hence the two narrowing casts.
  return z
    .object({ date: IsoDateSchema, [base]: entries })
    .transform((body) => ({ date: body.date as IsoDate, entries: body[base] as z.output<typeof entries> }));
}
type DayFile = z.output<ReturnType<typeof dayFileSchema>>;

export interface CurrencyApiConfig {
  /** Validated by CurrencyApiUrlsSchema. */
  readonly urlTemplates: readonly string[];
  readonly baseCurrency: string;
  readonly currencies: readonly string[];
}

/** One client for both roles: the same day file holds the rates and the gold price. */
export function currencyApiClient(config: CurrencyApiConfig, http: HttpOptions): RatesProvider & GoldProvider {
  const base = config.baseCurrency.toLowerCase();
  const ratesFile = dayFileSchema(
    base,
    config.currencies.map((code) => code.toLowerCase()),
  );
  const goldFile = dayFileSchema(base, ['xau']);

  return {
    name: 'currencyapi',
    async fetchRates(request: QuoteRequest) {
      const file = await fetchDayFile(config.urlTemplates, base, request, ratesFile, http);
      if (!file.ok) return file;
      const rates = Object.fromEntries(
        Object.entries(file.value.entries)
          .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
          .map(([key, rate]) => [key.toUpperCase(), rate]),
      );
      return pickRequestedRates(
        { provider: 'currencyapi', base: config.baseCurrency, asOfDate: file.value.date, rates },
        config.currencies,
      );
    },
    async fetchGoldPrice(request: QuoteRequest) {
      const file = await fetchDayFile(config.urlTemplates, base, request, goldFile, http);
      if (!file.ok) return file;
      // xau is troy ounces per unit of the base, so the price of one ounce is its inverse.
      const ouncesPerUnit = file.value.entries.xau;
      if (ouncesPerUnit === undefined)
        return permanent('currencyapi', `invalid response: no xau (gold) in the ${base} file of ${file.value.date}`);
      return success({
        provider: 'currencyapi' as const,
        currency: config.baseCurrency,
        // A daily reference value built about 00:00 UTC, not a traded quote: no open, close, high, low or session.
        source: 'CURRENCYAPI',
        timestamp: `${file.value.date}T00:00:00.000Z`,
        sessionStart: null,
        price: 1 / ouncesPerUnit,
        open: null,
        previousClose: null,
        high: null,
        low: null,
      });
    },
  };
}

/**
 * Asks each template in turn and returns the first valid day file. When all fail the failure lists each one's reason
 * by host, and is transient if any of them was (another attempt may reach that one).
 */
async function fetchDayFile(
  templates: readonly string[],
  base: string,
  request: QuoteRequest,
  schema: ReturnType<typeof dayFileSchema>,
  http: HttpOptions,
): Promise<Outcome<DayFile>> {
  const date = request.mode === 'latest' ? 'latest' : request.date;
  const attempts: { host: string; status?: number; failure: Failure }[] = [];
  for (const [index, template] of templates.entries()) {
    const url = expandTemplate(template, date, base);
    if (!isAllowedUrl(url)) {
      attempts.push({
        host: `template ${index + 1}`,
        failure: { source: 'currencyapi', kind: 'permanent', message: 'not an https URL' },
      });
      continue;
    }
    const response = await getJson('currencyapi', url, {}, http);
    if (!response.ok) {
      attempts.push({ host: url.host, failure: response.error });
      continue;
    }
    const { status } = response.value;
    const file = isSuccessStatus(status)
      ? parseBody('currencyapi', schema, response.value)
      : statusFailure('currencyapi', response.value, undefined);
    if (file.ok) return file;
    attempts.push({ host: url.host, status, failure: file.error });
  }
  // Every mirror lacking the file is the service saying it has no file for that day (it skips days), not a fault.
  if (attempts.length > 0 && attempts.every((attempt) => attempt.status === 404)) {
    const hosts = attempts.map((attempt) => attempt.host).join(', ');
    return noData('currencyapi', `no data for ${date} (HTTP 404 from ${hosts}; its history starts about ${HISTORY_STARTS})`);
  }
  const reasons = attempts.map((attempt) => `${attempt.host}: ${attempt.failure.message}`).join('; ');
  const kind = attempts.some((attempt) => attempt.failure.kind === 'transient') ? 'transient' : 'permanent';
  return failure({ source: 'currencyapi', kind, message: `every mirror failed: ${reasons}` });
}
