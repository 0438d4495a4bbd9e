import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import { createJobDependencies } from '../../src/pipeline/jobDependencies.js';
import { runDailyJob } from '../../src/pipeline/runDailyJob.js';
import { uniqueTableName } from '../support/tableNames.js';
import { startFakeProviders, type FakeProviders } from '../support/fakeProviders.js';
import { businessDate } from '../support/dates.js';

/** The runner's job on fake providers and Azurite, with its waits recorded instead of slept. */
let fake: FakeProviders;
beforeAll(async () => (fake = await startFakeProviders()));
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const request = { date: businessDate('2025-07-07'), mode: 'historical' } as const;
function job(retry: boolean) {
  const settings = loadSettings({
    ...fake.settings(),
    GOLDAPI_KEY: 'goldapi-runner-secret-1',
    FXGOLD_STORAGE_CONNECTION: inject('azuriteConnectionString'),
    FXGOLD_TABLE_NAME: `FxGoldRunner${process.pid}`,
    // Its own usage ledger: goldapi is skipped once the month's quota is counted, and the suite shares one Azurite.
    FXGOLD_USAGE_TABLE_NAME: uniqueTableName('FxGoldRunnerUsage'),
  });
  if (!settings.ok) throw new Error(settings.error);
  const waits: number[] = [];
  const lines: string[] = [];
  const run = () =>
    runDailyJob(request, createJobDependencies(settings.value), {
      retry,
      onRetry: (line) => lines.push(line),
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
  return { run, waits, lines };
}

describe('runDailyJob (the runner’s job)', () => {
  it('retries a transient failure with the app’s policy, says so, and stores the row', async () => {
    let calls = 0;
    fake.answer('goldapi', () =>
      ++calls < 3
        ? { status: 503, text: 'busy' }
        : { json: { price: 3312.25, exchange: 'LBMA', metal: 'XAU', currency: 'USD', timestamp: 1751884200000 } },
    );
    const { run, waits, lines } = job(true);
    const result = await run();
    expect(result).toMatchObject({
      ok: true,
      value: { row: { rowKey: '2025-07-07', GoldPrice: 3312.25 }, saved: expect.stringMatching(/^(created|replaced)$/) },
    });
    expect(waits).toEqual([5_000, 10_000]);
    expect(lines).toEqual([
      'goldapi: server error, HTTP 503 (transient); retrying in 5 s (attempt 2 of 4)',
      'goldapi: server error, HTTP 503 (transient); retrying in 10 s (attempt 3 of 4)',
    ]);
    expect(result.ok && result.value.attempts.filter((a) => a.chain === 'gold').map((a) => a.outcome)).toEqual([
      'transient',
      'transient',
      'served',
    ]);
  });

  it('gives up after 4 attempts with the cause, and writes nothing', async () => {
    fake.answer('goldapi', { status: 503, text: 'busy' });
    const { run, waits } = job(true);
    expect(await run()).toEqual({ ok: false, error: 'goldapi: server error, HTTP 503 (transient) (gave up after 4 attempts)' });
    expect(waits).toEqual([5_000, 10_000, 20_000]);
    expect(fake.requests.filter((r) => r.provider === 'goldapi')).toHaveLength(4);
  });

  it('without retries asks once', async () => {
    fake.answer('frankfurter', { status: 503, text: 'busy' });
    const { run, waits } = job(false);
    expect(await run()).toEqual({ ok: false, error: 'frankfurter: server error, HTTP 503 (transient) (gave up after 1 attempt)' });
    expect(waits).toEqual([]);
    expect(fake.requests.filter((r) => r.provider === 'frankfurter')).toHaveLength(1);
  });
});
