import { cleanUpstreamText, errorMessage, reduceErrorBody } from '../domain/failureText.js';
import { permanent, transient, type Outcome } from '../domain/failure.js';

/**
 * What the store reads from an SDK error (RestError, the identity library's errors). Read by shape, so this file
 * loads no SDK. `details.errorCode` is the service's x-ms-error-code header; `response.bodyAsText` its error body.
 */
interface StorageError {
  readonly name?: string;
  readonly statusCode?: number;
  readonly code?: string;
  readonly details?: { readonly errorCode?: unknown };
  readonly response?: {
    readonly bodyAsText?: string | null;
    readonly headers?: { get(name: string): string | undefined };
    readonly request?: { readonly url?: string };
  };
}

/** Errors without an HTTP status that may pass: the network, and getting a token (identity endpoint unreachable). */
const PASSING_WITHOUT_STATUS = new Set(['RestError', 'AggregateAuthenticationError', 'CredentialUnavailableError']);

export const statusOf = (error: unknown): number | undefined => (error as StorageError | undefined)?.statusCode;

/** The store's operation ran out of its time budget (the abort signal fired). */
export const storageTimeout = (timeoutMs: number, host: string, lastAnswer?: string): Outcome<never> =>
  transient('storage', `no answer within ${timeoutMs} ms from ${host}${lastAnswer ? ` (last answer: ${lastAnswer})` : ''}`);

/**
 * Network trouble, token trouble, throttling and server errors may pass; what the service refused (403 wrong key or
 * missing role, 400 bad entity, ...), a redirect (never followed) or what the SDK would not send (a token over
 * http) will not. The service's own words come as its error code and message, cleaned and cut short.
 */
export function storageFailure(error: unknown): Outcome<never> {
  const { name, statusCode, code } = error as StorageError;
  if (statusCode === undefined) {
    const message = cleanUpstreamText(errorMessage(error));
    const what = code && !message.includes(code) ? `${cleanUpstreamText(code)} ${message}` : message;
    return PASSING_WITHOUT_STATUS.has(name ?? '') ? transient('storage', what) : permanent('storage', what);
  }
  const what = `HTTP ${statusCode} ${serviceText(error as StorageError)}`.trim();
  return statusCode === 408 || statusCode === 429 || statusCode >= 500 ? transient('storage', what) : permanent('storage', what);
}

/** `<ErrorCode>: <message>` from the body (XML or JSON), else from the x-ms-error-code header; a redirect's target host. */
function serviceText(error: StorageError): string {
  const status = error.statusCode ?? 0;
  if (status >= 300 && status < 400) return `redirect to ${redirectHost(error.response)} refused (storage calls never follow redirects)`;
  const reduced = reduceErrorBody(error.response?.bodyAsText ?? errorMessage(error));
  // A transaction's failure carries the service's code from the body, not the header: it is upstream text too.
  const rawCode = typeof error.details?.errorCode === 'string' ? error.details.errorCode : error.code;
  const headerCode = rawCode === undefined ? undefined : cleanUpstreamText(rawCode, 100);
  if (!headerCode || reduced.includes(headerCode)) return reduced;
  return reduced === '' ? headerCode : `${headerCode}: ${reduced}`;
}

/** Only the host a Location header points at (relative to the request): its path or query may carry a SAS. */
function redirectHost(response: StorageError['response']): string {
  const location = response?.headers?.get('location');
  if (!location) return 'an unnamed location';
  try {
    return cleanUpstreamText(new URL(location, response?.request?.url).host, 100);
  } catch {
    return 'an unreadable location';
  }
}
