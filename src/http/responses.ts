import { randomUUID } from 'node:crypto';
import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { cleanUpstreamText, errorMessage, redact } from '../domain/failureText.js';
import { SettingsError } from '../config/settings.js';
import type { Result } from '../domain/result.js';
import { extensionOutage } from './extensionOutage.js';

/** A JSON answer; every error body has the same shape: `{ "error": "<what was wrong>" , ...details }`. */
export const json = (status: number, body: unknown): HttpResponseInit => ({ status, jsonBody: body });
export const jsonError = (status: number, error: string, details: Record<string, unknown> = {}): HttpResponseInit =>
  json(status, { error, ...details });

/** Where the endpoints' own log lines go: the invocation's log, so they reach Application Insights with it. */
export type EndpointLog = Pick<InvocationContext, 'warn' | 'error'>;

/**
 * Runs a handler so that whatever it throws still ends in a JSON answer: 503 when the Durable extension did not
 * answer (the caller may retry), else 500 `{"error":"internal error","correlationId":...}`. The cause goes to the
 * log only, one scrubbed line that carries the same correlation id, so an operator can find it from the answer.
 */
export async function answeringFailures(
  secrets: readonly string[],
  log: EndpointLog,
  handler: () => Promise<HttpResponseInit>,
): Promise<HttpResponseInit> {
  try {
    return await handler();
  } catch (error) {
    const outage = extensionOutage(error);
    if (outage !== undefined) {
      log.warn(`the Durable Functions extension did not answer (${outage}): ${causeLine(error, secrets)}`);
      return jsonError(503, `the Durable Functions extension did not answer (${outage}), try again later`);
    }
    const correlationId = randomUUID();
    log.error(`internal error ${correlationId}: ${causeLine(error, secrets)}`);
    return jsonError(500, 'internal error', { correlationId });
  }
}

/** What was thrown and where, on one line; each part redacted before it is cut, so no piece of a secret survives. */
function causeLine(error: unknown, secrets: readonly string[]): string {
  const what = error instanceof Error ? `${error.name}: ${errorMessage(error)}` : errorMessage(error);
  const where = error instanceof Error ? /\n\s*(at .*)/.exec(error.stack ?? '')?.[1] : undefined;
  const scrub = (text: string) => cleanUpstreamText(redact(text, secrets));
  return where === undefined ? scrub(what) : `${scrub(what)} (${scrub(where)})`;
}

/**
 * An endpoint's dependencies, or its settings problem thrown to the 500-with-correlation-id path: the caller cannot
 * fix it, the operator can, from the log line under that id.
 */
export function dependenciesOrThrow<D>(loaded: Result<D, string>): D {
  if (!loaded.ok) throw new SettingsError(loaded.error);
  return loaded.value;
}
