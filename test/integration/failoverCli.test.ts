import { dailyReserveAt } from '../../src/domain/dailyReserve.js';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import { createJobDependencies } from '../../src/pipeline/jobDependencies.js';
import { runDailyJob } from '../../src/pipeline/runDailyJob.js';
import { commandTable, useFakeProviders } from '../support/commandTable.js';
import { fixture } from '../support/fixtures.js';
import { businessDate } from '../support/dates.js';

/**
 * Failover chains end to end: the compiled `npm run once` against fake goldapi and Frankfurter, the two fake
 * currency-api mirrors (jsDelivr and pages.dev, each its own loopback host) and the suite's Azurite.
 */
const GOLD_KEY = 'goldapi-failover-secret-5150-io';
const providers = useFakeProviders({ mirrors: true });

const HISTORICAL = fixture<{ usd: Record<string, number> }>('currencyapi-historical').usd;
const INVALID_KEY =
  'goldapi: request refused, HTTP 403: Invalid API Key; check GOLDAPI_KEY and the quota at https://www.goldapi.io/dashboard (permanent)';
const BOTH_CHAINS = { FXGOLD_CURRENCY_PROVIDERS: 'frankfurter,currencyapi', FXGOLD_GOLD_PROVIDERS: 'goldapi,currencyapi' };

function freshTable() {
  const setup = commandTable('FxGoldFailover', { ...fake().settings(), ...mirrors().settings(), GOLDAPI_KEY: GOLD_KEY, ...BOTH_CHAINS });
  const once = (args: string[], extra: Record<string, string> = {}) => setup.run('once', args, extra);
  return { ...setup, once };
}
const [fake, mirrors] = [providers.fake, providers.mirrors];

const asked = () => [...fake().requests.map((r) => `${r.provider} ${r.path}`), ...mirrors().requests.map((r) => `${r.mirror} ${r.path}`)];
const JSDELIVR_0708 = 'jsdelivr /npm/@fawazahmed0/currency-api@2025-07-08/v1/currencies/usd.json';
const PAGES_0708 = 'pages /2025-07-08/v1/currencies/usd.json';

describe('gold failover through npm run once', () => {
  it('goldapi refusing the key (403) hands over to currency-api: GoldProvider currencyapi, price 1/xau, no open/close/high/low', async () => {
    const { once, store, storedLine } = freshTable();
    fake().answer('goldapi', { status: 403, json: { error: 'Invalid API Key' } });
    const run = await once(['--date', '2025-07-08']);
    expect(run.stderr.trim().split('\n')).toEqual([`fx-gold: ${INVALID_KEY}; asking currencyapi instead`, storedLine('2025-07-08')]);
    expect(run.code).toBe(0);
    const row = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(row).toMatchObject({
      rowKey: '2025-07-08',
      GoldProvider: 'currencyapi',
      GoldSource: 'CURRENCYAPI',
      GoldPrice: 1 / (HISTORICAL.xau as number),
      GoldTimestamp: '2025-07-08T00:00:00.000Z',
      CurrencyProvider: 'frankfurter',
      CurrencyDate: '2025-07-08',
      QualityFlags: '',
    });
    // Never filled from another source: currency-api has no session prices.
    for (const column of ['GoldOpeningPrice', 'GoldClosingPrice', 'GoldHigh', 'GoldLow']) expect(row).not.toHaveProperty(column);
    expect(await store.find('USD', '2025-07-08')).toEqual(row);
    // A permanent failure is not retried: goldapi once, then the first mirror, which served.
    expect(asked().sort()).toEqual(['frankfurter /2025-07-08', 'goldapi /XAU/USD/20250708', JSDELIVR_0708].sort());
  });

  it.each([
    ['503', { status: 503, text: 'Service Unavailable' }],
    ['a dropped connection', { drop: true }],
    ['404', { status: 404, text: "Couldn't find the requested file." }],
  ] as const)('jsDelivr failing (%s) → the pages.dev mirror answers, within one attempt', async (_what, answer) => {
    const { once, store, storedLine } = freshTable();
    fake().answer('goldapi', { status: 403, json: { error: 'Invalid API Key' } });
    mirrors().answer('jsdelivr', answer);
    // The mirror's own value, so the row shows which mirror served.
    mirrors().answer('pages', { json: { date: '2025-07-08', usd: { ...HISTORICAL, xau: 0.0003 } } });
    const run = await once(['--date', '2025-07-08', '--no-retry']);
    expect(run.stderr.trim().split('\n')).toEqual([`fx-gold: ${INVALID_KEY}; asking currencyapi instead`, storedLine('2025-07-08')]);
    expect(run.code).toBe(0);
    expect(await store.find('USD', '2025-07-08')).toMatchObject({ GoldProvider: 'currencyapi', GoldPrice: 1 / 0.0003 });
    expect(mirrors().requests.map((r) => `${r.mirror} ${r.path}`)).toEqual([JSDELIVR_0708, PAGES_0708]);
  });

  it('a spent monthly quota skips goldapi with the reason and currency-api serves: 4 manual runs, quota 2 beside the daily reserve, 2 goldapi requests', async () => {
    const { once, store, storedLine, table } = freshTable();
    // A past date is a manual run: it leaves the reserve for this month's weekday runs alone.
    const reserve = dailyReserveAt(new Date());
    const quota = { FXGOLD_GOLD_MONTHLY_QUOTA: String(2 + reserve), FXGOLD_USAGE_TABLE_NAME: `${table}Usage` };
    const runs = [];
    for (let i = 0; i < 4; i++) runs.push(await once(['--date', '2025-07-08', '--no-retry'], quota));
    expect(runs.map((run) => run.code)).toEqual([0, 0, 0, 0]);
    expect(fake().requests.filter((r) => r.provider === 'goldapi')).toHaveLength(2);
    for (const run of runs.slice(2)) {
      expect(run.stderr.trim().split('\n')).toEqual([
        `fx-gold: goldapi: skipped, monthly quota of ${2 + reserve} spent (FXGOLD_GOLD_MONTHLY_QUOTA)${reserve > 0 ? `: 2 used, ${reserve} kept for the weekday runs left this month` : ''} (permanent); asking currencyapi instead`,
        storedLine('2025-07-08', 'replaced'),
      ]);
    }
    expect(await store.find('USD', '2025-07-08')).toMatchObject({ GoldProvider: 'currencyapi' });
  });

  it('GOLDAPI_KEY unset: goldapi is skipped (never asked) and currency-api serves', async () => {
    const { once, store, storedLine } = freshTable();
    const run = await once(['--date', '2025-07-08'], { GOLDAPI_KEY: '' });
    expect(run.stderr.trim().split('\n')).toEqual([storedLine('2025-07-08')]);
    expect(run.code).toBe(0);
    expect(await store.find('USD', '2025-07-08')).toMatchObject({
      GoldProvider: 'currencyapi',
      GoldSource: 'CURRENCYAPI',
      CurrencyProvider: 'frankfurter',
    });
    expect(fake().requests.filter((r) => r.provider === 'goldapi')).toEqual([]);
  });

  it('every gold provider failing: exit 1, one message with every provider’s reason, no row, the earlier row untouched', async () => {
    const { once, store, snapshot, storedLine } = freshTable();
    expect((await once(['--date', '2025-07-07'])).code).toBe(0);
    const before = await snapshot();
    fake().reset();
    fake().answer('goldapi', { status: 403, json: { error: 'Invalid API Key' } });
    mirrors().answer('jsdelivr', { status: 404, text: "Couldn't find the requested file." });
    mirrors().answer('pages', { status: 404, text: 'Not Found' });
    const run = await once(['--date', '2025-07-08']);
    expect(run.stderr.trim().split('\n')).toEqual([
      `fx-gold: ${INVALID_KEY}; asking currencyapi instead`,
      `fx-gold: ${INVALID_KEY}; currencyapi: no data for 2025-07-08 (HTTP 404 from ${mirrors().host('jsdelivr')}, ${mirrors().host('pages')}; its history starts about 2024-03) (permanent)`,
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toContain(storedLine('2025-07-08'));
    expect(await store.find('USD', '2025-07-08')).toBeUndefined();
    expect(await snapshot()).toEqual(before);
  });

  it('both chains failing everywhere: one line naming all four providers’ reasons, each chain’s in its order', async () => {
    const { once, store } = freshTable();
    fake().answer('goldapi', { status: 403, json: { error: 'Invalid API Key' } });
    fake().answer('frankfurter', { status: 503, text: 'busy' });
    mirrors().answer('jsdelivr', { status: 500, text: 'oops' });
    mirrors().answer('pages', { drop: true });
    const run = await once(['--date', '2025-07-08', '--no-retry']);
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    const last = lines.at(-1) ?? '';
    expect(last).toMatch(
      /^fx-gold: frankfurter: server error, HTTP 503 \(transient\) \(gave up after 1 attempt\); currencyapi: every mirror failed: .*\(transient\) \(gave up after 1 attempt\); goldapi: request refused, HTTP 403: .* \(permanent\); currencyapi: every mirror failed: .*\(transient\) \(gave up after 1 attempt\)$/,
    );
    expect(last).toContain(`${mirrors().host('jsdelivr')}: server error, HTTP 500`);
    expect(last).toContain(`${mirrors().host('pages')}: network error`);
    // The two hand-over lines come first (in either order: the chains run side by side).
    expect(lines.slice(0, -1).sort()).toEqual(
      [
        `fx-gold: ${INVALID_KEY}; asking currencyapi instead`,
        'fx-gold: frankfurter: server error, HTTP 503 (transient); asking currencyapi instead',
      ].sort(),
    );
    expect(await store.find('USD', '2025-07-08')).toBeUndefined();
  });
});

describe('chain settings through npm run once', () => {
  // The chain decisions go from a provider to the next in the list, so a provider listed twice would be asked again
  // after the next one failed, for ever; the settings must keep each provider once.
  it('a provider listed twice (goldapi,currencyapi,goldapi) is asked once: every provider failing still ends, exit 1', async () => {
    const { once, store } = freshTable();
    fake().answer('goldapi', { status: 403, json: { error: 'Invalid API Key' } });
    mirrors().answer('jsdelivr', { status: 404, text: 'Not Found' });
    mirrors().answer('pages', { status: 404, text: 'Not Found' });
    const run = await once(['--date', '2025-07-08'], { FXGOLD_GOLD_PROVIDERS: 'goldapi,currencyapi,goldapi' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(
      /^fx-gold: goldapi: request refused, HTTP 403: .*\(permanent\); currencyapi: no data for 2025-07-08 .*\(permanent\)$/,
    );
    expect(fake().requests.filter((r) => r.provider === 'goldapi')).toHaveLength(1);
    expect(mirrors().requests).toHaveLength(2);
    expect(await store.find('USD', '2025-07-08')).toBeUndefined();
  });
});

describe('currency failover through npm run once', () => {
  it('Frankfurter answering 503 for ever (--no-retry) hands over to currency-api: CurrencyProvider currencyapi, its rates', async () => {
    const { once, store, storedLine } = freshTable();
    fake().answer('frankfurter', { status: 503, text: 'busy' });
    const run = await once(['--date', '2025-07-08', '--no-retry']);
    expect(run.stderr.trim().split('\n')).toEqual([
      'fx-gold: frankfurter: server error, HTTP 503 (transient); asking currencyapi instead',
      storedLine('2025-07-08'),
    ]);
    expect(run.code).toBe(0);
    expect(await store.find('USD', '2025-07-08')).toMatchObject({
      CurrencyProvider: 'currencyapi',
      CurrencyDate: '2025-07-08',
      Rate_EUR: HISTORICAL.eur,
      Rate_JPY: HISTORICAL.jpy,
      Rate_NOK: HISTORICAL.nok,
      GoldProvider: 'goldapi',
      GoldSource: 'LBMA',
      QualityFlags: '',
    });
    expect(fake().requests.filter((r) => r.provider === 'frankfurter')).toHaveLength(1);
  });
});

describe('the runner’s retries before a hand-over (the job npm run once runs, in process, sleeps recorded instead of waited)', () => {
  it('Frankfurter 503 for ever: asked 4 times, 5 s → 10 s → 20 s apart, then currency-api once; the row is stored', async () => {
    const { env, store } = freshTable();
    fake().answer('frankfurter', { status: 503, text: 'busy' });
    const settings = loadSettings(env);
    if (!settings.ok) throw new Error(settings.error);
    const deps = createJobDependencies(settings.value);
    const sleeps: number[] = [];
    const lines: string[] = [];
    const result = await runDailyJob({ date: businessDate('2025-07-08'), mode: 'historical' }, deps, {
      retry: true,
      onRetry: (line) => lines.push(line),
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    });
    if (!result.ok) throw new Error(result.error);
    expect(sleeps).toEqual([5_000, 10_000, 20_000]);
    expect(lines).toEqual([
      'frankfurter: server error, HTTP 503 (transient); retrying in 5 s (attempt 2 of 4)',
      'frankfurter: server error, HTTP 503 (transient); retrying in 10 s (attempt 3 of 4)',
      'frankfurter: server error, HTTP 503 (transient); retrying in 20 s (attempt 4 of 4)',
      'frankfurter: server error, HTTP 503 (transient); asking currencyapi instead',
    ]);
    expect(result.value.attempts).toEqual([
      ...Array.from({ length: 4 }, () => ({
        chain: 'rates',
        provider: 'frankfurter',
        outcome: 'transient',
        reason: 'server error, HTTP 503',
      })),
      { chain: 'rates', provider: 'currencyapi', outcome: 'served' },
      { chain: 'gold', provider: 'goldapi', outcome: 'served' },
    ]);
    expect(fake().requests.filter((r) => r.provider === 'frankfurter')).toHaveLength(4);
    expect(mirrors().requests).toHaveLength(1);
    expect(await store.find('USD', '2025-07-08')).toMatchObject({ CurrencyProvider: 'currencyapi', GoldProvider: 'goldapi' });
  });
});
