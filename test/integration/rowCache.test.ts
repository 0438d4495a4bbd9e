import { describe, expect, inject, it } from 'vitest';
import { rowCache } from '../../src/reading/rowCache.js';
import { tableRowChanges, type FxGoldRowChanges } from '../../src/storage/fxGoldRowChanges.js';
import { tableRowStore } from '../../src/storage/fxGoldTable.js';
import { tableRowReader } from '../../src/storage/fxGoldRowReader.js';
import { startFaultyStorage, storageConnection } from '../support/faultyStorage.js';
import { goldByDate, readInstance } from '../support/readInstance.js';
import { storedRow, weekdaysFrom } from '../support/storedRows.js';
import { connectionClient, connectionStore } from '../support/stores.js';
import { businessDate, isoDate } from '../support/dates.js';

/** The read model over the suite's real Azurite: every instance's cache sees every write on its next read. */
const azurite = () => inject('azuriteConnectionString');
let tables = 0;
const freshTable = () => `RowCache${process.pid}x${++tables}`;
const rowOn = (date: string, gold: number) => storedRow({ date, gold, rates: { EUR: 0.85, JPY: 146 } });
const ok = <T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};

describe('the in-memory read model', () => {
  it('two instances sharing one table see each other’s writes, single and batched, on their next read', async () => {
    const table = freshTable();
    const [first, second] = [readInstance(azurite(), table), readInstance(azurite(), table)];
    // Both caches loaded before anything exists: no table yet is no rows.
    expect(await goldByDate(first, '2025-01-01', '2025-12-31')).toEqual({});
    expect(await goldByDate(second, '2025-01-01', '2025-12-31')).toEqual({});

    // Each instance writes with its own store (its own client), as two hosts would.
    ok(await connectionStore(azurite(), table).save(rowOn('2025-07-08', 3300)));
    expect(await goldByDate(second, '2025-07-01', '2025-07-31')).toEqual({ '2025-07-08': 3300 });
    const dates = weekdaysFrom('2025-06-02', 130);
    ok(await connectionStore(azurite(), table).saveBatch(dates.map((date, i) => rowOn(date, 3000 + i))));
    const read = await goldByDate(first, '2025-06-01', '2025-12-31');
    expect(Object.keys(read)).toEqual(dates);
    expect(read['2025-07-08']).toBe(3000 + dates.indexOf(businessDate('2025-07-08')));

    // A row replaced in place: the new value, in both, and only the range asked for.
    ok(await connectionStore(azurite(), table).save(rowOn('2025-07-08', 4321.5)));
    expect(await goldByDate(first, '2025-07-08', '2025-07-08')).toEqual({ '2025-07-08': 4321.5 });
    expect(await goldByDate(second, '2025-07-07', '2025-07-09')).toEqual({
      '2025-07-07': 3000 + dates.indexOf(businessDate('2025-07-07')),
      '2025-07-08': 4321.5,
      '2025-07-09': 3000 + dates.indexOf(businessDate('2025-07-09')),
    });
  });

  it('answers what a fresh query of the table answers: the same columns, absent ones left out, rates asked for only', async () => {
    const table = freshTable();
    const lbma = storedRow({ date: '2025-07-09', gold: 3310, rates: { EUR: 0.86, GBP: 0.73 }, source: 'LBMA', qualityFlags: '' });
    ok(await connectionStore(azurite(), table).saveBatch([rowOn('2025-07-08', 3300), lbma]));
    const query = {
      base: 'USD',
      from: isoDate('2025-07-01'),
      to: isoDate('2025-07-31'),
      columns: ['GoldPrice', 'GoldOpeningPrice', 'GoldSource', 'QualityFlags'] as const,
      currencies: ['EUR', 'GBP'],
    };
    const fresh = ok(await tableRowReader(connectionClient(azurite(), table)).queryRows(query));
    expect(ok(await readInstance(azurite(), table).rows.queryRows(query))).toEqual(fresh);
    expect(fresh[1]).toEqual({
      rowKey: '2025-07-09',
      GoldPrice: 3310,
      GoldSource: 'LBMA',
      QualityFlags: '',
      rates: { EUR: 0.86, GBP: 0.73 },
    });
  });

  it('a failed write changes nothing: the same rows and the same version', async () => {
    const table = freshTable();
    ok(await connectionStore(azurite(), table).save(rowOn('2025-07-08', 3300)));
    const cache = rowCache(tableRowChanges(connectionClient(azurite(), table)));
    const before = ok(await cache.snapshot('USD'));

    // Every write through this endpoint is answered 503 by a proxy in front of the same Azurite.
    const origin = new URL(/TableEndpoint=([^;]+)/.exec(azurite())?.[1] ?? '').origin;
    const proxy = await startFaultyStorage({ target: origin, fault: '5xx', picks: ({ method }) => method !== 'GET', hostileText: 'busy' });
    try {
      const failing = tableRowStore(connectionClient(storageConnection(proxy.endpoint), table), { timeoutMs: 2_000 });
      expect((await failing.save(rowOn('2025-07-08', 9999))).ok).toBe(false);
      expect((await failing.saveBatch([rowOn('2025-07-09', 9999)])).ok).toBe(false);
    } finally {
      await proxy.close();
    }
    const after = ok(await cache.snapshot('USD'));
    expect(after.version).toBe(before.version);
    expect(ok(after.between('2025-07-01', '2025-07-31')).map((row) => [row.rowKey, row.GoldPrice])).toEqual([['2025-07-08', 3300]]);
  });

  it('the version changes when a row is written, even rewritten with the same values, and not otherwise; two instances agree on it', async () => {
    const table = freshTable();
    const store = connectionStore(azurite(), table);
    ok(await store.saveBatch([rowOn('2025-07-07', 3290), rowOn('2025-07-08', 3300)]));
    const cacheOf = () => rowCache(tableRowChanges(connectionClient(azurite(), table)));
    const [one, other] = [cacheOf(), cacheOf()];
    const v1 = ok(await one.snapshot('USD')).version;
    expect(ok(await one.snapshot('USD')).version).toBe(v1);
    expect(ok(await other.snapshot('USD')).version).toBe(v1);

    await new Promise((resolve) => setTimeout(resolve, 5)); // the service's Timestamp has millisecond steps on Azurite
    ok(await store.save(rowOn('2025-07-08', 3300)));
    const v2 = ok(await one.snapshot('USD')).version;
    expect(v2).not.toBe(v1);
    expect(ok(await other.snapshot('USD')).version).toBe(v2);
    expect(ok(await cacheOf().snapshot('USD')).version).toBe(v2);
  });

  it('reads the partition whole once, then only the watermark until a write, then only what was written lately', async () => {
    const table = freshTable();
    const dates = weekdaysFrom('2024-01-01', 400);
    ok(await connectionStore(azurite(), table).saveBatch(dates.map((date, i) => rowOn(date, 2000 + i))));
    const queries: number[] = [];
    let watermarkReads = 0;
    const tableChanges = tableRowChanges(connectionClient(azurite(), table));
    const counted: FxGoldRowChanges = {
      tableName: tableChanges.tableName,
      async changedSince(base, sinceMs) {
        const changed = await tableChanges.changedSince(base, sinceMs);
        queries.push(changed.ok ? changed.value.length : -1);
        return changed;
      },
      watermark: (base) => (watermarkReads++, tableChanges.watermark(base)),
    };
    // No settling time: a query reads only entities written at or after the latest Timestamp seen.
    const cache = rowCache(counted, { settleMs: 0 });
    await Promise.all(Array.from({ length: 20 }, () => cache.snapshot('USD')));
    expect(queries).toEqual([400]); // the watermark is not a row
    expect(watermarkReads).toBe(2); // 19 callers arrived during the first check and shared the one after it: no query
    await cache.snapshot('USD');
    expect(queries).toEqual([400]);

    ok(await connectionStore(azurite(), table).save(rowOn('2025-08-01', 1)));
    const snapshot = ok(await cache.snapshot('USD'));
    expect(queries).toHaveLength(2);
    expect(queries[1]).toBeLessThanOrEqual(100); // the new row, and what Azurite counts as written at the same time
    expect(snapshot.latestDate).toBe('2025-08-01');
    expect(ok(snapshot.between('2025-07-31', '2025-08-31')).map((row) => row.GoldPrice)).toEqual([1]);
  });

  it('a partition written before the watermark existed is queried on every check, and still sees every write', async () => {
    const table = freshTable();
    const client = connectionClient(azurite(), table);
    await client.createTable();
    // As an older version of the app wrote rows: one entity per row, no watermark in the partition.
    const { partitionKey, rowKey, ...columns } = rowOn('2025-07-08', 3300);
    await client.createEntity({ partitionKey, rowKey, ...columns });
    const cache = rowCache(tableRowChanges(client), { settleMs: 0 });
    expect(ok(await cache.snapshot('USD')).latestDate).toBe('2025-07-08');
    const older = rowOn('2025-07-09', 3310);
    await client.createEntity({ ...older });
    expect(ok(await cache.snapshot('USD')).latestDate).toBe('2025-07-09');
    ok(await connectionStore(azurite(), table).save(rowOn('2025-07-10', 3320)));
    const snapshot = ok(await cache.snapshot('USD'));
    expect(ok(snapshot.between('2025-07-01', '2025-07-31')).map((row) => row.GoldPrice)).toEqual([3300, 3310, 3320]);
  });

  it('a row written without the watermark (an older app version, a tool) is seen once the recheck time has passed', async () => {
    const table = freshTable();
    ok(await connectionStore(azurite(), table).save(rowOn('2025-07-08', 3300)));
    let clock = 1_000_000;
    const client = connectionClient(azurite(), table);
    const cache = rowCache(tableRowChanges(client), { settleMs: 0, recheckMs: 60_000, now: () => clock });
    expect(ok(await cache.snapshot('USD')).latestDate).toBe('2025-07-08');
    // As an older version of the app writes: the row alone, the watermark left as it was.
    const { partitionKey, rowKey, ...columns } = rowOn('2025-07-09', 3310);
    await client.createEntity({ partitionKey, rowKey, ...columns });
    clock += 59_000;
    expect(ok(await cache.snapshot('USD')).latestDate).toBe('2025-07-08'); // the unchanged watermark is trusted
    clock += 1_000;
    expect(ok(await cache.snapshot('USD')).latestDate).toBe('2025-07-09');
  });

  it('a stored row that is not a valid row fails the ranges that hold it, naming it, and no other', async () => {
    const table = freshTable();
    ok(await connectionStore(azurite(), table).save(rowOn('2025-07-08', 3300)));
    const client = connectionClient(azurite(), table);
    await client.upsertEntity({ partitionKey: 'USD', rowKey: '2025-07-09', GoldPrice: 'not a price' }, 'Replace');
    const instance = readInstance(azurite(), table);
    expect(await goldByDate(instance, '2025-07-08', '2025-07-08')).toEqual({ '2025-07-08': 3300 });
    const broken = await instance.rows.queryRows({
      base: 'USD',
      from: isoDate('2025-07-01'),
      to: isoDate('2025-07-31'),
      columns: ['GoldPrice'],
      currencies: [],
    });
    expect(broken).toMatchObject({ ok: false, error: { source: 'storage', kind: 'permanent' } });
    expect(broken.ok ? '' : broken.error.message).toMatch(new RegExp(`^row 2025-07-09 of table ${table} is not a valid FxGold row: `));
  });
});
