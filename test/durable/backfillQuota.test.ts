import { TableClient } from '@azure/data-tables';
import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { dailyReserveAt } from '../../src/domain/dailyReserve.js';
import { usageMonthOf } from '../../src/storage/usageLedger.js';
import { startDurableHost, type DurableHost } from '../support/durableHost.js';
import { documentedAnswers, startFakeProviders, type FakeProviders } from '../support/fakeProviders.js';
import { invoke, loadFunctionsApp } from '../support/functionsApp.js';

/**
 * Backfills started together or while another runs, through POST /api/backfills and the backfill orchestrator on
 * the test host, against a goldapi quota that leaves 40 requests beside the daily reserve: the fake goldapi counts
 * what it received, and the total never passes quota − daily reserve.
 */
const BESIDE_RESERVE = 40;
const reserve = dailyReserveAt(new Date());
const QUOTA = BESIDE_RESERVE + reserve;
let fake: FakeProviders;
let host: DurableHost;
const usageTable = `FxGoldQuotaUsage${process.pid}`;

beforeAll(async () => {
  fake = await startFakeProviders();
  host = await startDurableHost();
  Object.assign(process.env, fake.settings(), {
    GOLDAPI_KEY: 'goldapi-quota-secret-3131',
    FXGOLD_STORAGE_CONNECTION: inject('azuriteConnectionString'),
    FXGOLD_TABLE_NAME: `FxGoldQuota${process.pid}`,
    FXGOLD_USAGE_TABLE_NAME: usageTable,
    FXGOLD_GOLD_MONTHLY_QUOTA: String(QUOTA),
    FXGOLD_BACKFILL_PARALLELISM: '2',
  });
  await loadFunctionsApp();
});
afterAll(async () => {
  await host.close();
  await fake.close();
});
beforeEach(async () => {
  fake.reset();
  // Each case starts the month afresh: the settings (and so the usage table) are read once per file.
  await TableClient.fromConnectionString(inject('azuriteConnectionString'), usageTable, { allowInsecureConnection: true })
    .deleteEntity(usageMonthOf(new Date()), 'goldapi')
    .catch(() => undefined);
});

type JsonResponse = Omit<HttpResponseInit, 'jsonBody'> & { jsonBody: Record<string, unknown> & { error?: string } };
const call = async (name: string, request: HttpRequest) =>
  (await invoke(name, request, { durableClient: host.clientBinding })) as JsonResponse;
const post = (from: string, to: string) =>
  call(
    'startBackfill',
    new HttpRequest({ method: 'POST', url: 'http://localhost:7071/api/backfills', body: { string: JSON.stringify({ from, to }) } }),
  );
const usage = async () =>
  (await call('getUsage', new HttpRequest({ method: 'GET', url: 'http://localhost:7071/api/usage' }))).jsonBody as {
    requests: Record<string, number>;
    gold: { used: number; reserved: number; left: number };
  };
const goldapiRequests = () => fake.requests.filter((r) => r.provider === 'goldapi').length;

describe('backfills against the gold quota', () => {
  it('three overlapping backfills started at once: those that fit are reserved, the others refused with 422, and the total stays within quota − daily reserve', async () => {
    // 20 business dates each (March 2025 to three different weekend ends): 20 + 4 retry allowance = 24 to reserve.
    const answers = await Promise.all([
      post('2025-03-03', '2025-03-28'),
      post('2025-03-03', '2025-03-29'),
      post('2025-03-03', '2025-03-30'),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([202, 422, 422]);
    for (const refused of answers.filter((a) => a.status === 422))
      expect(refused.jsonBody.error).toMatch(
        new RegExp(
          `needs 24 goldapi requests \\(20 planned \\+ 4 retry allowance\\) and only 16 are left .* 24 reserved by other backfills, ${reserve} kept`,
        ),
      );
    await host.idle();
    expect(goldapiRequests()).toBe(20);
    expect(goldapiRequests()).toBeLessThanOrEqual(BESIDE_RESERVE);
    // Settled: what was not spent is free again.
    expect((await usage()).gold).toMatchObject({ used: 20, reserved: 0, left: BESIDE_RESERVE - 20 });
  });

  it('a backfill started while another runs is judged against what the first has reserved, not only what it spent so far', async () => {
    let second: Promise<JsonResponse> | undefined;
    let during: ReturnType<typeof usage> | undefined;
    let seen = 0;
    fake.answer('goldapi', (request) => {
      if (++seen === 5) [second, during] = [post('2025-06-02', '2025-06-27'), usage()];
      return documentedAnswers.goldapi(request);
    });
    // 22 business dates: 22 + 5 reserved; the second needs 20 + 4 of the 13 left.
    expect((await post('2025-05-01', '2025-05-30')).status).toBe(202);
    await host.idle();
    const refused = await second;
    expect(refused?.status).toBe(422);
    expect(refused?.jsonBody.error).toMatch(/needs 24 goldapi requests .* and only 13 are left/);
    // Mid-run, GET /api/usage shows the first backfill's hold: what it spent and what it still has reserved make 27.
    const midRun = (await during)?.gold;
    expect(midRun && midRun.used + midRun.reserved).toBe(27);
    expect(midRun?.reserved).toBeGreaterThan(0);
    expect(midRun?.left).toBe(13);
    await host.idle();
    expect(goldapiRequests()).toBe(22);
    expect((await usage()).gold).toMatchObject({ used: 22, reserved: 0 });
  });
});
