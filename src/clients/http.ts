import type { FailureSource, Outcome } from '../domain/failure.js';
import { permanent, transient } from '../domain/failure.js';
import { success } from '../domain/result.js';
import { cleanUpstreamText, describeIssues } from '../domain/failureText.js';
import type { z } from 'zod';

/**
 * The slice of the fetch API the clients use; node-fetch in production, anything fetch-shaped in tests. The body is
 * read as a stream of chunks (node-fetch's Readable and the WHATWG ReadableStream both iterate so) so that its size
 * can be capped while it arrives.
 */
export type FetchLike = (
  url: string,
  init: { headers: Record<string, string>; signal: AbortSignal; redirect: 'manual' },
) => Promise<{ status: number; headers: { get(name: string): string | null }; body: AsyncIterable<Uint8Array> | null }>;

export interface HttpOptions {
  readonly fetch: FetchLike;
  /** One budget per request: connecting, the headers and the whole body. */
  readonly timeoutMs: number;
  /** The most bytes of a response body read before the request is abandoned. */
  readonly maxResponseBytes: number;
}

export interface JsonResponse {
  readonly status: number;
  readonly retryAfter: string | null;
  /** Parsed JSON, or undefined when the body was not JSON. */
  readonly body: unknown;
}

/**
 * GETs a URL and parses the body as JSON. Network trouble and timeouts fail here (transient), and so do, for good,
 * a redirect (never followed: it would carry the key elsewhere) and a body over the size cap. The URL never reaches
 * an error message because it may carry an access key.
 */
export async function getJson(
  provider: FailureSource,
  url: URL,
  headers: Record<string, string>,
  http: HttpOptions,
): Promise<Outcome<JsonResponse>> {
  const timeout = AbortSignal.timeout(http.timeoutMs);
  const done = new AbortController();
  const signal = AbortSignal.any([timeout, done.signal]);
  let answered = false;
  try {
    const response = await http.fetch(url.toString(), { headers: { accept: 'application/json', ...headers }, signal, redirect: 'manual' });
    answered = true;
    if (isRedirect(response.status)) return redirectFailure(provider, url, response.status, response.headers.get('location'));
    if (Number(response.headers.get('content-length')) > http.maxResponseBytes) return tooLarge(provider, http.maxResponseBytes);
    const text = await readCapped(response.body, http.maxResponseBytes);
    if (text === undefined) return tooLarge(provider, http.maxResponseBytes);
    return success({ status: response.status, retryAfter: response.headers.get('retry-after'), body: parseJson(text) });
  } catch (error) {
    if (timeout.aborted)
      return transient(provider, `${answered ? 'no complete answer' : 'no answer'} within ${http.timeoutMs} ms from ${url.host}`);
    return transient(provider, `network error reaching ${url.host}: ${networkCode(error)}`);
  } finally {
    // Whatever was left unread (a redirect's body, the rest of an oversized one) is dropped with its connection.
    done.abort();
  }
}

/**
 * The generic meaning of a non-2xx status: 408, 429 and 5xx may pass, other 4xx will not. `detail` is the
 * provider's own explanation from the body, when it has one (cleaned here: it is upstream text); `hint` is ours.
 */
export function statusFailure(provider: FailureSource, response: JsonResponse, detail: string | undefined, hint?: string): Outcome<never> {
  const explanation = [detail === undefined ? '' : cleanUpstreamText(detail), hint ?? ''].filter((part) => part !== '').join('; ');
  const what = `HTTP ${response.status}${explanation ? `: ${explanation}` : ''}`;
  if (response.status === 429) return transient(provider, `rate limited, ${what}`, retryAfterSeconds(response.retryAfter));
  if (response.status === 408 || response.status >= 500) return transient(provider, `server error, ${what}`);
  return permanent(provider, `request refused, ${what}`);
}

/** Validates a 2xx body; a body that does not match is permanent: asking again returns the same. */
export function parseBody<S extends z.ZodType>(provider: FailureSource, schema: S, response: JsonResponse): Outcome<z.output<S>> {
  if (response.body === undefined) return permanent(provider, `malformed response: body is not JSON (HTTP ${response.status})`);
  const parsed = schema.safeParse(response.body);
  if (parsed.success) return success(parsed.data);
  // Issue paths hold the provider's own keys, so the description is upstream text too.
  return permanent(provider, `invalid response: ${cleanUpstreamText(describeIssues(parsed.error, 'body'))}`);
}

export const isSuccessStatus = (status: number): boolean => status >= 200 && status < 300;

const isRedirect = (status: number): boolean => status >= 300 && status < 400;

/** Names where the redirect pointed by host only: its path and query may carry anything, our key included. */
function redirectFailure(provider: FailureSource, url: URL, status: number, location: string | null): Outcome<never> {
  const target = hostOf(location, url);
  return permanent(
    provider,
    `redirected (HTTP ${status}) to ${target ? cleanUpstreamText(target, 100) : 'no valid location'}; redirects are never followed, check the base URL setting`,
  );
}

function hostOf(location: string | null, base: URL): string | undefined {
  if (location === null) return undefined;
  try {
    return new URL(location, base).host || undefined;
  } catch {
    return undefined;
  }
}

const tooLarge = (provider: FailureSource, maxBytes: number): Outcome<never> =>
  permanent(provider, `response larger than the ${maxBytes}-byte cap (FXGOLD_MAX_RESPONSE_BYTES)`);

/** The body as text, or undefined as soon as it passes `maxBytes`: an oversized body is never held whole. */
async function readCapped(body: AsyncIterable<Uint8Array> | null, maxBytes: number): Promise<string | undefined> {
  if (body === null) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) return undefined; // leaving the loop destroys the stream
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

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
