import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { AcceptableGateSchema } from '../quality/gate.js';
import { cleanUpstreamText } from '../domain/failureText.js';
import { failure, success, type Result } from '../domain/result.js';
import { jsonError } from './responses.js';

/** The largest body a start endpoint reads: its fields fit in a few hundred bytes. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * The body as text, or undefined once it is longer than MAX_BODY_BYTES: a declared `Content-Length` over it is
 * refused before reading, and the stream is read only up to the cap, so a large body is never parsed or kept.
 */
async function cappedText(request: HttpRequest): Promise<string | undefined> {
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return undefined;
  if (request.body === null) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A request's JSON body checked against a strict schema: a 413 when it is over MAX_BODY_BYTES, a 400 that says what
 * was wrong (not JSON, an unknown field, the schema's own message), never a long echo of the input. An empty body
 * reads as `{}`.
 */
export async function readJsonBody<S extends z.ZodObject>(
  request: HttpRequest,
  schema: S,
  notJson: string,
): Promise<Result<z.output<S>, HttpResponseInit>> {
  const text = await cappedText(request);
  if (text === undefined) return failure(jsonError(413, `request body is larger than ${MAX_BODY_BYTES / 1024} KiB`));
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
    // Each gate once: the list is carried in the orchestration's input and every chunk's, so repeats would only grow it.
    .transform((gates) => [...new Set(gates)])
    .optional(),
};

/** The caller's field names, a few of them and each short, so a body of ten thousand keys is not echoed back. */
const quoteFew = (keys: readonly string[]): string =>
  keys
    .slice(0, 3)
    .map((key) => `"${cleanUpstreamText(key, 40)}"`)
    .join(', ') + (keys.length > 3 ? ` and ${keys.length - 3} more` : '');
