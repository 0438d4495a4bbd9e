import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import { createJobDependencies } from '../../src/pipeline/jobDependencies.js';
import { startFakeProviders, type FakeProviders } from '../support/fakeProviders.js';
import { startForwardProxy, startTlsSink, type ForwardProxy } from '../support/forwardProxy.js';
import { businessDate } from '../support/dates.js';

/**
 * The production wiring (createJobDependencies → proxyFetch) against a forward proxy on loopback: which requests the
 * proxy sees proves what HTTP_PROXY / HTTPS_PROXY / NO_PROXY really do, loopback included.
 */
const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'ALL_PROXY'].flatMap((name) => [name, name.toLowerCase()]);
const GOLD_KEY = 'goldapi-proxy-secret-1';
const PROXY_PASSWORD = 'proxy-pass-4711';
const REQUEST = { date: businessDate('2025-07-07'), mode: 'historical' } as const;

let fake: FakeProviders;
let proxy: ForwardProxy;
let sink: Awaited<ReturnType<typeof startTlsSink>>;
beforeAll(async () => {
  fake = await startFakeProviders();
  sink = await startTlsSink();
  // No test can reach the real provider hosts: every tunnel ends at the sink.
  proxy = await startForwardProxy(() => ({ host: '127.0.0.1', port: sink.port }));
});
afterAll(async () => Promise.all([fake.close(), proxy.close(), sink.close()]));

const saved = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, process.env[name]]));
beforeEach(() => {
  fake.reset();
  proxy.requests.length = 0;
  sink.received.length = 0;
  for (const name of PROXY_VARIABLES) delete process.env[name];
});
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

function dependencies(overrides: Record<string, string | undefined> = {}) {
  const settings = loadSettings({
    ...fake.settings(),
    GOLDAPI_KEY: GOLD_KEY,
    FXGOLD_STORAGE_CONNECTION: 'UseDevelopmentStorage=true',
    ...overrides,
  });
  if (!settings.ok) throw new Error(settings.error);
  return createJobDependencies(settings.value);
}
const frankfurter = () => dependencies().ratesChain[0]!;
const fakeOrigin = () => new URL(fake.baseUrl('frankfurter')).host;

describe('outbound provider calls and the proxy variables', () => {
  it('without proxy variables they go direct', async () => {
    const result = await frankfurter().fetchRates(REQUEST);
    expect(result.ok).toBe(true);
    expect(fake.requests).toHaveLength(1);
    expect(proxy.requests).toHaveLength(0);
  });

  it('HTTP_PROXY: an http:// provider is asked through the proxy, loopback included (no implicit exception)', async () => {
    process.env.HTTP_PROXY = proxy.url;
    const result = await frankfurter().fetchRates(REQUEST);
    expect(result).toMatchObject({ ok: true, value: { provider: 'frankfurter' } });
    expect(fake.requests).toHaveLength(1);
    // The absolute-form request line of a forward proxy, aimed at the fake provider.
    expect(proxy.requests.map((r) => [r.method, r.target])).toEqual([
      ['GET', expect.stringMatching(new RegExp(`^http://${fakeOrigin()}/frankfurter/v1/2025-07-07\\?`))],
    ]);
  });

  it.each(['127.0.0.1', 'localhost,127.0.0.1', '127.0.0.1:PORT', '*'])(
    'NO_PROXY=%s matching the provider: direct, the proxy is not asked',
    async (noProxy) => {
      process.env.HTTP_PROXY = proxy.url;
      process.env.NO_PROXY = noProxy.replace('PORT', new URL(fake.baseUrl('frankfurter')).port);
      expect((await frankfurter().fetchRates(REQUEST)).ok).toBe(true);
      expect(fake.requests).toHaveLength(1);
      expect(proxy.requests).toHaveLength(0);
    },
  );

  it.each(['localhost', '127.0.0.0/8', '127.0.0.1:1'])(
    'NO_PROXY=%s does not match 127.0.0.1:<port> (no CIDR, no name resolution): proxied',
    async (noProxy) => {
      process.env.HTTP_PROXY = proxy.url;
      process.env.NO_PROXY = noProxy;
      expect((await frankfurter().fetchRates(REQUEST)).ok).toBe(true);
      expect(proxy.requests).toHaveLength(1);
    },
  );

  it('HTTPS_PROXY: an https:// provider is reached through a CONNECT tunnel; the key and the proxy password stay out of sight', async () => {
    process.env.HTTPS_PROXY = `http://fxdesk:${PROXY_PASSWORD}@${new URL(proxy.url).host}`;
    const gold = dependencies({ GOLDAPI_BASE_URL: undefined }).goldChain[0]!; // the real https://www.goldapi.io/api
    const result = await gold.fetchGoldPrice(REQUEST);

    expect(proxy.requests.map((r) => [r.method, r.target])).toEqual([['CONNECT', 'www.goldapi.io:443']]);
    expect(proxy.requests[0]?.headers['proxy-authorization']).toBe(`Basic ${Buffer.from(`fxdesk:${PROXY_PASSWORD}`).toString('base64')}`);
    // Inside the tunnel: a TLS handshake (record type 22) naming the provider's host; the key travels only inside TLS.
    const hello = sink.received[0] ?? Buffer.alloc(0);
    expect(hello[0]).toBe(0x16);
    expect(hello.includes('www.goldapi.io')).toBe(true);
    expect(JSON.stringify(proxy.requests)).not.toContain(GOLD_KEY);
    // The sink hangs up: a transient network failure that names the provider's host, never the proxy URL or password.
    expect(result).toMatchObject({
      ok: false,
      error: { source: 'goldapi', kind: 'transient', message: expect.stringMatching(/^network error reaching www\.goldapi\.io: /) },
    });
    expect(JSON.stringify(result)).not.toContain(PROXY_PASSWORD);
    expect(JSON.stringify(result)).not.toContain(new URL(proxy.url).port);
  });

  it('HTTPS_PROXY alone leaves http:// providers direct', async () => {
    process.env.HTTPS_PROXY = proxy.url;
    expect((await frankfurter().fetchRates(REQUEST)).ok).toBe(true);
    expect(proxy.requests).toHaveLength(0);
  });
});
