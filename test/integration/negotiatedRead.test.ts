import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { beforeAll, describe, expect, it } from 'vitest';
import { analysisHandler } from '../../src/http/analysisHandler.js';
import { chosenCoding, negotiatedRead } from '../../src/http/negotiatedRead.js';
import { ratesHandler } from '../../src/http/ratesHandler.js';
import { G10 } from '../support/http.js';
import { freshReadTable, storedRow, weekdaysFrom } from '../support/storedRows.js';

/** The read endpoints' HTTP semantics, over rows in the suite's Azurite, through the wrapper every registration uses. */
const NOW = new Date('2025-07-15T12:00:00Z');
const DATES = weekdaysFrom('2025-03-03', 95);
const rowOn = (date: string, i: number, gold = 3000 + i * 3.5) =>
  storedRow({ date, gold, rates: Object.fromEntries(G10.map((code, k) => [code, Number(((k + 1) * (1 + i / 997)).toFixed(6))])) });

let table: ReturnType<typeof freshReadTable>;
beforeAll(async () => {
  table = freshReadTable('Negotiated');
  await table.save(DATES.map((date, i) => rowOn(date, i)));
});

const rates = negotiatedRead(ratesHandler);
const get = (query: string, headers: Record<string, string> = {}, handler = rates) =>
  handler(new HttpRequest({ method: 'GET', url: `http://localhost:7071/api/rates?${query}`, headers }), table.deps, NOW);
const header = (answer: HttpResponseInit, name: string) => (answer.headers as Record<string, string>)[name];
const bodyText = (answer: HttpResponseInit): string => {
  if (answer.jsonBody !== undefined) return JSON.stringify(answer.jsonBody);
  const bytes = Buffer.from(answer.body as Uint8Array | string);
  const coding = header(answer, 'Content-Encoding');
  return (coding === 'gzip' ? gunzipSync(bytes) : coding === 'br' ? brotliDecompressSync(bytes) : bytes).toString();
};

describe('ETag and If-None-Match', () => {
  it('a 200 carries a strong ETag, Cache-Control and Vary; the same ETag sent back is a 304 without a body', async () => {
    const first = await get('from=2025-03-01&to=2025-07-15');
    expect(first.status).toBe(200);
    const etag = header(first, 'ETag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(header(first, 'Cache-Control')).toBe('private, no-cache');
    expect(header(first, 'Vary')).toBe('Accept, Accept-Encoding');
    expect((JSON.parse(bodyText(first)) as { count: number }).count).toBe(95);

    const again = await get('from=2025-03-01&to=2025-07-15', { 'If-None-Match': etag! });
    expect(again).toEqual({ status: 304, headers: { ETag: etag, 'Cache-Control': 'private, no-cache', Vary: 'Accept, Accept-Encoding' } });
    expect((await get('from=2025-03-01&to=2025-07-15', { 'If-None-Match': `"other", W/${etag}` })).status).toBe(304);
    expect((await get('from=2025-03-01&to=2025-07-15', { 'If-None-Match': '"other"' })).status).toBe(200);
  });

  it('differs for other parameters, another format, another coding; changes when a row is written, and not otherwise', async () => {
    const etagOf = async (query: string, headers: Record<string, string> = {}) => header(await get(query, headers), 'ETag');
    const base = await etagOf('from=2025-06-02&to=2025-06-30');
    expect(await etagOf('from=2025-06-02&to=2025-06-30')).toBe(base);
    const others = [
      await etagOf('from=2025-06-03&to=2025-06-30'),
      await etagOf('from=2025-06-02&to=2025-06-30&currencies=EUR'),
      await etagOf('from=2025-06-02&to=2025-06-30', { Accept: 'text/csv' }),
      await etagOf('from=2025-06-02&to=2025-06-30', { 'Accept-Encoding': 'gzip' }),
    ];
    expect(new Set([base, ...others]).size).toBe(5);

    // A row written elsewhere (outside the range asked, even) is a new data version: the old ETag no longer matches.
    await table.save([rowOn('2025-07-15', 999, 3333)]);
    const after = await get('from=2025-06-02&to=2025-06-30', { 'If-None-Match': base! });
    expect(after.status).toBe(200);
    expect(header(after, 'ETag')).not.toBe(base);
  });

  it('covers /api/analysis the same way, and passes a 400 through untouched', async () => {
    const analysis = negotiatedRead(analysisHandler);
    const first = await get('from=2025-03-01&to=2025-07-15', {}, analysis);
    expect(first.status).toBe(200);
    expect((await get('from=2025-03-01&to=2025-07-15', { 'If-None-Match': header(first, 'ETag')! }, analysis)).status).toBe(304);
    const bad = await get('window=2', {}, analysis);
    expect(bad.status).toBe(400);
    expect(bad.headers).toBeUndefined();
  });
});

describe('compression', () => {
  it('gzip or br when Accept-Encoding allows, the same JSON inside; identity otherwise', async () => {
    const query = 'from=2025-03-01&to=2025-07-15';
    const identity = await get(query);
    expect(header(identity, 'Content-Encoding')).toBeUndefined();
    const plain = bodyText(identity);
    for (const [acceptEncoding, coding] of [
      ['gzip, deflate', 'gzip'],
      ['gzip, deflate, br, zstd', 'br'],
      ['br;q=0, gzip;q=0.5', 'gzip'],
      ['*', 'br'],
    ] as const) {
      const answer = await get(query, { 'Accept-Encoding': acceptEncoding });
      expect(header(answer, 'Content-Encoding')).toBe(coding);
      expect(header(answer, 'Content-Type')).toBe('application/json');
      expect(bodyText(answer)).toBe(plain);
      expect((answer.body as Uint8Array).length).toBeLessThan(Buffer.byteLength(plain) / 4);
    }
    for (const refused of ['identity', 'gzip;q=0, br;q=0', 'deflate', '*;q=0'])
      expect(header(await get(query, { 'Accept-Encoding': refused }), 'Content-Encoding')).toBeUndefined();
  });

  it('CSV is compressed too; a small answer is sent as it is', async () => {
    const csv = await get('from=2025-03-01&to=2025-07-15&format=csv', { 'Accept-Encoding': 'gzip' });
    expect(header(csv, 'Content-Encoding')).toBe('gzip');
    expect(header(csv, 'Content-Type')).toBe('text/csv; charset=utf-8');
    expect(bodyText(csv).split('\r\n')[0]).toMatch(/^date,gold_price,/);
    const small = await get('from=2025-03-03&to=2025-03-03&currencies=EUR', { 'Accept-Encoding': 'gzip' });
    expect(header(small, 'Content-Encoding')).toBeUndefined();
    expect(header(small, 'ETag')).toBeDefined();
  });

  it('reads Accept-Encoding as RFC 9110 does', () => {
    expect(chosenCoding(null)).toBe('identity');
    expect(chosenCoding('GZIP')).toBe('gzip');
    expect(chosenCoding('br;q=0.0, *;q=0.1')).toBe('gzip');
  });
});
