import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequest, HttpResponse, type HttpResponseInit } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDurableHost, type DurableHost } from '../support/durableHost.js';
import { listRunsHandler } from '../../src/http/listRunsHandler.js';
import { startRunHandler } from '../../src/http/startRunHandler.js';
import { durableClient, invoke, loadFunctionsApp, type CapturedLog } from '../support/functionsApp.js';

/** The operators' HTTP endpoints, called as the host calls them, against the test durable host. */
let host: DurableHost;
beforeAll(async () => {
  host = await startDurableHost();
  await loadFunctionsApp();
});
afterAll(() => host.close());
beforeEach(() => {
  host.instances.clear();
  host.startRequests.length = 0;
});

type JsonResponse = Omit<HttpResponseInit, 'jsonBody'> & { jsonBody: Record<string, unknown> & { error?: string } };
/** Handlers answer either a plain init ({ status, jsonBody }) or an HttpResponse (createCheckStatusResponse); read both alike. */
async function call(name: string, request: HttpRequest): Promise<JsonResponse> {
  const answer = (await invoke(name, request, { durableClient: host.clientBinding })) as JsonResponse | HttpResponse;
  if (!(answer instanceof HttpResponse)) return answer;
  return {
    status: answer.status,
    headers: Object.fromEntries(answer.headers),
    jsonBody: (await answer.json()) as JsonResponse['jsonBody'],
  };
}
const post = (body: string) =>
  call('startRun', new HttpRequest({ method: 'POST', url: 'http://localhost:7071/api/runs', body: { string: body } }));
const get = (instanceId: string) =>
  call('getRun', new HttpRequest({ method: 'GET', url: `http://localhost:7071/api/runs/${instanceId}`, params: { instanceId } }));
const list = (query: Record<string, string>) =>
  call(
    'listRuns',
    new HttpRequest({ method: 'GET', url: `http://localhost:7071/api/runs?${new URLSearchParams(query).toString()}`, query }),
  );

/** An instance as the extension would report it, without running anything. */
function seed(date: string, runtimeStatus: 'Running' | 'Completed' | 'Failed', output: unknown = null) {
  const at = new Date(`${date}T18:00:00Z`);
  host.instances.set(`fxgold-${date}`, {
    name: 'fxGoldOrchestrator',
    instanceId: `fxgold-${date}`,
    input: { date },
    createdTime: at,
    lastUpdatedTime: at,
    runtimeStatus,
    customStatus: { date, stage: 'fetching' },
    output,
  });
}

describe('POST /api/runs (startRun)', () => {
  it.each([
    ['{"date":', /not valid JSON/],
    [
      '[1,2]',
      /^request body must be a JSON object: \{"date":"YYYY-MM-DD","force":true,"acceptQuality":\["plausibility"\]\}, all optional$/,
    ],
    ['{"date":20250708}', /"date" must be a string/],
    ['{"date":"2025-7-8"}', /form YYYY-MM-DD/],
    ['{"date":"2025-02-29"}', /not a real calendar date/],
    ['{"date":"2025-07-12"}', /2025-07-12 is a Saturday/],
    ['{"date":"2999-01-04"}', /in the future/],
    ['{"force":"yes"}', /"force" must be true or false/],
    ['{"date":"2025-07-08","dryRun":true}', /unknown field\(s\) "dryRun"/],
  ])('answers 400 with a JSON error for %s', async (body, error) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(response.jsonBody.error).toMatch(error);
    expect(host.startRequests).toEqual([]);
  });

  it('starts the run for the date and answers 202 with the check-status links', async () => {
    const response = await post('{"date":"2025-07-08"}');
    expect(response.status).toBe(202);
    expect(response.jsonBody).toMatchObject({
      id: 'fxgold-2025-07-08',
      statusQueryGetUri:
        'http://localhost:7071/runtime/webhooks/durabletask/instances/fxgold-2025-07-08?taskHub=TestHub&connection=Storage',
      terminatePostUri:
        'http://localhost:7071/runtime/webhooks/durabletask/instances/fxgold-2025-07-08/terminate?reason={text}&taskHub=TestHub&connection=Storage',
      runStatusUri: 'http://localhost:7071/api/runs/fxgold-2025-07-08',
    });
    // Location must work with the caller's function key, so it is our status endpoint, not the webhook.
    expect(response.headers).toMatchObject({ Location: 'http://localhost:7071/api/runs/fxgold-2025-07-08', 'Retry-After': '10' });
    // The extension's system key (code=...) opens every instance's management API: it never leaves in the answer.
    expect(JSON.stringify(response)).not.toContain('systemkey');
    expect(host.startRequests).toEqual(['fxgold-2025-07-08']);
    await host.idle();
  });

  it('runs for today (UTC) when no date is given, and refuses when today is a weekend', async () => {
    const empty = () => new HttpRequest({ method: 'POST', url: 'http://localhost:7071/api/runs' });
    const wednesdayEvening = new Date('2025-07-09T23:30:00Z');
    expect(await startRunHandler(empty(), durableClient(host.clientBinding), wednesdayEvening)).toMatchObject({ status: 202 });
    expect(host.startRequests).toEqual(['fxgold-2025-07-09']);
    expect(await startRunHandler(empty(), durableClient(host.clientBinding), new Date('2025-07-13T10:00:00Z'))).toMatchObject({
      status: 400,
      jsonBody: { error: expect.stringMatching(/2025-07-13 is a Sunday/) },
    });
    await host.idle();
  });

  it('answers one of two simultaneous starts for a date with 202 and the other with 409', async () => {
    const release = host.holdRuns();
    const answers = await Promise.all([post('{"date":"2025-07-10"}'), post('{"date":"2025-07-10"}')]);
    release();
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
    expect(answers.find((a) => a.status === 409)?.jsonBody).toMatchObject({
      runtimeStatus: 'Pending',
      error: 'the run for 2025-07-10 is already pending',
    });
    expect(host.startRequests).toEqual(['fxgold-2025-07-10', 'fxgold-2025-07-10']);
    expect(host.instances.size).toBe(1);
    await host.idle();
  });

  it('answers 409 while that date is running, and for a completed date unless forced', async () => {
    seed('2025-07-08', 'Running');
    expect(await post('{"date":"2025-07-08"}')).toMatchObject({
      status: 409,
      jsonBody: { instanceId: 'fxgold-2025-07-08', runtimeStatus: 'Running', error: expect.stringMatching(/already running/) },
    });
    seed('2025-07-09', 'Completed');
    expect(await post('{"date":"2025-07-09"}')).toMatchObject({
      status: 409,
      jsonBody: { runtimeStatus: 'Completed', error: expect.stringMatching(/send "force": true/) },
    });
    expect(await post('{"date":"2025-07-08","force":true}')).toMatchObject({ status: 409, jsonBody: { runtimeStatus: 'Running' } });
    expect(host.startRequests).toEqual([]);
    expect((await post('{"date":"2025-07-09","force":true}')).status).toBe(202);
    expect(host.startRequests).toEqual(['fxgold-2025-07-09']);
    await host.idle();
  });
});

const requests = {
  startRun: () => new HttpRequest({ method: 'POST', url: 'http://localhost:7071/api/runs', body: { string: '{"date":"2025-07-08"}' } }),
  getRun: () =>
    new HttpRequest({
      method: 'GET',
      url: 'http://localhost:7071/api/runs/fxgold-2025-07-08',
      params: { instanceId: 'fxgold-2025-07-08' },
    }),
  listRuns: () => new HttpRequest({ method: 'GET', url: 'http://localhost:7071/api/runs' }),
};
const endpoints = Object.keys(requests) as Array<keyof typeof requests>;

/** A stand-in for the extension's rpc endpoint that answers every request the same (mis)way; closed after `use`. */
async function withExtension<T>(
  answer: (request: IncomingMessage, response: ServerResponse) => void,
  use: (binding: typeof host.clientBinding) => Promise<T>,
): Promise<T> {
  const server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await use({ ...host.clientBinding, rpcBaseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/durabletask/` });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const SECRET = 'goldapi-never-show-me-io';
/** Calls an endpoint over a given durable client binding with a secret in the environment, capturing its log. */
async function callWithSecret(
  name: string,
  request: HttpRequest,
  binding: unknown,
): Promise<{ answer: JsonResponse; logs: CapturedLog[] }> {
  const logs: CapturedLog[] = [];
  process.env.GOLDAPI_KEY = SECRET;
  try {
    return { answer: (await invoke(name, request, { durableClient: binding }, logs)) as JsonResponse, logs };
  } finally {
    delete process.env.GOLDAPI_KEY;
  }
}

describe('when the Durable extension does not answer', () => {
  const noAnswer = {
    'connection refused': (use: (binding: unknown) => Promise<void>) =>
      use({ ...host.clientBinding, rpcBaseUrl: 'http://127.0.0.1:9/durabletask/' }),
    'connection reset': (use: (binding: unknown) => Promise<void>) => withExtension((request) => request.socket.destroy(), use),
    'HTTP 503 from the extension': (use: (binding: unknown) => Promise<void>) =>
      withExtension(
        (_, response) =>
          response.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ Message: `storage down, key ${SECRET}` })),
        use,
      ),
  };
  const cases = Object.keys(noAnswer).flatMap((fault) =>
    endpoints.map((name) => [fault, name] as [keyof typeof noAnswer, keyof typeof requests]),
  );

  it.each(cases)('%s: %s answers 503 JSON saying so, and logs the cause without secrets', async (fault, name) => {
    await noAnswer[fault](async (binding) => {
      const { answer, logs } = await callWithSecret(name, requests[name](), binding);
      expect(answer).toMatchObject({
        status: 503,
        jsonBody: {
          error: expect.stringMatching(
            /^the Durable Functions extension did not answer \((ECONNREFUSED|ECONNRESET|HTTP 503)\), try again later$/,
          ),
        },
      });
      expect(logs).toEqual([{ level: 'warning', message: expect.stringMatching(/^the Durable Functions extension did not answer/) }]);
      expect(JSON.stringify({ answer, logs })).not.toContain(SECRET);
    });
  });
});

describe('when something else goes wrong', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const faults: Array<[string, keyof typeof requests, (use: (binding: unknown) => Promise<void>) => Promise<void>, RegExp]> = [
    [
      'the extension refuses the query (HTTP 400, a secret in its body)',
      'listRuns',
      (use) =>
        withExtension(
          (_, response) =>
            response
              .writeHead(400, { 'content-type': 'application/json' })
              .end(JSON.stringify({ Message: `bad query for ${SECRET}\nforged line` })),
          use,
        ),
      /^internal error (\S+): Error: The operation failed with an unexpected status code: 400\. Details: .*bad query for \*\*\*/,
    ],
    [
      'the extension answers a list that is not a list (a TypeError in the handler)',
      'listRuns',
      (use) => withExtension((_, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"runs":"none"}'), use),
      /^internal error (\S+): TypeError: statuses\.map is not a function \(at /,
    ],
    [
      'the client’s rpc address is unusable (the client throws a TypeError)',
      'getRun',
      (use) => use({ ...host.clientBinding, rpcBaseUrl: 'not a url' }),
      /^internal error (\S+): TypeError: Invalid URL/,
    ],
    [
      'the durable client binding is missing (the client cannot be built)',
      'startRun',
      (use) => use(undefined),
      /^internal error (\S+): Error: Received input is not a valid durable client input/,
    ],
  ];

  it.each(faults)('%s: %s answers 500 JSON with a correlation id, and logs the cause once under that id', async (_, name, fault, cause) => {
    await fault(async (binding) => {
      const { answer, logs } = await callWithSecret(name, requests[name](), binding);
      expect(answer).toEqual({ status: 500, jsonBody: { error: 'internal error', correlationId: expect.stringMatching(UUID) } });
      expect(logs).toHaveLength(1);
      expect(logs[0]).toMatchObject({ level: 'error', message: expect.stringMatching(cause) });
      expect(cause.exec(logs[0]?.message ?? '')?.[1]).toBe(answer.jsonBody.correlationId);
      expect(logs[0]?.message).not.toMatch(/[\n\r]/);
      expect(JSON.stringify({ answer, logs })).not.toContain(SECRET);
    });
  });
});

describe('GET /api/runs/{instanceId} (getRun)', () => {
  it('answers 404 JSON for an unknown or malformed run id', async () => {
    expect(await get('fxgold-2025-07-08')).toMatchObject({ status: 404, jsonBody: { error: 'no run fxgold-2025-07-08' } });
    expect(await get('something-else')).toMatchObject({
      status: 404,
      jsonBody: { error: expect.stringMatching(/run ids look like fxgold-YYYY-MM-DD/) },
    });
  });

  it('moves a failed run’s message to "error" and scrubs secrets from it, even a key pasted with a newline', async () => {
    process.env.GOLDAPI_KEY = 'goldapi-never-show-me-io\n';
    try {
      seed('2025-07-08', 'Failed', "Orchestrator function 'fxGoldOrchestrator' failed: goldapi: HTTP 500: echo goldapi-never-show-me-io");
      const response = await get('fxgold-2025-07-08');
      expect(response.status).toBe(200);
      expect(response.jsonBody).toMatchObject({
        runtimeStatus: 'Failed',
        output: null,
        error: expect.stringContaining('goldapi: HTTP 500: echo ***'),
        createdTime: '2025-07-08T18:00:00.000Z',
      });
      expect(JSON.stringify(response.jsonBody)).not.toContain('goldapi-never-show-me-io');
    } finally {
      delete process.env.GOLDAPI_KEY;
    }
  });
});

describe('GET /api/runs (listRuns)', () => {
  it.each([
    [{ from: '2025-7-1' }, /"from" must be a date in the form YYYY-MM-DD/],
    [{ from: '2025-07-10', to: '2025-07-01' }, /"from" \(2025-07-10\) must not be after "to" \(2025-07-01\)/],
    [{ from: '2999-01-01' }, /"from" \(2999-01-01\) must not be after "to"/],
    [{ to: '0000-01-15' }, /^"to" must not be before 1999-01-01$/],
    [{ from: '1998-12-31' }, /^"from" must not be before 1999-01-01$/],
    [{ status: 'Running,Exploded' }, /^"status" values must be among Running, .*; got "Exploded"$/],
    [{ limit: '1000' }, /^"limit" must be at most 100$/],
    [{ limit: '101' }, /^"limit" must be at most 100$/],
    [{ limit: '-1' }, /^"limit" must be at least 1$/],
    [{ limit: '0' }, /^"limit" must be at least 1$/],
    [{ limit: '1.5' }, /^"limit" must be a whole number from 1 to 100, in decimal digits$/],
    [{ limit: '0x10' }, /^"limit" must be a whole number from 1 to 100/],
    [{ limit: '1e2' }, /^"limit" must be a whole number from 1 to 100/],
    [{ limit: ' 5' }, /^"limit" must be a whole number from 1 to 100/],
    [{ limit: '' }, /^"limit" must be a whole number from 1 to 100/],
    [{ limit: 'many' }, /^"limit" must be a whole number from 1 to 100/],
  ])('answers 400 for %j', async (query, error) => {
    const response = await list(query);
    expect(response.status).toBe(400);
    expect(response.jsonBody.error).toMatch(error);
  });

  it('asks the extension for each status once, however often the query repeats it (50 KB of "Completed,")', async () => {
    seed('2025-07-07', 'Completed');
    seed('2025-07-08', 'Failed', 'boom');
    const response = await list({ from: '2025-07-01', to: '2025-07-31', status: 'Completed,'.repeat(5_000) });
    expect(response.status).toBe(200);
    expect((response.jsonBody.runs as Array<{ date: string }>).map((r) => r.date)).toEqual(['2025-07-07']);
    const both = await list({ from: '2025-07-01', to: '2025-07-31', status: ' Failed , Completed,,Failed' });
    expect((both.jsonBody.runs as Array<{ date: string }>).map((r) => r.date)).toEqual(['2025-07-08', '2025-07-07']);
  });

  it('asks the extension for the list without inputs (showInput=false), however large the runs’ inputs were', async () => {
    seed('2025-07-07', 'Completed');
    host.instances.get('fxgold-2025-07-07')!.input = {
      date: '2025-07-07',
      acceptQuality: Array.from({ length: 50_000 }, () => 'plausibility'),
    };
    const response = await list({ from: '2025-07-01', to: '2025-07-31' });
    expect(response.status).toBe(200);
    expect(new URLSearchParams(host.listQueries.at(-1)).get('showInput')).toBe('false');
    expect(JSON.stringify(response.jsonBody)).not.toContain('plausibility');
  });

  it('never reaches before 1999-01-01 when it works out the default window', async () => {
    const response = await list({ to: '1999-01-15' });
    expect(response).toMatchObject({ status: 200, jsonBody: { from: '1999-01-01', to: '1999-01-15', count: 0 } });
  });

  it('defaults to today and the 30 days before it', async () => {
    seed('2025-06-30', 'Completed');
    seed('2025-07-01', 'Completed');
    seed('2025-07-31', 'Completed');
    const request = new HttpRequest({ method: 'GET', url: 'http://localhost:7071/api/runs' });
    const response = (await listRunsHandler(
      request,
      durableClient(host.clientBinding),
      [],
      new Date('2025-07-31T20:00:00Z'),
    )) as JsonResponse;
    expect(response.jsonBody).toMatchObject({ from: '2025-07-01', to: '2025-07-31', count: 2 });
    expect((response.jsonBody.runs as Array<{ date: string }>).map((r) => r.date)).toEqual(['2025-07-31', '2025-07-01']);
  });

  it('lists the runs in the window, newest date first, filtered by status and bounded by limit', async () => {
    seed('2025-07-07', 'Completed');
    seed('2025-07-08', 'Failed', 'boom');
    seed('2025-07-09', 'Completed');
    seed('2025-07-10', 'Running');
    seed('2025-06-30', 'Completed');

    const all = await list({ from: '2025-07-01', to: '2025-07-09' });
    expect(all.status).toBe(200);
    expect(all.jsonBody).toMatchObject({ from: '2025-07-01', to: '2025-07-09', count: 3, truncated: false });
    expect((all.jsonBody.runs as Array<{ instanceId: string }>).map((r) => r.instanceId)).toEqual([
      'fxgold-2025-07-09',
      'fxgold-2025-07-08',
      'fxgold-2025-07-07',
    ]);

    const completed = await list({ from: '2025-07-01', to: '2025-07-31', status: 'Completed' });
    expect((completed.jsonBody.runs as Array<{ date: string }>).map((r) => r.date)).toEqual(['2025-07-09', '2025-07-07']);

    const limited = await list({ from: '2025-06-01', to: '2025-07-31', limit: '2' });
    expect(limited.jsonBody).toMatchObject({ count: 2, truncated: true });
    expect((limited.jsonBody.runs as Array<{ date: string }>).map((r) => r.date)).toEqual(['2025-07-10', '2025-07-09']);
  });
});
