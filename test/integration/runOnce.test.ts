import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { documentedAnswers, startFakeProviders, type FakeProviders } from '../support/fakeProviders.js';
import { runCli, runCommand } from '../support/cli.js';
import { fixture } from '../support/fixtures.js';
import { goldByDate, readInstance } from '../support/readInstance.js';
import { connectionStore } from '../support/stores.js';
import { uniqueTableName } from '../support/tableNames.js';

// In-process (src/cli/onceCommand.ts); the first and the failing case run the compiled command as a process, for exit codes and streams.
const runOnceCli = (args: string[], env: Record<string, string>, cwd: string) => runCommand('once', args, env, cwd);

const GOLD_KEY = 'goldapi-cli-secret-777-io';
let fake: FakeProviders;
beforeAll(async () => (fake = await startFakeProviders()));
afterAll(() => fake.close());
beforeEach(() => fake.reset());

/** The table service URL of the test Azurite, as the success line names it. */
const tableEndpoint = () => /TableEndpoint=([^;]+)/.exec(inject('azuriteConnectionString'))?.[1];

const freshSetup = () => {
  const table = uniqueTableName('FxGoldCli');
  const connection = inject('azuriteConnectionString');
  const env = { ...fake.settings(), GOLDAPI_KEY: GOLD_KEY, FXGOLD_STORAGE_CONNECTION: connection, FXGOLD_TABLE_NAME: table };
  const store = connectionStore(connection, table);
  return { env, store, table, cwd: mkdtempSync(join(tmpdir(), 'fxgold-once-')) };
};

describe('npm run once (fake providers, real Azurite)', () => {
  it('fetches both providers, stores one row, prints it on stdout and says on stderr where it went', async () => {
    const { env, store, table, cwd } = freshSetup();
    const reader = readInstance(env.FXGOLD_STORAGE_CONNECTION, table);
    expect(await goldByDate(reader, '2025-07-07', '2025-07-07')).toEqual({}); // the cache loaded before the run
    const run = await runCli('once', ['--date', '2025-07-07'], env, cwd);
    expect(run.stderr).toBe(`fx-gold: stored row 2025-07-07 in table ${table} at ${tableEndpoint()} (created)\n`);
    expect(run.code).toBe(0);
    const printed: unknown = JSON.parse(run.stdout);
    expect(printed).toMatchObject({
      partitionKey: 'USD',
      rowKey: '2025-07-07',
      Rate_EUR: 0.8512,
      Rate_NOK: 10.1188,
      GoldPrice: 3312.25,
      GoldClosingPrice: 3340.1,
      GoldSource: 'LBMA',
      GoldTimestamp: '2025-07-07T10:30:00.000Z',
      CurrencyDate: '2025-07-07',
      CurrencyProvider: 'frankfurter',
      GoldProvider: 'goldapi',
    });
    expect(printed).not.toHaveProperty('GoldOpeningPrice');
    expect(await store.find('USD', '2025-07-07')).toEqual(printed);
    expect(await goldByDate(reader, '2025-07-07', '2025-07-07')).toEqual({ '2025-07-07': 3312.25 });
    // A past date goes to the historical endpoints of both providers.
    expect(fake.requests.map((r) => `${r.provider} ${r.path}`).sort()).toEqual(['frankfurter /2025-07-07', 'goldapi /XAU/USD/20250707']);

    const again = await runOnceCli(['--date', '2025-07-07'], env, cwd);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe(`fx-gold: stored row 2025-07-07 in table ${table} at ${tableEndpoint()} (replaced)\n`);
  });

  it('retries a transient failure, one stderr line per retry, and stores the row', async () => {
    const { env, store, table, cwd } = freshSetup();
    let goldCalls = 0;
    fake.answer('goldapi', (request) => (++goldCalls === 1 ? { status: 503, text: 'busy' } : documentedAnswers.goldapi(request)));
    const run = await runOnceCli(['--date', '2025-07-08'], env, cwd);
    expect(run.code).toBe(0);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^fx-gold: goldapi: .*HTTP 503.*\(transient\); retrying in 5 s \(attempt 2 of 4\)$/);
    expect(lines[1]).toBe(`fx-gold: stored row 2025-07-08 in table ${table} at ${tableEndpoint()} (created)`);
    expect(await store.find('USD', '2025-07-08')).toEqual(JSON.parse(run.stdout));
  });

  it('with --no-retry, asks each provider once and reports the first transient failure', async () => {
    const { env, store, cwd } = freshSetup();
    fake.answer('goldapi', { status: 503, text: 'busy' });
    const run = await runOnceCli(['--date', '2025-07-08', '--no-retry'], env, cwd);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toContain('retrying');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/goldapi: .*HTTP 503/);
    expect(fake.requests.filter((r) => r.provider === 'goldapi')).toHaveLength(1);
    expect(await store.find('USD', '2025-07-08')).toBeUndefined();
  });

  it('uses exchangerate.host when chosen, with its access key kept out of everything printed', async () => {
    const { env, store, cwd } = freshSetup();
    const key = 'erh-cli-secret-31337';
    const run = await runOnceCli(
      ['--date', '2025-07-07'],
      { ...env, FXGOLD_CURRENCY_PROVIDERS: 'exchangeratehost', EXCHANGERATE_HOST_ACCESS_KEY: key },
      cwd,
    );
    expect(run.code).toBe(0);
    expect(await store.find('USD', '2025-07-07')).toMatchObject({
      CurrencyProvider: 'exchangeratehost',
      CurrencyDate: '2025-07-07',
      Rate_JPY: 145.2,
      Rate_EUR: 0.8521,
    });
    expect(fake.requests.find((r) => r.provider === 'exchangeratehost')?.query.get('access_key')).toBe(key);
    expect(run.stdout + run.stderr).not.toContain(key);

    fake.answer('exchangeratehost', {
      json: { success: false, error: { code: 104, type: 'usage_limit_reached', info: 'Your monthly usage limit has been reached.' } },
    });
    const failed = await runOnceCli(
      ['--date', '2025-07-08'],
      { ...env, FXGOLD_CURRENCY_PROVIDERS: 'exchangeratehost', EXCHANGERATE_HOST_ACCESS_KEY: key },
      cwd,
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/exchangeratehost: error 104 usage_limit_reached: .+ \(permanent\)/);
  });

  it('exits non-zero naming the provider, writes nothing and keeps the earlier row', async () => {
    const { env, store, cwd } = freshSetup();
    expect((await runOnceCli(['--date', '2025-07-07'], env, cwd)).code).toBe(0);
    const before = await store.find('USD', '2025-07-07');

    fake.answer('goldapi', { status: 403, json: { error: 'Invalid API Key' } });
    const failed = await runCli('once', ['--date', '2025-07-07'], env, cwd);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr.trim().split('\n')).toEqual([
      'fx-gold: goldapi: request refused, HTTP 403: Invalid API Key; check GOLDAPI_KEY and the quota at https://www.goldapi.io/dashboard (permanent)',
    ]);
    expect(await store.find('USD', '2025-07-07')).toEqual(before);

    const otherDay = await runOnceCli(['--date', '2025-07-08'], env, cwd);
    expect(otherDay.code).toBe(1);
    expect(await store.find('USD', '2025-07-08')).toBeUndefined();
  });

  it('a key echoed in a success field (goldapi exchange) fails the run permanently: no row, the key in no output', async () => {
    const { env, store, cwd } = freshSetup();
    const upperKey = 'GOLDKEY-CLI-0123456789ABC';
    fake.answer('goldapi', { json: { ...fixture('goldapi-historical'), exchange: upperKey } });
    const run = await runOnceCli(['--date', '2025-07-07', '--no-retry'], { ...env, GOLDAPI_KEY: upperKey }, cwd);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('goldapi: invalid response: exchange: must not contain the API key (GOLDAPI_KEY) (permanent)');
    expect(`${run.stdout}${run.stderr}`.toLowerCase()).not.toContain(upperKey.toLowerCase());
    expect(await store.find('USD', '2025-07-07')).toBeUndefined();
  });

  it('any configured secret echoed as the gold source (here the exchangerate.host key) fails the run: no row, the key in no output', async () => {
    const { env, store, cwd } = freshSetup();
    const otherKey = 'FXHOST-KEY-0123456789ABC';
    fake.answer('goldapi', { json: { ...fixture('goldapi-historical'), exchange: otherKey.toLowerCase().toUpperCase() } });
    const run = await runOnceCli(['--date', '2025-07-07', '--no-retry'], { ...env, EXCHANGERATE_HOST_ACCESS_KEY: otherKey }, cwd);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('goldapi: invalid response: source (stored as GoldSource): must not contain a configured secret');
    expect(`${run.stdout}${run.stderr}`.toLowerCase()).not.toContain(otherKey.toLowerCase());
    expect(await store.find('USD', '2025-07-07')).toBeUndefined();
  });

  it('reads settings from local.settings.json, the environment winning', async () => {
    const { env, store, cwd } = freshSetup();
    const { FXGOLD_TABLE_NAME, ...fromFile } = env;
    writeFileSync(
      join(cwd, 'local.settings.json'),
      JSON.stringify({ IsEncrypted: false, Values: { ...fromFile, FXGOLD_TABLE_NAME: 'NotThisTable', FXGOLD_CURRENCIES: 'EUR,JPY' } }),
    );
    // A blank variable in the environment is unset: it must not hide the file's value.
    const run = await runOnceCli(['--date', '2025-07-08'], { FXGOLD_TABLE_NAME, GOLDAPI_KEY: '' }, cwd);
    expect(run.code).toBe(0);
    const row = await store.find('USD', '2025-07-08');
    expect(Object.keys(row ?? {}).filter((k) => k.startsWith('Rate_'))).toEqual(['Rate_EUR', 'Rate_JPY']);
  });

  it.each([
    [['--date', '2025-07-05'], /2025-07-05 is a Saturday/],
    [['--date', '2999-01-01'], /is in the future/],
    [['--date', '2025-13-01'], /not a real calendar date/],
    [['--when', 'now'], /Unknown option '--when'/],
  ])('refuses %j with exit code 2 and a reason', async (args, reason) => {
    const { env, cwd } = freshSetup();
    const run = await runOnceCli(args, env, cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(reason);
    expect(fake.requests).toEqual([]);
  });

  it('names missing settings and never prints a secret', async () => {
    const { env, cwd } = freshSetup();
    const missing = await runOnceCli(['--date', '2025-07-07'], { ...env, GOLDAPI_KEY: '' }, cwd);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('FXGOLD_GOLD_PROVIDERS has no provider left to ask: goldapi needs GOLDAPI_KEY');
    expect(missing.stderr).toContain('https://www.goldapi.io');
    expect(missing.stderr).toContain('in the environment or in local.settings.json "Values"');

    fake.answer('goldapi', { status: 500, text: `upstream says ${GOLD_KEY}` });
    fake.answer('frankfurter', { drop: true });
    const failed = await runOnceCli(['--date', '2025-07-07', '--no-retry'], env, cwd);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/frankfurter: network error .*; goldapi: server error, HTTP 500/);
    expect(failed.stderr + failed.stdout).not.toContain(GOLD_KEY);
  });
});
