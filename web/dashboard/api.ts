// The answers' schemas and types are the API's own (src/contract/apiAnswers.ts, zod's mini build): declared once, so
// the page and the handlers cannot drift apart unnoticed. Only that module of src/ may be imported here (lint rule).
import type * as z from 'zod/mini';
import {
  AnalysisAnswerSchema,
  ErrorBodySchema,
  RatesAnswerSchema,
  StatusAnswerSchema,
  type AnalysisAnswer,
  type RatesAnswer,
  type StatusAnswer,
} from '../../src/contract/apiAnswers.js';

export type { AnalysisAnswer, RatesAnswer, SeriesStats, StatusAnswer } from '../../src/contract/apiAnswers.js';

/** What the page asks for: a date range (empty = the API's default, the last 90 days) and the rolling window. */
export interface RangeQuery {
  readonly from: string;
  readonly to: string;
  readonly window: string;
  /** `day`, `week` or `month`; empty = the API's default, `day`. */
  readonly interval?: string;
}

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
