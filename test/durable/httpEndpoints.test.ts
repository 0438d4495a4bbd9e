import { HttpRequest, HttpResponse, type HttpResponseInit } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDurableHost, type DurableHost } from '../support/durableHost.js';
import { listRunsHandler } from '../../src/http/listRunsHandler.js';
import { startRunHandler } from '../../src/http/startRunHandler.js';
import { durableClient, invoke, loadFunctionsApp } from '../support/functionsApp.js';

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

type JsonResponse = HttpResponseInit & { jsonBody: Record<string, unknown> & { error?: string } };
/** Handlers answer either a plain init ({ status, jsonBody }) or an HttpResponse (createCheckStatusResponse); read both alike. */
async function call(name: string, request: HttpRequest): Promise<JsonResponse> {
  const answer = (await invoke(name, request, { durableClient: host.clientBinding })) as JsonResponse | HttpResponse;
  if (!(answer instanceof HttpResponse)) return answer;
  return { status: answer.status, headers: Object.fromEntries(answer.headers), jsonBody: (await answer.json()) as JsonResponse['jsonBody'] };
}
const post = (body: string) => call('startRun', new HttpRequest({ method: 'POST', url: 'http://localhost:7071/api/runs', body: { string: body } }));
const get = (instanceId: string) => call('getRun', new HttpRequest({ method: 'GET', url: `http://localhost:7071/api/runs/${instanceId}`, params: { instanceId } }));
const list = (query: Record<string, string>) => call('listRuns', new HttpRequest({ method: 'GET', url: `http://localhost:7071/api/runs?${new URLSearchParams(query)}`, query }));

/** An instance as the extension would report it, without running anything. */
function seed(date: string, runtimeStatus: 'Running' | 'Completed' | 'Failed', output: unknown = null) {
  const at = new Date(`${date}T18:00:00Z`);
  host.instances.set(`fxgold-${date}`, { name: 'fxGoldOrchestrator', instanceId: `fxgold-${date}`, input: { date }, createdTime: at, lastUpdatedTime: at, runtimeStatus, customStatus: { date, stage: 'fetching' }, output });
}

describe('POST /api/runs (startRun)', () => {
  it.each([
    ['{"date":', /not valid JSON/],
    ['[1,2]', /expected object/i],
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
      statusQueryGetUri: 'http://localhost:7071/runtime/webhooks/durabletask/instances/fxgold-2025-07-08?taskHub=TestHub&connection=Storage',
      terminatePostUri: 'http://localhost:7071/runtime/webhooks/durabletask/instances/fxgold-2025-07-08/terminate?reason={text}&taskHub=TestHub&connection=Storage',
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
    expect(answers.find((a) => a.status === 409)?.jsonBody).toMatchObject({ runtimeStatus: 'Pending', error: 'the run for 2025-07-10 is already pending' });
    expect(host.startRequests).toEqual(['fxgold-2025-07-10', 'fxgold-2025-07-10']);
    expect(host.instances.size).toBe(1);
    await host.idle();
  });

  it('answers 409 while that date is running, and for a completed date unless forced', async () => {
    seed('2025-07-08', 'Running');
    expect(await post('{"date":"2025-07-08"}')).toMatchObject({ status: 409, jsonBody: { instanceId: 'fxgold-2025-07-08', runtimeStatus: 'Running', error: expect.stringMatching(/already running/) } });
    seed('2025-07-09', 'Completed');
    expect(await post('{"date":"2025-07-09"}')).toMatchObject({ status: 409, jsonBody: { runtimeStatus: 'Completed', error: expect.stringMatching(/send "force": true/) } });
    expect(await post('{"date":"2025-07-08","force":true}')).toMatchObject({ status: 409, jsonBody: { runtimeStatus: 'Running' } });
    expect(host.startRequests).toEqual([]);
    expect((await post('{"date":"2025-07-09","force":true}')).status).toBe(202);
    expect(host.startRequests).toEqual(['fxgold-2025-07-09']);
    await host.idle();
  });
});

describe('when the Durable extension does not answer', () => {
  it.each([
    ['startRun', () => new HttpRequest({ method: 'POST', url: 'http://localhost:7071/api/runs', body: { string: '{"date":"2025-07-08"}' } })],
    ['getRun', () => new HttpRequest({ method: 'GET', url: 'http://localhost:7071/api/runs/fxgold-2025-07-08', params: { instanceId: 'fxgold-2025-07-08' } })],
    ['listRuns', () => new HttpRequest({ method: 'GET', url: 'http://localhost:7071/api/runs' })],
  ])('%s answers 503 with a JSON error', async (name, request) => {
    const unreachable = { ...host.clientBinding, rpcBaseUrl: 'http://127.0.0.1:9/durabletask/' };
    const answer = (await invoke(name, request(), { durableClient: unreachable })) as JsonResponse;
    expect(answer).toMatchObject({ status: 503, jsonBody: { error: expect.stringMatching(/^the Durable Functions extension did not answer as expected, try again later: .*ECONNREFUSED/) } });
  });
});

describe('GET /api/runs/{instanceId} (getRun)', () => {
  it('answers 404 JSON for an unknown or malformed run id', async () => {
    expect(await get('fxgold-2025-07-08')).toMatchObject({ status: 404, jsonBody: { error: 'no run fxgold-2025-07-08' } });
    expect(await get('something-else')).toMatchObject({ status: 404, jsonBody: { error: expect.stringMatching(/run ids look like fxgold-YYYY-MM-DD/) } });
  });

  it('moves a failed run’s message to "error" and scrubs secrets from it, even a key pasted with a newline', async () => {
    process.env.GOLDAPI_KEY = 'goldapi-never-show-me-io\n';
    try {
      seed('2025-07-08', 'Failed', "Orchestrator function 'fxGoldOrchestrator' failed: goldapi: HTTP 500: echo goldapi-never-show-me-io");
      const response = await get('fxgold-2025-07-08');
      expect(response.status).toBe(200);
      expect(response.jsonBody).toMatchObject({ runtimeStatus: 'Failed', output: null, error: expect.stringContaining('goldapi: HTTP 500: echo ***'), createdTime: '2025-07-08T18:00:00.000Z' });
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
    [{ status: 'Running,Exploded' }, /"status" values must be among/],
    [{ limit: '1000' }, /"limit" must be at most 100/],
    [{ limit: 'many' }, /"limit" must be a number/],
  ])('answers 400 for %j', async (query, error) => {
    const response = await list(query);
    expect(response.status).toBe(400);
    expect(response.jsonBody.error).toMatch(error);
  });

  it('defaults to today and the 30 days before it', async () => {
    seed('2025-06-30', 'Completed');
    seed('2025-07-01', 'Completed');
    seed('2025-07-31', 'Completed');
    const request = new HttpRequest({ method: 'GET', url: 'http://localhost:7071/api/runs' });
    const response = (await listRunsHandler(request, durableClient(host.clientBinding), [], new Date('2025-07-31T20:00:00Z'))) as JsonResponse;
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
    expect((all.jsonBody.runs as Array<{ instanceId: string }>).map((r) => r.instanceId)).toEqual(['fxgold-2025-07-09', 'fxgold-2025-07-08', 'fxgold-2025-07-07']);

    const completed = await list({ from: '2025-07-01', to: '2025-07-31', status: 'Completed' });
    expect((completed.jsonBody.runs as Array<{ date: string }>).map((r) => r.date)).toEqual(['2025-07-09', '2025-07-07']);

    const limited = await list({ from: '2025-06-01', to: '2025-07-31', limit: '2' });
    expect(limited.jsonBody).toMatchObject({ count: 2, truncated: true });
    expect((limited.jsonBody.runs as Array<{ date: string }>).map((r) => r.date)).toEqual(['2025-07-10', '2025-07-09']);
  });
});
