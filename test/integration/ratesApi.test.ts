import { createServer } from 'node:net';
import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { RatesAnswerSchema } from '../../src/contract/apiAnswers.js';
import type { FxGoldRow } from '../../src/domain/fxGoldRow.js';
import { ratesHandler } from '../../src/http/ratesHandler.js';
import { tableRowReader } from '../../src/storage/fxGoldRowReader.js';
import { sdkTableClient } from '../../src/storage/tableClient.js';
import { DEVELOPMENT_ACCOUNT } from '../../src/storage/connectionString.js';
import { expectContractAnswer } from '../support/apiAnswers.js';
import { G10 } from '../support/http.js';
import { freshReadTable, storedRow, weekdaysFrom } from '../support/storedRows.js';
import { isoDate } from '../support/dates.js';
import type { IsoDate } from '../../src/domain/businessDate.js';

const NOW = new Date('2025-07-15T12:00:00Z');
const rates = (i: number) => Object.fromEntries(G10.map((code, k) => [code, Number(((k + 1) * (1 + i / 1000)).toFixed(6))]));

// 13 weekdays 2025-06-30 .. 2025-07-16: live quotes first, then LBMA fixings (no open, high or low); one flagged,
// one clean after the gates (''), one whose source needs CSV quoting. Around them: the edges of the default
// 90-day range (2025-04-16 in, 2025-04-15 out), and the same dates in another partition.
const DATES = weekdaysFrom('2025-06-30', 13);
const ROWS: FxGoldRow[] = [
  ...['2025-04-15', '2025-04-16', ...DATES].map((date, i) =>
    storedRow({
      date,
      gold: 3300 + i * 7.25,
      rates: rates(i),
      source: date === '2025-07-09' ? 'LBMA "PM", London' : date >= '2025-07-07' ? 'LBMA' : 'FOREXCOM',
      ...(date === '2025-07-03' ? { qualityFlags: 'fx-carried-forward' } : date === '2025-07-08' ? { qualityFlags: '' } : {}),
    }),
  ),
  ...DATES.map((date) => storedRow({ date, gold: 2800, rates: { USD: 1.17, JPY: 171 }, base: 'EUR' })),
];
const usd = (date: string) => ROWS.find((row) => row.partitionKey === 'USD' && row.rowKey === date)!;

let table: ReturnType<typeof freshReadTable>;
beforeAll(async () => {
  table = freshReadTable('ReadRates');
  await table.save(ROWS);
});

const get = (query: string, headers: Record<string, string> = {}) =>
  ratesHandler(new HttpRequest({ method: 'GET', url: `http://localhost:7071/api/rates?${query}`, headers }), table.deps, NOW);
type Body = {
  base: string;
  from: string;
  to: string;
  count: number;
  rows: Array<Record<string, unknown> & { date: string; rates: Record<string, unknown> }>;
};
const body = (answer: HttpResponseInit) => answer.jsonBody as Body;

/** What the issue says a stored row looks like in JSON, written from the stored row independently of the handler. */
const expectedView = (row: FxGoldRow, currencies: readonly string[]) => ({
  date: row.rowKey,
  rates: Object.fromEntries(currencies.map((code) => [code, row[`Rate_${code}`] ?? null])),
  gold: {
    price: row.GoldPrice,
    open: row.GoldOpeningPrice ?? null,
    previousClose: row.GoldClosingPrice ?? null,
    high: row.GoldHigh ?? null,
    low: row.GoldLow ?? null,
    source: row.GoldSource,
    timestamp: row.GoldTimestamp,
  },
  currencyDate: row.CurrencyDate,
  currencyTimestamp: row.CurrencyTimestamp ?? null,
  currencyProvider: row.CurrencyProvider,
  goldProvider: row.GoldProvider,
  ingestedAt: row.IngestedAt,
  qualityFlags: row.QualityFlags === undefined ? null : row.QualityFlags.split(',').filter(Boolean),
});

describe('GET /api/rates over rows stored by the job’s own store (Azurite)', () => {
  it('JSON: the rows of the range, oldest first, every value as stored, absent gold fields null', async () => {
    const answer = await get('from=2025-07-02&to=2025-07-10');
    expect(answer.status).toBe(200);
    const dates = ['2025-07-02', '2025-07-03', '2025-07-04', '2025-07-07', '2025-07-08', '2025-07-09', '2025-07-10'];
    expect(body(answer)).toEqual({
      base: 'USD',
      from: '2025-07-02',
      to: '2025-07-10',
      count: 7,
      rows: dates.map((date) => expectedView(usd(date), G10)),
    });
    expectContractAnswer(RatesAnswerSchema, answer.jsonBody); // what the dashboard checks
    const lbma = body(answer).rows.find((row) => row.date === '2025-07-07')!;
    expect(lbma.gold).toMatchObject({ open: null, high: null, low: null, source: 'LBMA' });
    expect(body(answer).rows.map((row) => row.qualityFlags)).toEqual([null, ['fx-carried-forward'], null, null, [], null, null]);
    // Rows written before CurrencyTimestamp was kept read as unknown.
    expect(body(answer).rows.map((row) => row.currencyTimestamp)).toEqual(dates.map(() => null));
  });

  it('default range: the last 90 days to today (UTC); rows after today and in another partition are not read', async () => {
    const { from, to, rows } = body(await get(''));
    expect([from, to]).toEqual(['2025-04-16', '2025-07-15']);
    expect(rows.map((row) => row.date)).toEqual(['2025-04-16', ...DATES.slice(0, 12)]);
    expect(rows.every((row) => row.gold !== null && (row.gold as { price: number }).price >= 3300)).toBe(true);
  });

  it('currencies: only those asked for, in the order asked, any letter case, each once', async () => {
    const { rows } = body(await get('from=2025-07-01&to=2025-07-01&currencies=jpy,EUR,JPY'));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.rates).toEqual({ JPY: usd('2025-07-01').Rate_JPY, EUR: usd('2025-07-01').Rate_EUR });
  });

  it('CSV: RFC 4180 download whose header is the issue’s and whose cells parse back to the stored values', async () => {
    const answer = await get('from=2025-07-03&to=2025-07-10&format=csv&currencies=EUR,JPY');
    expect(answer.status).toBe(200);
    expect(answer.headers).toEqual({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="fxgold-2025-07-03-2025-07-10.csv"',
    });
    const text = answer.body as string;
    expect(text.split('\r\n')[0]).toBe(
      'date,gold_price,gold_open,gold_previous_close,gold_high,gold_low,gold_source,gold_timestamp,currency_date,EUR,JPY',
    );
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...records] = parse(text);
    expect(header).toHaveLength(11);
    const cell = (value: number | string | undefined) => (value === undefined ? '' : String(value));
    expect(records.map((record) => record[0])).toEqual([
      '2025-07-03',
      '2025-07-04',
      '2025-07-07',
      '2025-07-08',
      '2025-07-09',
      '2025-07-10',
    ]);
    for (const record of records) {
      const row = usd(record[0]!);
      expect(record).toEqual([
        row.rowKey,
        cell(row.GoldPrice),
        cell(row.GoldOpeningPrice),
        cell(row.GoldClosingPrice),
        cell(row.GoldHigh),
        cell(row.GoldLow),
        row.GoldSource,
        row.GoldTimestamp,
        row.CurrencyDate,
        cell(row.Rate_EUR),
        cell(row.Rate_JPY),
      ]);
      expect(Number(record[1])).toBe(row.GoldPrice);
      expect(Number(record[9])).toBe(row.Rate_EUR);
    }
    // The LBMA fixing has no open, high or low: empty cells. The source with a quote and a comma comes back whole.
    expect(records.find((r) => r[0] === '2025-07-07')!.slice(2, 6)).toEqual(['', cell(usd('2025-07-07').GoldClosingPrice), '', '']);
    expect(records.find((r) => r[0] === '2025-07-09')![6]).toBe('LBMA "PM", London');
  });

  it('CSV with every configured currency, in the configured order; Accept: text/csv selects CSV unless format says json', async () => {
    const byAccept = await get('from=2025-07-01&to=2025-07-02', { accept: 'text/csv, */*;q=0.1' });
    expect((byAccept.body as string).split('\r\n')[0]).toBe(
      `date,gold_price,gold_open,gold_previous_close,gold_high,gold_low,gold_source,gold_timestamp,currency_date,${G10.join(',')}`,
    );
    expect(parse(byAccept.body as string).length).toBe(3);
    const json = await get('from=2025-07-01&to=2025-07-02&format=json', { accept: 'text/csv' });
    expect(body(json).count).toBe(2);
  });

  it('the range cap compares dates as dates: the last possible day is an empty 200, a 30-year range to 9999 is refused', async () => {
    expect(body(await get('from=9999-12-31&to=9999-12-31'))).toMatchObject({ from: '9999-12-31', to: '9999-12-31', count: 0, rows: [] });
    expect(body(await get('from=9970-01-01&to=9999-12-31')).count).toBe(0);
    // The same day 30 years on is over the cap (businessDate.ts spansMoreThanYears), past year 9999 too.
    const tooLong = await get('from=9969-12-31&to=9999-12-31');
    expect(tooLong.status).toBe(400);
    expect((tooLong.jsonBody as { error: string }).error).toContain('longer than 30 years');
  });

  it('an empty range, and a table that does not exist yet, answer no rows rather than an error', async () => {
    expect(body(await get('from=2025-05-01&to=2025-05-31'))).toEqual({
      base: 'USD',
      from: '2025-05-01',
      to: '2025-05-31',
      count: 0,
      rows: [],
    });
    const none = freshReadTable('ReadNothing');
    const csv = await ratesHandler(
      new HttpRequest({ method: 'GET', url: 'http://localhost/api/rates?format=csv&currencies=EUR' }),
      none.deps,
      NOW,
    );
    expect(csv.status).toBe(200);
    expect(csv.body).toBe(
      'date,gold_price,gold_open,gold_previous_close,gold_high,gold_low,gold_source,gold_timestamp,currency_date,EUR\r\n',
    );
  });

  const BAD: Array<[string, string]> = [
    ['from=2025-13-01', '"from" is not a real calendar date'],
    ['from=2025-02-30', '"from" is not a real calendar date'],
    ['from=20250701', '"from" must be a date in the form YYYY-MM-DD'],
    ['to=2025-7-1', '"to" must be a date in the form YYYY-MM-DD'],
    ['from=', '"from" must be a date'],
    ['from=1998-12-31', '"from" must not be before 1999-01-01'],
    ['to=0000-01-15', '"to" must not be before 1999-01-01'],
    ['from=2025-07-10&to=2025-07-01', '"from" (2025-07-10) must not be after "to" (2025-07-01)'],
    ['from=1999-01-04&to=2029-01-05', 'longer than 30 years'],
    ['currencies=XAU', '"currencies": XAU is not a configured currency'],
    ['currencies=USD', '"currencies": USD is not a configured currency'],
    ['currencies=EURO', '"currencies" must be comma-separated three-letter currency codes'],
    ['currencies=', '"currencies" must be comma-separated'],
    ['currencies=EUR,,JPY', '"currencies" must be comma-separated'],
    ['format=xml', '"format" must be json or csv'],
    ['format=CSV', '"format" must be json or csv'],
    [`from=${encodeURIComponent("2025-07-01' or 'a' eq 'a")}`, '"from" must be a date'],
    [`to=${encodeURIComponent("2025-07-31' or RowKey ne '")}`, '"to" must be a date'],
    [`currencies=${encodeURIComponent("EUR' or PartitionKey ne 'x")}`, '"currencies" must be comma-separated'],
    [`currencies=${encodeURIComponent('EUR eq EUR')}`, '"currencies" must be comma-separated'],
    [`from=${'2'.repeat(10_000)}`, '"from" must be a date'],
    [`currencies=${'E'.repeat(10_000)}`, '"currencies" must be comma-separated'],
  ];
  it.each(BAD.map(([query, message]) => [query.slice(0, 60), query, message]))(
    'bad input %s → 400 JSON naming the problem',
    async (_label, query, message) => {
      const answer = await get(query);
      expect(answer.status).toBe(400);
      const { error } = answer.jsonBody as { error: string };
      expect(error).toContain(message);
      expect(error.length).toBeLessThan(250); // never a long echo of the input
    },
  );

  it('OData in the values cannot widen the server-side filter: the odata escaping keeps each value one literal', async () => {
    const reader = tableRowReader(table.client);
    const query = { from: isoDate('2025-07-01'), to: isoDate('2025-07-01'), columns: ['GoldPrice'] as const, currencies: [] };
    const dates = async (q: typeof query & { base: string }) => {
      const read = await reader.queryRows(q);
      if (!read.ok) throw new Error(read.error.message);
      return read.value.map((row) => row.rowKey);
    };
    expect(await dates({ ...query, base: 'USD' })).toEqual(['2025-07-01']);
    // Unescaped, each would read as "... or <always true>" and return every row of both partitions.
    expect(await dates({ ...query, base: "USD' or PartitionKey ne '" })).toEqual([]);
    // Text no date parser lets in, cast past the type: the escaping is what is tested.
    expect(await dates({ ...query, base: 'USD', to: "2025-07-01' or RowKey ge '" as IsoDate })).toEqual(['2025-07-01']);
    expect(await dates({ ...query, base: 'USD', from: "' or RowKey ne '" as IsoDate, to: isoDate('2025-06-30') })).toEqual([
      '2025-04-15',
      '2025-04-16',
      '2025-06-30',
    ]);
  });

  it('filters and selects on the server, and follows every continuation page', async () => {
    const urls: string[] = [];
    // The SDK's own client for the same table, built as the app builds it, so its pipeline can record the requests.
    const client = await sdkTableClient(
      { kind: 'connectionString', connectionString: table.env.FXGOLD_STORAGE_CONNECTION },
      table.tableName,
      () => {
        throw new Error('a connection string needs no credential');
      },
    );
    client.pipeline.addPolicy({
      name: 'recordUrls',
      sendRequest: (request, next) => (urls.push(decodeURIComponent(request.url)), next(request)),
    });
    const read = await tableRowReader(client, { pageSize: 2 }).queryRows({
      base: 'USD',
      from: isoDate('2025-06-30'),
      to: isoDate('2025-07-16'),
      columns: ['GoldPrice', 'QualityFlags'],
      currencies: ['EUR'],
    });
    if (!read.ok) throw new Error(read.error.message);
    expect(read.value.map((row) => row.rowKey)).toEqual(DATES);
    expect(Object.keys(read.value[0]!).sort()).toEqual(['GoldPrice', 'rates', 'rowKey']);
    expect(read.value[3]).toEqual({
      rowKey: '2025-07-03',
      GoldPrice: usd('2025-07-03').GoldPrice,
      QualityFlags: 'fx-carried-forward',
      rates: { EUR: usd('2025-07-03').Rate_EUR },
    });
    expect(urls).toHaveLength(7); // 13 rows, 2 a page
    expect(urls[0]).toContain("$filter=PartitionKey eq 'USD' and RowKey ge '2025-06-30' and RowKey le '2025-07-16'");
    expect(urls[0]).toContain('$select=RowKey,GoldPrice,QualityFlags,Rate_EUR');
    expect(urls[1]).toContain('NextRowKey=');
  });
});

describe('GET /api/rates when the table cannot be read', () => {
  const withStorage = (connectionString: string) => freshReadTable('ReadBroken', { FXGOLD_STORAGE_CONNECTION: connectionString });
  const endpointConnection = (endpoint: string, accountKey: string = DEVELOPMENT_ACCOUNT.accountKey) =>
    `DefaultEndpointsProtocol=http;AccountName=${DEVELOPMENT_ACCOUNT.accountName};AccountKey=${accountKey};TableEndpoint=${endpoint};`;

  it('nothing listening: 503 JSON saying to try again, not a crash', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    const { deps } = withStorage(endpointConnection(`http://127.0.0.1:${port}/${DEVELOPMENT_ACCOUNT.accountName}`));
    const answer = await ratesHandler(new HttpRequest({ method: 'GET', url: 'http://localhost/api/rates' }), deps, NOW);
    expect(answer.status).toBe(503);
    expect((answer.jsonBody as { error: string }).error).toMatch(
      /^the table could not be read \(storage: .*\(transient\)\), try again later$/,
    );
  });

  it('a refused key: 500 JSON naming storage, the key nowhere in it', async () => {
    const wrongKey = Buffer.from('not-the-azurite-account-key-at-all').toString('base64');
    const endpoint = /TableEndpoint=([^;]+)/.exec(table.env.FXGOLD_STORAGE_CONNECTION)![1]!;
    const { deps } = withStorage(endpointConnection(endpoint, wrongKey));
    const answer = await ratesHandler(new HttpRequest({ method: 'GET', url: 'http://localhost/api/rates' }), deps, NOW);
    expect(answer.status).toBe(500);
    expect((answer.jsonBody as { error: string }).error).toMatch(/^the table could not be read: storage: HTTP 403 .*\(permanent\)$/);
    expect(JSON.stringify(answer.jsonBody)).not.toContain(wrongKey);
  });

  it('a stored row that is not a valid row: 500 JSON naming the row, not a crash', async () => {
    const broken = freshReadTable('ReadInvalid');
    await broken.save([storedRow({ date: '2025-07-01', gold: 3300, rates: rates(1) })]);
    await broken.client.createEntity({ partitionKey: 'USD', rowKey: '2025-07-02', GoldPrice: 'a lot' });
    const answer = await ratesHandler(
      new HttpRequest({ method: 'GET', url: 'http://localhost/api/rates?from=2025-07-01&to=2025-07-02' }),
      broken.deps,
      NOW,
    );
    expect(answer.status).toBe(500);
    expect((answer.jsonBody as { error: string }).error).toContain(`row 2025-07-02 of table ${broken.tableName} is not a valid FxGold row`);
  });
});
