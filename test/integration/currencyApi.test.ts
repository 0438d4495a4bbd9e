import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CurrencyApiUrlsSchema, DEFAULT_CURRENCYAPI_URLS, currencyApiClient } from '../../src/clients/currencyApi.js';
import { fixture } from '../support/fixtures.js';
import { startFakeCurrencyApi, type CurrencyApiAnswer, type FakeCurrencyApi } from '../support/fakeCurrencyApi.js';
import { G10, realHttp } from '../support/http.js';
import { businessDate } from '../support/dates.js';

let fake: FakeCurrencyApi;
beforeAll(async () => (fake = await startFakeCurrencyApi()));
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const client = (baseCurrency = 'USD', currencies = G10) =>
  currencyApiClient({ urlTemplates: fake.urlTemplates, baseCurrency, currencies }, realHttp());

const LIVE = { date: businessDate('2025-07-08'), mode: 'latest' } as const;
const latestWith = (usd: Record<string, unknown>): CurrencyApiAnswer => ({ json: { date: '2025-07-08', usd } });
const latestWithout = (code: string): CurrencyApiAnswer => {
  const { [code]: _dropped, ...usd } = fixture<{ usd: Record<string, number> }>('currencyapi-latest').usd;
  return latestWith(usd);
};
const paths = () => fake.requests.map(({ mirror, path }) => `${mirror} ${path}`);

describe('currency-api client over HTTP: rates', () => {
  it('asks jsDelivr for @latest/usd.json and keeps exactly the requested currencies, upper-cased, dated by the file', async () => {
    const result = await client().fetchRates(LIVE);
    expect(result.ok && result.value).toEqual({
      provider: 'currencyapi',
      base: 'USD',
      asOfDate: '2025-07-08',
      rates: {
        EUR: 0.85120456,
        JPY: 146.12850412,
        GBP: 0.73550395,
        CHF: 0.79610385,
        CAD: 1.36680421,
        AUD: 1.53080418,
        NZD: 1.66730382,
        SEK: 9.57660411,
        NOK: 10.11880397,
      },
    });
    expect(paths()).toEqual(['jsdelivr /npm/@fawazahmed0/currency-api@latest/v1/currencies/usd.json']);
  });

  it('asks the @YYYY-MM-DD file for a past date and returns that day', async () => {
    const result = await client().fetchRates({ date: businessDate('2025-07-07'), mode: 'historical' });
    expect(paths()).toEqual(['jsdelivr /npm/@fawazahmed0/currency-api@2025-07-07/v1/currencies/usd.json']);
    expect(result.ok && [result.value.asOfDate, result.value.rates.EUR, result.value.rates.JPY]).toEqual([
      '2025-07-07',
      0.84950377,
      145.20010633,
    ]);
  });

  it('reports the date the file carries, even when it is not the day asked for (the quality gates judge it)', async () => {
    fake.answer('jsdelivr', { json: { ...fixture('currencyapi-historical'), date: '2025-07-04' } });
    const result = await client().fetchRates({ date: businessDate('2025-07-07'), mode: 'historical' });
    expect(result.ok && result.value.asOfDate).toBe('2025-07-04');
  });

  it('asks for the lower-case base file and reads the lower-case base key', async () => {
    fake.answer('jsdelivr', { json: { date: '2025-07-08', eur: { usd: 1.17480578, gbp: 0.86407721, xau: 0.00035584 } } });
    const result = await client('EUR', ['USD', 'GBP']).fetchRates(LIVE);
    expect(paths()).toEqual(['jsdelivr /npm/@fawazahmed0/currency-api@latest/v1/currencies/eur.json']);
    expect(result.ok && result.value).toMatchObject({ base: 'EUR', rates: { USD: 1.17480578, GBP: 0.86407721 } });
  });

  it('fails for good, naming the currency, when the file lacks a requested one', async () => {
    fake.answer('jsdelivr', latestWithout('jpy'));
    const result = await client().fetchRates(LIVE);
    expect(!result.ok && result.error).toEqual({
      source: 'currencyapi',
      kind: 'permanent',
      message: 'invalid response: no rate for JPY (base USD)',
    });
  });

  it('refuses a requested rate that is not a positive number, but ignores odd entries it does not read', async () => {
    fake.answer('jsdelivr', latestWith({ ...fixture<{ usd: object }>('currencyapi-latest').usd, eur: 0 }));
    fake.answer('pages', latestWith({ ...fixture<{ usd: object }>('currencyapi-latest').usd, eur: -1 }));
    const refused = await client().fetchRates(LIVE);
    expect(!refused.ok && refused.error).toMatchObject({ kind: 'permanent', message: expect.stringMatching(/usd\.eur.*usd\.eur/) });

    fake.reset();
    fake.answer('jsdelivr', latestWith({ ...fixture<{ usd: object }>('currencyapi-latest').usd, deadcoin: 0, weird: 'n/a' }));
    expect((await client().fetchRates(LIVE)).ok).toBe(true);
  });
});

describe('currency-api client over HTTP: gold', () => {
  it('inverts xau (ounces per dollar) into dollars per ounce, dated 00:00 UTC of the file, price only', async () => {
    const result = await client().fetchGoldPrice(LIVE);
    expect(result.ok && result.value).toEqual({
      provider: 'currencyapi',
      currency: 'USD',
      source: 'CURRENCYAPI',
      timestamp: '2025-07-08T00:00:00.000Z',
      sessionStart: null,
      price: 1 / 0.00030289,
      open: null,
      previousClose: null,
      high: null,
      low: null,
    });
    expect(result.ok && result.value.price).toBeCloseTo(3301.5286, 3);
  });

  it('prices a past day from that day’s file', async () => {
    const result = await client().fetchGoldPrice({ date: businessDate('2025-07-07'), mode: 'historical' });
    expect(paths()).toEqual(['jsdelivr /npm/@fawazahmed0/currency-api@2025-07-07/v1/currencies/usd.json']);
    expect(result.ok && [result.value.timestamp, result.value.price]).toEqual(['2025-07-07T00:00:00.000Z', 1 / 0.00030057]);
  });

  it('fails for good when xau is missing', async () => {
    fake.answer('jsdelivr', latestWithout('xau'));
    const result = await client().fetchGoldPrice(LIVE);
    expect(!result.ok && result.error).toEqual({
      source: 'currencyapi',
      kind: 'permanent',
      message: 'invalid response: no xau (gold) in the usd file of 2025-07-08',
    });
  });

  it.each([0, -0.0003, '0.0003'])('fails for good when every mirror has xau %j', async (xau) => {
    for (const mirror of ['jsdelivr', 'pages'] as const)
      fake.answer(mirror, latestWith({ ...fixture<{ usd: object }>('currencyapi-latest').usd, xau }));
    const result = await client().fetchGoldPrice(LIVE);
    expect(!result.ok && result.error).toMatchObject({ kind: 'permanent', message: expect.stringContaining('usd.xau') });
  });

  it('still serves gold when a rate it does not need is broken', async () => {
    fake.answer('jsdelivr', latestWith({ ...fixture<{ usd: object }>('currencyapi-latest').usd, jpy: -5 }));
    expect((await client().fetchGoldPrice(LIVE)).ok).toBe(true);
  });
});

describe('currency-api client over HTTP: mirrors', () => {
  it.each<[string, CurrencyApiAnswer]>([
    ['503', { status: 503, text: '<html>Service Unavailable</html>' }],
    ['429', { status: 429, text: 'Too Many Requests' }],
    ['404', { status: 404, text: 'Couldn’t find the requested release version latest.' }],
    ['non-JSON', { text: '<html>captive portal</html>' }],
    ['schema-invalid', { json: { date: 'yesterday', usd: {} } }],
    ['dropped connection', { drop: true }],
  ])('asks the pages.dev mirror when jsDelivr answers %s', async (_, answer) => {
    fake.answer('jsdelivr', answer);
    const result = await client().fetchRates(LIVE);
    expect(result.ok && result.value.rates.EUR).toBe(0.85120456);
    expect(paths()).toEqual([
      'jsdelivr /npm/@fawazahmed0/currency-api@latest/v1/currencies/usd.json',
      'pages /latest/v1/currencies/usd.json',
    ]);
  });

  it('puts the date where the mirror template says, for the second mirror too', async () => {
    fake.answer('jsdelivr', { status: 500, text: 'oops' });
    const result = await client().fetchGoldPrice({ date: businessDate('2025-07-07'), mode: 'historical' });
    expect(result.ok).toBe(true);
    expect(paths()[1]).toBe('pages /2025-07-07/v1/currencies/usd.json');
  });

  it('skips a template that does not fill in to an https URL rather than asking it', async () => {
    const templates = ['http://cdn.example.net/{date}/{base}.json', ...fake.urlTemplates.slice(1)];
    const served = await currencyApiClient({ urlTemplates: templates, baseCurrency: 'USD', currencies: G10 }, realHttp()).fetchRates(LIVE);
    expect(served.ok).toBe(true);
    expect(paths()).toEqual(['pages /latest/v1/currencies/usd.json']);

    const refused = await currencyApiClient(
      { urlTemplates: templates.slice(0, 1), baseCurrency: 'USD', currencies: G10 },
      realHttp(),
    ).fetchRates(LIVE);
    expect(!refused.ok && refused.error).toEqual({
      source: 'currencyapi',
      kind: 'permanent',
      message: 'every mirror failed: template 1: not an https URL',
    });
  });

  it('when every mirror fails, says why for each by host, transient if one of them may pass on a retry', async () => {
    fake.answer('jsdelivr', { status: 503, text: 'down' });
    fake.answer('pages', { text: 'not json' });
    const result = await client().fetchRates(LIVE);
    expect(!result.ok && result.error).toEqual({
      source: 'currencyapi',
      kind: 'transient',
      message: `every mirror failed: ${fake.host('jsdelivr')}: server error, HTTP 503; ${fake.host('pages')}: malformed response: body is not JSON (HTTP 200)`,
    });
  });

  it('when every mirror fails for good, the failure is permanent and names no full URL', async () => {
    fake.answer('jsdelivr', { status: 403, text: 'Forbidden' });
    fake.answer('pages', { text: '{"date":"2025-07-08","usd":' });
    const result = await client().fetchGoldPrice(LIVE);
    expect(!result.ok && result.error).toMatchObject({
      kind: 'permanent',
      message: expect.stringMatching(
        /^every mirror failed: 127\.0\.0\.1:\d+: request refused, HTTP 403; 127\.0\.0\.1:\d+: malformed response/,
      ),
    });
    expect(JSON.stringify(result)).not.toMatch(/https?:\/\/|\/v1\/currencies/);
  });

  it('a 404 from one mirror and an outage at the other is not "no data": transient, both reasons', async () => {
    fake.answer('jsdelivr', { status: 404, text: 'Couldn’t find the requested release version 2025-07-07.' });
    fake.answer('pages', { status: 502, text: 'Bad Gateway' });
    const result = await client().fetchRates({ date: businessDate('2025-07-07'), mode: 'historical' });
    expect(!result.ok && result.error).toEqual({
      source: 'currencyapi',
      kind: 'transient',
      message: `every mirror failed: ${fake.host('jsdelivr')}: request refused, HTTP 404; ${fake.host('pages')}: server error, HTTP 502`,
    });
  });

  it('a date before its history (about 2024-03) is "no data" once every mirror said 404: permanent, and a gap in a backfill', async () => {
    const result = await client().fetchRates({ date: businessDate('2024-01-15'), mode: 'historical' });
    expect(paths()).toEqual([
      'jsdelivr /npm/@fawazahmed0/currency-api@2024-01-15/v1/currencies/usd.json',
      'pages /2024-01-15/v1/currencies/usd.json',
    ]);
    expect(!result.ok && result.error).toEqual({
      source: 'currencyapi',
      kind: 'permanent',
      message: `no data for 2024-01-15 (HTTP 404 from ${fake.host('jsdelivr')}, ${fake.host('pages')}; its history starts about 2024-03)`,
      noData: true,
    });
  });
});

describe('CURRENCYAPI_URLS', () => {
  it('the default is jsDelivr then pages.dev, and fills in to the documented URLs', () => {
    const templates = CurrencyApiUrlsSchema.parse(DEFAULT_CURRENCYAPI_URLS);
    expect(templates.map((t) => t.replace('{date}', 'latest').replace('{base}', 'usd'))).toEqual([
      'https://cdn.jsdelivr.net/npm/@fawazahmed0/currency-api@latest/v1/currencies/usd.json',
      'https://latest.currency-api.pages.dev/v1/currencies/usd.json',
    ]);
  });

  it('accepts loopback http (the test fakes) and trims the list', () => {
    expect(CurrencyApiUrlsSchema.parse(` ${fake.urlTemplates.join(' , ')} ,`)).toEqual(fake.urlTemplates);
  });

  it.each([
    ['', /at least one URL template/],
    ['https://cdn.example.net/{date}/usd.json', /must contain \{base\}/],
    ['https://cdn.example.net/v1/currencies/{base}.json', /must contain \{date\}/],
    ['http://cdn.example.net/{date}/{base}.json', /must be an https URL/],
    ['ftp://cdn.example.net/{date}/{base}.json', /must be an https URL/],
    ['{date}/{base}.json', /must be an https URL/],
  ])('refuses %j', (value, message) => {
    const parsed = CurrencyApiUrlsSchema.safeParse(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.message).join('; ')).toMatch(message);
  });
});
