import type { TokenCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import { createJobDependencies } from '../../src/pipeline/jobDependencies.js';
import { tableRowStore } from '../../src/storage/fxGoldTable.js';
import { tableClientFor } from '../../src/storage/tableClient.js';
import { sampleGold, sampleRates } from '../support/quotes.js';
import { toTableRow } from '../../src/domain/fxGoldRow.js';
import { businessDate } from '../support/dates.js';

describe('store authentication', () => {
  it('with a table service URI, signs with a token credential for that endpoint, asked for on the first call (not before)', async () => {
    let asked = 0;
    const refusing: TokenCredential = { getToken: async () => Promise.reject(new Error('no token in this test')) };
    const client = tableClientFor(
      { kind: 'tableServiceUri', uri: 'https://fxgoldacct.table.core.windows.net' },
      'FxGold',
      () => (asked++, refusing),
    );
    expect(asked).toBe(0);
    expect([client.url, client.tableName]).toEqual(['https://fxgoldacct.table.core.windows.net', 'FxGold']);
    expect(tableRowStore(client).location).toEqual({ table: 'FxGold', endpoint: 'https://fxgoldacct.table.core.windows.net' });
    // The credential refuses before any request is sent, so this touches no network.
    await expect(client.getEntity('USD', '2025-07-08')).rejects.toThrow(/no token in this test/);
    expect(asked).toBe(1);
  });

  it('with a connection string, needs no credential', () => {
    const client = tableClientFor({ kind: 'connectionString', connectionString: 'UseDevelopmentStorage=true' }, 'FxGold', () => {
      throw new Error('a connection string must not ask for a credential');
    });
    expect(client.url).toBe('http://127.0.0.1:10002/devstoreaccount1');
    expect(tableRowStore(client).location).toEqual({ table: 'FxGold', endpoint: 'http://127.0.0.1:10002/devstoreaccount1' });
  });

  it('FXGOLD_TABLE_SERVICE_URI without a connection string sends bearer tokens (DefaultAzureCredential), which Azure SDKs refuse over plain http', async () => {
    const settings = loadSettings({ GOLDAPI_KEY: 'goldapi-key-1234', FXGOLD_TABLE_SERVICE_URI: 'http://127.0.0.1:9/devstoreaccount1' });
    if (!settings.ok) throw new Error(settings.error);
    const row = toTableRow({
      date: businessDate('2025-07-08'),
      currency: sampleRates(),
      gold: sampleGold(),
      currencyTimestamp: null,
      ingestedAt: '2025-07-08T18:00:00.000Z',
    });
    if (!row.ok) throw new Error(row.error);
    // No network is touched: the bearer-token policy refuses before any token is requested or request sent.
    expect(await createJobDependencies(settings.value).store.save(row.value)).toMatchObject({
      ok: false,
      error: {
        source: 'storage',
        kind: 'permanent',
        message: expect.stringMatching(/Bearer token authentication is not permitted for non-TLS/),
      },
    });
  });
});
