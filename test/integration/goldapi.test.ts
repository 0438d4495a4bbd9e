import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { goldApiClient } from '../../src/clients/goldapi.js';
import { fixture } from '../support/fixtures.js';
import { startFakeProviders, type FakeProviders } from '../support/fakeProviders.js';
import { realHttp } from '../support/http.js';

const KEY = 'goldapi-secret-abcdef-io';
let fake: FakeProviders;
beforeAll(async () => (fake = await startFakeProviders()));
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const client = (timeoutMs?: number) => goldApiClient({ baseUrl: fake.baseUrl('goldapi'), apiKey: KEY, currency: 'USD' }, realHttp(timeoutMs));

describe('goldapi client over HTTP', () => {
  it('asks /XAU/USD with the x-access-token header and converts the seconds timestamp', async () => {
    const result = await client().fetchGoldPrice({ date: '2025-07-08', mode: 'latest' });
    expect(result.ok && result.value).toEqual({
      provider: 'goldapi',
      currency: 'USD',
      source: 'FOREXCOM',
      timestamp: '2025-07-08T18:00:12.000Z',
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
    const result = await client().fetchGoldPrice({ date: '2025-07-07', mode: 'historical' });
    expect(fake.requests[0]?.path).toBe('/XAU/USD/20250707');
    expect(result.ok && result.value).toEqual({
      provider: 'goldapi',
      currency: 'USD',
      source: 'LBMA',
      timestamp: '2025-07-07T10:30:00.000Z',
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
    [{ status: 429, json: { error: 'Too many requests' }, headers: { 'retry-after': '60' } }, 'transient', /rate limited, HTTP 429: Too many requests/],
    [{ status: 502, text: 'Bad gateway' }, 'transient', /server error, HTTP 502/],
    [{ json: { ...fixture('goldapi-latest'), price: '3301.45' } }, 'permanent', /invalid response: price/],
    [{ json: { ...fixture('goldapi-latest'), price: null } }, 'permanent', /invalid response: price/],
    [{ json: { ...fixture('goldapi-latest'), currency: 'EUR' } }, 'permanent', /quoted in EUR, asked for USD/],
    [{ text: '{"price":' }, 'permanent', /body is not JSON/],
  ])('turns %j into a %s failure', async (answer, kind, message) => {
    fake.answer('goldapi', answer);
    const result = await client().fetchGoldPrice({ date: '2025-07-08', mode: 'latest' });
    expect(!result.ok && result.error).toMatchObject({ provider: 'goldapi', kind, message: expect.stringMatching(message) });
  });

  it('times out a hanging server as a transient failure', async () => {
    fake.answer('goldapi', { hang: true });
    const result = await client(250).fetchGoldPrice({ date: '2025-07-08', mode: 'latest' });
    expect(!result.ok && result.error).toMatchObject({ kind: 'transient', message: expect.stringMatching(/^no answer within 250 ms from 127\.0\.0\.1:\d+$/) });
  });
});
