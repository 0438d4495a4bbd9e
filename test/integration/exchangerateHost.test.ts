import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exchangerateHostClient } from '../../src/clients/exchangerateHost.js';
import { fixture } from '../support/fixtures.js';
import { startFakeProviders, type FakeProviders } from '../support/fakeProviders.js';
import { G10, realHttp } from '../support/http.js';

const KEY = 'erh-secret-key-0123456789';
let fake: FakeProviders;
beforeAll(async () => (fake = await startFakeProviders()));
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const client = (timeoutMs?: number) =>
  exchangerateHostClient({ baseUrl: fake.baseUrl('exchangeratehost'), accessKey: KEY, baseCurrency: 'USD', currencies: G10 }, realHttp(timeoutMs));

const apiError = (code: number, type: string, info: string) => ({ json: { success: false, error: { code, type, info } } });

describe('exchangerate.host client over HTTP', () => {
  it('asks /live with access_key, source and currencies, strips the USD prefix and dates the quote from its timestamp', async () => {
    const result = await client().fetchRates({ date: '2025-07-08', mode: 'latest' });
    expect(result.ok && result.value).toEqual({
      provider: 'exchangeratehost',
      base: 'USD',
      asOfDate: '2025-07-08',
      rates: { EUR: 0.851204, JPY: 146.128504, GBP: 0.735504, CHF: 0.796104, CAD: 1.366804, AUD: 1.530804, NZD: 1.667304, SEK: 9.576604, NOK: 10.118804 },
    });
    const [request] = fake.requests;
    expect(request?.path).toBe('/live');
    expect(Object.fromEntries(request?.query ?? [])).toEqual({ access_key: KEY, source: 'USD', currencies: G10.join(',') });
  });

  it('asks /historical?date= for a past date and keeps the reported date', async () => {
    const result = await client().fetchRates({ date: '2025-07-07', mode: 'historical' });
    expect(fake.requests[0]?.path).toBe('/historical');
    expect(fake.requests[0]?.query.get('date')).toBe('2025-07-07');
    expect(result.ok && [result.value.asOfDate, result.value.rates.JPY]).toEqual(['2025-07-07', 145.2]);
  });

  it.each([
    [apiError(101, 'invalid_access_key', 'You have not supplied a valid API Access Key.'), /error 101 invalid_access_key: missing or invalid access key/],
    [apiError(104, 'usage_limit_reached', 'Your monthly usage limit has been reached.'), /error 104 usage_limit_reached: usage limit reached/],
    [apiError(202, 'invalid_currency_codes', 'You have provided one or more invalid Currency Codes.'), /error 202 invalid_currency_codes: invalid currency codes/],
  ])('treats an HTTP 200 with success:false as a permanent failure: %j', async (answer, message) => {
    fake.answer('exchangeratehost', answer);
    const result = await client().fetchRates({ date: '2025-07-08', mode: 'latest' });
    expect(!result.ok && result.error).toMatchObject({ provider: 'exchangeratehost', kind: 'permanent', message: expect.stringMatching(message) });
  });

  it.each([
    [{ status: 503, text: '<html>unavailable</html>' }, 'transient', /server error, HTTP 503/],
    [{ json: { ...fixture('exchangeratehost-live'), quotes: { USDEUR: 0.85 } } }, 'permanent', /no rate for JPY/],
    [{ json: { ...fixture('exchangeratehost-live'), quotes: { ...fixture<{ quotes: object }>('exchangeratehost-live').quotes, USDJPY: 'abc' } } }, 'permanent', /invalid response: quotes\.USDJPY/],
    [{ json: { ...fixture('exchangeratehost-live'), quotes: { ...fixture<{ quotes: object }>('exchangeratehost-live').quotes, USDJPY: -1 } } }, 'permanent', /invalid response: quotes\.USDJPY/],
    [{ text: 'not json' }, 'permanent', /body is not JSON/],
  ])('turns %j into a %s failure', async (answer, kind, message) => {
    fake.answer('exchangeratehost', answer);
    const result = await client().fetchRates({ date: '2025-07-08', mode: 'latest' });
    expect(!result.ok && result.error).toMatchObject({ kind, message: expect.stringMatching(message) });
  });

  it('never puts the access key in a failure, even when the request URL carries it', async () => {
    for (const answer of [{ hang: true as const }, { drop: true as const }, { status: 500, text: KEY }]) {
      fake.answer('exchangeratehost', answer);
      const result = await client(200).fetchRates({ date: '2025-07-08', mode: 'latest' });
      expect(result.ok).toBe(false);
      expect(JSON.stringify(result)).not.toContain(KEY);
    }
  });
});
