import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { frankfurterGoldClient } from '../../src/clients/frankfurterGold.js';
import { frankfurterV2Gold, nbpPriceOn, roundLikeFrankfurter } from '../support/fakeFrankfurterV2.js';
import { startFakeProviders, type FakeProviders } from '../support/fakeProviders.js';
import { realHttp } from '../support/http.js';
import { businessDate, isoDate } from '../support/dates.js';

let fake: FakeProviders;
beforeAll(async () => (fake = await startFakeProviders()));
afterAll(() => fake.close());
/** 2025-01-01 (New Year) and 2025-01-06 (Epiphany): Polish public holidays, no NBP fixing. */
const HOLIDAYS = ['2025-01-01', '2025-01-06'];
beforeEach(() => {
  fake.reset();
  fake.answer('frankfurterv2', frankfurterV2Gold({ holidays: HOLIDAYS }));
});

const WARSAW_NOON = { timeZone: 'Europe/Warsaw', hour: 12, minute: 0 };
const client = (source = 'NBP') =>
  frankfurterGoldClient({ baseUrl: fake.baseUrl('frankfurterv2'), source, currency: 'USD', fixingTime: WARSAW_NOON }, realHttp());
const asked = () => fake.requests.map((r) => Object.fromEntries(r.query));

describe('Frankfurter v2 gold client over HTTP', () => {
  it('asks base=XAU for the date from NBP and answers the fixing as a price-only quote timed at noon in Warsaw', async () => {
    const result = await client().fetchGoldPrice({ date: businessDate('2025-01-07'), mode: 'latest' });
    expect(result).toEqual({
      ok: true,
      value: {
        provider: 'frankfurter',
        currency: 'USD',
        source: 'NBP',
        // Winter time (CET): noon in Warsaw is 11:00 UTC.
        timestamp: '2025-01-07T11:00:00.000Z',
        sessionStart: null,
        price: roundLikeFrankfurter(nbpPriceOn('2025-01-07')),
        open: null,
        previousClose: null,
        high: null,
        low: null,
      },
    });
    // Never "latest": the business date, even for today's run.
    expect(asked()).toEqual([{ base: 'XAU', quotes: 'USD', providers: 'NBP', date: '2025-01-07' }]);
  });

  it('a holiday is answered with the fixing before it, dated then', async () => {
    const result = await client().fetchGoldPrice({ date: businessDate('2025-01-06'), mode: 'historical' });
    expect(result.ok && [result.value.timestamp, result.value.price]).toEqual([
      '2025-01-03T11:00:00.000Z',
      roundLikeFrankfurter(nbpPriceOn('2025-01-03')),
    ]);
  });

  it('an empty array is "no data" (a gap in a backfill), naming the date', async () => {
    fake.answer('frankfurterv2', { json: [] });
    expect(await client().fetchGoldPrice({ date: businessDate('2012-06-01'), mode: 'historical' })).toEqual({
      ok: false,
      error: {
        source: 'frankfurter',
        kind: 'permanent',
        noData: true,
        message: 'no NBP gold fixing on or up to 14 days before 2012-06-01',
      },
    });
  });

  it('the series is one request from..to, may begin before from, and skips weekends and holidays', async () => {
    const result = await client().fetchGoldSeries(isoDate('2025-01-01'), isoDate('2025-01-08'));
    expect(asked()).toEqual([{ base: 'XAU', quotes: 'USD', providers: 'NBP', from: '2025-01-01', to: '2025-01-08' }]);
    expect(result.ok && result.value.map((element) => element.date)).toEqual([
      '2024-12-31',
      '2025-01-02',
      '2025-01-03',
      '2025-01-07',
      '2025-01-08',
    ]);
  });

  it('FRANKFURTER_GOLD_SOURCE blend asks without providers and says FRANKFURTER', async () => {
    const result = await client('blend').fetchGoldPrice({ date: businessDate('2025-01-07'), mode: 'historical' });
    expect(result.ok && result.value.source).toBe('FRANKFURTER');
    expect(asked()).toEqual([{ base: 'XAU', quotes: 'USD', date: '2025-01-07' }]);
  });

  it("a refusal says Frankfurter's own message; a quote in another currency is invalid", async () => {
    fake.answer('frankfurterv2', {
      status: 422,
      json: { status: 422, message: 'date range exceeds 5 years at daily granularity; filter with quotes=' },
    });
    const refused = await client().fetchGoldSeries(isoDate('2010-01-01'), isoDate('2025-12-31'));
    expect(!refused.ok && refused.error).toMatchObject({
      kind: 'permanent',
      message: expect.stringContaining('date range exceeds 5 years'),
    });

    fake.answer('frankfurterv2', { json: [{ date: '2025-01-07', base: 'XAU', quote: 'EUR', rate: 2600.5 }] });
    const other = await client().fetchGoldPrice({ date: businessDate('2025-01-07'), mode: 'historical' });
    expect(!other.ok && other.error.message).toBe('invalid response: gold quoted in EUR, asked for USD');
  });
});

describe('the fake follows lib/roundable.rb', () => {
  it.each([
    [5138.85, 5139],
    [2650.456, 2650.46],
    [45.12345, 45.123],
    [3.123456, 3.1235],
    [0.000345678, 0.00035],
    [0.0000345678, 0.000035],
  ])('%d → %d', (value, rounded) => expect(roundLikeFrankfurter(value)).toBe(rounded));
});
