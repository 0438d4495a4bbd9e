import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type FxGoldRowStore } from '../../src/storage/fxGoldTable.js';
import { startDurableHost, type DurableHost } from '../support/durableHost.js';
import { startFakeProviders, type FakeProviders } from '../support/fakeProviders.js';
import { fixture } from '../support/fixtures.js';
import { invoke, loadFunctionsApp } from '../support/functionsApp.js';
import { goldByDate, readInstance } from '../support/readInstance.js';
import { connectionStore } from '../support/stores.js';

/**
 * Timer → starter → orchestrator → real activities → fake providers over HTTP → real Azurite, with the
 * registrations the worker would hand the host and a test host playing the Durable extension's part.
 */
const GOLD_KEY = 'goldapi-e2e-secret-4242-io';
let fake: FakeProviders;
let host: DurableHost;
let store: FxGoldRowStore;
/** The test host's wall clock; null means the real one. */
let hostTime: Date | null = null;

beforeAll(async () => {
  fake = await startFakeProviders();
  host = await startDurableHost({ clock: () => hostTime ?? new Date() });
  const table = `FxGoldE2e${process.pid}`;
  Object.assign(process.env, fake.settings(), {
    GOLDAPI_KEY: GOLD_KEY,
    FXGOLD_STORAGE_CONNECTION: inject('azuriteConnectionString'),
    FXGOLD_TABLE_NAME: table,
  });
  store = connectionStore(inject('azuriteConnectionString'), table);
  await loadFunctionsApp();
});
afterAll(async () => {
  await host.close();
  await fake.close();
});
beforeEach(() => {
  hostTime = null;
  fake.reset();
  host.activityCalls.length = 0;
  host.startRequests.length = 0;
});

const client = () => ({ durableClient: host.clientBinding });

/** A timer firing that is late for 18:00 UTC on `date` (the host was down), so it is for that date. */
const lateTimer = (date: string) => ({
  isPastDue: true,
  schedule: { adjustForDST: true },
  scheduleStatus: { last: '2025-07-01T18:00:00Z', next: `${date}T18:00:00Z`, lastUpdated: '2025-07-01T18:00:01Z' },
});

async function fireTimer(date: string) {
  await invoke('fxGoldDailyStarter', lateTimer(date), client());
}

async function getRun(instanceId: string) {
  const request = new HttpRequest({ method: 'GET', url: `http://localhost:7071/api/runs/${instanceId}`, params: { instanceId } });
  return (await invoke('getRun', request, client())) as Omit<HttpResponseInit, 'jsonBody'> & { jsonBody: Record<string, unknown> };
}

describe('the daily run, end to end in process', () => {
  it('a timer firing runs fetch ∥ fetch → transform → persist, the status endpoint reports Completed and the row is stored', async () => {
    // An instance's read cache, loaded before the run, has the persisted row on its next read.
    const reader = readInstance(inject('azuriteConnectionString'), process.env.FXGOLD_TABLE_NAME ?? '');
    expect(await goldByDate(reader, '2025-07-08', '2025-07-08')).toEqual({});
    await fireTimer('2025-07-08');
    await host.idle();

    const run = await getRun('fxgold-2025-07-08');
    expect(run.status).toBe(200);
    expect(run.jsonBody).toMatchObject({
      instanceId: 'fxgold-2025-07-08',
      date: '2025-07-08',
      runtimeStatus: 'Completed',
      customStatus: { date: '2025-07-08', stage: 'completed' },
      error: null,
      output: {
        date: '2025-07-08',
        table: { partitionKey: 'USD', rowKey: '2025-07-08' },
        currencyDate: '2025-07-08',
        goldSource: 'LBMA',
        goldPrice: 3312.25,
        rates: { EUR: 0.8512, JPY: 146.13, GBP: 0.7355, CHF: 0.7961, CAD: 1.3668, AUD: 1.5308, NZD: 1.6673, SEK: 9.5766, NOK: 10.1188 },
      },
    });
    expect(host.activityCalls.slice(0, 2).sort()).toEqual(['fetchCurrencyRates', 'fetchGoldPrice']);
    expect(host.activityCalls.slice(2)).toEqual(['transformRecord', 'persistRecord']);

    const row = await store.find('USD', '2025-07-08');
    expect(row).toMatchObject({
      rowKey: '2025-07-08',
      GoldPrice: 3312.25,
      GoldSource: 'LBMA',
      Rate_EUR: 0.8512,
      CurrencyProvider: 'frankfurter',
    });
    expect(await goldByDate(reader, '2025-07-08', '2025-07-08')).toEqual({ '2025-07-08': 3312.25 });
  });

  it('on the day itself, asks the live endpoints and stores the live gold quote with open, high and low', async () => {
    hostTime = new Date('2025-07-16T18:00:05Z');
    // The live answers of that day: the documented ones, eight days on (the quality gates check their dates).
    const eightDays = 8 * 86_400;
    const live = fixture<{ timestamp: number; open_time: number }>('goldapi-latest');
    fake.answer('goldapi', { json: { ...live, timestamp: live.timestamp + eightDays, open_time: live.open_time + eightDays } });
    fake.answer('frankfurter', { json: { ...fixture('frankfurter-latest'), date: '2025-07-16' } });
    await fireTimer('2025-07-16');
    await host.idle();

    expect((await getRun('fxgold-2025-07-16')).jsonBody).toMatchObject({
      runtimeStatus: 'Completed',
      output: { goldSource: 'FOREXCOM', goldPrice: 3301.45 },
    });
    expect(fake.requests.map((r) => `${r.provider} ${r.path}`).sort()).toEqual(['frankfurter /latest', 'goldapi /XAU/USD']);
    expect(await store.find('USD', '2025-07-16')).toMatchObject({
      GoldPrice: 3301.45,
      GoldOpeningPrice: 3337.6,
      GoldClosingPrice: 3337.6,
      GoldHigh: 3345.15,
      GoldLow: 3287.92,
      GoldSource: 'FOREXCOM',
      GoldTimestamp: '2025-07-16T18:00:12.000Z',
      QualityFlags: '',
    });
  });

  it('firing the timer twice for the same date leaves one instance and one row', async () => {
    await fireTimer('2025-07-09');
    await fireTimer('2025-07-09'); // while the first run is still going
    await host.idle();
    await fireTimer('2025-07-09'); // after it completed
    await host.idle();

    expect(host.startRequests).toEqual(['fxgold-2025-07-09']);
    expect([...host.instances.keys()].filter((id) => id === 'fxgold-2025-07-09')).toHaveLength(1);
    expect(host.activityCalls.filter((a) => a === 'persistRecord')).toHaveLength(1);
    expect((await getRun('fxgold-2025-07-09')).jsonBody.runtimeStatus).toBe('Completed');
    expect(await store.find('USD', '2025-07-09')).toBeDefined();
  });

  it('retries a transient failure and completes', async () => {
    let calls = 0;
    fake.answer('frankfurter', (request) =>
      ++calls === 1
        ? { status: 503, text: 'busy' }
        : {
            json: {
              amount: 1,
              base: 'USD',
              date: request.path.slice(1),
              rates: { EUR: 0.85, JPY: 146, GBP: 0.73, CHF: 0.79, CAD: 1.36, AUD: 1.53, NZD: 1.66, SEK: 9.57, NOK: 10.1 },
            },
          },
    );
    await fireTimer('2025-07-10');
    await host.idle();

    const run = (await getRun('fxgold-2025-07-10')).jsonBody;
    expect(run.runtimeStatus).toBe('Completed');
    expect((run.output as { attempts: unknown }).attempts).toEqual([
      { chain: 'rates', provider: 'frankfurter', outcome: 'transient', reason: 'server error, HTTP 503' },
      { chain: 'rates', provider: 'frankfurter', outcome: 'served' },
      { chain: 'gold', provider: 'goldapi', outcome: 'served' },
    ]);
    expect(fake.requests.filter((r) => r.provider === 'frankfurter')).toHaveLength(2);
    expect((await store.find('USD', '2025-07-10'))?.Rate_JPY).toBe(146);
  });

  it('a provider outage ends Failed after the retries, with a clear error, no key and no row', async () => {
    fake.answer('goldapi', { status: 503, text: `maintenance for token ${GOLD_KEY}` });
    await fireTimer('2025-07-11');
    await host.idle();

    const run = await getRun('fxgold-2025-07-11');
    expect(run.jsonBody).toMatchObject({ runtimeStatus: 'Failed', output: null, customStatus: { stage: 'fetching' } });
    expect(run.jsonBody.error).toMatch(/goldapi: server error, HTTP 503 \(transient\) \(gave up after 4 attempts\)/);
    expect(fake.requests.filter((r) => r.provider === 'goldapi')).toHaveLength(4);
    expect(host.activityCalls).not.toContain('persistRecord');
    expect(await store.find('USD', '2025-07-11')).toBeUndefined();
    expect(JSON.stringify(run.jsonBody)).not.toContain(GOLD_KEY);
    expect(JSON.stringify(host.logs)).not.toContain(GOLD_KEY);
  });

  it('a permanent failure (bad key) fails the run on the first attempt, naming the provider', async () => {
    fake.answer('goldapi', { status: 403, json: { error: 'Invalid API Key' } });
    await fireTimer('2025-07-14');
    await host.idle();

    const run = await getRun('fxgold-2025-07-14');
    expect(run.jsonBody.runtimeStatus).toBe('Failed');
    expect(run.jsonBody.error).toMatch(/goldapi: request refused, HTTP 403: Invalid API Key/);
    expect(fake.requests.filter((r) => r.provider === 'goldapi')).toHaveLength(1);
    expect(await store.find('USD', '2025-07-14')).toBeUndefined();
  });

  it('anything a provider call throws (a gold timestamp of 9e15) fails the run once, naming goldapi, without retries or a row', async () => {
    fake.answer('goldapi', { json: { ...fixture('goldapi-historical'), timestamp: 9e15 } });
    await fireTimer('2025-07-17');
    await host.idle();

    const run = await getRun('fxgold-2025-07-17');
    expect(run.jsonBody).toMatchObject({
      runtimeStatus: 'Failed',
      customStatus: {
        stage: 'fetching',
        attempts: expect.arrayContaining([{ chain: 'gold', provider: 'goldapi', outcome: 'permanent', reason: expect.any(String) }]),
      },
    });
    expect(run.jsonBody.error).toMatch(/^Orchestrator function 'fxGoldOrchestrator' failed: goldapi: .*\(permanent\)$/);
    expect(run.jsonBody.error).not.toMatch(/Exception while executing|gave up/);
    expect(fake.requests.filter((r) => r.provider === 'goldapi')).toHaveLength(1);
    expect(host.activityCalls).not.toContain('persistRecord');
    expect(await store.find('USD', '2025-07-17')).toBeUndefined();
  });

  it('a failed date is started again by the next start, and the retried run writes one row', async () => {
    fake.answer('frankfurter', { status: 422, json: { message: 'bad currency pair' } });
    await fireTimer('2025-07-15');
    await host.idle();
    expect((await getRun('fxgold-2025-07-15')).jsonBody.runtimeStatus).toBe('Failed');

    fake.reset();
    const request = new HttpRequest({ method: 'POST', url: 'http://localhost:7071/api/runs', body: { string: '{"date":"2025-07-15"}' } });
    const started = (await invoke('startRun', request, client())) as HttpResponseInit;
    expect(started.status).toBe(202);
    await host.idle();
    expect((await getRun('fxgold-2025-07-15')).jsonBody.runtimeStatus).toBe('Completed');
    expect(await store.find('USD', '2025-07-15')).toMatchObject({ rowKey: '2025-07-15' });
  });
});
