import type { HttpResponseInit } from '@azure/functions';
import { errorMessage, redact } from '../domain/failureText.js';

/** A JSON answer; every error body has the same shape: `{ "error": "<what was wrong>" , ...details }`. */
export const json = (status: number, body: unknown): HttpResponseInit => ({ status, jsonBody: body });
export const jsonError = (status: number, error: string, details: Record<string, unknown> = {}): HttpResponseInit => json(status, { error, ...details });

/**
 * Runs a handler that talks to the Durable extension; when that fails (extension or its storage down), the caller
 * still gets JSON: 503, try again later, with the first line of the cause and no secrets.
 */
export async function answeringOutages(secrets: readonly string[], handler: () => Promise<HttpResponseInit>): Promise<HttpResponseInit> {
  try {
    return await handler();
  } catch (error) {
    return jsonError(503, redact(`the Durable Functions extension did not answer as expected, try again later: ${errorMessage(error)}`, secrets));
  }
}
