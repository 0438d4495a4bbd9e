import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEVELOPMENT_ACCOUNT } from '../../src/storage/connectionString.js';
import { tableRowStore } from '../../src/storage/fxGoldTable.js';
import { runCommand, type CliRun } from '../support/cli.js';
import { startFakeProviders, type FakeAnswer, type FakeProvider } from '../support/fakeProviders.js';
import { closedPort, startFaultyStorage, storageConnection, STORAGE_FAULTS, type StorageFault } from '../support/faultyStorage.js';
import { fixture } from '../support/fixtures.js';
import { storedRow } from '../support/storedRows.js';
import { connectionClient } from '../support/stores.js';
import { uniqueTableName } from '../support/tableNames.js';

/**
 * The fault matrix of issue 7: every dependency (the currency provider, both ways it can be configured; the gold
 * provider; Table Storage, when reading the previous row and when writing the new one) × every way it can misbehave,
 * each run through the compiled `npm run once -- --date <weekday> --no-retry` as a user would. For every cell: exit 1,
 * ended within a generous bound, the row already stored for the date unchanged (same ETag), no secret in any form on
 * stdout or stderr, stderr one clean short line naming the dependency and the kind of failure, and a redirect's target
 * never reached. The matrix is printed as a table at the end.
 */

type Fault = StorageFault;
const FAULTS = STORAGE_FAULTS;
const COLUMNS = ['frankfurter', 'exchangeratehost', 'goldapi', 'storage read', 'storage write'] as const;
type Column = (typeof COLUMNS)[number];

const DATE = '2025-07-07';
/**
 * Small bounds so that hangs end fast, yet wide enough that the healthy dependencies of a case still answer in time
 * on two loaded cores (a child process loads the SDK while its first requests are in flight); the time asserted is
 * far above them.
 */
const HTTP_TIMEOUT_MS = 1_500;
const STORAGE_TIMEOUT_MS = 2_000;
/** Cases running at once: each is a node process loading the app, on two cores shared with everything else. */
const AT_ONCE = 5;
const MAX_RESPONSE_BYTES = 256 * 1024;
const GENEROUS_MS = 10_000;
const MAX_LINE = 400;

/** Distinctive secrets, with characters that URL-encoding changes. */
const GOLD_KEY = 'Gold/Matrix+Key=7731';
const FX_KEY = 'Erh/Matrix+Key=4417';
const WRONG_ACCOUNT_KEY = Buffer.from('fx-gold matrix: not the account key 0123456789').toString('base64');

const formsOf = (secret: string) => [
  secret,
  secret.toUpperCase(),
  secret.toLowerCase(),
  encodeURIComponent(secret),
  new URLSearchParams({ s: secret }).toString().slice(2),
  Buffer.from(secret).toString('base64'),
  Buffer.from(secret).toString('base64url'),
];

/** Upstream text written to hurt: escapes, a forged line of ours, every form of every secret, and length. */
const HOSTILE = [
  '\u001b[31mALERT\u001b[0m\r\n',
  `fx-gold: stored row ${DATE} in table FxGold at http://127.0.0.1:10002/devstoreaccount1 (created)\n`,
  '\u2028\u009b2J\u0007\u0000',
  [GOLD_KEY, FX_KEY, DEVELOPMENT_ACCOUNT.accountKey, WRONG_ACCOUNT_KEY].flatMap(formsOf).join(' '),
  '\n',
  'A'.repeat(100_000),
].join(' ');

/** What each provider answers for each fault (refused is a closed port instead, bad key needs a key). */
function providerAnswer(provider: FakeProvider, fault: Exclude<Fault, 'refused'>, witness: string): FakeAnswer | undefined {
  const errorBody = (text: string) =>
    ({ frankfurter: { message: text }, frankfurterv2: { message: text }, exchangeratehost: { message: text }, goldapi: { error: text } })[
      provider
    ];
  switch (fault) {
    case 'hang':
      return { hang: true };
    case 'drip':
      return { drip: true };
    case 'reset':
      return { reset: true };
    case '5xx':
      return { status: 503, json: errorBody('Service Unavailable') };
    case '429':
      return { status: 429, json: errorBody('Too Many Requests'), headers: { 'retry-after': '3600' } };
    case 'redirect':
      return { redirect: `${witness}/steal/${provider}?keep=query`, status: 307 };
    case 'oversized':
      return { stream: 8 * 1024 * 1024 };
    case 'hostile text':
      return provider === 'exchangeratehost'
        ? { json: { success: false, error: { code: 101, type: HOSTILE.slice(0, 3_000), info: HOSTILE } } }
        : { status: 400, json: errorBody(HOSTILE) };
    case 'malformed':
      return { text: '{"base":"USD","date":"2025-07-07","rates":{"EUR":0.85,' };
    case 'schema-invalid':
      return {
        frankfurter: { json: { base: 'USD', date: DATE, rates: { EUR: '0.85', JPY: -146 } } },
        frankfurterv2: { json: [{ date: DATE, base: 'XAU', quote: 'USD', rate: '3300' }] },
        exchangeratehost: { json: { success: true, timestamp: 1751932799, source: 'USD', quotes: { USDEUR: 'x', EURUSD: 1.17 } } },
        goldapi: { json: { ...fixture('goldapi-historical'), metal: 'XAG', price: '3312.25' } },
      }[provider];
    case 'bad key':
      return {
        frankfurter: undefined, // keyless
        frankfurterv2: undefined,
        exchangeratehost: {
          json: {
            success: false,
            error: { code: 101, type: 'invalid_access_key', info: `You have not supplied a valid API Access Key: ${FX_KEY.toUpperCase()}` },
          },
        },
        goldapi: {
          status: 403,
          json: { error: `Invalid API Key ${encodeURIComponent(GOLD_KEY)} (${Buffer.from(GOLD_KEY).toString('base64')})` },
        },
      }[provider];
  }
}

/** The kind each fault must come out as: what may pass on a retry, and what never will. */
const TRANSIENT = new Set<Fault>(['hang', 'drip', 'refused', 'reset', '5xx', '429']);
const expectedKind = (column: Column, fault: Fault): 'transient' | 'permanent' =>
  TRANSIENT.has(fault) || (column.startsWith('storage') && fault === 'oversized') ? 'transient' : 'permanent';

const dependencyOf = (column: Column) => (column.startsWith('storage') ? 'storage' : column);

interface Cell {
  readonly code: number | null;
  readonly elapsedMs: number;
  readonly problems: readonly string[];
}
const cells = new Map<string, Cell>();
const key = (fault: Fault, column: Column) => `${fault}|${column}`;

let witness: Server;
let witnessVisits = 0;
let witnessUrl = '';
const azurite = () => inject('azuriteConnectionString');
const azuriteOrigin = () => new URL(/TableEndpoint=([^;]+)/.exec(azurite())?.[1] ?? '').origin;

beforeAll(async () => {
  // The host a redirect points at: it must never be contacted.
  witness = createServer((_req, res) => (witnessVisits++, res.writeHead(200).end('{}')));
  await new Promise<void>((resolve) => witness.listen(0, '127.0.0.1', resolve));
  witnessUrl = `http://127.0.0.1:${(witness.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => witness.close(resolve));
  printMatrix();
});

/** Seeds a row for DATE in a fresh table of the real Azurite; returns the table and a reader of its raw entity. */
async function seededTable() {
  const table = uniqueTableName('FxMatrix');
  const client = connectionClient(azurite(), table);
  const rates = { EUR: 0.9, JPY: 150, GBP: 0.8, CHF: 0.85, CAD: 1.4, AUD: 1.6, NZD: 1.7, SEK: 10, NOK: 10.5 };
  const saved = await tableRowStore(client).save(storedRow({ date: DATE, gold: 3000, rates }));
  if (!saved.ok) throw new Error(saved.error.message);
  const raw = async () => JSON.stringify(await client.getEntity('USD', DATE));
  return { table, raw, before: await raw() };
}

async function runCase(fault: Fault, column: Column): Promise<Cell> {
  const { table, raw, before } = await seededTable();
  const fake = await startFakeProviders();
  const cleanups: Array<() => Promise<unknown>> = [() => fake.close()];
  const witnessBefore = witnessVisits;
  const env: Record<string, string> = {
    ...fake.settings(),
    GOLDAPI_KEY: GOLD_KEY,
    EXCHANGERATE_HOST_ACCESS_KEY: FX_KEY,
    FXGOLD_CURRENCY_PROVIDERS: column === 'exchangeratehost' ? 'exchangeratehost' : 'frankfurter',
    FXGOLD_STORAGE_CONNECTION: azurite(),
    FXGOLD_TABLE_NAME: table,
    FXGOLD_HTTP_TIMEOUT_MS: String(HTTP_TIMEOUT_MS),
    FXGOLD_STORAGE_TIMEOUT_MS: String(STORAGE_TIMEOUT_MS),
    FXGOLD_MAX_RESPONSE_BYTES: String(MAX_RESPONSE_BYTES),
  };
  let storageRedirectVisits = () => 0;

  if (column === 'storage read' || column === 'storage write') {
    if (column === 'storage read' && fault === 'refused') {
      env.FXGOLD_STORAGE_CONNECTION = storageConnection(`http://127.0.0.1:${await closedPort()}/${DEVELOPMENT_ACCOUNT.accountName}`);
    } else if (column === 'storage read' && fault === 'bad key') {
      env.FXGOLD_STORAGE_CONNECTION = storageConnection(`${azuriteOrigin()}/${DEVELOPMENT_ACCOUNT.accountName}`, WRONG_ACCOUNT_KEY);
    } else {
      // Only requests on the rows table are faulted, the others (creating the table, any other table) pass to Azurite.
      // Reading: the query for the previous row. Writing: the reads pass and the write of the row gets the fault; rows
      // are written in transactions with the partition's watermark (the account's $batch, which only the rows use).
      const rowsTable = new RegExp(`^/${DEVELOPMENT_ACCOUNT.accountName}/${table}(?:[(?]|$)`);
      const rowsBatch = `/${DEVELOPMENT_ACCOUNT.accountName}/$batch`;
      const picks = ({ method, path }: { method: string; path: string }) =>
        column === 'storage read'
          ? rowsTable.test(path) && method === 'GET'
          : path === rowsBatch || (rowsTable.test(path) && method !== 'GET');
      const storage = await startFaultyStorage({ target: azuriteOrigin(), fault, picks, hostileText: HOSTILE });
      cleanups.push(() => storage.close());
      env.FXGOLD_STORAGE_CONNECTION = storageConnection(storage.endpoint);
      storageRedirectVisits = storage.redirectVisits;
    }
  } else if (fault === 'refused') {
    const settingOf = {
      frankfurter: 'FRANKFURTER_BASE_URL',
      exchangeratehost: 'EXCHANGERATE_HOST_BASE_URL',
      goldapi: 'GOLDAPI_BASE_URL',
    } as const;
    env[settingOf[column]] = `http://127.0.0.1:${await closedPort()}/api`;
  } else {
    const answer = providerAnswer(column, fault, witnessUrl);
    if (answer) fake.answer(column, answer);
  }

  const started = performance.now();
  let run: CliRun;
  try {
    run = await runCommand('once', ['--date', DATE, '--no-retry'], env, mkdtempSync(join(tmpdir(), 'fxgold-matrix-')));
  } finally {
    await Promise.all(cleanups.map((cleanup) => cleanup()));
  }
  const elapsedMs = performance.now() - started;

  const problems: string[] = [];
  const dependency = dependencyOf(column);
  if (run.code !== 1) problems.push(`exit code ${run.code}, expected 1`);
  if (elapsedMs > GENEROUS_MS) problems.push(`took ${Math.round(elapsedMs)} ms`);
  if (run.stdout !== '') problems.push(`stdout not empty: ${JSON.stringify(run.stdout.slice(0, 200))}`);
  if ((await raw()) !== before) problems.push('the stored row changed');
  const leaked = leakedSecrets(
    `${run.stdout}\n${run.stderr}`,
    [GOLD_KEY, FX_KEY, WRONG_ACCOUNT_KEY, DEVELOPMENT_ACCOUNT.accountKey],
    env.FXGOLD_STORAGE_CONNECTION ?? '',
  );
  if (leaked.length > 0) problems.push(`secret printed: ${leaked.join(', ')}`);
  const lines = run.stderr.split('\n');
  if (lines.length !== 2 || lines[1] !== '')
    problems.push(`stderr has ${lines.length - 1} lines: ${JSON.stringify(run.stderr.slice(0, 300))}`);
  const line = lines[0] ?? '';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(line))
    problems.push(`control characters on stderr: ${JSON.stringify(line.slice(0, 300))}`);
  if (line.length > MAX_LINE) problems.push(`stderr line of ${line.length} characters`);
  if (!line.startsWith(`fx-gold: ${dependency}: `))
    problems.push(`stderr does not name ${dependency}: ${JSON.stringify(line.slice(0, 300))}`);
  const kind = expectedKind(column, fault);
  if (!line.includes(`(${kind}`)) problems.push(`not ${kind}: ${JSON.stringify(line.slice(0, 300))}`);
  if (/^fx-gold: stored row/m.test(run.stderr)) problems.push('a forged "stored row" line');
  if (witnessVisits !== witnessBefore || storageRedirectVisits() !== 0) problems.push('the redirect was followed');
  return { code: run.code, elapsedMs, problems };
}

/** Shortest piece of a key counted as a leak: a cut can let part of a key through (text is cut before it is redacted). */
const LEAK_WINDOW = 8;

/**
 * What the output gives away of the keys, in any of their forms and any letter case: the whole connection string, or
 * any run of LEAK_WINDOW characters of a key (so a key cut short at the end of a message counts too), or the start
 * of one right before a cut mark. Says which, without printing the secret.
 */
function leakedSecrets(output: string, keys: readonly string[], connectionString: string): string[] {
  const printed = output.toLowerCase();
  const leaks = new Set<string>();
  if (connectionString !== '' && printed.includes(connectionString.toLowerCase())) leaks.add('the connection string');
  keys.forEach((secret, index) => {
    for (const form of formsOf(secret).map((f) => f.toLowerCase())) {
      for (let start = 0; start + LEAK_WINDOW <= form.length; start++) {
        if (printed.includes(form.slice(start, start + LEAK_WINDOW))) leaks.add(`part of key #${index + 1}`);
      }
      for (let length = 3; length < LEAK_WINDOW; length++)
        if (printed.includes(`${form.slice(0, length)}…`)) leaks.add(`the start of key #${index + 1} at a cut`);
    }
  });
  return [...leaks];
}

const CASES = FAULTS.flatMap((fault) =>
  COLUMNS.filter((column) => !(column === 'frankfurter' && fault === 'bad key')).map((column) => [fault, column] as const),
);

describe('fault matrix: npm run once --no-retry against each dependency misbehaving', () => {
  it.concurrent.each(CASES)('%s from %s: exit 1, bounded, no row changed, no secret, one clean line naming it', async (fault, column) => {
    const cell = await atMostAtOnce(AT_ONCE, () => runCase(fault, column));
    cells.set(key(fault, column), cell);
    expect(cell.problems).toEqual([]);
  });
});

let running = 0;
const waiting: Array<() => void> = [];
/** Runs `task` when fewer than `limit` tasks run (vitest's own limit for concurrent tests is 5). */
async function atMostAtOnce<T>(limit: number, task: () => Promise<T>): Promise<T> {
  if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function printMatrix() {
  // An array, not an object keyed by fault: "429" would be an integer key and jump to the top.
  const table = FAULTS.map((fault) => ({
    fault,
    ...Object.fromEntries(
      COLUMNS.map((column) => {
        const cell = cells.get(key(fault, column));
        const text =
          column === 'frankfurter' && fault === 'bad key'
            ? 'n/a (keyless)'
            : cell
              ? `${cell.code} · ${Math.round(cell.elapsedMs)} ms ${cell.problems.length === 0 ? '✓' : '✗'}`
              : 'not run';
        return [column, text];
      }),
    ),
  }));
  const all = [...cells.values()];
  const passed = all.filter((cell) => cell.problems.length === 0).length;
  const longest = Math.max(0, ...all.map((cell) => cell.elapsedMs));
  console.log(`fault matrix (exit code · time to fail · verdict), npm run once -- --date ${DATE} --no-retry`);
  console.table(table);
  console.log(`fault matrix: ${all.length} of ${CASES.length} cases run, ${passed} passed, longest time to fail ${Math.round(longest)} ms`);
}
