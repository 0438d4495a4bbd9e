import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type FxGoldRowStore } from '../../src/storage/fxGoldTable.js';
import { startDurableHost, type DurableHost } from '../support/durableHost.js';
import { startFakeCurrencyApi, type FakeCurrencyApi } from '../support/fakeCurrencyApi.js';
import { startFakeProviders, type FakeProviders, type FakeAnswer } from '../support/fakeProviders.js';
import { fixture } from '../support/fixtures.js';
import { invoke, loadFunctionsApp } from '../support/functionsApp.js';
import { EventType } from '../support/orchestrationHistory.js';
import { connectionStore } from '../support/stores.js';

/**
 * Failover chains and quality gates in the Functions app: timer or POST /api/runs → orchestrator → real activities →
 * fake goldapi / Frankfurter / currency-api mirrors over HTTP → real Azurite, the test host playing the extension.
 * Both chains are configured with currency-api as the fallback.
 */
const GOLD_KEY = 'goldapi-durable-failover-secret-2718';
let fake: FakeProviders;
let mirrors: FakeCurrencyApi;
let host: DurableHost;
let store: FxGoldRowStore;
const settingsBefore: Record<string, string | undefined> = {};

beforeAll(async () => {
  fake = await startFakeProviders();
  mirrors = await startFakeCurrencyApi();
  host = await startDurableHost();
  const table = `FxGoldFailoverE2e${process.pid}`;
  const settings = {
    ...fake.settings(),
    ...mirrors.settings(),
    GOLDAPI_KEY: GOLD_KEY,
    FXGOLD_STORAGE_CONNECTION: inject('azuriteConnectionString'),
    FXGOLD_TABLE_NAME: table,
    FXGOLD_CURRENCY_PROVIDERS: 'frankfurter,currencyapi',
    FXGOLD_GOLD_PROVIDERS: 'goldapi,currencyapi',
  };
  for (const [name, value] of Object.entries(settings)) {
    settingsBefore[name] = process.env[name];
    process.env[name] = value;
  }
  store = connectionStore(inject('azuriteConnectionString'), table);
  await loadFunctionsApp();
});
afterAll(async () => {
  await host.close();
  await fake.close();
  await mirrors.close();
  for (const [name, value] of Object.entries(settingsBefore)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});
beforeEach(() => {
  fake.reset();
  mirrors.reset();
  host.activityCalls.length = 0;
});

const client = () => ({ durableClient: host.clientBinding });
const lateTimer = (date: string) => ({
  isPastDue: true,
  schedule: { adjustForDST: true },
  scheduleStatus: { last: '2025-07-01T18:00:00Z', next: `${date}T18:00:00Z`, lastUpdated: '2025-07-01T18:00:01Z' },
});

async function getRun(instanceId: string) {
  const request = new HttpRequest({ method: 'GET', url: `http://localhost:7071/api/runs/${instanceId}`, params: { instanceId } });
  return ((await invoke('getRun', request, client())) as Omit<HttpResponseInit, 'jsonBody'> & { jsonBody: Record<string, unknown> })
    .jsonBody;
}

async function postRun(body: unknown) {
  const request = new HttpRequest({ method: 'POST', url: 'http://localhost:7071/api/runs', body: { string: JSON.stringify(body) } });
  return (await invoke('startRun', request, client())) as Omit<HttpResponseInit, 'jsonBody'> & { jsonBody?: Record<string, unknown> };
}

const INVALID_KEY_REASON =
  'request refused, HTTP 403: Invalid API Key; check GOLDAPI_KEY and the quota at https://www.goldapi.io/dashboard';
const XAU = fixture<{ usd: { xau: number } }>('currencyapi-historical').usd.xau;
const goldFixing = (day: string, price: number): FakeAnswer => {
  const fixedAt = `${day}T10:30:00.000Z`;
  return { json: { ...fixture('goldapi-historical'), date: fixedAt, timestamp: Date.parse(fixedAt), price } };
};

describe('failover in the Functions app, end to end', () => {
  it('timer run: goldapi refusing the key hands over to currency-api; Completed, attempts in output and status, row from currencyapi', async () => {
    fake.answer('goldapi', { status: 403, json: { error: 'Invalid API Key' } });
    await invoke('fxGoldDailyStarter', lateTimer('2025-07-08'), client());
    await host.idle();

    const run = await getRun('fxgold-2025-07-08');
    const attempts = [
      { chain: 'rates', provider: 'frankfurter', outcome: 'served' },
      { chain: 'gold', provider: 'goldapi', outcome: 'permanent', reason: INVALID_KEY_REASON },
      { chain: 'gold', provider: 'currencyapi', outcome: 'served' },
    ];
    expect(run).toMatchObject({
      runtimeStatus: 'Completed',
      error: null,
      customStatus: { date: '2025-07-08', stage: 'completed', attempts },
    });
    expect(run.output).toMatchObject({ date: '2025-07-08', goldSource: 'CURRENCYAPI', goldPrice: 1 / XAU, attempts });
    expect(await store.find('USD', '2025-07-08')).toMatchObject({
      GoldProvider: 'currencyapi',
      GoldSource: 'CURRENCYAPI',
      GoldPrice: 1 / XAU,
      CurrencyProvider: 'frankfurter',
      QualityFlags: '',
    });
    expect(fake.requests.filter((r) => r.provider === 'goldapi')).toHaveLength(1);
    expect(mirrors.requests).toHaveLength(1);
    expect(JSON.stringify(run)).not.toContain(GOLD_KEY);
  });

  it('POST /api/runs: goldapi 503 for ever is asked 4 times (3 durable timers, 5 s → 10 s → 20 s), then currency-api once; Completed', async () => {
    fake.answer('goldapi', { status: 503, text: 'busy' });
    expect((await postRun({ date: '2025-07-09' })).status).toBe(202);
    await host.idle();

    const run = await getRun('fxgold-2025-07-09');
    expect(run.runtimeStatus).toBe('Completed');
    expect((run.output as { attempts: unknown }).attempts).toEqual([
      { chain: 'rates', provider: 'frankfurter', outcome: 'served' },
      ...Array.from({ length: 4 }, () => ({ chain: 'gold', provider: 'goldapi', outcome: 'transient', reason: 'server error, HTTP 503' })),
      { chain: 'gold', provider: 'currencyapi', outcome: 'served' },
    ]);
    expect(fake.requests.filter((r) => r.provider === 'goldapi')).toHaveLength(4);
    expect(mirrors.requests).toHaveLength(1);
    const events = host.instances.get('fxgold-2025-07-09')?.history?.events ?? [];
    const timers = events.filter((e) => e.EventType === EventType.TimerCreated).map((e) => Date.parse(String(e.FireAt)));
    expect(timers).toHaveLength(3);
    // Each timer is set from the orchestration's "now" when the failure came in: at least the back-off ahead of the previous one.
    const gaps = timers.map((t, i) => t - (i === 0 ? Date.parse(String(events[0]?.Timestamp)) : (timers[i - 1] as number)));
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual([5_000, 10_000, 20_000][i] as number));
    gaps.forEach((gap, i) => expect(gap).toBeLessThan(([5_000, 10_000, 20_000][i] as number) + 5_000));
    expect(await store.find('USD', '2025-07-09')).toMatchObject({ GoldProvider: 'currencyapi', CurrencyProvider: 'frankfurter' });
  });

  it('every provider of a chain failing: Failed with every reason, no row', async () => {
    fake.answer('goldapi', { status: 403, json: { error: 'Invalid API Key' } });
    mirrors.answer('jsdelivr', { status: 404, text: 'Not Found' });
    mirrors.answer('pages', { status: 404, text: 'Not Found' });
    await invoke('fxGoldDailyStarter', lateTimer('2025-07-10'), client());
    await host.idle();

    const run = await getRun('fxgold-2025-07-10');
    expect(run).toMatchObject({ runtimeStatus: 'Failed', output: null });
    expect(run.error).toBe(
      `Orchestrator function 'fxGoldOrchestrator' failed: goldapi: ${INVALID_KEY_REASON} (permanent); currencyapi: no data for 2025-07-10 (HTTP 404 from ${mirrors.host('jsdelivr')}, ${mirrors.host('pages')}; its history starts about 2024-03) (permanent)`,
    );
    expect(host.activityCalls).not.toContain('persistRecord');
    expect(await store.find('USD', '2025-07-10')).toBeUndefined();
  });
});

describe('quality gates in the Functions app, end to end', () => {
  it('a plausibility failure fails the run and writes nothing; acceptQuality ["plausibility"] stores it flagged; no other gate can be accepted', async () => {
    await invoke('fxGoldDailyStarter', lateTimer('2025-07-14'), client());
    await host.idle();
    expect((await getRun('fxgold-2025-07-14')).runtimeStatus).toBe('Completed');
    const previous = await store.find('USD', '2025-07-14');

    fake.answer('goldapi', goldFixing('2025-07-15', 6624.5));
    host.activityCalls.length = 0;
    await invoke('fxGoldDailyStarter', lateTimer('2025-07-15'), client());
    await host.idle();
    const refused = await getRun('fxgold-2025-07-15');
    expect(refused).toMatchObject({ runtimeStatus: 'Failed', customStatus: { stage: 'transforming' } });
    expect(refused.error).toBe(
      "Orchestrator function 'fxGoldOrchestrator' failed: quality: plausibility gate: GoldPrice 6624.50 is 100.0 % above the previous row (2025-07-14: 3312.25); limit 20 % (FXGOLD_MAX_GOLD_MOVE_PCT) (permanent)",
    );
    expect(host.activityCalls).not.toContain('persistRecord');
    expect(await store.find('USD', '2025-07-15')).toBeUndefined();
    expect(await store.find('USD', '2025-07-14')).toEqual(previous);

    const badAccept = await postRun({ date: '2025-07-15', acceptQuality: ['fx-as-of'] });
    expect(badAccept.status).toBe(400);

    // force does not bypass a gate: the failed date runs again and fails again.
    expect((await postRun({ date: '2025-07-15', force: true })).status).toBe(202);
    await host.idle();
    expect((await getRun('fxgold-2025-07-15')).runtimeStatus).toBe('Failed');
    expect(await store.find('USD', '2025-07-15')).toBeUndefined();

    expect((await postRun({ date: '2025-07-15', acceptQuality: ['plausibility'] })).status).toBe(202);
    await host.idle();
    expect((await getRun('fxgold-2025-07-15')).runtimeStatus).toBe('Completed');
    expect(await store.find('USD', '2025-07-15')).toMatchObject({ GoldPrice: 6624.5, QualityFlags: 'accepted:plausibility' });
  });
});
