import { describe, expect, it } from 'vitest';
import { loadSettings, secretsInEnvironment, secretsOf } from '../../src/config/settings.js';

const minimal = { GOLDAPI_KEY: 'goldapi-secret-123-io', AzureWebJobsStorage: 'UseDevelopmentStorage=true' };

describe('loadSettings', () => {
  it('applies the documented defaults', () => {
    const settings = loadSettings(minimal);
    expect(settings.ok && settings.value).toMatchObject({
      baseCurrency: 'USD',
      currencies: ['EUR', 'JPY', 'GBP', 'CHF', 'CAD', 'AUD', 'NZD', 'SEK', 'NOK'],
      currencyProvider: 'frankfurter',
      frankfurter: { baseUrl: 'https://api.frankfurter.dev/v1' },
      exchangerateHost: { baseUrl: 'https://api.exchangerate.host' },
      goldapi: { baseUrl: 'https://www.goldapi.io/api' },
      storage: { kind: 'connectionString', connectionString: 'UseDevelopmentStorage=true' },
      tableName: 'FxGold',
      httpTimeoutMs: 10_000,
    });
  });

  it('requires somewhere to store rows', () => {
    const settings = loadSettings({ GOLDAPI_KEY: 'k-123' });
    expect(settings.ok ? '' : settings.error).toContain('FXGOLD_TABLE_SERVICE_URI or FXGOLD_STORAGE_CONNECTION (or AzureWebJobsStorage) is required');
  });

  it('prefers FXGOLD_STORAGE_CONNECTION, then an explicit FXGOLD_TABLE_SERVICE_URI, then the host\'s AzureWebJobsStorage', () => {
    const hostStorage = 'DefaultEndpointsProtocol=https;AccountName=hostacct;AccountKey=aG9zdA==;EndpointSuffix=core.windows.net';
    const storageOf = (env: Record<string, string>) => {
      const settings = loadSettings({ GOLDAPI_KEY: 'k-123', ...env });
      return settings.ok ? settings.value.storage : settings.error;
    };
    const uri = 'https://acct.table.core.windows.net/';
    expect(storageOf({ FXGOLD_STORAGE_CONNECTION: 'UseDevelopmentStorage=true', FXGOLD_TABLE_SERVICE_URI: uri, AzureWebJobsStorage: hostStorage })).toEqual({ kind: 'connectionString', connectionString: 'UseDevelopmentStorage=true' });
    expect(storageOf({ FXGOLD_TABLE_SERVICE_URI: uri, AzureWebJobsStorage: hostStorage })).toEqual({ kind: 'tableServiceUri', uri: 'https://acct.table.core.windows.net' });
    expect(storageOf({ AzureWebJobsStorage: hostStorage })).toEqual({ kind: 'connectionString', connectionString: hostStorage });
  });

  it('by default quotes the other nine G10 currencies against whatever base is set', () => {
    const settings = loadSettings({ ...minimal, FXGOLD_BASE_CURRENCY: 'EUR' });
    expect(settings.ok && settings.value.currencies).toEqual(['USD', 'JPY', 'GBP', 'CHF', 'CAD', 'AUD', 'NZD', 'SEK', 'NOK']);
  });

  it('normalises the currency list and drops the base currency from it', () => {
    const settings = loadSettings({ ...minimal, FXGOLD_BASE_CURRENCY: 'eur', FXGOLD_CURRENCIES: ' usd, eur ,JPY,usd ' });
    expect(settings.ok && [settings.value.baseCurrency, settings.value.currencies]).toEqual(['EUR', ['USD', 'JPY']]);
  });

  it('names every bad or missing setting in one error', () => {
    const settings = loadSettings({
      FXGOLD_CURRENCY_PROVIDER: 'exchangeratehost',
      FXGOLD_CURRENCIES: 'EUR,EURO',
      FXGOLD_HTTP_TIMEOUT_MS: 'soon',
      FXGOLD_TABLE_NAME: 'fx-gold',
      GOLDAPI_BASE_URL: 'ftp://example.org',
    });
    expect(settings.ok).toBe(false);
    const message = settings.ok ? '' : settings.error;
    for (const name of ['FXGOLD_CURRENCIES', 'FXGOLD_HTTP_TIMEOUT_MS', 'FXGOLD_TABLE_NAME', 'GOLDAPI_BASE_URL']) expect(message).toContain(name);
    // settings that depend on others are reported in the same error
    expect(message).toContain('EXCHANGERATE_HOST_ACCESS_KEY is required when FXGOLD_CURRENCY_PROVIDER=exchangeratehost');
    expect(message).toMatch(/GOLDAPI_KEY is required .*goldapi\.io\/dashboard/);
    expect(message).toContain('FXGOLD_TABLE_SERVICE_URI or FXGOLD_STORAGE_CONNECTION (or AzureWebJobsStorage) is required');
  });

  it('rejects an unresolved Key Vault reference without echoing it', () => {
    const reference = '@Microsoft.KeyVault(SecretUri=https://vault.vault.azure.net/secrets/goldapi-key/)';
    const settings = loadSettings({ ...minimal, GOLDAPI_KEY: reference });
    expect(settings.ok).toBe(false);
    const message = settings.ok ? '' : settings.error;
    expect(message).toMatch(/GOLDAPI_KEY is an unresolved Key Vault reference/);
    expect(message).not.toContain('vault.azure.net');
  });

  it('lists secrets from the raw environment as the settings see them: trimmed', () => {
    expect(secretsInEnvironment({ GOLDAPI_KEY: '  goldapi-pasted-with-newline-io\n', AzureWebJobsStorage: 'UseDevelopmentStorage=true' })).toEqual([
      'goldapi-pasted-with-newline-io',
      'UseDevelopmentStorage=true',
    ]);
  });

  it('lists the keys and the storage account key as secrets', () => {
    const connection = 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0LWtleQ==;EndpointSuffix=core.windows.net';
    const settings = loadSettings({ ...minimal, FXGOLD_STORAGE_CONNECTION: connection });
    expect(settings.ok && secretsOf(settings.value)).toEqual(['goldapi-secret-123-io', connection, 'c2VjcmV0LWtleQ==']);
  });
});
