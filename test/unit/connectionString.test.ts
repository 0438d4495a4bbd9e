import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import { DEVELOPMENT_ACCOUNT, parseStorageConnectionString } from '../../src/storage/connectionString.js';

const KEY = Buffer.from('a storage account key of some length').toString('base64');
const SAS = 'sv=2022-11-02&ss=t&srt=sco&sp=rwau&se=2030-01-01T00:00:00Z&sig=c2lnbmF0dXJlLXNlY3JldA%3D%3D';

describe('storage connection strings, read without the SDK', () => {
  it.each([
    ['UseDevelopmentStorage=true', 'http://127.0.0.1:10002/devstoreaccount1', { kind: 'sharedKey', ...DEVELOPMENT_ACCOUNT }],
    ['usedevelopmentstorage=TRUE;', 'http://127.0.0.1:10002/devstoreaccount1', { kind: 'sharedKey', ...DEVELOPMENT_ACCOUNT }],
    [
      'UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://azurite.local',
      'http://azurite.local:10002/devstoreaccount1',
      { kind: 'sharedKey', ...DEVELOPMENT_ACCOUNT },
    ],
    [
      `DefaultEndpointsProtocol=https;AccountName=fxgoldacct;AccountKey=${KEY};EndpointSuffix=core.windows.net`,
      'https://fxgoldacct.table.core.windows.net',
      { kind: 'sharedKey', accountName: 'fxgoldacct', accountKey: KEY },
    ],
    [
      `DefaultEndpointsProtocol=https;AccountName=fxgoldacct;AccountKey=${KEY}`,
      'https://fxgoldacct.table.core.windows.net',
      { kind: 'sharedKey', accountName: 'fxgoldacct', accountKey: KEY },
    ],
    [
      `AccountName=fxgoldacct;AccountKey=${KEY};EndpointSuffix=core.chinacloudapi.cn;DefaultEndpointsProtocol=https;`,
      'https://fxgoldacct.table.core.chinacloudapi.cn',
      { kind: 'sharedKey', accountName: 'fxgoldacct', accountKey: KEY },
    ],
    [
      `AccountName=devstoreaccount1;AccountKey=${KEY};TableEndpoint=http://127.0.0.1:41234/devstoreaccount1/`,
      'http://127.0.0.1:41234/devstoreaccount1',
      { kind: 'sharedKey', accountName: 'devstoreaccount1', accountKey: KEY },
    ],
    [
      `TableEndpoint=https://fxgoldacct.table.core.windows.net/;SharedAccessSignature=${SAS}`,
      'https://fxgoldacct.table.core.windows.net',
      { kind: 'sas', signature: SAS },
    ],
    [
      `BlobEndpoint=https://fxgoldacct.blob.core.windows.net/;TableEndpoint=https://fxgoldacct.table.core.windows.net?${SAS};SharedAccessSignature=?${SAS}`,
      'https://fxgoldacct.table.core.windows.net',
      { kind: 'sas', signature: SAS },
    ],
    [
      `DefaultEndpointsProtocol=https;AccountName=fxgoldacct;SharedAccessSignature=${SAS}`,
      'https://fxgoldacct.table.core.windows.net',
      { kind: 'sas', signature: SAS },
    ],
  ])('reads %s', (text, endpoint, credential) => {
    expect(parseStorageConnectionString(text)).toEqual({ ok: true, value: { endpoint, credential } });
  });

  it.each([
    ['garbage', /is not a storage connection string/],
    ['', /is not a storage connection string/],
    [';;', /is not a storage connection string/],
    [`AccountName=fxgoldacct;${KEY}`, /is not a storage connection string/],
    ['=fxgold-value', /is not a storage connection string/],
    ['UseDevelopmentStorage=yes', /UseDevelopmentStorage set to something other than true/],
    [
      'UseDevelopmentStorage=true;DevelopmentStorageProxyUri=ftp://azurite.local',
      /DevelopmentStorageProxyUri that is not an http\(s\) URL/,
    ],
    [
      'DefaultEndpointsProtocol=https;AccountName=fxgoldacct;EndpointSuffix=core.windows.net',
      /neither an AccountKey nor a SharedAccessSignature/,
    ],
    [`DefaultEndpointsProtocol=https;AccountKey=${KEY}`, /an AccountKey but no AccountName/],
    ['DefaultEndpointsProtocol=https;AccountName=fxgoldacct;AccountKey=not base64!', /AccountKey that is empty or not base64/],
    ['DefaultEndpointsProtocol=https;AccountName=fxgoldacct;AccountKey=', /AccountKey that is empty or not base64/],
    [`AccountName=fxgoldacct;AccountKey=${KEY}`, /neither a TableEndpoint nor a DefaultEndpointsProtocol/],
    [`DefaultEndpointsProtocol=ftp;AccountName=fxgoldacct;AccountKey=${KEY}`, /DefaultEndpointsProtocol other than https or http/],
    [
      `AccountName=fxgoldacct;AccountKey=${KEY};TableEndpoint=fxgoldacct.table.core.windows.net`,
      /TableEndpoint that is not an http\(s\) URL/,
    ],
    [`SharedAccessSignature=${SAS};DefaultEndpointsProtocol=https`, /no AccountName to build the table endpoint from/],
    [`DefaultEndpointsProtocol=https;AccountName=fx gold;AccountKey=${KEY}`, /does not make a table endpoint URL/],
  ])('refuses %j, saying what is wrong without echoing it', (text, problem) => {
    const parsed = parseStorageConnectionString(text);
    expect(parsed).toEqual({ ok: false, error: expect.stringMatching(problem) });
    if (!parsed.ok && text.length > 0) expect(parsed.error).not.toContain(text);
    if (!parsed.ok) expect(parsed.error).not.toContain(KEY);
  });
});

describe('storage settings', () => {
  const base = { GOLDAPI_KEY: 'goldapi-key-for-settings-test' };
  const problems = (env: Record<string, string>) => {
    const loaded = loadSettings(env);
    return loaded.ok ? '' : loaded.error;
  };

  it('a malformed FXGOLD_STORAGE_CONNECTION is refused, named, and never echoed', () => {
    const secretish = `AccountName=fxgoldacct;${KEY}`;
    const error = problems({ ...base, FXGOLD_STORAGE_CONNECTION: secretish });
    expect(error).toContain('FXGOLD_STORAGE_CONNECTION is not a storage connection string');
    expect(error).not.toContain(KEY);
  });

  it('AzureWebJobsStorage is checked when rows go there, and left to the host when they do not', () => {
    expect(problems({ ...base, AzureWebJobsStorage: 'garbage' })).toContain(
      'AzureWebJobsStorage is not a storage connection string: expected key=value pairs',
    );
    expect(problems({ ...base, AzureWebJobsStorage: 'garbage' })).toContain(
      'rows go there because FXGOLD_STORAGE_CONNECTION and FXGOLD_TABLE_SERVICE_URI are unset',
    );
    expect(loadSettings({ ...base, AzureWebJobsStorage: 'garbage', FXGOLD_STORAGE_CONNECTION: 'UseDevelopmentStorage=true' }).ok).toBe(
      true,
    );
    expect(
      loadSettings({ ...base, AzureWebJobsStorage: 'garbage', FXGOLD_TABLE_SERVICE_URI: 'https://fxgoldacct.table.core.windows.net' }).ok,
    ).toBe(true);
  });

  it('lists a bad connection string together with the other bad settings', () => {
    const error = problems({ AzureWebJobsStorage: 'garbage', FXGOLD_STORAGE_TIMEOUT_MS: '50', FXGOLD_GOLD_PROVIDERS: 'goldapi' });
    expect(error).toMatch(/FXGOLD_GOLD_PROVIDERS has no provider left to ask: goldapi needs GOLDAPI_KEY/);
    expect(error).toMatch(/AzureWebJobsStorage is not a storage connection string/);
    expect(error).toMatch(/FXGOLD_STORAGE_TIMEOUT_MS must be at least 100 ms/);
  });

  it.each([
    [undefined, 10_000],
    ['2500', 2_500],
    ['120000', 120_000],
  ])('FXGOLD_STORAGE_TIMEOUT_MS=%s gives a budget of %i ms', (value, timeoutMs) => {
    const loaded = loadSettings({
      ...base,
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      ...(value === undefined ? {} : { FXGOLD_STORAGE_TIMEOUT_MS: value }),
    });
    expect(loaded).toMatchObject({ ok: true, value: { storageTimeoutMs: timeoutMs } });
  });

  it.each(['99', '120001', '1.5', 'ten seconds'])('FXGOLD_STORAGE_TIMEOUT_MS=%s is refused', (value) => {
    expect(problems({ ...base, AzureWebJobsStorage: 'UseDevelopmentStorage=true', FXGOLD_STORAGE_TIMEOUT_MS: value })).toMatch(
      /FXGOLD_STORAGE_TIMEOUT_MS must be/,
    );
  });
});
