import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { frankfurterClient } from '../../src/clients/frankfurter.js';
import { fixture } from '../support/fixtures.js';
import { startFakeProviders, type FakeProviders } from '../support/fakeProviders.js';
import { G10, realHttp } from '../support/http.js';
import { businessDate } from '../support/dates.js';

let fake: FakeProviders;
beforeAll(async () => (fake = await startFakeProviders()));
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const client = (timeoutMs?: number) =>
  frankfurterClient({ baseUrl: fake.baseUrl('frankfurter'), baseCurrency: 'USD', currencies: G10 }, realHttp(timeoutMs));

describe('frankfurter client over HTTP', () => {
  it('asks /latest with base and symbols and returns the nine rates with the as-of date', async () => {
    const result = await client().fetchRates({ date: businessDate('2025-07-08'), mode: 'latest' });
    expect(result).toEqual({
      ok: true,
      value: {
        provider: 'frankfurter',
        base: 'USD',
        asOfDate: '2025-07-08',
        rates: { EUR: 0.8512, JPY: 146.13, GBP: 0.7355, CHF: 0.7961, CAD: 1.3668, AUD: 1.5308, NZD: 1.6673, SEK: 9.5766, NOK: 10.1188 },
      },
    });
    const [request] = fake.requests;
    expect(request?.path).toBe('/latest');
    expect(request?.query.get('base')).toBe('USD');
    expect(request?.query.get('symbols')).toBe(G10.join(','));
  });

  it('asks /{date} for a past date and keeps the date the provider reports (ECB holiday → earlier day)', async () => {
    fake.answer('frankfurter', { json: { ...fixture<object>('frankfurter-latest'), date: '2025-04-17' } });
    const result = await client().fetchRates({ date: businessDate('2025-04-18'), mode: 'historical' });
    expect(fake.requests[0]?.path).toBe('/2025-04-18');
    expect(result.ok && result.value.asOfDate).toBe('2025-04-17');
  });

  it.each([
    [{ status: 404, json: { message: 'not found' } }, 'permanent', /HTTP 404: not found/],
    [{ status: 422, json: { message: 'bad currency pair' } }, 'permanent', /HTTP 422: bad currency pair/],
    [{ status: 500, text: 'oops' }, 'transient', /server error, HTTP 500/],
    [{ status: 408, text: '' }, 'transient', /server error, HTTP 408/],
    [{ status: 429, json: { message: 'slow down' }, headers: { 'retry-after': '30' } }, 'transient', /rate limited, HTTP 429/],
    [{ text: '{"base":"USD",' }, 'permanent', /malformed response: body is not JSON/],
    [
      { json: { ...fixture('frankfurter-latest'), rates: { EUR: 0.85 } } },
      'permanent',
      /no rate for JPY, GBP, CHF, CAD, AUD, NZD, SEK, NOK/,
    ],
    [
      { json: { ...fixture('frankfurter-latest'), rates: { ...fixture<{ rates: object }>('frankfurter-latest').rates, EUR: '0.85' } } },
      'permanent',
      /invalid response: rates\.EUR/,
    ],
    [
      { json: { ...fixture('frankfurter-latest'), rates: { ...fixture<{ rates: object }>('frankfurter-latest').rates, SEK: 0 } } },
      'permanent',
      /invalid response: rates\.SEK/,
    ],
    [{ json: { ...fixture('frankfurter-latest'), base: 'EUR' } }, 'permanent', /base is EUR, asked for USD/],
  ])('turns %j into a %s failure', async (answer, kind, message) => {
    fake.answer('frankfurter', answer);
    const result = await client().fetchRates({ date: businessDate('2025-07-08'), mode: 'latest' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ source: 'frankfurter', kind });
    expect(result.error.message).toMatch(message);
  });

  it('reads Retry-After on 429', async () => {
    fake.answer('frankfurter', { status: 429, json: {}, headers: { 'retry-after': '30' } });
    const result = await client().fetchRates({ date: businessDate('2025-07-08'), mode: 'latest' });
    expect(!result.ok && result.error.retryAfterSeconds).toBe(30);
  });

  it('gives up on a server that never answers, as a transient failure', async () => {
    fake.answer('frankfurter', { hang: true });
    const result = await client(300).fetchRates({ date: businessDate('2025-07-08'), mode: 'latest' });
    expect(!result.ok && result.error).toMatchObject({ kind: 'transient', message: expect.stringMatching(/no answer within 300 ms/) });
  });

  it('gives up on a body that drips forever when the time budget runs out, as a transient failure', async () => {
    fake.answer('frankfurter', { drip: true });
    const result = await client(700).fetchRates({ date: businessDate('2025-07-08'), mode: 'latest' });
    expect(!result.ok && result.error).toMatchObject({
      kind: 'transient',
      message: expect.stringMatching(/^no complete answer within 700 ms from 127\.0\.0\.1:\d+$/),
    });
    expect(fake.bodyBytesWritten()).toBeGreaterThan(1); // the headers and some of the body did arrive
  });

  it("reduces the provider's hostile message to one line of at most 300 characters of its text", async () => {
    fake.answer('frankfurter', {
      status: 422,
      json: { message: `\u001b[31mbad\u001b[0m pair\nfx-gold: stored row 2025-07-08 OK${'!'.repeat(10_000)}` },
    });
    const result = await client().fetchRates({ date: businessDate('2025-07-08'), mode: 'latest' });
    const kept = 'bad pair fx-gold: stored row 2025-07-08 OK';
    expect(!result.ok && result.error.message).toBe(`request refused, HTTP 422: ${kept}${'!'.repeat(299 - kept.length)}…`);
  });

  it('reduces a hostile key in a 2xx body to one short line of the validation error', async () => {
    const rates = {
      ...fixture<{ rates: object }>('frankfurter-latest').rates,
      [`\nfx-gold: stored row 2025-07-08 OK${'k'.repeat(100_000)}`]: 'abc',
    };
    fake.answer('frankfurter', { json: { ...fixture('frankfurter-latest'), rates } });
    const result = await client().fetchRates({ date: businessDate('2025-07-08'), mode: 'latest' });
    const message = result.ok ? '' : result.error.message;
    expect(message).toMatch(/^invalid response: rates\. fx-gold: stored row 2025-07-08 OKk+…$/);
    expect(message.length).toBeLessThanOrEqual('invalid response: '.length + 300);
  });

  it('reports a dropped connection as a transient network error', async () => {
    fake.answer('frankfurter', { drop: true });
    const result = await client().fetchRates({ date: businessDate('2025-07-08'), mode: 'latest' });
    expect(!result.ok && result.error).toMatchObject({
      kind: 'transient',
      message: expect.stringMatching(/network error reaching 127\.0\.0\.1:\d+: ECONNRESET/),
    });
  });
});
