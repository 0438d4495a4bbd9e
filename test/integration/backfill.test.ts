import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { checkQuota } from '../../src/backfill/quota.js';
import { parseBackfillRange, planBackfill } from '../../src/backfill/plan.js';
import { runChunk } from '../../src/backfill/runChunk.js';
import type { ChunkResult } from '../../src/backfill/contract.js';
import { loadSettings } from '../../src/config/settings.js';
import { createBackfillDependencies, type BackfillDependencies } from '../../src/backfill/dependencies.js';
import { tableUsageLedger, usageMonthOf } from '../../src/storage/usageLedger.js';
import { startFakeProviders, weekdaysBetween, type FakeProviders } from '../support/fakeProviders.js';
import { goldOn, ratesOn, serveHistory } from '../support/historyAnswers.js';
import { connectionClient, connectionStore } from '../support/stores.js';
import { uniqueTableName } from '../support/tableNames.js';
import { isoDate } from '../support/dates.js';

/** The backfill module (plan, quota guard, chunks) on fake providers over loopback and the suite's real Azurite. */
let fake: FakeProviders;
beforeAll(async () => (fake = await startFakeProviders()));
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const NOW = new Date('2025-07-15T12:00:00Z');

function setup(extra: Record<string, string> = {}, usageTable = uniqueTableName('FxGoldUsage')) {
  const connectionString = inject('azuriteConnectionString');
  const tableName = uniqueTableName('FxGoldBackfill');
  const settings = loadSettings({
    ...fake.settings(),
    GOLDAPI_KEY: 'goldapi-backfill-secret-1',
    FXGOLD_STORAGE_CONNECTION: connectionString,
    FXGOLD_TABLE_NAME: tableName,
    FXGOLD_USAGE_TABLE_NAME: usageTable,
    ...extra,
  });
  if (!settings.ok) throw new Error(settings.error);
  const deps: BackfillDependencies = { ...createBackfillDependencies(settings.value), clock: () => NOW };
  const store = connectionStore(connectionString, tableName);
  const ledger = (table = usageTable) => tableUsageLedger(connectionClient(connectionString, table));
  return { deps, store, ledger, usageTable };
}

const quiet = { retry: true, sleep: async () => {} };
const requestsTo = (provider: string) => fake.requests.filter((r) => r.provider === provider);

async function backfill(deps: BackfillDependencies, range: { from: string; to: string }, force = false) {
  const plan = await planBackfill({ from: isoDate(range.from), to: isoDate(range.to) }, deps, { force, now: NOW });
  if (!plan.ok) throw new Error(plan.error);
  const results: ChunkResult[] = [];
  for (const chunk of plan.value.chunks) results.push(await runChunk(chunk, deps, quiet));
  return {
    plan: plan.value,
    results,
    stored: results.flatMap((r) => r.stored),
    failed: results.flatMap((r) => r.failed),
    gaps: results.flatMap((r) => r.gaps),
  };
}

describe('backfill: plan, chunks, batched writes', () => {
  it('stores exactly one row per business date of two months with the served values, asking Frankfurter once per chunk', async () => {
    const { deps, store } = setup();
    serveHistory(fake, {
      fxHolidays: ['2025-04-18', '2025-04-21'],
      goldGaps: ['2025-04-18', '2025-04-21'],
      goldFromDayBefore: ['2025-05-01'],
    });
    const run = await backfill(deps, { from: '2025-03-29', to: '2025-05-04' });
    const dates = weekdaysBetween('2025-03-31', '2025-05-02');
    expect(run.plan.chunks.map((c) => [c.from, c.to])).toEqual([
      ['2025-03-31', '2025-03-31'],
      ['2025-04-01', '2025-04-30'],
      ['2025-05-01', '2025-05-02'],
    ]);
    expect(run.failed).toEqual([]);
    // No LBMA fixing on Good Friday and Easter Monday: gaps, not failures, and no row.
    expect(run.gaps.map((g) => g.date)).toEqual(['2025-04-18', '2025-04-21']);
    expect(run.gaps[0]?.reason).toMatch(/goldapi: no gold price for 2025-04-18: No data available/);
    const expected = dates.filter((d) => !['2025-04-18', '2025-04-21'].includes(d));
    expect(run.stored.sort()).toEqual(expected);

    // One series request per chunk, from a week before the chunk so its first dates can carry forward.
    expect(requestsTo('frankfurter').map((r) => r.path)).toEqual([
      '/2025-03-24..2025-03-31',
      '/2025-03-25..2025-04-30',
      '/2025-04-24..2025-05-02',
    ]);
    expect(requestsTo('goldapi')).toHaveLength(dates.length);
    expect(run.results.reduce((sum, r) => sum + r.requests.currency, 0)).toBe(3);

    const rows = await deps.rows.queryRows({
      base: 'USD',
      from: isoDate('2025-03-01'),
      to: isoDate('2025-05-31'),
      columns: ['GoldPrice', 'CurrencyDate', 'QualityFlags'],
      currencies: ['EUR', 'JPY'],
    });
    expect(rows.ok && rows.value.map((r) => r.rowKey)).toEqual(expected);
    const tuesday = await store.find('USD', '2025-04-22');
    expect(tuesday).toMatchObject({
      GoldPrice: goldOn('2025-04-22'),
      Rate_EUR: ratesOn('2025-04-22').EUR,
      Rate_JPY: ratesOn('2025-04-22').JPY,
      CurrencyDate: '2025-04-22',
      QualityFlags: '',
    });
    // goldapi answered 1 May with 30 April's fixing: stored, flagged by the gold-as-of gate.
    expect(await store.find('USD', '2025-05-01')).toMatchObject({
      GoldPrice: goldOn('2025-04-30'),
      GoldTimestamp: '2025-04-30T10:30:00.000Z',
      QualityFlags: 'gold-carried-forward',
    });
  });

  it('carries the latest earlier FX rates into an ECB holiday, CurrencyDate telling which day, and re-running leaves one row per date', async () => {
    const { deps, store } = setup();
    serveHistory(fake, { fxHolidays: ['2025-04-18', '2025-04-21'] });
    const first = await backfill(deps, { from: '2025-04-14', to: '2025-04-25' });
    expect(first.failed).toEqual([]);
    expect(await store.find('USD', '2025-04-21')).toMatchObject({
      CurrencyDate: '2025-04-17',
      Rate_EUR: ratesOn('2025-04-17').EUR,
      GoldPrice: goldOn('2025-04-21'),
      QualityFlags: 'fx-carried-forward',
    });

    fake.reset();
    serveHistory(fake, { fxHolidays: ['2025-04-18', '2025-04-21'] });
    const forced = await backfill(deps, { from: '2025-04-14', to: '2025-04-25' }, true);
    expect(forced.stored).toHaveLength(10);
    const rows = await deps.rows.queryRows({
      base: 'USD',
      from: isoDate('2025-04-01'),
      to: isoDate('2025-04-30'),
      columns: [],
      currencies: [],
    });
    expect(rows.ok && rows.value.map((r) => r.rowKey)).toEqual(weekdaysBetween('2025-04-14', '2025-04-25'));
  });

  it('reads exchangerate.host /timeframe (keys unsorted) once per chunk', async () => {
    const { deps, store } = setup({ FXGOLD_CURRENCY_PROVIDERS: 'exchangeratehost', EXCHANGERATE_HOST_ACCESS_KEY: 'erh-backfill-secret-9' });
    serveHistory(fake, { fxHolidays: ['2025-04-18'] });
    const run = await backfill(deps, { from: '2025-04-14', to: '2025-04-18' });
    expect(run.failed).toEqual([]);
    const asked = requestsTo('exchangeratehost');
    expect(asked.map((r) => [r.path, r.query.get('start_date'), r.query.get('end_date')])).toEqual([
      ['/timeframe', '2025-04-07', '2025-04-18'],
    ]);
    expect(await store.find('USD', '2025-04-18')).toMatchObject({
      CurrencyProvider: 'exchangeratehost',
      CurrencyDate: '2025-04-17',
      Rate_NOK: ratesOn('2025-04-17').NOK,
    });
    expect(await store.find('USD', '2025-04-15')).toMatchObject({ CurrencyDate: '2025-04-15', Rate_NOK: ratesOn('2025-04-15').NOK });
  });

  it('resumes after a partial failure: the second run asks only for the missing dates and ends with every date stored', async () => {
    const { deps } = setup();
    const refused = ['2025-06-03', '2025-06-04', '2025-06-17'];
    serveHistory(fake, { goldRefused: refused });
    const first = await backfill(deps, { from: '2025-06-01', to: '2025-06-30' });
    expect(first.failed.map((f) => f.date)).toEqual(refused);
    expect(first.failed[0]?.error).toMatch(/goldapi: request refused, HTTP 403: Invalid API Key/);
    expect(first.stored).toHaveLength(21 - 3);

    fake.reset();
    serveHistory(fake);
    const second = await backfill(deps, { from: '2025-06-01', to: '2025-06-30' });
    expect(second.plan.skipped).toHaveLength(18);
    expect(second.stored.sort()).toEqual(refused);
    expect(
      requestsTo('goldapi')
        .map((r) => r.path)
        .sort(),
    ).toEqual(['/XAU/USD/20250603', '/XAU/USD/20250604', '/XAU/USD/20250617']);
    const rows = await deps.rows.queryRows({
      base: 'USD',
      from: isoDate('2025-06-01'),
      to: isoDate('2025-06-30'),
      columns: [],
      currencies: [],
    });
    expect(rows.ok && rows.value.map((r) => r.rowKey)).toEqual(weekdaysBetween('2025-06-02', '2025-06-30'));
  });

  it('refuses bad ranges with the rule broken', async () => {
    const { deps } = setup();
    const plan = (from: string, to: string) => planBackfill({ from: isoDate(from), to: isoDate(to) }, deps, { force: false, now: NOW });
    expect(await plan('2025-05-10', '2025-05-01')).toEqual({ ok: false, error: 'from 2025-05-10 is after to 2025-05-01' });
    expect(await plan('2025-05-10', '2025-05-11')).toEqual({
      ok: false,
      error: '2025-05-10..2025-05-11 has no business day (only a weekend)',
    });
    expect(await plan('2025-07-01', '2025-07-16')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/to 2025-07-16 is in the future/),
    });
    expect(await plan('1998-12-01', '1999-01-08')).toMatchObject({ ok: false, error: expect.stringMatching(/before 1999-01-04/) });
    // An impossible date never becomes a range: the edge (the command's arguments, the request body) refuses it.
    expect(parseBackfillRange({ from: '2025-02-30', to: '2025-03-03' })).toEqual({
      ok: false,
      error: 'from "2025-02-30" is not a real calendar date',
    });
  });
});

describe('backfill: quota guard and usage ledger', () => {
  it('refuses over FXGOLD_GOLD_REQUEST_BUDGET before any request, naming the numbers and the setting', async () => {
    const { deps } = setup({ FXGOLD_GOLD_REQUEST_BUDGET: '10' });
    const plan = await planBackfill({ from: isoDate('2025-06-01'), to: isoDate('2025-06-30') }, deps, { force: false, now: NOW });
    if (!plan.ok) throw new Error(plan.error);
    const quota = await checkQuota(plan.value, deps, NOW);
    expect(quota).toEqual({
      ok: false,
      error: expect.stringMatching(
        /needs 21 goldapi requests .* FXGOLD_GOLD_REQUEST_BUDGET allows 10 per backfill; raise FXGOLD_GOLD_REQUEST_BUDGET/,
      ),
    });
    expect(fake.requests).toEqual([]);
  });

  it('refuses over the month quota minus what was used minus the weekday runs left, before any request', async () => {
    const { deps, ledger } = setup({ FXGOLD_GOLD_MONTHLY_QUOTA: '65' });
    expect(await ledger().record('goldapi', '2025-07', 25)).toEqual({ ok: true, value: 25 });
    const plan = await planBackfill({ from: isoDate('2025-06-01'), to: isoDate('2025-06-30') }, deps, { force: false, now: NOW });
    if (!plan.ok) throw new Error(plan.error);
    // 15 July 2025 is a Tuesday: 13 weekdays left in July, today included; 65 − 25 − 13 = 27 ≥ 21 + 5 (the retry allowance).
    expect(await checkQuota(plan.value, deps, NOW)).toEqual({
      ok: true,
      value: {
        provider: 'goldapi',
        metered: true,
        needed: 21,
        allowance: 5,
        budget: 80,
        month: '2025-07',
        monthlyQuota: 65,
        used: 25,
        reserved: 0,
        reserve: 13,
        left: 27,
      },
    });
    await ledger().record('goldapi', '2025-07', 2);
    const refused = await checkQuota(plan.value, deps, NOW);
    expect(refused).toEqual({
      ok: false,
      error: expect.stringMatching(
        /needs 26 goldapi requests \(21 planned \+ 5 retry allowance\) and only 25 are left in 2025-07 \(FXGOLD_GOLD_MONTHLY_QUOTA 65, 27 used, 0 reserved by other backfills, 13 kept .*\); set FXGOLD_GOLD_MONTHLY_QUOTA/,
      ),
    });
    expect(fake.requests).toEqual([]);

    const { deps: unlimited } = setup({ FXGOLD_GOLD_MONTHLY_QUOTA: '0' });
    expect(await checkQuota(plan.value, unlimited, NOW)).toMatchObject({ ok: true, value: { left: null } });
  });

  it('counts every goldapi request in the month ledger, and two backfills at once lose no count', async () => {
    const usageTable = `FxGoldUsageShared${process.pid}`;
    const a = setup({ FXGOLD_GOLD_CONCURRENCY: '4' }, usageTable);
    const b = setup({ FXGOLD_GOLD_CONCURRENCY: '4' }, usageTable);
    serveHistory(fake);
    const [runA, runB] = await Promise.all([
      backfill(a.deps, { from: '2025-05-01', to: '2025-06-30' }),
      backfill(b.deps, { from: '2025-05-01', to: '2025-06-30' }),
    ]);
    expect(runA.stored).toHaveLength(43);
    expect(runB.stored).toHaveLength(43);
    const goldRequests = requestsTo('goldapi').length;
    expect(goldRequests).toBe(86);
    expect(await a.ledger().monthUsage(usageMonthOf(NOW))).toEqual({ ok: true, value: { goldapi: 86 } });
  });

  it('concurrent ledger writers (separate clients, as separate processes) never lose a count', async () => {
    const { ledger } = setup();
    const writers = [ledger(), ledger(), ledger(), ledger()];
    await Promise.all(writers.flatMap((writer) => Array.from({ length: 15 }, () => writer.record('goldapi', '2025-07', 1))));
    expect(await writers[0]?.monthUsage('2025-07')).toEqual({ ok: true, value: { goldapi: 60 } });
  });

  it('a keyless gold provider is not limited', async () => {
    const { deps } = setup({ FXGOLD_GOLD_PROVIDERS: 'currencyapi', FXGOLD_GOLD_REQUEST_BUDGET: '1' });
    const plan = await planBackfill({ from: isoDate('2025-06-01'), to: isoDate('2025-06-30') }, deps, { force: false, now: NOW });
    if (!plan.ok) throw new Error(plan.error);
    expect(await checkQuota(plan.value, deps, NOW)).toMatchObject({
      ok: true,
      value: { provider: 'currencyapi', metered: false, needed: 21 },
    });
  });
});
