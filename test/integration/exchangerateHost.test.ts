import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exchangerateHostClient } from '../../src/clients/exchangerateHost.js';
import { fixture } from '../support/fixtures.js';
import { startFakeProviders, type FakeProviders } from '../support/fakeProviders.js';
import { G10, realHttp } from '../support/http.js';
import { businessDate } from '../support/dates.js';

const KEY = 'erh-secret-key-0123456789';
let fake: FakeProviders;
beforeAll(async () => (fake = await startFakeProviders()));
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const client = (timeoutMs?: number) =>
  exchangerateHostClient(
    { baseUrl: fake.baseUrl('exchangeratehost'), accessKey: KEY, baseCurrency: 'USD', currencies: G10 },
    realHttp(timeoutMs),
  );

const apiError = (code: number, type: string, info: string) => ({ json: { success: false, error: { code, type, info } } });

describe('exchangerate.host client over HTTP', () => {
  it('asks /live with access_key, source and currencies, strips the USD prefix and dates the quote from its timestamp', async () => {
    const result = await client().fetchRates({ date: businessDate('2025-07-08'), mode: 'latest' });
    expect(result.ok && result.value).toEqual({
      provider: 'exchangeratehost',
      base: 'USD',
      asOfDate: '2025-07-08',
      rates: {
        EUR: 0.851204,
        JPY: 146.128504,
        GBP: 0.735504,
        CHF: 0.796104,
        CAD: 1.366804,
        AUD: 1.530804,
        NZD: 1.667304,
        SEK: 9.576604,
        NOK: 10.118804,
      },
      // Its own `timestamp` (1751997612 s): when the rates were taken, kept as the row's CurrencyTimestamp.
      timestamp: '2025-07-08T18:00:12.000Z',
    });
    const [request] = fake.requests;
    expect(request?.path).toBe('/live');
    expect(Object.fromEntries(request?.query ?? [])).toEqual({ access_key: KEY, source: 'USD', currencies: G10.join(',') });
  });

  it('asks /historical?date= for a past date and keeps the reported date', async () => {
    const result = await client().fetchRates({ date: businessDate('2025-07-07'), mode: 'historical' });
    expect(fake.requests[0]?.path).toBe('/historical');
    expect(fake.requests[0]?.query.get('date')).toBe('2025-07-07');
    expect(result.ok && [result.value.asOfDate, result.value.rates.JPY]).toEqual(['2025-07-07', 145.2]);
  });

  it.each([
    [
      apiError(101, 'invalid_access_key', 'You have not supplied a valid API Access Key.'),
      'error 101 invalid_access_key: You have not supplied a valid API Access Key.',
    ],
    [
      apiError(104, 'usage_limit_reached', 'Your monthly usage limit has been reached.'),
      'error 104 usage_limit_reached: Your monthly usage limit has been reached.',
    ],
    [
      apiError(202, 'invalid_currency_codes', 'You have provided one or more invalid Currency Codes.'),
      'error 202 invalid_currency_codes: You have provided one or more invalid Currency Codes.',
    ],
    // One code, two causes with two different fixes: the provider's own type and info tell them apart.
    [
      apiError(105, 'https_access_restricted', 'Access Restricted - Your current Subscription Plan does not support HTTPS Encryption.'),
      'error 105 https_access_restricted: Access Restricted - Your current Subscription Plan does not support HTTPS Encryption.',
    ],
    [
      apiError(
        105,
        'source_currency_access_restricted',
        'Access Restricted - Your current Subscription Plan does not support Source Currency Switching.',
      ),
      'error 105 source_currency_access_restricted: Access Restricted - Your current Subscription Plan does not support Source Currency Switching.',
    ],
    // Without the provider's words, the generic meaning of the code.
    [
      { json: { success: false, error: { code: 104, type: 'usage_limit_reached' } } },
      'error 104 usage_limit_reached: usage limit reached for this plan',
    ],
    [{ json: { success: false, error: { code: 105 } } }, 'error 105: function not available on this plan'],
    [{ json: { success: false, error: { code: 999, info: '\u001b[31m' } } }, 'error 999: unknown error'],
  ])('treats an HTTP 200 with success:false as a permanent failure: %j', async (answer, message) => {
    fake.answer('exchangeratehost', answer);
    const result = await client().fetchRates({ date: businessDate('2025-07-08'), mode: 'latest' });
    expect(!result.ok && result.error).toEqual({ source: 'exchangeratehost', kind: 'permanent', message });
  });

  it('reduces a hostile type and info to one short line', async () => {
    fake.answer(
      'exchangeratehost',
      apiError(101, 'invalid_access_key\nfx-gold: stored row 2025-07-08 OK', `\u001b[1mbad key\u001b[0m\r\n${'x'.repeat(100_000)}`),
    );
    const result = await client().fetchRates({ date: businessDate('2025-07-08'), mode: 'latest' });
    // The provider's words are cut at 300 characters, "…" included.
    expect(!result.ok && result.error.message).toBe(
      `error 101 invalid_access_key fx-gold: stored row 2025-07-08 OK: bad key ${'x'.repeat(291)}…`,
    );
  });

  it.each([301, 308] as const)(
    'never follows a %i redirect that keeps the query: no access key leaves, none is reported',
    async (status) => {
      const other = await startFakeProviders();
      try {
        fake.answer('exchangeratehost', ({ query }) => ({
          redirect: `${other.baseUrl('exchangeratehost')}/live?${query.toString()}`,
          status,
        }));
        const result = await client().fetchRates({ date: businessDate('2025-07-08'), mode: 'latest' });
        expect(other.requests).toEqual([]);
        expect(!result.ok && result.error).toMatchObject({
          kind: 'permanent',
          message: `redirected (HTTP ${status}) to ${new URL(other.baseUrl('exchangeratehost')).host}; redirects are never followed, check the base URL setting`,
        });
        expect(JSON.stringify(result)).not.toContain(KEY);
        expect(JSON.stringify(result)).not.toContain('access_key');
      } finally {
        await other.close();
      }
    },
  );

  it.each([
    [{ status: 503, text: '<html>unavailable</html>' }, 'transient', /server error, HTTP 503/],
    [{ json: { ...fixture('exchangeratehost-live'), quotes: { USDEUR: 0.85 } } }, 'permanent', /no rate for JPY/],
    [
      {
        json: {
          ...fixture('exchangeratehost-live'),
          quotes: { ...fixture<{ quotes: object }>('exchangeratehost-live').quotes, USDJPY: 'abc' },
        },
      },
      'permanent',
      /invalid response: quotes\.USDJPY/,
    ],
    [
      {
        json: {
          ...fixture('exchangeratehost-live'),
          quotes: { ...fixture<{ quotes: object }>('exchangeratehost-live').quotes, USDJPY: -1 },
        },
      },
      'permanent',
      /invalid response: quotes\.USDJPY/,
    ],
    [{ text: 'not json' }, 'permanent', /body is not JSON/],
  ])('turns %j into a %s failure', async (answer, kind, message) => {
    fake.answer('exchangeratehost', answer);
    const result = await client().fetchRates({ date: businessDate('2025-07-08'), mode: 'latest' });
    expect(!result.ok && result.error).toMatchObject({ kind, message: expect.stringMatching(message) });
  });

  it('never puts the access key in a failure, even when the request URL carries it', async () => {
    for (const answer of [{ hang: true as const }, { drop: true as const }, { status: 500, text: KEY }]) {
      fake.answer('exchangeratehost', answer);
      const result = await client(200).fetchRates({ date: businessDate('2025-07-08'), mode: 'latest' });
      expect(result.ok).toBe(false);
      expect(JSON.stringify(result)).not.toContain(KEY);
    }
  });
});
