// zod's mini build: the full one would add ~450 kB to a page that checks three small answers.
import * as z from 'zod/mini';

/** What the page asks for: a date range (empty = the API's default, the last 90 days) and the rolling window. */
export interface RangeQuery {
  readonly from: string;
  readonly to: string;
  readonly window: string;
  /** `day`, `week` or `month`; empty = the API's default, `day`. */
  readonly interval?: string;
}

const Series = z.array(z.nullable(z.number()));
const Count = z.int().check(z.minimum(0));
const Band = z.nullable(z.tuple([z.number(), z.number()]));
const Figure = z.nullable(z.number());

/** `/api/analysis`'s `stats.<CODE>`: gold against one series. */
const SeriesStatsSchema = z.object({
  n: Count,
  r: Figure,
  ci95: Band,
  p: Figure,
  beta: Figure,
  betaSeHac: Figure,
  leadLag: z.array(z.object({ k: z.int(), n: Count, r: Figure })),
});
export type SeriesStats = z.infer<typeof SeriesStatsSchema>;

/** `/api/rates` JSON, the parts the page uses: the range the API settled on, the row count and each row's rates. */
const RatesAnswerSchema = z.object({
  from: z.string(),
  to: z.string(),
  count: Count,
  rows: z.array(z.object({ date: z.string(), rates: z.record(z.string(), z.nullable(z.number())) })),
});
export type RatesAnswer = z.infer<typeof RatesAnswerSchema>;

/** `/api/analysis`: besides the named fields, `rolling` and `index` hold one series per currency code. */
const AnalysisAnswerSchema = z.object({
  from: z.string(),
  to: z.string(),
  observations: Count,
  excludedPairs: Count,
  exclusions: z.optional(z.array(z.object({ from: z.string(), to: z.string(), reason: z.string() }))),
  correlation: z.record(z.string(), z.nullable(z.number())),
  rolling: z.catchall(
    z.object({ window: z.int(), dates: z.array(z.string()), ci95: z.optional(z.record(z.string(), z.array(Band))) }),
    Series,
  ),
  index: z.catchall(z.object({ dates: z.array(z.string()), gold: Series, goldIn: z.optional(z.record(z.string(), Series)) }), Series),
  interval: z.optional(z.string()),
  stats: z.optional(z.record(z.string(), SeriesStatsSchema)),
  returns: z.optional(
    z.object({ dates: z.array(z.string()), gold: z.array(z.number()), series: z.record(z.string(), z.array(z.number())) }),
  ),
  matrix: z.optional(z.object({ labels: z.array(z.string()), values: z.array(Series) })),
  sampling: z.optional(z.object({ medianGapHours: z.nullable(z.number()), warning: z.nullable(z.string()) })),
});
export type AnalysisAnswer = z.infer<typeof AnalysisAnswerSchema>;

/** `/api/status`: how fresh the data is. */
const StatusAnswerSchema = z.object({
  latest: z.nullable(z.object({ date: z.string(), ingestedAt: z.nullable(z.string()) })),
  missingDays: z.object({ count: Count, dates: z.array(z.string()) }),
  runs: z.array(z.object({ date: z.string(), status: z.string(), reason: z.nullable(z.string()) })),
  nextRun: z.nullable(z.string()),
  currencies: z.array(z.string()),
});
export type StatusAnswer = z.infer<typeof StatusAnswerSchema>;

const ErrorBodySchema = z.object({ error: z.string(), correlationId: z.optional(z.string()) });

export type Answer<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

type Endpoint = 'rates' | 'analysis' | 'status';

export interface CsvFile {
  readonly blob: Blob;
  readonly filename: string;
}

export interface DashboardApi {
  rates(query: RangeQuery): Promise<Answer<RatesAnswer>>;
  analysis(query: RangeQuery): Promise<Answer<AnalysisAnswer>>;
  status(): Promise<Answer<StatusAnswer>>;
  csv(query: RangeQuery, currencies: readonly string[]): Promise<Answer<CsvFile>>;
}

/**
 * The page's data calls, to `rates` and `analysis` next to the page (`/api/…`, same origin, whatever the route
 * prefix). The function key travels only as the `x-functions-key` header: a key in a URL would be kept in browser
 * history, proxy and server logs.
 */
export function dashboardApi(pageUrl: () => string, functionKey: () => string | undefined): DashboardApi {
  const urlFor = (endpoint: Endpoint, params: Record<string, string>) => {
    const url = new URL(endpoint, pageUrl());
    for (const [name, value] of Object.entries(params)) if (value !== '') url.searchParams.set(name, value);
    return url.href;
  };
  const call = async (endpoint: Endpoint, params: Record<string, string>, accept: string): Promise<Answer<Response>> => {
    const key = functionKey();
    let response: Response;
    try {
      response = await fetch(urlFor(endpoint, params), {
        headers: { accept, ...(key ? { 'x-functions-key': key } : {}) },
        cache: 'no-store',
        credentials: 'same-origin',
        redirect: 'error',
      });
    } catch {
      return { ok: false, message: `Could not reach /api/${endpoint}: the app did not answer. Check the connection and try again.` };
    }
    return response.ok ? { ok: true, value: response } : { ok: false, message: await refusal(endpoint, response, key !== undefined) };
  };
  const json = async <T>(endpoint: Endpoint, params: Record<string, string>, schema: z.ZodMiniType<T>): Promise<Answer<T>> => {
    const answer = await call(endpoint, params, 'application/json');
    if (!answer.ok) return answer;
    const parsed = schema.safeParse(await answer.value.json().catch(() => undefined));
    return parsed.success
      ? { ok: true, value: parsed.data }
      : { ok: false, message: `/api/${endpoint} answered in an unexpected shape; is the app up to date?` };
  };
  return {
    rates: ({ from, to }) => json('rates', { from, to }, RatesAnswerSchema),
    analysis: ({ from, to, window, interval = '' }) => json('analysis', { from, to, window, interval }, AnalysisAnswerSchema),
    status: () => json('status', {}, StatusAnswerSchema),
    async csv({ from, to }, currencies) {
      const answer = await call('rates', { from, to, currencies: currencies.join(','), format: 'csv' }, 'text/csv');
      if (!answer.ok) return answer;
      const named = /filename="([^"]+)"/.exec(answer.value.headers.get('content-disposition') ?? '')?.[1];
      return { ok: true, value: { blob: await answer.value.blob(), filename: named ?? `fxgold-${from}-${to}.csv` } };
    },
  };
}

/** One sentence for a refused call: the API's own explanation where it gave one, and what to do about a key. */
async function refusal(endpoint: string, response: Response, sentKey: boolean): Promise<string> {
  const body = ErrorBodySchema.safeParse(await response.json().catch(() => undefined));
  const said = body.success ? body.data.error : undefined;
  switch (response.status) {
    case 401:
    case 403:
      return sentKey
        ? `The app refused the function key (HTTP ${response.status}). Check the key after #code= in the address.`
        : `The app needs a function key (HTTP ${response.status}). Open the dashboard as /api/dashboard#code=<function key>.`;
    case 422:
      return `Not enough data for the analysis: ${said ?? 'too few observations; choose a longer date range'}.`;
    default:
      if (response.status >= 500) {
        const id = body.success && body.data.correlationId ? ` (correlation id ${body.data.correlationId})` : '';
        return `/api/${endpoint} failed with HTTP ${response.status}${id}; try again later.`;
      }
      return `/api/${endpoint} refused the request (HTTP ${response.status}): ${said ?? response.statusText}`;
  }
}
