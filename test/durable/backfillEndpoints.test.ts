import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type FxGoldRowStore } from '../../src/storage/fxGoldTable.js';
import { startDurableHost, type DurableHost } from '../support/durableHost.js';
import { startFakeProviders, type FakeProviders } from '../support/fakeProviders.js';
import { invoke, loadFunctionsApp } from '../support/functionsApp.js';
import { goldByDate, readInstance } from '../support/readInstance.js';
import { connectionStore } from '../support/stores.js';

/**
 * POST /api/backfills → the backfill orchestrator → planBackfill and runBackfillChunk for real → fake providers over
 * HTTP → real Azurite, with the test host playing the Durable extension; GET /api/backfills/{id} and GET /api/usage.
 */
const GOLD_KEY = 'goldapi-backfill-secret-7777-io';
let fake: FakeProviders;
let host: DurableHost;
let store: FxGoldRowStore;

beforeAll(async () => {
  fake = await startFakeProviders();
  host = await startDurableHost();
  const table = `FxGoldBackfill${process.pid}`;
  Object.assign(process.env, fake.settings(), {
    GOLDAPI_KEY: GOLD_KEY,
    FXGOLD_STORAGE_CONNECTION: inject('azuriteConnectionString'),
    FXGOLD_TABLE_NAME: table,
    FXGOLD_USAGE_TABLE_NAME: `FxGoldUsage${process.pid}`,
    FXGOLD_BACKFILL_PARALLELISM: '2',
  });
  store = connectionStore(inject('azuriteConnectionString'), table);
  await loadFunctionsApp();
});
afterAll(async () => {
  await host.close();
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  host.startRequests.length = 0;
});

type JsonResponse = Omit<HttpResponseInit, 'jsonBody'> & { jsonBody: Record<string, unknown> & { error?: string } };
const call = async (name: string, request: HttpRequest) =>
  (await invoke(name, request, { durableClient: host.clientBinding })) as JsonResponse;
const post = (body: string) =>
  call('startBackfill', new HttpRequest({ method: 'POST', url: 'http://localhost:7071/api/backfills', body: { string: body } }));
const get = (id: string) =>
  call('getBackfill', new HttpRequest({ method: 'GET', url: `http://localhost:7071/api/backfills/${id}`, params: { id } }));

describe('POST /api/backfills: bad input', () => {
  it.each([
    ['{"from":', /not valid JSON/],
    ['[1]', /^request body must be a JSON object/],
    ['{"to":"2025-07-04"}', /"from" is required/],
    ['{"from":"2025-7-1","to":"2025-07-04"}', /from "2025-7-1" must be a date in the form YYYY-MM-DD/],
    ['{"from":"2025-02-30","to":"2025-03-04"}', /not a real calendar date/],
    ['{"from":"2025-07-10","to":"2025-07-01"}', /from 2025-07-10 is after to 2025-07-01/],
    ['{"from":"2025-07-12","to":"2025-07-13"}', /no business day \(only a weekend\)/],
    ['{"from":"2025-07-01","to":"2999-01-04"}', /in the future/],
    ['{"from":"1998-12-01","to":"1999-01-29"}', /before 1999-01-04/],
    ['{"from":"2001-01-01","to":"2021-01-01"}', /longer than 20 years/],
    ['{"from":"2025-07-01","to":"2025-07-04","force":"yes"}', /"force" must be true or false/],
    ['{"from":"2025-07-01","to":"2025-07-04","retryGaps":"yes"}', /"retryGaps" must be true or false/],
    [
      '{"from":"2025-07-01","to":"2025-07-04","dryRun":true}',
      /unknown field\(s\) "dryRun"; allowed: "from", "to", "force", "acceptQuality", "retryGaps"/,
    ],
  ])('answers 400 JSON for %s, and starts nothing', async (body, error) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(response.jsonBody.error).toMatch(error);
    expect(host.startRequests).toEqual([]);
  });

  it('refuses, with 422 and before starting anything, a backfill over the gold request budget, saying what it needs and what to change', async () => {
    const response = await post('{"from":"2024-01-01","to":"2024-06-30"}');
    expect(response.status).toBe(422);
    expect(response.jsonBody.error).toMatch(/needs 130 goldapi requests .*FXGOLD_GOLD_REQUEST_BUDGET allows 80/);
    expect(host.startRequests).toEqual([]);
    expect(fake.requests.filter((r) => r.provider === 'goldapi')).toEqual([]);
  });
});

describe('GET /api/backfills/{id}: unknown', () => {
  it.each(['fxgold-backfill-2025-01-01-2025-01-31', 'fxgold-2025-07-08', 'whatever'])('answers 404 JSON for %s', async (id) => {
    const response = await get(id);
    expect(response.status).toBe(404);
    expect(response.jsonBody.error).toMatch(/^no backfill/);
  });
});

describe('a backfill end to end', () => {
  it('a small range: 202 with its id and status URI, rows stored once per business date, GET shows progress and the summary', async () => {
    // An instance's read cache, loaded before the backfill, has its rows on its next read.
    const reader = readInstance(inject('azuriteConnectionString'), process.env.FXGOLD_TABLE_NAME ?? '');
    expect(await goldByDate(reader, '2025-06-02', '2025-07-04')).toEqual({});
    const response = await post('{"from":"2025-06-02","to":"2025-07-04"}');
    expect(response.status).toBe(202);
    const id = 'fxgold-backfill-2025-06-02-2025-07-04';
    expect(response.jsonBody).toMatchObject({ id, statusUri: `http://localhost:7071/api/backfills/${id}` });
    expect(response.headers).toMatchObject({ Location: `http://localhost:7071/api/backfills/${id}` });
    await host.idle();

    const view = await get(id);
    expect(view.status).toBe(200);
    expect(view.jsonBody).toMatchObject({
      id,
      from: '2025-06-02',
      to: '2025-07-04',
      runtimeStatus: 'Completed',
      stage: 'completed',
      progress: { total: 25, stored: 25, skipped: 0, failed: 0 },
      failedDates: [],
      error: null,
    });
    expect(view.jsonBody.summary).toMatchObject({ from: '2025-06-02', to: '2025-07-04', dates: 25, stored: 25, failed: [] });
    // Two chunks (June, July) with parallelism 2: one wave.
    expect(host.mostInFlight.get('runBackfillChunk')).toBeLessThanOrEqual(2);
    expect(fake.requests.filter((r) => r.provider === 'frankfurter')).toHaveLength(2);
    expect(await store.find('USD', '2025-06-02')).toMatchObject({ rowKey: '2025-06-02', GoldSource: 'LBMA' });
    expect(await store.find('USD', '2025-07-04')).toMatchObject({ rowKey: '2025-07-04' });
    expect(Object.keys(await goldByDate(reader, '2025-06-02', '2025-07-04'))).toHaveLength(25);
    expect(JSON.stringify([response, view])).not.toContain(GOLD_KEY);
    expect(JSON.stringify(response)).not.toContain('systemkey');

    // The ledger counted the gold requests; GET /api/usage shows them.
    const usage = await call('getUsage', new HttpRequest({ method: 'GET', url: 'http://localhost:7071/api/usage' }));
    expect(usage.status).toBe(200);
    expect(usage.jsonBody).toMatchObject({ requests: { goldapi: 25 }, gold: { provider: 'goldapi', metered: true, monthlyQuota: 100 } });
    expect(JSON.stringify(usage)).not.toContain(GOLD_KEY);
  });

  it('a range already running answers 409; started again once done, it skips every stored date', async () => {
    const release = host.holdRuns();
    expect((await post('{"from":"2025-05-05","to":"2025-05-09"}')).status).toBe(202);
    const again = await post('{"from":"2025-05-05","to":"2025-05-09"}');
    expect(again.status).toBe(409);
    expect(again.jsonBody).toMatchObject({ id: 'fxgold-backfill-2025-05-05-2025-05-09', runtimeStatus: 'Pending' });
    release();
    await host.idle();
    fake.reset();
    expect((await post('{"from":"2025-05-05","to":"2025-05-09"}')).status).toBe(202);
    await host.idle();
    expect((await get('fxgold-backfill-2025-05-05-2025-05-09')).jsonBody).toMatchObject({
      runtimeStatus: 'Completed',
      progress: { total: 5, stored: 0, skipped: 5 },
    });
    expect(fake.requests.filter((r) => r.provider === 'goldapi')).toEqual([]);
  });
});
