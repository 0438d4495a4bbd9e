import { describe, expect, it } from 'vitest';
import { loadReadSettings, loadSettings, secretsInEnvironment } from '../../src/config/settings.js';

const minimal = { GOLDAPI_KEY: 'goldapi-secret-123-io', AzureWebJobsStorage: 'UseDevelopmentStorage=true' };

describe('loadSettings', () => {
  it('applies the documented defaults', () => {
    const settings = loadSettings(minimal);
    expect(settings.ok && settings.value).toMatchObject({
      baseCurrency: 'USD',
      currencies: ['EUR', 'JPY', 'GBP', 'CHF', 'CAD', 'AUD', 'NZD', 'SEK', 'NOK'],
      ratesChain: ['frankfurter'],
      goldChain: ['goldapi', 'frankfurter'],
      providerSettings: {
        frankfurter: {
          FRANKFURTER_BASE_URL: 'https://api.frankfurter.dev/v1',
          FRANKFURTER_V2_BASE_URL: 'https://api.frankfurter.dev/v2',
          FRANKFURTER_GOLD_SOURCE: 'NBP',
        },
        exchangeratehost: { EXCHANGERATE_HOST_BASE_URL: 'https://api.exchangerate.host' },
        goldapi: { GOLDAPI_BASE_URL: 'https://www.goldapi.io/api', GOLDAPI_KEY: 'goldapi-secret-123-io' },
        currencyapi: {
          CURRENCYAPI_URLS: [
            'https://cdn.jsdelivr.net/npm/@fawazahmed0/currency-api@{date}/v1/currencies/{base}.json',
            'https://{date}.currency-api.pages.dev/v1/currencies/{base}.json',
          ],
        },
      },
      quality: { maxFxAgeDays: 3, maxGoldAgeDays: 3, maxGoldMovePct: 20, maxFxMovePct: 15 },
      storage: { kind: 'connectionString', connectionString: 'UseDevelopmentStorage=true' },
      tableName: 'FxGold',
      httpTimeoutMs: 10_000,
      maxResponseBytes: 1_048_576,
    });
  });

  it('requires somewhere to store rows', () => {
    const settings = loadSettings({ GOLDAPI_KEY: 'goldapi-key-123' });
    expect(settings.ok ? '' : settings.error).toContain(
      'FXGOLD_TABLE_SERVICE_URI or FXGOLD_STORAGE_CONNECTION (or AzureWebJobsStorage) is required',
    );
  });

  it("prefers FXGOLD_STORAGE_CONNECTION, then an explicit FXGOLD_TABLE_SERVICE_URI, then the host's AzureWebJobsStorage", () => {
    const hostStorage = 'DefaultEndpointsProtocol=https;AccountName=hostacct;AccountKey=aG9zdA==;EndpointSuffix=core.windows.net';
    const storageOf = (env: Record<string, string>) => {
      const settings = loadSettings({ GOLDAPI_KEY: 'goldapi-key-123', ...env });
      return settings.ok ? settings.value.storage : settings.error;
    };
    const uri = 'https://acct.table.core.windows.net/';
    expect(
      storageOf({
        FXGOLD_STORAGE_CONNECTION: 'UseDevelopmentStorage=true',
        FXGOLD_TABLE_SERVICE_URI: uri,
        AzureWebJobsStorage: hostStorage,
      }),
    ).toEqual({ kind: 'connectionString', connectionString: 'UseDevelopmentStorage=true' });
    expect(storageOf({ FXGOLD_TABLE_SERVICE_URI: uri, AzureWebJobsStorage: hostStorage })).toEqual({
      kind: 'tableServiceUri',
      uri: 'https://acct.table.core.windows.net',
    });
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
      FXGOLD_CURRENCY_PROVIDERS: 'exchangeratehost',
      FXGOLD_GOLD_PROVIDERS: 'goldapi',
      FXGOLD_CURRENCIES: 'EUR,EURO',
      FXGOLD_HTTP_TIMEOUT_MS: 'soon',
      FXGOLD_TABLE_NAME: 'fx-gold',
      GOLDAPI_BASE_URL: 'ftp://example.org',
    });
    expect(settings.ok).toBe(false);
    const message = settings.ok ? '' : settings.error;
    for (const name of ['FXGOLD_CURRENCIES', 'FXGOLD_HTTP_TIMEOUT_MS', 'FXGOLD_TABLE_NAME', 'GOLDAPI_BASE_URL'])
      expect(message).toContain(name);
    // settings that depend on others are reported in the same error
    expect(message).toContain('FXGOLD_CURRENCY_PROVIDERS has no provider left to ask: exchangeratehost needs EXCHANGERATE_HOST_ACCESS_KEY');
    expect(message).toMatch(
      /FXGOLD_GOLD_PROVIDERS has no provider left to ask: goldapi needs GOLDAPI_KEY .*goldapi\.io\/dashboard.*local\.settings\.json "Values"/,
    );
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

  const URL_SETTINGS = ['FRANKFURTER_BASE_URL', 'EXCHANGERATE_HOST_BASE_URL', 'GOLDAPI_BASE_URL', 'FXGOLD_TABLE_SERVICE_URI'] as const;

  it.each(URL_SETTINGS)('refuses a plain http %s off loopback, naming the setting and not the value', (name) => {
    const settings = loadSettings({ ...minimal, [name]: 'http://api.example.org/v1?token=leaky' });
    expect(settings.ok ? '' : settings.error).toBe(
      `Invalid settings:\n  - ${name} must be an https URL (plain http only on loopback: localhost, 127.0.0.0/8, [::1])`,
    );
  });

  it.each(URL_SETTINGS)('accepts %s as https anywhere, and as plain http on loopback (local fakes, Azurite)', (name) => {
    for (const url of [
      'https://api.example.org/v1',
      'http://127.0.0.1:7071/x',
      'http://127.9.8.7/x',
      'http://localhost:10002/devstoreaccount1',
      'http://[::1]:8080',
    ]) {
      expect(loadSettings({ ...minimal, [name]: url }).ok, url).toBe(true);
    }
    expect(loadSettings({ ...minimal, [name]: 'http://127.0.0.1.example.org/x' }).ok).toBe(false);
  });

  it.each([
    ['GOLDAPI_KEY', { GOLDAPI_KEY: 'abc1234' }],
    ['EXCHANGERATE_HOST_ACCESS_KEY', { FXGOLD_CURRENCY_PROVIDERS: 'exchangeratehost', EXCHANGERATE_HOST_ACCESS_KEY: 'k3y' }],
  ])('refuses a %s shorter than 8 characters (it could not be redacted) without echoing it', (name, env) => {
    const settings = loadSettings({ ...minimal, ...env });
    const message = settings.ok ? '' : settings.error;
    expect(message).toBe(
      `Invalid settings:\n  - ${name} must be at least 8 characters (a shorter value cannot be kept out of logs; check it was copied whole)`,
    );
  });

  it('accepts keys of exactly 8 characters', () => {
    expect(
      loadSettings({
        ...minimal,
        GOLDAPI_KEY: '12345678',
        FXGOLD_CURRENCY_PROVIDERS: 'exchangeratehost',
        EXCHANGERATE_HOST_ACCESS_KEY: 'abcdefgh',
      }).ok,
    ).toBe(true);
  });

  it('reads FXGOLD_MAX_RESPONSE_BYTES as a whole number of bytes from 1 KiB to 100 MiB', () => {
    const read = (value: string) => {
      const settings = loadSettings({ ...minimal, FXGOLD_MAX_RESPONSE_BYTES: value });
      return settings.ok
        ? settings.value.maxResponseBytes
        : settings.error.replace('Invalid settings:\n  - FXGOLD_MAX_RESPONSE_BYTES ', '');
    };
    expect(read('2048')).toBe(2048);
    expect(read('104857600')).toBe(104_857_600);
    expect(read('1023')).toBe('must be at least 1024 bytes');
    expect(read('104857601')).toBe('must be at most 104857600 bytes');
    expect(read('1.5')).toBe('must be a whole number of bytes');
    expect(read('lots')).toBe('must be a whole number of bytes');
  });

  it('redacts a secret of any length: even a short one reaching the raw environment is listed', () => {
    expect(secretsInEnvironment({ GOLDAPI_KEY: 'abc' })).toEqual(['abc']);
  });

  it('lists secrets from the raw environment as the settings see them: trimmed', () => {
    expect(secretsInEnvironment({ GOLDAPI_KEY: '  goldapi-pasted-with-newline-io\n' })).toEqual(['goldapi-pasted-with-newline-io']);
  });

  it('lists the keys and the storage account key as secrets', () => {
    const connection = 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0LWtleQ==;EndpointSuffix=core.windows.net';
    const settings = loadSettings({ ...minimal, FXGOLD_STORAGE_CONNECTION: connection });
    expect(settings.ok && settings.value.secrets).toEqual(['goldapi-secret-123-io', connection, 'c2VjcmV0LWtleQ==']);
    // Azurite's public development account is no secret: redacting it would garble our own help texts.
    expect(secretsInEnvironment({ AzureWebJobsStorage: 'UseDevelopmentStorage=true' })).toEqual([]);
  });

  it('reads failover chains in order, skipping a provider whose key is unset', () => {
    const chains = (env: Record<string, string>) => {
      const settings = loadSettings({ AzureWebJobsStorage: 'UseDevelopmentStorage=true', ...env });
      return settings.ok ? [settings.value.ratesChain, settings.value.goldChain] : settings.error;
    };
    expect(
      chains({ FXGOLD_CURRENCY_PROVIDERS: 'exchangeratehost, frankfurter,currencyapi', FXGOLD_GOLD_PROVIDERS: 'goldapi,currencyapi' }),
    ).toEqual([['frankfurter', 'currencyapi'], ['currencyapi']]);
    expect(chains({ FXGOLD_GOLD_PROVIDERS: 'goldapi,currencyapi', GOLDAPI_KEY: 'goldapi-key-123' })).toEqual([
      ['frankfurter'],
      ['goldapi', 'currencyapi'],
    ]);
    expect(chains({ FXGOLD_CURRENCY_PROVIDERS: 'frankfurter,goldapi', GOLDAPI_KEY: 'goldapi-key-123' })).toBe(
      'Invalid settings:\n  - FXGOLD_CURRENCY_PROVIDERS.1 must list providers among frankfurter, exchangeratehost, currencyapi',
    );
  });

  it('reads the quality limits, refusing values the gates cannot use', () => {
    const settings = loadSettings({ ...minimal, FXGOLD_MAX_FX_AGE_DAYS: '5', FXGOLD_MAX_GOLD_MOVE_PCT: '12.5' });
    expect(settings.ok && settings.value.quality).toEqual({ maxFxAgeDays: 5, maxGoldAgeDays: 3, maxGoldMovePct: 12.5, maxFxMovePct: 15 });
    const bad = loadSettings({ ...minimal, FXGOLD_MAX_GOLD_AGE_DAYS: '1.5', FXGOLD_MAX_FX_MOVE_PCT: '0' });
    expect(bad.ok ? '' : bad.error).toMatch(
      /FXGOLD_MAX_GOLD_AGE_DAYS must be a whole number[\s\S]*FXGOLD_MAX_FX_MOVE_PCT must be more than 0 %/,
    );
  });

  it('reading rows needs storage settings only, not a provider key', () => {
    const read = loadReadSettings({ AzureWebJobsStorage: 'UseDevelopmentStorage=true' });
    expect(read.ok && [read.value.tableName, read.value.baseCurrency]).toEqual(['FxGold', 'USD']);
  });

  it('needs no key at all: without GOLDAPI_KEY the default gold chain is Frankfurter (NBP) alone', () => {
    const keyless = loadSettings({ AzureWebJobsStorage: 'UseDevelopmentStorage=true' });
    expect(keyless.ok && [keyless.value.ratesChain, keyless.value.goldChain]).toEqual([['frankfurter'], ['frankfurter']]);
  });

  it('reads FRANKFURTER_GOLD_SOURCE as a provider code or blend, refusing anything else by name', () => {
    const source = (value: string) => {
      const settings = loadSettings({ ...minimal, FRANKFURTER_GOLD_SOURCE: value });
      return settings.ok ? settings.value.providerSettings.frankfurter : settings.error;
    };
    expect(source('nbp')).toMatchObject({ FRANKFURTER_GOLD_SOURCE: 'NBP' });
    expect(source('Blend')).toMatchObject({ FRANKFURTER_GOLD_SOURCE: 'blend' });
    expect(source('N.B.P')).toMatch(/FRANKFURTER_GOLD_SOURCE must be a Frankfurter provider code such as NBP, or blend/);
  });
});
