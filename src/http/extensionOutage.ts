/**
 * Whether an error thrown by the durable client means the Durable extension did not answer. The client (axios,
 * every HTTP status accepted) throws a socket error carrying a `code` when its rpc endpoint never answered, and
 * `The operation failed with an unexpected status code: <status>. Details: ...` when the extension answered with
 * a status it did not expect. Only the first kind and a 5xx are outages worth a retry: anything else is unexpected.
 */

/** The connection to the extension was refused, reset, timed out or could not be routed. */
const NO_ANSWER_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

const SERVER_ERROR = /^The operation failed with an unexpected status code: (5\d\d)\b/;

/** A short reason (`ECONNREFUSED`, `HTTP 503`) when the extension did not answer, else undefined. */
export function extensionOutage(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NO_ANSWER_CODES.has(code)) return code;
  const status = SERVER_ERROR.exec(error.message)?.[1];
  return status === undefined ? undefined : `HTTP ${status}`;
}
