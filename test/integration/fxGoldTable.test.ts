import { AzureNamedKeyCredential, RestError, generateAccountSas } from '@azure/data-tables';
import { describe, expect, inject, it } from 'vitest';
import { toTableRow, type FxGoldRow } from '../../src/domain/fxGoldRow.js';
import { tableRowStore, type FxGoldTableClient } from '../../src/storage/fxGoldTable.js';
import { DEVELOPMENT_ACCOUNT } from '../../src/storage/connectionString.js';
import { sdkTableClient, tableClientFor, type StoreTableClient } from '../../src/storage/tableClient.js';
import { isWatermark, WATERMARK_ROW_KEY } from '../../src/storage/partitionWatermark.js';
import { sampleGold, sampleRates } from '../support/quotes.js';
import { uniqueTableName } from '../support/tableNames.js';
import { businessDate } from '../support/dates.js';
import { weekdaysFrom } from '../support/storedRows.js';

const noCredential = () => {
  throw new Error('a connection string needs no credential');
};
const freshName = () => uniqueTableName('FxGoldStore');
/** A fresh, not yet existing table in the suite's Azurite for each test. */
const freshTable = () =>
  tableClientFor({ kind: 'connectionString', connectionString: inject('azuriteConnectionString') }, freshName(), noCredential);
const azuriteEndpoint = () => /TableEndpoint=([^;]+)/.exec(inject('azuriteConnectionString'))?.[1] ?? '';

const rowFor = (date: string, ingestedAt: string, gold = sampleGold()): FxGoldRow => {
  const row = toTableRow({ date: businessDate(date), currency: sampleRates(), gold, currencyTimestamp: null, ingestedAt });
  if (!row.ok) throw new Error(row.error);
  return row.value;
};

/** The stored rows: every entity but the partition's watermark, which each write also rewrites. */
async function allEntities(client: StoreTableClient) {
  const entities = [];
  for await (const entity of client.listEntities()) if (!isWatermark(entity.rowKey)) entities.push(entity);
  return entities;
}

describe('FxGold table store on Azurite', () => {
  it('creates the table on first write and reads back every column with its value', async () => {
    const client = freshTable();
    const store = tableRowStore(client);
    const row = rowFor('2025-07-08', '2025-07-08T18:00:15.000Z');
    expect(await store.save(row)).toEqual({ ok: true, value: 'created' });
    expect(await store.find('USD', '2025-07-08')).toEqual(row);
  });

  it('says where rows go: the table and the service URL', () => {
    const client = freshTable();
    expect(tableRowStore(client).location).toEqual({ table: client.tableName, endpoint: azuriteEndpoint() });
  });

  it('writes with a SharedAccessSignature connection string, and its location carries no part of the signature', async () => {
    const sas = generateAccountSas(new AzureNamedKeyCredential(DEVELOPMENT_ACCOUNT.accountName, DEVELOPMENT_ACCOUNT.accountKey), {
      permissions: { query: true, write: true, add: true, update: true, list: true },
      resourceTypes: 'sco',
      expiresOn: new Date(Date.now() + 3_600_000),
    });
    const connectionString = `TableEndpoint=${azuriteEndpoint()}/;SharedAccessSignature=${sas}`;
    const store = tableRowStore(tableClientFor({ kind: 'connectionString', connectionString }, freshName(), noCredential));
    const row = rowFor('2025-07-08', '2025-07-08T18:00:15.000Z');
    expect(await store.save(row)).toEqual({ ok: true, value: 'created' });
    expect(await store.find('USD', '2025-07-08')).toEqual(row);
    expect(store.location.endpoint).toBe(azuriteEndpoint());
  });

  it('stores every number as Edm.Double, whole numbers included', async () => {
    // The SDK's own client, built as the app builds it, so its pipeline can capture the service's answer.
    const client = await sdkTableClient(
      { kind: 'connectionString', connectionString: inject('azuriteConnectionString') },
      freshName(),
      noCredential,
    );
    await tableRowStore(client).save(rowFor('2025-07-08', '2025-07-08T18:00:15.000Z'));
    // JSON.parse cannot tell 146 from 146.0, so read the service's own text: Doubles come back as 146.0, Int32 as 146.
    let body = '';
    client.pipeline.addPolicy({
      name: 'captureBody',
      sendRequest: async (request, next) => {
        const response = await next(request);
        body = response.bodyAsText ?? '';
        return response;
      },
    });
    await client.getEntity('USD', '2025-07-08');
    expect(body).toContain('"Rate_JPY":146.0');
    expect(body).toContain('"GoldPrice":3301.0');
    expect(body).toContain('"Rate_EUR":0.8512');
  });

  it('writing the same business date twice leaves one row holding the latest values', async () => {
    const client = freshTable();
    const store = tableRowStore(client);
    expect(await store.save(rowFor('2025-07-08', '2025-07-08T18:00:15.000Z'))).toEqual({ ok: true, value: 'created' });
    const rerun = rowFor('2025-07-08', '2025-07-08T19:30:00.000Z', { ...sampleGold(), price: 3299.5, open: null, high: null, low: null });
    expect(await store.save(rerun)).toEqual({ ok: true, value: 'replaced' });
    const entities = await allEntities(client);
    expect(entities).toHaveLength(1);
    // Replace, not merge: columns the re-run does not have are gone rather than left stale.
    expect(await store.find('USD', '2025-07-08')).toEqual(rerun);
    expect(entities[0]).not.toHaveProperty('GoldOpeningPrice');
  });

  it('keeps one row per business date, and a second store on the same table sees the row as replaced', async () => {
    const client = freshTable();
    const store = tableRowStore(client);
    const outcomes = [];
    for (const date of ['2025-07-07', '2025-07-08', '2025-07-07'])
      outcomes.push((await store.save(rowFor(date, `${date}T18:00:00.000Z`))).ok);
    expect(outcomes).toEqual([true, true, true]);
    expect(await tableRowStore(client).save(rowFor('2025-07-08', '2025-07-08T19:00:00.000Z'))).toEqual({ ok: true, value: 'replaced' });
    expect((await allEntities(client)).map((e) => e.rowKey).sort()).toEqual(['2025-07-07', '2025-07-08']);
  });

  it('rewrites the partition watermark with every write, single or batched, so its ETag moves exactly when rows do', async () => {
    const client = freshTable();
    const store = tableRowStore(client);
    const etag = async () => (await client.getEntity('USD', WATERMARK_ROW_KEY)).etag;
    await store.save(rowFor('2025-07-07', '2025-07-07T18:00:00.000Z'));
    const afterCreate = await etag();
    await store.save(rowFor('2025-07-07', '2025-07-07T19:00:00.000Z'));
    const afterReplace = await etag();
    expect(afterReplace).not.toBe(afterCreate);
    expect(await etag()).toBe(afterReplace); // reading moves nothing
    await store.saveBatch(['2025-07-08', '2025-07-09'].map((date) => rowFor(date, `${date}T18:00:00.000Z`)));
    expect(await etag()).not.toBe(afterReplace);
    // 250 rows take three transactions of at most 99 rows and the watermark (the service allows 100 actions).
    const days = weekdaysFrom('2020-01-01', 250);
    expect(await store.saveBatch(days.map((date) => rowFor(date, `${date}T18:00:00.000Z`)))).toEqual({ ok: true, value: 250 });
    expect(await allEntities(client)).toHaveLength(253);
  });

  it("reports a refused write (wrong account key: 403) as a permanent storage failure with the service's error code and message", async () => {
    const wrongKey = inject('azuriteConnectionString').replace(
      /AccountKey=[^;]+/,
      `AccountKey=${Buffer.from('not the key').toString('base64')}`,
    );
    const store = tableRowStore(
      tableClientFor({ kind: 'connectionString', connectionString: wrongKey }, `FxGoldDenied${process.pid}`, noCredential),
    );
    const saved = await store.save(rowFor('2025-07-08', '2025-07-08T18:00:15.000Z'));
    expect(saved).toMatchObject({
      ok: false,
      error: {
        source: 'storage',
        kind: 'permanent',
        message: expect.stringMatching(/^HTTP 403 AuthorizationFailure: Server failed to authenticate the request/),
      },
    });
    if (saved.ok) return;
    // Azurite answers with an XML document over several lines: only its code and message, on one line, reach us.
    expect(saved.error.message).not.toMatch(/<\?xml|<Code>|\n/);
    expect(saved.error.message.length).toBeLessThanOrEqual(320);
  });

  it.each([
    [new RestError('Service busy', { statusCode: 503, code: 'ServerBusy' }), 'transient'],
    [new RestError('Too many requests', { statusCode: 429 }), 'transient'],
    [new RestError('Request timeout', { statusCode: 408 }), 'transient'],
    [Object.assign(new Error('ManagedIdentityCredential: network unreachable'), { name: 'AggregateAuthenticationError' }), 'transient'],
    [new RestError('The property value exceeds the maximum allowed size', { statusCode: 400, code: 'PropertyValueTooLarge' }), 'permanent'],
  ] as const)('classifies a write that fails with %s as %s', async (error, kind) => {
    // A table service that answers like this cannot be had from Azurite on demand, so this stands in for the TableClient port.
    const reject = async () => Promise.reject(error);
    const failing = {
      url: 'http://127.0.0.1:9/devstoreaccount1',
      tableName: 'FxGold',
      createTable: async () => {},
      submitTransaction: reject,
      getEntity: reject,
    } as unknown as FxGoldTableClient;
    expect(await tableRowStore(failing).save(rowFor('2025-07-08', '2025-07-08T18:00:15.000Z'))).toMatchObject({
      ok: false,
      error: { source: 'storage', kind },
    });
  });

  it('finds nothing for a date never written', async () => {
    expect(await tableRowStore(freshTable()).find('USD', '2025-01-02')).toBeUndefined();
  });
});
