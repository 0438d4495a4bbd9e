import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { loadSettings, SettingsError } from '../../src/config/settings.js';
import { toTableRow } from '../../src/domain/fxGoldRow.js';
import { fetchGoldPrice, persistRecord, transformRecord } from '../../src/orchestration/activities.js';
import { createJobDependencies, type JobDependencies } from '../../src/pipeline/jobDependencies.js';
import { startFakeProviders, type FakeProviders } from '../support/fakeProviders.js';
import { sampleGold, sampleRates } from '../support/quotes.js';

/** The activity bodies with real dependencies: how each kind of failure reaches Durable (throw = retry, value = final). */
const GOLD_KEY = 'goldapi-activity-secret-99-io';
let fake: FakeProviders;
beforeAll(async () => (fake = await startFakeProviders()));
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function dependencies(overrides: Record<string, string> = {}): () => JobDependencies {
  const settings = loadSettings({ ...fake.settings(), GOLDAPI_KEY: GOLD_KEY, FXGOLD_STORAGE_CONNECTION: inject('azuriteConnectionString'), FXGOLD_TABLE_NAME: `FxGoldActivities${process.pid}`, ...overrides });
  if (!settings.ok) throw new Error(settings.error);
  const deps = createJobDependencies(settings.value);
  return () => deps;
}
const row = () => {
  const built = toTableRow({ date: '2025-07-08', currency: sampleRates(), gold: sampleGold(), ingestedAt: '2025-07-08T18:00:00.000Z' });
  if (!built.ok) throw new Error(built.error);
  return built.value;
};
const request = { date: '2025-07-08', mode: 'latest' };

describe('fetch activities', () => {
  it('throw a transient failure, so that Durable retries it, without the key', async () => {
    fake.answer('goldapi', { status: 503, text: `down, token ${GOLD_KEY}` });
    const attempt = fetchGoldPrice(request, dependencies());
    await expect(attempt).rejects.toThrow('goldapi: server error, HTTP 503 (transient)');
  });

  it('return a permanent failure as a value, so that Durable does not retry it', async () => {
    fake.answer('goldapi', { status: 403, json: { error: `Invalid API Key ${GOLD_KEY}` } });
    const outcome = await fetchGoldPrice(request, dependencies());
    expect(outcome).toEqual({ ok: false, error: 'goldapi: request refused, HTTP 403: Invalid API Key ***; check GOLDAPI_KEY and the quota at https://www.goldapi.io/dashboard (permanent)' });
  });

  it('return bad input from the orchestrator as a permanent failure naming the activity', async () => {
    expect(await fetchGoldPrice({ date: 'tomorrow' }, dependencies())).toMatchObject({ ok: false, error: expect.stringMatching(/^fetchGoldPrice: invalid input: date: must be a date/) });
  });

  it('return a settings problem as a permanent failure: a retry would read the same settings', async () => {
    const broken = () => {
      throw new SettingsError('Invalid settings:\n  - GOLDAPI_KEY is required');
    };
    expect(await fetchGoldPrice(request, broken)).toEqual({ ok: false, error: 'Invalid settings:\n  - GOLDAPI_KEY is required' });
  });
});

describe('transformRecord', () => {
  it('stamps the row with the time it was built', () => {
    const outcome = transformRecord({ date: '2025-07-08', currency: sampleRates(), gold: sampleGold() }, () => new Date('2025-07-08T18:00:09Z'));
    expect(outcome.ok && outcome.value.IngestedAt).toBe('2025-07-08T18:00:09.000Z');
  });
});

describe('persistRecord', () => {
  it('stores the row in the table and returns its summary', async () => {
    const deps = dependencies();
    expect(await persistRecord(row(), deps)).toMatchObject({ ok: true, value: { table: { partitionKey: 'USD', rowKey: '2025-07-08' }, goldPrice: 3301 } });
    expect(await deps().store.find('USD', '2025-07-08')).toEqual(row());
  });

  it('throws when the table service is unreachable (retried), returns a refusal as a value (not retried)', async () => {
    const closed = inject('azuriteConnectionString').replace(/TableEndpoint=http:\/\/127\.0\.0\.1:\d+/, 'TableEndpoint=http://127.0.0.1:9');
    await expect(persistRecord(row(), dependencies({ FXGOLD_STORAGE_CONNECTION: closed }))).rejects.toThrow(/^storage: .*ECONNREFUSED.*\(transient\)$/);
    const wrongKey = inject('azuriteConnectionString').replace(/AccountKey=[^;]+/, 'AccountKey=bm90IHRoZSBrZXk=');
    expect(await persistRecord(row(), dependencies({ FXGOLD_STORAGE_CONNECTION: wrongKey }))).toMatchObject({ ok: false, error: expect.stringMatching(/^storage: HTTP 403 .*\(permanent\)$/) });
  });

  it('refuses a row that does not match the documented columns', async () => {
    expect(await persistRecord({ ...row(), Rate_EUR: -1 }, dependencies())).toMatchObject({ ok: false, error: expect.stringMatching(/^persistRecord: invalid input: Rate_EUR/) });
  });
});
