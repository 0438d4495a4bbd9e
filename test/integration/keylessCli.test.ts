import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { BackfillSummarySchema } from '../../src/backfill/contract.js';
import { runCommand } from '../support/cli.js';
import { frankfurterV2Gold, nbpPriceOn, roundLikeFrankfurter } from '../support/fakeFrankfurterV2.js';
import { startFakeProviders, type FakeProviders } from '../support/fakeProviders.js';
import { serveHistory } from '../support/historyAnswers.js';
import { connectionStore } from '../support/stores.js';
import { uniqueTableName } from '../support/tableNames.js';

/**
 * No key at all: `npm run once` and `npm run backfill` (their commands in-process, runCommand) with the default chains
 * (Frankfurter v1 for FX, goldapi skipped without GOLDAPI_KEY, then Frankfurter v2's NBP gold), on the loopback fakes
 * and the suite's Azurite. The process boundary of both commands is tested in runOnce.test.ts and backfillCli.test.ts.
 */
let fake: FakeProviders;
beforeAll(async () => (fake = await startFakeProviders()));
afterAll(() => fake.close());
/** Easter Monday 2025: no NBP fixing (a Polish public holiday); the ECB is closed on Good Friday and Easter Monday. */
const NBP_HOLIDAYS = ['2025-04-21'];
beforeEach(() => {
  fake.reset();
  serveHistory(fake, { fxHolidays: ['2025-04-18', '2025-04-21'] });
  fake.answer('frankfurterv2', frankfurterV2Gold({ holidays: NBP_HOLIDAYS }));
});

function freshSetup(extra: Record<string, string> = {}) {
  const table = uniqueTableName('FxGoldKeyless');
  const connectionString = inject('azuriteConnectionString');
  const env = { ...fake.keylessSettings(), FXGOLD_STORAGE_CONNECTION: connectionString, FXGOLD_TABLE_NAME: table, ...extra };
  return { env, store: connectionStore(connectionString, table), cwd: mkdtempSync(join(tmpdir(), 'fxgold-keyless-')) };
}
const goldRequests = () => fake.requests.filter((r) => r.provider === 'frankfurterv2');

describe('keyless by default (the commands in-process, fake providers, real Azurite)', () => {
  it('npm run once with no GOLDAPI_KEY stores NBP gold from Frankfurter v2, asked for the business date', async () => {
    const { env, store, cwd } = freshSetup();
    const run = await runCommand('once', ['--date', '2025-04-17'], env, cwd);
    expect(run.stderr).not.toMatch(/GOLDAPI_KEY/);
    expect(run.code).toBe(0);
    expect(await store.find('USD', '2025-04-17')).toMatchObject({
      GoldProvider: 'frankfurter',
      GoldSource: 'NBP',
      GoldPrice: roundLikeFrankfurter(nbpPriceOn('2025-04-17')),
      // NBP's fixing, about noon in Warsaw: 10:00 UTC in summer time (CEST).
      GoldTimestamp: '2025-04-17T10:00:00.000Z',
      // The ECB's 14:15 in Frankfurt, summer time (CEST).
      CurrencyTimestamp: '2025-04-17T12:15:00.000Z',
      QualityFlags: '',
    });
    expect(goldRequests().map((r) => Object.fromEntries(r.query))).toEqual([
      { base: 'XAU', quotes: 'USD', providers: 'NBP', date: '2025-04-17' },
    ]);
  });

  it('with GOLDAPI_KEY goldapi is asked first, as before', async () => {
    const { env, store, cwd } = freshSetup({ GOLDAPI_KEY: 'goldapi-keyless-test-key-1' });
    expect((await runCommand('once', ['--date', '2025-04-17'], env, cwd)).code).toBe(0);
    expect(await store.find('USD', '2025-04-17')).toMatchObject({ GoldProvider: 'goldapi' });
    expect(goldRequests()).toEqual([]);
  });

  it('a keyless backfill asks one gold series per chunk, carries an NBP holiday forward, and stores the rows npm run once -- --date stores', async () => {
    const { env, store, cwd } = freshSetup();
    const run = await runCommand('backfill', ['--from', '2025-03-24', '--to', '2025-04-25', '--no-retry'], env, cwd);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('fx-gold: requests: frankfurter 2, frankfurter 2 (retries and failover aside)');
    const summary = BackfillSummarySchema.parse(JSON.parse(run.stdout));
    expect(summary).toMatchObject({ dates: 25, stored: 25, gaps: [], failed: [], requests: { currency: 2, gold: 2 } });
    // One request per chunk (March, April), each from a week before the chunk as for FX.
    expect(goldRequests().map((r) => [r.query.get('from'), r.query.get('to'), r.query.get('providers')])).toEqual([
      ['2025-03-17', '2025-03-31', 'NBP'],
      ['2025-03-25', '2025-04-25', 'NBP'],
    ]);
    expect(await store.find('USD', '2025-04-21')).toMatchObject({
      GoldPrice: roundLikeFrankfurter(nbpPriceOn('2025-04-18')),
      GoldTimestamp: '2025-04-18T10:00:00.000Z',
      QualityFlags: 'fx-carried-forward,gold-carried-forward',
    });

    for (const date of ['2025-03-31', '2025-04-18', '2025-04-21']) {
      const { IngestedAt: _backfilled, ...backfilled } = (await store.find('USD', date)) ?? {};
      const once = await runCommand('once', ['--date', date], env, cwd);
      expect(once.code).toBe(0);
      const { IngestedAt: _once, ...stored } = JSON.parse(once.stdout) as Record<string, unknown>;
      expect(stored, date).toEqual(backfilled);
    }
  });
});
