import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { BackfillSummarySchema } from '../../src/backfill/contract.js';
import { runCli, runCommand } from '../support/cli.js';
import { startFakeProviders, weekdaysBetween, type FakeProviders } from '../support/fakeProviders.js';
import { serveHistory } from '../support/historyAnswers.js';
import { goldByDate, readInstance } from '../support/readInstance.js';
import { connectionStore } from '../support/stores.js';
import { uniqueTableName } from '../support/tableNames.js';

/** `npm run backfill` as a user runs it (the compiled CLI, stderr not a terminal), on fake providers and the suite's Azurite. */
let fake: FakeProviders;
beforeAll(async () => (fake = await startFakeProviders()));
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const GOLD_KEY = 'goldapi-backfill-cli-secret-42';
function freshSetup() {
  const table = uniqueTableName('FxGoldBackfillCli');
  const connectionString = inject('azuriteConnectionString');
  const env = {
    ...fake.settings(),
    GOLDAPI_KEY: GOLD_KEY,
    FXGOLD_STORAGE_CONNECTION: connectionString,
    FXGOLD_TABLE_NAME: table,
    FXGOLD_USAGE_TABLE_NAME: `${table}Usage`,
  };
  const store = connectionStore(connectionString, table);
  return { env, store, reader: readInstance(connectionString, table), cwd: mkdtempSync(join(tmpdir(), 'fxgold-backfill-')) };
}
// In-process (src/cli/backfillCommand.ts): the first case runs the compiled command as a process, for its exit code and streams.
const backfillCli = (args: string[], env: Record<string, string>, cwd: string) => runCommand('backfill', args, env, cwd);
const goldRequests = () => fake.requests.filter((r) => r.provider === 'goldapi').length;

describe('npm run backfill (fake providers, real Azurite)', () => {
  it('plans on stderr, prints one line per chunk, stores every business date and prints the summary; a re-run skips them all', async () => {
    const { env, store, reader, cwd } = freshSetup();
    expect(await goldByDate(reader, '2025-03-01', '2025-04-30')).toEqual({}); // the cache loaded before the backfill
    serveHistory(fake, { goldGaps: ['2025-04-18'] });
    const run = await runCli('backfill', ['--from', '2025-03-01', '--to', '2025-04-30'], env, cwd);
    expect(run.code).toBe(0);
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toBe('fx-gold: plan 2025-03-01..2025-04-30: 43 business dates, 43 to fetch in 2 chunks, 0 skipped (already stored)');
    expect(lines[1]).toBe('fx-gold: requests: frankfurter 2, goldapi 43 (retries and failover aside)');
    expect(lines[2]).toMatch(
      /^fx-gold: quota: goldapi needs 43 \+ 7 retry allowance; budget 80 per backfill \(FXGOLD_GOLD_REQUEST_BUDGET\); \d+ left in \d{4}-\d{2} \(FXGOLD_GOLD_MONTHLY_QUOTA 100, 0 used, 0 reserved by other backfills, \d+ kept/,
    );
    expect(lines[3]).toMatch(/^fx-gold: chunk 2025-03-03..2025-03-31: 21 stored, 0 gaps, 0 failed \(21\/43 dates, [\d.]+\/s, ETA \S+\)$/);
    expect(lines[4]).toMatch(/^fx-gold: chunk 2025-04-01..2025-04-30: 21 stored, 1 gaps, 0 failed \(43\/43 dates/);
    expect(lines).toHaveLength(5);
    const summary = BackfillSummarySchema.parse(JSON.parse(run.stdout));
    expect(summary).toMatchObject({
      from: '2025-03-01',
      to: '2025-04-30',
      dates: 43,
      stored: 42,
      skipped: 0,
      failed: [],
      requests: { currency: 2, gold: 43 },
    });
    expect(summary.gaps).toEqual([{ date: '2025-04-18', reason: expect.stringMatching(/^goldapi: no gold price for 2025-04-18/) }]);
    expect(await store.find('USD', '2025-04-30')).toMatchObject({ rowKey: '2025-04-30', GoldProvider: 'goldapi' });
    expect(Object.keys(await goldByDate(reader, '2025-03-01', '2025-04-30'))).toHaveLength(42);
    expect(run.stdout + run.stderr).not.toContain(GOLD_KEY);

    fake.reset();
    serveHistory(fake, { goldGaps: ['2025-04-18'] });
    const again = await backfillCli(['--from', '2025-03-01', '--to', '2025-04-30'], env, cwd);
    expect(again.code).toBe(0);
    // Everything stored is skipped, and so is the recorded gap: nothing is asked.
    expect(JSON.parse(again.stdout)).toMatchObject({ stored: 0, skipped: 42, knownGaps: 1, gaps: [], requests: { gold: 0 } });
    expect(goldRequests()).toBe(0);

    // --retry-gaps asks the gap again, and only the gap.
    const retried = await backfillCli(['--from', '2025-03-01', '--to', '2025-04-30', '--retry-gaps'], env, cwd);
    expect(retried.code).toBe(0);
    expect(JSON.parse(retried.stdout)).toMatchObject({
      stored: 0,
      skipped: 42,
      knownGaps: 0,
      gaps: [{ date: '2025-04-18' }],
      requests: { gold: 1 },
    });
    expect(goldRequests()).toBe(1);
  });

  it('stores for a date the same row as npm run once -- --date (IngestedAt aside)', async () => {
    const { env, store, cwd } = freshSetup();
    const history = { fxHolidays: ['2025-04-18', '2025-04-21'], goldFromDayBefore: ['2025-04-22'] };
    serveHistory(fake, history);
    expect((await backfillCli(['--from', '2025-04-14', '--to', '2025-04-25'], env, cwd)).code).toBe(0);
    for (const date of ['2025-04-17', '2025-04-21', '2025-04-22']) {
      const { IngestedAt: _backfilled, ...backfilled } = (await store.find('USD', date)) ?? {};
      const once = await runCommand('once', ['--date', date], env, cwd);
      expect(once.code).toBe(0);
      const { IngestedAt: _once, ...stored } = JSON.parse(once.stdout) as Record<string, unknown>;
      expect(stored).toEqual(backfilled);
    }
    expect((await store.find('USD', '2025-04-21'))?.QualityFlags).toBe('fx-carried-forward');
    expect((await store.find('USD', '2025-04-22'))?.QualityFlags).toBe('gold-carried-forward');
  });

  it('exits 1 when some dates failed, listing them, with the other dates stored', async () => {
    const { env, store, cwd } = freshSetup();
    serveHistory(fake, { goldRefused: ['2025-06-04'] });
    const run = await backfillCli(['--from', '2025-06-02', '--to', '2025-06-06'], env, cwd);
    expect(run.code).toBe(1);
    const summary: unknown = JSON.parse(run.stdout);
    expect(summary).toMatchObject({
      stored: 4,
      failed: [{ date: '2025-06-04', error: expect.stringMatching(/goldapi: request refused, HTTP 403/) }],
    });
    expect(await store.find('USD', '2025-06-04')).toBeUndefined();
    expect(await store.find('USD', '2025-06-05')).toBeDefined();
  });

  it('a dry run plans and shows the quota, writes nothing and asks nothing of the gold provider', async () => {
    const { env, store, cwd } = freshSetup();
    serveHistory(fake);
    const run = await backfillCli(['--from', '2025-06-02', '--to', '2025-06-06', '--dry-run'], env, cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/plan 2025-06-02..2025-06-06: 5 business dates, 5 to fetch in 1 chunk/);
    expect(run.stderr).toMatch(/quota: goldapi needs 5 \+ 3 retry allowance; budget 80/);
    expect(run.stderr).toMatch(/dry run: nothing fetched, nothing written/);
    expect(fake.requests).toEqual([]);
    expect(await store.find('USD', '2025-06-02')).toBeUndefined();
  });

  it.each([
    [['--from', '2025-06-06', '--to', '2025-06-02'], /from 2025-06-06 is after to 2025-06-02/],
    [['--from', '2025-06-07', '--to', '2025-06-08'], /has no business day/],
    // The same range cap as POST /api/backfills.
    [['--from', '2001-01-01', '--to', '2021-01-01'], /2001-01-01\.\.2021-01-01 is longer than 20 years; split it into shorter backfills/],
    [['--from', '2025-06-02'], /--from and --to are required/],
    [['--from', '2025-06-02', '--to', '2025-06-06', '--accept-quality', 'completeness'], /only "plausibility" can be accepted/],
    [['--from', '2025-06-02', '--to', '2025-06-06', '--when', 'now'], /Unknown option '--when'/],
  ])('refuses %j with exit code 2 and a reason, asking nothing', async (args, reason) => {
    const { env, cwd } = freshSetup();
    const run = await backfillCli(args, env, cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(reason);
    expect(fake.requests).toEqual([]);
  });

  it('refuses a range over the request budget with exit code 2, before any request', async () => {
    const { env, cwd } = freshSetup();
    const run = await backfillCli(['--from', '2025-01-01', '--to', '2025-06-30'], { ...env, FXGOLD_GOLD_REQUEST_BUDGET: '50' }, cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/refused: the backfill needs 129 goldapi requests .* FXGOLD_GOLD_REQUEST_BUDGET allows 50/);
    expect(run.stdout).toBe('');
    expect(fake.requests).toEqual([]);
    expect(weekdaysBetween('2025-01-01', '2025-06-30')).toHaveLength(129);
  });
});
