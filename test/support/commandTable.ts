import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import { tableRowStore } from '../../src/storage/fxGoldTable.js';
import { runCommand } from './cli.js';
import { startFakeCurrencyApi, type FakeCurrencyApi } from './fakeCurrencyApi.js';
import { startFakeProviders, type FakeProviders } from './fakeProviders.js';
import { isWatermark } from '../../src/storage/partitionWatermark.js';
import { connectionClient } from './stores.js';
import { uniqueTableName } from './tableNames.js';

/**
 * The fake providers of a test file (and the two currency-api mirrors when `mirrors`), started before its tests,
 * reset before each and closed after them. Read them through the getters, inside tests or hooks.
 */
export function useFakeProviders(options: { mirrors?: boolean } = {}) {
  let fake: FakeProviders | undefined;
  let mirrors: FakeCurrencyApi | undefined;
  beforeAll(async () => {
    fake = await startFakeProviders();
    if (options.mirrors) mirrors = await startFakeCurrencyApi();
  });
  afterAll(async () => {
    await fake?.close();
    await mirrors?.close();
  });
  beforeEach(() => {
    fake?.reset();
    mirrors?.reset();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} not started: use them inside a test or hook`);
    return value;
  };
  return { fake: () => started(fake, 'fake providers'), mirrors: () => started(mirrors, 'currency-api mirrors') };
}

/**
 * A fresh table in the suite's Azurite and a local command's environment pointing at it (`env` added, the table's own
 * usage and gaps tables beside it), a scratch folder to run in, the project's store over the table, a snapshot of
 * its entities as the service returns them (ETags included), and the commands run in-process against it.
 */
export function commandTable(prefix: string, env: Record<string, string>) {
  const table = uniqueTableName(prefix);
  const connectionString = inject('azuriteConnectionString');
  const fullEnv: Record<string, string> = {
    FXGOLD_STORAGE_CONNECTION: connectionString,
    FXGOLD_TABLE_NAME: table,
    FXGOLD_USAGE_TABLE_NAME: `${table}Usage`,
    ...env,
  };
  const client = connectionClient(connectionString, table);
  const cwd = mkdtempSync(join(tmpdir(), `fxgold-${prefix.toLowerCase()}-`));
  /** The stored rows (the partition's watermark, rewritten with them in the same transactions, left out). */
  const snapshot = async () => {
    const entities: unknown[] = [];
    for await (const entity of client.listEntities()) if (!isWatermark(entity.rowKey)) entities.push(entity);
    return entities;
  };
  const run = (entry: 'once' | 'backfill', args: string[], extra: Record<string, string> = {}) =>
    runCommand(entry, args, { ...fullEnv, ...extra }, cwd);
  /** The line `npm run once` ends with on stderr for a stored row. */
  const storedLine = (date: string, saved = 'created') =>
    `fx-gold: stored row ${date} in table ${table} at ${/TableEndpoint=([^;]+)/.exec(connectionString)?.[1]} (${saved})`;
  return { table, env: fullEnv, cwd, client, store: tableRowStore(client), snapshot, run, storedLine };
}
