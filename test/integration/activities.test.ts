import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import { failure, success, type Result } from '../../src/domain/result.js';
import { toTableRow } from '../../src/domain/fxGoldRow.js';
import { fetchCurrencyRates, fetchGoldPrice, persistRecord, transformRecord } from '../../src/orchestration/activities.js';
import { createJobDependencies, type JobDependencies } from '../../src/pipeline/jobDependencies.js';
import { fixture } from '../support/fixtures.js';
import { startFakeProviders, type FakeProviders } from '../support/fakeProviders.js';
import { sampleGold, sampleRates } from '../support/quotes.js';
import { businessDate, isoDate } from '../support/dates.js';

/** The activity bodies with real dependencies: every failure comes back as a value with its kind; none is thrown. */
const GOLD_KEY = 'goldapi-activity-secret-99-io';
let fake: FakeProviders;
beforeAll(async () => (fake = await startFakeProviders()));
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function dependencies(overrides: Record<string, string> = {}): () => Result<JobDependencies, string> {
  const settings = loadSettings({
    ...fake.settings(),
    GOLDAPI_KEY: GOLD_KEY,
    FXGOLD_STORAGE_CONNECTION: inject('azuriteConnectionString'),
    FXGOLD_TABLE_NAME: `FxGoldActivities${process.pid}`,
    ...overrides,
  });
  if (!settings.ok) throw new Error(settings.error);
  const deps = createJobDependencies(settings.value);
  return () => success(deps);
}
/** The dependencies a loader gives, for a test that needs them directly. */
const built = (deps: () => Result<JobDependencies, string>): JobDependencies => {
  const loaded = deps();
  if (!loaded.ok) throw new Error(loaded.error);
  return loaded.value;
};
const row = () => {
  const built = toTableRow({
    date: businessDate('2025-07-08'),
    currency: sampleRates(),
    gold: sampleGold(),
    currencyTimestamp: null,
    ingestedAt: '2025-07-08T18:00:00.000Z',
  });
  if (!built.ok) throw new Error(built.error);
  return built.value;
};
const request = { date: '2025-07-08', mode: 'latest' };

describe('fetch activities', () => {
  it('ask the chain’s first provider when none is named, and report the chain with the quote', async () => {
    const report = await fetchCurrencyRates({ request }, dependencies());
    expect(report).toMatchObject({ chain: ['frankfurter'], result: { ok: true, value: { provider: 'frankfurter', base: 'USD' } } });
  });

  it('return a transient failure as a value (the orchestrator retries it), without the key', async () => {
    fake.answer('goldapi', { status: 503, text: `down, token ${GOLD_KEY}` });
    const report = await fetchGoldPrice({ request, provider: 'goldapi' }, dependencies());
    expect(report).toEqual({
      chain: ['goldapi'],
      result: { ok: false, error: { source: 'goldapi', kind: 'transient', message: 'server error, HTTP 503' } },
    });
  });

  it('return a permanent failure as a value, scrubbed of the key', async () => {
    fake.answer('goldapi', { status: 403, json: { error: `Invalid API Key ${GOLD_KEY}` } });
    const report = await fetchGoldPrice({ request, provider: 'goldapi' }, dependencies());
    expect(report.result).toMatchObject({ ok: false, error: { source: 'goldapi', kind: 'permanent' } });
    expect(JSON.stringify(report)).not.toContain(GOLD_KEY);
  });

  it('classify anything the client throws as permanent, naming the step and the provider', async () => {
    const deps = built(dependencies());
    const throwing = () =>
      success({
        ...deps,
        goldChain: [
          { name: 'goldapi' as const, fetchGoldPrice: () => Promise.reject(new RangeError(`Invalid time value\nat ${GOLD_KEY}`)) },
        ],
      });
    expect(await fetchGoldPrice({ request }, throwing)).toEqual({
      chain: ['goldapi'],
      result: {
        ok: false,
        error: { source: 'goldapi', kind: 'permanent', message: 'fetchGoldPrice failed unexpectedly: Invalid time value' },
      },
    });
  });

  it('a gold timestamp of 9e15 comes back permanent, naming goldapi, whatever the client makes of it', async () => {
    fake.answer('goldapi', { json: { ...fixture('goldapi-latest'), timestamp: 9e15 } });
    expect((await fetchGoldPrice({ request }, dependencies())).result).toMatchObject({
      ok: false,
      error: { source: 'goldapi', kind: 'permanent' },
    });
  });

  it('refuse a provider that is not in the configured chain', async () => {
    expect((await fetchCurrencyRates({ request, provider: 'exchangeratehost' }, dependencies())).result).toEqual({
      ok: false,
      error: { source: 'exchangeratehost', kind: 'permanent', message: 'fetchCurrencyRates: not one of the configured rates providers' },
    });
  });

  it('return bad input from the orchestrator as a permanent failure naming the activity', async () => {
    expect((await fetchGoldPrice({ request: { date: 'tomorrow' } }, dependencies())).result).toMatchObject({
      ok: false,
      error: { source: 'goldapi', kind: 'permanent', message: expect.stringMatching(/^fetchGoldPrice: invalid input: request\.date/) },
    });
  });

  it('return a settings problem as a permanent failure: a retry would read the same settings', async () => {
    const broken = () => failure('Invalid settings:\n  - GOLDAPI_KEY is required');
    expect(await fetchGoldPrice({ request }, broken)).toEqual({
      chain: [],
      result: { ok: false, error: { source: 'settings', kind: 'permanent', message: 'Invalid settings:\n  - GOLDAPI_KEY is required' } },
    });
  });
});

describe('transformRecord', () => {
  const stampedAt = (deps: () => Result<JobDependencies, string>, now: string) => () =>
    success({ ...built(deps), clock: () => new Date(now) });
  const input = (gold = sampleGold()) => ({ date: '2025-07-08', mode: 'latest', accepted: [], currency: sampleRates(), gold });

  it('stamps the row with the time it was built, and a clean row passes the quality gates unflagged', async () => {
    const outcome = await transformRecord(
      input(),
      stampedAt(dependencies({ FXGOLD_TABLE_NAME: `FxGoldTransform${process.pid}` }), '2025-07-08T18:00:09Z'),
    );
    expect(outcome.ok && [outcome.value.IngestedAt, outcome.value.QualityFlags]).toEqual(['2025-07-08T18:00:09.000Z', '']);
  });

  it('refuses a row a quality gate fails as permanent, naming the gate, the column and the stored row it was compared with', async () => {
    const deps = stampedAt(dependencies({ FXGOLD_TABLE_NAME: `FxGoldTransformGate${process.pid}` }), '2025-07-08T18:00:09Z');
    const previous = toTableRow({
      date: businessDate('2025-07-07'),
      currency: { ...sampleRates(), asOfDate: isoDate('2025-07-07') },
      gold: sampleGold(),
      currencyTimestamp: null,
      ingestedAt: '2025-07-07T18:00:00.000Z',
    });
    if (!previous.ok) throw new Error(previous.error);
    expect(await built(deps).store.save(previous.value)).toMatchObject({ ok: true });
    const outcome = await transformRecord(input({ ...sampleGold(), price: 31.2 }), deps);
    expect(outcome).toEqual({
      ok: false,
      error: {
        source: 'quality',
        kind: 'permanent',
        refusal: { gate: 'plausibility', column: 'GoldPrice' },
        message: expect.stringMatching(
          /^plausibility gate: GoldPrice 31\.20 is 99\.1 % below the previous row \(2025-07-07: 3301\.00\); limit 20 %/,
        ),
      },
    });
    const accepted = await transformRecord({ ...input({ ...sampleGold(), price: 31.2 }), accepted: ['plausibility'] }, deps);
    expect(accepted.ok && accepted.value.QualityFlags).toBe('accepted:plausibility');
  });
});

describe('persistRecord', () => {
  it('stores the row in the table and returns its summary', async () => {
    const deps = dependencies();
    expect(await persistRecord(row(), deps)).toMatchObject({
      ok: true,
      value: { table: { partitionKey: 'USD', rowKey: '2025-07-08' }, goldPrice: 3301 },
    });
    expect(await built(deps).store.find('USD', '2025-07-08')).toEqual(row());
  });

  it('returns an unreachable table service as transient (retried) and a refusal as permanent (not retried), never throwing', async () => {
    const closed = inject('azuriteConnectionString').replace(/TableEndpoint=http:\/\/127\.0\.0\.1:\d+/, 'TableEndpoint=http://127.0.0.1:9');
    expect(await persistRecord(row(), dependencies({ FXGOLD_STORAGE_CONNECTION: closed }))).toMatchObject({
      ok: false,
      error: { source: 'storage', kind: 'transient', message: expect.stringMatching(/ECONNREFUSED/) },
    });
    const wrongKey = inject('azuriteConnectionString').replace(/AccountKey=[^;]+/, 'AccountKey=bm90IHRoZSBrZXk=');
    expect(await persistRecord(row(), dependencies({ FXGOLD_STORAGE_CONNECTION: wrongKey }))).toMatchObject({
      ok: false,
      error: { source: 'storage', kind: 'permanent', message: expect.stringMatching(/^HTTP 403 /) },
    });
  });

  it('refuses a row that does not match the documented columns', async () => {
    expect(await persistRecord({ ...row(), Rate_EUR: -1 }, dependencies())).toMatchObject({
      ok: false,
      error: { source: 'storage', kind: 'permanent', message: expect.stringMatching(/^persistRecord: invalid input: Rate_EUR/) },
    });
  });
});
