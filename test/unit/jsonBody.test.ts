import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAX_BODY_BYTES, readJsonBody, StartFields } from '../../src/http/jsonBody.js';

const Schema = z.strictObject({ date: z.string().optional(), ...StartFields });
const read = (request: HttpRequest) => readJsonBody(request, Schema, 'not JSON');
const post = (body: string, headers: Record<string, string> = {}) =>
  new HttpRequest({
    method: 'POST',
    url: 'http://localhost:7071/api/runs',
    headers,
    body: { string: body },
  });

describe('readJsonBody', () => {
  it('keeps each accepted gate once, however often the caller repeats it', async () => {
    const body = JSON.stringify({ acceptQuality: Array.from({ length: 500 }, () => 'plausibility') });
    expect(body.length).toBeLessThan(MAX_BODY_BYTES);
    expect(await read(post(body))).toEqual({ ok: true, value: { acceptQuality: ['plausibility'] } });
  });

  it('answers 413 JSON for a body over 16 KiB, declared or not, before parsing it', async () => {
    const tooLong = JSON.stringify({ date: '2025-07-08', force: true, pad: 'x'.repeat(MAX_BODY_BYTES) });
    expect(await read(post(tooLong))).toEqual({
      ok: false,
      error: { status: 413, jsonBody: { error: 'request body is larger than 16 KiB' } },
    });

    // A declared length over the cap is refused before anything is read.
    const declaredOnly = await read(post('{}', { 'content-length': String(10 * 1024 * 1024) }));
    expect(!declaredOnly.ok && declaredOnly.error.status).toBe(413);

    // Exactly at the cap it is read, parsed and judged as usual.
    const atCap = `{"date":"2025-07-08"}`.padEnd(MAX_BODY_BYTES, ' ');
    expect(await read(post(atCap))).toEqual({ ok: true, value: { date: '2025-07-08' } });
  });
});
