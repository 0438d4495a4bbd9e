import type { TokenCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import { createJobDependencies } from '../../src/pipeline/jobDependencies.js';
import { tableRowStore } from '../../src/storage/fxGoldTable.js';
import { tableClientFor } from '../../src/storage/tableClient.js';
import { sampleGold, sampleRates } from '../support/quotes.js';
import { toTableRow } from '../../src/domain/fxGoldRow.js';

const credential: TokenCredential = { getToken: async () => ({ token: 'unused', expiresOnTimestamp: Date.now() + 60_000 }) };

describe('store authentication', () => {
  it('with a table service URI, builds the client on a token credential for that endpoint', () => {
    let asked = 0;
    const client = tableClientFor({ kind: 'tableServiceUri', uri: 'https://fxgoldacct.table.core.windows.net' }, 'FxGold', () => (asked++, credential));
    expect(asked).toBe(1);
    expect([client.url, client.tableName]).toEqual(['https://fxgoldacct.table.core.windows.net', 'FxGold']);
    expect(tableRowStore(client).location).toEqual({ table: 'FxGold', endpoint: 'https://fxgoldacct.table.core.windows.net' });
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
    const row = toTableRow({ date: '2025-07-08', currency: sampleRates(), gold: sampleGold(), ingestedAt: '2025-07-08T18:00:00.000Z' });
    if (!row.ok) throw new Error(row.error);
    // No network is touched: the bearer-token policy refuses before any token is requested or request sent.
    expect(await createJobDependencies(settings.value).store.save(row.value)).toMatchObject({
      ok: false,
      error: { provider: 'storage', kind: 'permanent', message: expect.stringMatching(/Bearer token authentication is not permitted for non-TLS/) },
    });
  });
});
