import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { AcceptableGateSchema } from '../quality/gate.js';
import { cleanUpstreamText } from '../domain/failureText.js';
import { failure, success, type Result } from '../domain/result.js';
import { jsonError } from './responses.js';

/**
 * A request's JSON body checked against a strict schema: a 400 that says what was wrong (not JSON, an unknown field,
 * the schema's own message), never a long echo of the input. An empty body reads as `{}`.
 */
export async function readJsonBody<S extends z.ZodObject>(
  request: HttpRequest,
  schema: S,
  notJson: string,
): Promise<Result<z.output<S>, HttpResponseInit>> {
  const text = await request.text();
  let raw: unknown = {};
  if (text.trim() !== '') {
    try {
      raw = JSON.parse(text);
    } catch {
      return failure(jsonError(400, notJson));
    }
  }
  const body = schema.safeParse(raw);
  if (body.success) return success(body.data);
  const issue = body.error.issues[0];
  const allowed = Object.keys(schema.shape).map((key) => `"${key}"`);
  const message =
    issue?.code === 'unrecognized_keys' ? `unknown field(s) ${quoteFew(issue.keys)}; allowed: ${allowed.join(', ')}` : issue?.message;
  return failure(jsonError(400, message ?? 'request body is invalid'));
}

/** The fields the start endpoints share. */
export const StartFields = {
  force: z.boolean({ error: '"force" must be true or false' }).optional(),
  acceptQuality: z
    .array(AcceptableGateSchema, {
      error: '"acceptQuality" must be a list of quality gates to accept; only ["plausibility"] can be accepted',
    })
    .optional(),
};

/** The caller's field names, a few of them and each short, so a body of ten thousand keys is not echoed back. */
const quoteFew = (keys: readonly string[]): string =>
  keys
    .slice(0, 3)
    .map((key) => `"${cleanUpstreamText(key, 40)}"`)
    .join(', ') + (keys.length > 3 ? ` and ${keys.length - 3} more` : '');
