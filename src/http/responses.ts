import type { HttpResponseInit } from '@azure/functions';

/** A JSON answer; every error body has the same shape: `{ "error": "<what was wrong>" , ...details }`. */
export const json = (status: number, body: unknown): HttpResponseInit => ({ status, jsonBody: body });
export const jsonError = (status: number, error: string, details: Record<string, unknown> = {}): HttpResponseInit => json(status, { error, ...details });
