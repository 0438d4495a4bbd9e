import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDurableHost, type DurableHost } from '../support/durableHost.js';
import { invoke, loadFunctionsApp } from '../support/functionsApp.js';

/**
 * Bad input, whatever its shape, gets a 4xx JSON answer that says what was wrong, never a 5xx and never a
 * megabyte of the caller's own text echoed back. Each case goes through the registered function, as the host calls it.
 */
let host: DurableHost;
beforeAll(async () => {
  host = await startDurableHost();
  await loadFunctionsApp();
});
afterAll(async () => {
  console.table(answers);
  await host.close();
});

/** Longer than any message of ours: an answer this long is echoing the input. */
const MAX_ERROR_LENGTH = 400;

const base = 'http://localhost:7071/api/runs';
/** The host hands handlers the query as a name → value map. */
const listRuns = (query: string) =>
  new HttpRequest({ method: 'GET', url: `${base}?${query}`, query: Object.fromEntries(new URLSearchParams(query)) });
const getRun = (instanceId: string) =>
  new HttpRequest({ method: 'GET', url: `${base}/${encodeURIComponent(instanceId)}`, params: { instanceId } });
const startRun = (body: string) => new HttpRequest({ method: 'POST', url: base, body: { string: body } });

const manyKeys = JSON.stringify(Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`field${i}`, i])));
const cases: ReadonlyArray<
  readonly [endpoint: 'listRuns' | 'getRun' | 'startRun', input: string, status: 400 | 404 | 413, request: () => HttpRequest]
> = [
  ...(
    [
      'from=2025-7-1',
      'from=2025-02-30',
      'from=',
      'from=%2B2025-07-01',
      'from=2025-07-01T00:00:00Z',
      'to=0000-01-15',
      'to=10000-01-01',
      'from=1998-12-31',
      'from=2025-07-10&to=2025-07-01',
      'from=2999-01-01',
      'status=Running,Exploded',
      'status=completed',
      'status=%00Running',
      `status=${'Completed,Exploded,'.repeat(3_000)}`,
      `status=${Array.from({ length: 5_000 }, (_, i) => `S${i}`).join(',')}`,
      'limit=-1',
      'limit=0',
      'limit=1.5',
      'limit=0x10',
      'limit=1e2',
      'limit=%205',
      'limit=',
      'limit=101',
      'limit=99999999999999999999999',
      'limit=many',
      'limit=%EF%BC%95',
    ] as const
  ).map((query) => ['listRuns', query, 400, () => listRuns(query)] as const),
  ...(
    [
      'something-else',
      'fxgold-2025-07-08',
      'fxgold-2025-7-8',
      'FXGOLD-2025-07-08',
      'fxgold-2025-07-08/../x',
      '',
      'fxgold-2025-07-08 ',
      'fxgold-2025-07-08\nfx-gold: stored row OK',
      'fxgold-9999-99-99',
      'x'.repeat(10_000),
    ] as const
  ).map((instanceId) => ['getRun', instanceId, 404, () => getRun(instanceId)] as const),
  ...(
    [
      '{"date":',
      '[1,2]',
      'null',
      '"2025-07-08"',
      '42',
      '\u0000',
      '{"date":20250708}',
      '{"date":null}',
      '{"date":"2025-7-8"}',
      '{"date":"2025-07-08\\n"}',
      '{"date":"2025-02-29"}',
      '{"date":"2025-07-12"}',
      '{"date":"2999-01-04"}',
      '{"date":"0000-01-15"}',
      '{"date":"1998-12-31"}',

      '{"force":"yes"}',
      '{"date":"2025-07-08","force":1}',
      '{"date":"2025-07-08","dryRun":true}',
      '{"__proto__":{"date":"2025-07-08"}}',
    ] as const
  ).map((body) => ['startRun', body, 400, () => startRun(body)] as const),
  // Over 16 KiB: refused before it is parsed, whatever it holds.
  ...(
    [`{"date":"${'9'.repeat(100_000)}"}`, manyKeys, `{"acceptQuality":[${'"plausibility",'.repeat(700_000)}"plausibility"]}`] as const
  ).map((body) => ['startRun', body, 413, () => startRun(body)] as const),
];

const answers: Array<{ endpoint: string; input: string; status: number | undefined; error: string }> = [];
/** For the printed table: control characters shown as escapes, long text cut. */
const shorten = (text: string) => {
  // eslint-disable-next-line no-control-regex
  const shown = text.replace(/[\u0000-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return shown.length > 50 ? `${shown.slice(0, 47)}…` : shown;
};

describe('bad input to the operators’ endpoints', () => {
  it('covers at least 40 cases across the three endpoints', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map(([endpoint]) => endpoint)).size).toBe(3);
  });

  it.each(cases.map(([endpoint, input, status, request]) => ({ endpoint, input: shorten(input), status, request })))(
    '$endpoint $input answers $status JSON with an error',
    async ({ endpoint, input, status, request }) => {
      const answer = (await invoke(endpoint, request(), { durableClient: host.clientBinding })) as Omit<HttpResponseInit, 'jsonBody'> & {
        jsonBody?: { error?: unknown };
      };
      const error = answer.jsonBody?.error;
      answers.push({ endpoint, input, status: answer.status, error: typeof error === 'string' ? shorten(error) : String(error) });
      expect(answer.status).toBe(status);
      expect(typeof error).toBe('string');
      expect((error as string).length).toBeLessThanOrEqual(MAX_ERROR_LENGTH);
      // eslint-disable-next-line no-control-regex -- on purpose: the message must carry no control characters
      expect(error).not.toMatch(/[\n\r\u0000]/);
      expect(host.startRequests).toEqual([]);
    },
  );
});
