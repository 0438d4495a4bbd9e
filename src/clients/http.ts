import type { ProviderName, ProviderResult } from '../domain/providerFailure.js';
import { permanent, transient } from '../domain/providerFailure.js';
import { success } from '../domain/result.js';
import { describeIssues } from '../domain/failureText.js';
import type { z } from 'zod';

/** The slice of the fetch API the clients use; node-fetch in production, anything fetch-shaped in tests. */
export type FetchLike = (
  url: string,
  init: { headers?: Record<string, string>; signal?: AbortSignal },
) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

export interface HttpOptions {
  readonly fetch: FetchLike;
  readonly timeoutMs: number;
}

export interface JsonResponse {
  readonly status: number;
  readonly retryAfter: string | null;
  /** Parsed JSON, or undefined when the body was not JSON. */
  readonly body: unknown;
}

/**
 * GETs a URL and parses the body as JSON. Only network trouble and timeouts fail here (transient);
 * the URL never reaches an error message because it may carry an access key.
 */
export async function getJson(provider: ProviderName, url: URL, headers: Record<string, string>, http: HttpOptions): Promise<ProviderResult<JsonResponse>> {
  const signal = AbortSignal.timeout(http.timeoutMs);
  try {
    const response = await http.fetch(url.toString(), { headers: { accept: 'application/json', ...headers }, signal });
    const text = await response.text();
    return success({ status: response.status, retryAfter: response.headers.get('retry-after'), body: parseJson(text) });
  } catch (error) {
    if (signal.aborted) return transient(provider, `no answer within ${http.timeoutMs} ms from ${url.host}`);
    return transient(provider, `network error reaching ${url.host}: ${networkCode(error)}`);
  }
}

/**
 * The generic meaning of a non-2xx status: 408, 429 and 5xx may pass, other 4xx will not.
 * `detail` is the provider's own explanation from the body, when it has one.
 */
export function statusFailure(provider: ProviderName, response: JsonResponse, detail: string | undefined): ProviderResult<never> {
  const what = `HTTP ${response.status}${detail ? `: ${detail}` : ''}`;
  if (response.status === 429) return transient(provider, `rate limited, ${what}`, retryAfterSeconds(response.retryAfter));
  if (response.status === 408 || response.status >= 500) return transient(provider, `server error, ${what}`);
  return permanent(provider, `request refused, ${what}`);
}

/** Validates a 2xx body; a body that does not match is permanent: asking again returns the same. */
export function parseBody<S extends z.ZodType>(provider: ProviderName, schema: S, response: JsonResponse): ProviderResult<z.output<S>> {
  if (response.body === undefined) return permanent(provider, `malformed response: body is not JSON (HTTP ${response.status})`);
  const parsed = schema.safeParse(response.body);
  if (parsed.success) return success(parsed.data);
  return permanent(provider, `invalid response: ${describeIssues(parsed.error, 'body')}`);
}

export const isSuccessStatus = (status: number): boolean => status >= 200 && status < 300;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function networkCode(error: unknown): string {
  const code = (error as { code?: unknown; cause?: { code?: unknown } }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.name : 'unknown error';
}

/** Retry-After in seconds, told to operators; an HTTP-date form is left out rather than guessed at. */
function retryAfterSeconds(header: string | null): number | undefined {
  const seconds = header === null || header.trim() === '' ? Number.NaN : Number(header);
  return Number.isInteger(seconds) && seconds >= 0 ? seconds : undefined;
}
