import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { BackfillSummarySchema } from '../../src/backfill/contract.js';
import { runCommand } from '../support/cli.js';
import { startFakeCurrencyApi, type CurrencyApiHandler } from '../support/fakeCurrencyApi.js';
import { fixture } from '../support/fixtures.js';
import { connectionStore } from '../support/stores.js';
import { uniqueTableName } from '../support/tableNames.js';

/**
 * A keyless backfill over currency-api's real files of 2025-12-22..2025-12-31 (test/fixtures/currencyapi-2025-12,
 * trimmed copies of the npm packages), served on loopback by both mirrors: 6 files for 8 weekdays, 23 and 29 December
 * missing on every mirror as on the real service.
 */
const DIRECTORY = 'currencyapi-2025-12';
const REAL_DAYS = readdirSync(new URL(`../fixtures/${DIRECTORY}/`, import.meta.url))
  .filter((name) => name.endsWith('.json'))
  .map((name) => name.slice(0, -'.json'.length))
  .sort();
const MISSING = ['2025-12-23', '2025-12-29'];
const G10 = ['EUR', 'JPY', 'GBP', 'CHF', 'CAD', 'AUD', 'NZD', 'SEK', 'NOK'];
type DayFile = { date: string; usd: Record<string, number> };

/** What jsDelivr and pages.dev answer: the real day file, or their 404 for a day without one. */
const realFiles: CurrencyApiHandler = ({ path }) => {
  const date = /(\d{4}-\d{2}-\d{2})/.exec(path)?.[1];
  if (date === undefined || !REAL_DAYS.includes(date) || !path.endsWith('/usd.json'))
    return { status: 404, text: `Couldn't find the requested file ${path}.` };
  return { json: fixture<DayFile>(`${DIRECTORY}/${date}`) };
};

let fake: Awaited<ReturnType<typeof startFakeCurrencyApi>>;
beforeAll(async () => (fake = await startFakeCurrencyApi()));
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  fake.answer('jsdelivr', realFiles);
  fake.answer('pages', realFiles);
});

function freshSetup() {
  const table = uniqueTableName('FxGoldRealFiles');
  const connectionString = inject('azuriteConnectionString');
  const env = {
    ...fake.settings(),
    FXGOLD_CURRENCY_PROVIDERS: 'currencyapi',
    FXGOLD_GOLD_PROVIDERS: 'currencyapi',
    FXGOLD_STORAGE_CONNECTION: connectionString,
    FXGOLD_TABLE_NAME: table,
    FXGOLD_USAGE_TABLE_NAME: `${table}Usage`,
  };
  return { env, store: connectionStore(connectionString, table), cwd: mkdtempSync(join(tmpdir(), 'fxgold-realfiles-')) };
}
const backfill = (args: string[], env: Record<string, string>, cwd: string) =>
  runCommand('backfill', ['--from', '2025-12-22', '--to', '2025-12-31', '--no-retry', ...args], env, cwd);

describe('keyless backfill over real currency-api files (the command in-process, loopback mirrors, real Azurite)', () => {
  it('stores every day that has a file with its values exactly, reports the missing weekdays as gaps, and exits 0', async () => {
    const { env, store, cwd } = freshSetup();
    const run = await backfill([], env, cwd);
    expect(run.stderr).not.toMatch(/failed unexpectedly/);
    expect(run.code).toBe(0);
    const summary = BackfillSummarySchema.parse(JSON.parse(run.stdout));
    expect(summary).toMatchObject({ dates: 8, stored: REAL_DAYS.length, skipped: 0, failed: [] });
    expect(summary.gaps.map((gap) => gap.date)).toEqual(MISSING);
    for (const gap of summary.gaps)
      expect(gap.reason).toBe(
        `currencyapi: no data for ${gap.date} (HTTP 404 from ${fake.host('jsdelivr')}, ${fake.host('pages')}; its history starts about 2024-03) (permanent)`,
      );

    for (const date of REAL_DAYS) {
      const file = fixture<DayFile>(`${DIRECTORY}/${date}`);
      const row = await store.find('USD', date);
      expect(row, date).toMatchObject({
        CurrencyDate: date,
        CurrencyProvider: 'currencyapi',
        GoldProvider: 'currencyapi',
        GoldSource: 'CURRENCYAPI',
        GoldTimestamp: `${date}T00:00:00.000Z`,
        CurrencyTimestamp: `${date}T00:00:00.000Z`,
        GoldPrice: 1 / (file.usd.xau as number),
        ...Object.fromEntries(G10.map((code) => [`Rate_${code}`, file.usd[code.toLowerCase()]])),
      });
    }
    for (const date of MISSING) expect(await store.find('USD', date)).toBeUndefined();

    // A resume asks nothing: the stored days are skipped, and so are the gaps recorded in the gaps table.
    fake.requests.length = 0;
    const resume = await backfill([], env, cwd);
    expect(resume.code).toBe(0);
    expect(resume.stderr).toContain('8 business dates, 0 to fetch in 0 chunks, 6 skipped (already stored), 2 known gaps skipped');
    expect(JSON.parse(resume.stdout)).toMatchObject({
      stored: 0,
      skipped: 6,
      knownGaps: 2,
      gaps: [],
      failed: [],
      requests: { currency: 0 },
    });
    expect(fake.requests).toEqual([]);

    // --retry-gaps asks exactly the gaps again, on every mirror, and they stay gaps.
    const retried = await backfill(['--retry-gaps'], env, cwd);
    expect(retried.code).toBe(0);
    expect(JSON.parse(retried.stdout)).toMatchObject({
      stored: 0,
      skipped: 6,
      knownGaps: 0,
      failed: [],
      requests: { currency: 2, gold: 0 },
    });
    expect(BackfillSummarySchema.parse(JSON.parse(retried.stdout)).gaps.map((gap) => gap.date)).toEqual(MISSING);
    expect(fake.requests.map((request) => `${request.mirror} ${/\d{4}-\d{2}-\d{2}/.exec(request.path)?.[0]}`).sort()).toEqual([
      'jsdelivr 2025-12-23',
      'jsdelivr 2025-12-29',
      'pages 2025-12-23',
      'pages 2025-12-29',
    ]);
  });
});
