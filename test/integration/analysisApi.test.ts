import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { sampleCorrelation } from 'simple-statistics';
import { beforeAll, describe, expect, it } from 'vitest';
import { AnalysisAnswerSchema } from '../../src/contract/apiAnswers.js';
import { analysisHandler } from '../../src/http/analysisHandler.js';
import { DEVELOPMENT_ACCOUNT } from '../../src/storage/connectionString.js';
import { expectContractAnswer } from '../support/apiAnswers.js';
import { freshReadTable, storedRow, weekdaysFrom } from '../support/storedRows.js';

const NOW = new Date('2025-09-01T12:00:00Z');

// June: EUR worth exactly gold/1000 dollars (rate 1000/gold) moves with gold; JPY at gold/22.5 yen per dollar moves
// against it. July: a hand-worked 6-row series. August: a source change, a gap and a carried-forward row.
const JUNE = weekdaysFrom('2025-06-02', 8);
const JUNE_GOLD = [3300, 3340, 3310, 3390, 3370, 3420, 3405, 3460];
const JULY = weekdaysFrom('2025-07-01', 6);
const JULY_GOLD = [2000, 2030, 2010, 2075, 2060, 2100];
const JULY_EUR = [0.92, 0.915, 0.921, 0.905, 0.91, 0.899];
const JULY_JPY = [150.1, 151.3, 149.8, 150.9, 152.4, 151.0];
const AUGUST = [
  { date: '2025-08-01', gold: 3300, eur: 0.9, source: 'FOREXCOM' },
  { date: '2025-08-04', gold: 3320, eur: 0.91, source: 'FOREXCOM' },
  { date: '2025-08-05', gold: 3310, eur: 0.905, source: 'LBMA' }, // kind changed: 04→05 out
  { date: '2025-08-06', gold: 3330, eur: 0.9, source: 'LBMA' },
  { date: '2025-08-07', gold: 3340, eur: 0.895, source: 'LBMA' },
  { date: '2025-08-18', gold: 3350, eur: 0.9, source: 'LBMA' }, // 11 days: 07→18 out
  { date: '2025-08-19', gold: 3360, eur: 0.91, source: 'LBMA', qualityFlags: 'gold-carried-forward' }, // 18→19, 19→20 out
  { date: '2025-08-20', gold: 3355, eur: 0.902, source: 'LBMA' },
  { date: '2025-08-21', gold: 3370, eur: 0.899, source: 'LBMA' },
  { date: '2025-08-22', gold: 3365, eur: 0.9, source: 'LBMA' },
];

let table: ReturnType<typeof freshReadTable>;
beforeAll(async () => {
  table = freshReadTable('ReadAnalysis', { FXGOLD_CURRENCIES: 'EUR,JPY' });
  await table.save([
    ...JUNE.map((date, i) => storedRow({ date, gold: JUNE_GOLD[i]!, rates: { EUR: 1000 / JUNE_GOLD[i]!, JPY: JUNE_GOLD[i]! / 22.5 } })),
    ...JULY.map((date, i) => storedRow({ date, gold: JULY_GOLD[i]!, rates: { EUR: JULY_EUR[i]!, JPY: JULY_JPY[i]! } })),
    ...AUGUST.map(({ date, gold, eur, source, qualityFlags }) =>
      storedRow({ date, gold, rates: { EUR: eur, JPY: 150 }, source, ...(qualityFlags ? { qualityFlags } : {}) }),
    ),
  ]);
});

const get = (query: string) =>
  analysisHandler(new HttpRequest({ method: 'GET', url: `http://localhost:7071/api/analysis?${query}` }), table.deps, NOW);
interface AnalysisBody {
  from: string;
  to: string;
  observations: number;
  excludedPairs: number;
  exclusions: Array<{ from: string; to: string; reason: string }>;
  correlation: Record<string, number | null>;
  rolling: Record<string, Array<number | null> | string[] | number> & { window: number; dates: string[] };
  index: Record<string, Array<number | null> | string[]> & { dates: string[]; gold: number[] };
}
const body = (answer: HttpResponseInit) => answer.jsonBody as AnalysisBody;

describe('GET /api/analysis over rows stored by the job’s own store (Azurite)', () => {
  it('perfect co-movement gives +1, perfect opposite movement -1', async () => {
    const answer = await get(`from=${JUNE[0]}&to=${JUNE.at(-1)}`);
    expect(answer.status).toBe(200);
    expect(body(answer).observations).toBe(7);
    expect(body(answer).correlation.EUR).toBeCloseTo(1, 12);
    expect(body(answer).correlation.JPY).toBeCloseTo(-1, 12);
  });

  it('the hand-worked 6-row series: correlations and rolling values within 1e-12 of simple-statistics on returns taken from the definitions', async () => {
    const answer = await get(`from=${JULY[0]}&to=${JULY.at(-1)}&window=4&currencies=JPY,EUR`);
    expect(answer.status).toBe(200);
    const gold = JULY_GOLD.slice(1).map((p, i) => Math.log(p / JULY_GOLD[i]!)); // ln(GoldPrice[t] / GoldPrice[t-1])
    const eur = JULY_EUR.slice(1).map((r, i) => Math.log(JULY_EUR[i]! / r)); // ln(rate[t-1] / rate[t])
    const jpy = JULY_JPY.slice(1).map((r, i) => Math.log(JULY_JPY[i]! / r));
    const result = body(answer);
    expectContractAnswer(AnalysisAnswerSchema, answer.jsonBody); // what the dashboard checks
    expect(Object.keys(result.correlation)).toEqual(['JPY', 'EUR']);
    expect(result.correlation.EUR).toBeCloseTo(sampleCorrelation(gold, eur), 12);
    expect(result.correlation.JPY).toBeCloseTo(sampleCorrelation(gold, jpy), 12);
    expect(result.rolling.window).toBe(4);
    expect(result.rolling.dates).toEqual(JULY.slice(1));
    const rolling = result.rolling.EUR as Array<number | null>;
    expect(rolling.slice(0, 3)).toEqual([null, null, null]); // until the window of 4 has filled
    expect(rolling[3]).toBeCloseTo(sampleCorrelation(gold.slice(0, 4), eur.slice(0, 4)), 12);
    expect(rolling[4]).toBeCloseTo(sampleCorrelation(gold.slice(1, 5), eur.slice(1, 5)), 12);

    expect(result.index.dates).toEqual(JULY);
    expect([result.index.gold[0], result.index.EUR![0], result.index.JPY![0]]).toEqual([100, 100, 100]);
    expect(result.index.gold[5]).toBeCloseTo((100 * JULY_GOLD[5]!) / JULY_GOLD[0]!, 12);
    expect((result.index.EUR as number[])[5]).toBeCloseTo((100 * JULY_EUR[0]!) / JULY_EUR[5]!, 12); // value in USD = 1 / rate
  });

  it('pairs across a gold source change, a gap over 5 calendar days or a carried-forward row are left out and counted', async () => {
    const result = body(await get('from=2025-08-01&to=2025-08-31'));
    expect(result.observations).toBe(5);
    expect(result.excludedPairs).toBe(4);
    expect(result.exclusions.map(({ from, to }) => `${from}→${to}`)).toEqual([
      '2025-08-04→2025-08-05',
      '2025-08-07→2025-08-18',
      '2025-08-18→2025-08-19',
      '2025-08-19→2025-08-20',
    ]);
    expect(result.rolling.dates).toEqual(['2025-08-04', '2025-08-06', '2025-08-07', '2025-08-21', '2025-08-22']);
    // Default window 60: never filled on 5 observations. The index still covers every stored date.
    expect(result.rolling.window).toBe(60);
    expect(result.rolling.EUR).toEqual([null, null, null, null, null]);
    expect(result.index.dates).toHaveLength(AUGUST.length);
    const kept = [1, 3, 4, 8, 9].map(
      (t) => [Math.log(AUGUST[t]!.gold / AUGUST[t - 1]!.gold), Math.log(AUGUST[t - 1]!.eur / AUGUST[t]!.eur)] as const,
    );
    expect(result.correlation.EUR).toBeCloseTo(
      sampleCorrelation(
        kept.map(([g]) => g),
        kept.map(([, e]) => e),
      ),
      12,
    );
    expect(result.correlation.JPY).toBeNull(); // JPY never moved: r is undefined
  });

  it('fewer than 3 observations: 422 JSON that says so', async () => {
    const answer = await get(`from=${JUNE[0]}&to=${JUNE[2]}`);
    expect(answer.status).toBe(422);
    expect(answer.jsonBody).toEqual({
      error: `too few observations from ${JUNE[0]} to ${JUNE[2]}: 2 daily returns (3 stored dates, 0 pairs excluded); the analysis needs at least 3, widen the range`,
      from: JUNE[0],
      to: JUNE[2],
      observations: 2,
      excludedPairs: 0,
    });
    expect((await get('from=2025-05-01&to=2025-05-30')).status).toBe(422);
  });

  const BAD: Array<[string, string]> = [
    ['window=0', '"window" must be at least 3'],
    ['window=2', '"window" must be at least 3'],
    ['window=1001', '"window" must be at most 1000'],
    ['window=1e2', '"window" must be a whole number from 3 to 1000, in decimal digits'],
    ['window=0x10', '"window" must be a whole number'],
    ['window=6.5', '"window" must be a whole number'],
    ['window=-5', '"window" must be a whole number'],
    ['window=%205', '"window" must be a whole number'],
    ['window=', '"window" must be a whole number'],
    ['window=sixty', '"window" must be a whole number'],
    ['from=2025-06-31', '"from" is not a real calendar date'],
    ['to=tomorrow', '"to" must be a date in the form YYYY-MM-DD'],
    ['from=2025-08-01&to=2025-07-01', '"from" (2025-08-01) must not be after "to" (2025-07-01)'],
    ['from=1999-01-01&to=2040-01-01', 'longer than 30 years'],
    ['currencies=GBP', '"currencies": GBP is not a configured currency (configured: EUR,JPY)'],
    ['currencies=EUR;JPY', '"currencies" must be comma-separated'],
    ['interval=hour', '"interval" must be one of day, week, month'],
    ['interval=', '"interval" must be one of day, week, month'],
    ['lags=0', '"lags" must be at least 1'],
    ['lags=11', '"lags" must be at most 10'],
    ['lags=2.5', '"lags" must be a whole number from 1 to 10'],
    ['currencies=DXY', '"currencies": DXY needs EUR,JPY,GBP,CAD,SEK,CHF configured (configured: EUR,JPY)'],
    [`currencies=${encodeURIComponent("EUR') or ('1' eq '1")}`, '"currencies" must be comma-separated'],
    [`from=${encodeURIComponent("2025-06-02' or RowKey ne '")}`, '"from" must be a date'],
  ];
  it.each(BAD)('bad input %s → 400 JSON naming the problem', async (query, message) => {
    const answer = await get(query);
    expect(answer.status).toBe(400);
    expect((answer.jsonBody as { error: string }).error).toContain(message);
  });

  it('storage that does not answer: 503 JSON', async () => {
    const { deps } = freshReadTable('ReadDown', {
      FXGOLD_STORAGE_CONNECTION: `DefaultEndpointsProtocol=http;AccountName=${DEVELOPMENT_ACCOUNT.accountName};AccountKey=${DEVELOPMENT_ACCOUNT.accountKey};TableEndpoint=http://127.0.0.1:9/${DEVELOPMENT_ACCOUNT.accountName};`,
    });
    const answer = await analysisHandler(new HttpRequest({ method: 'GET', url: 'http://localhost/api/analysis' }), deps, NOW);
    expect(answer.status).toBe(503);
    expect((answer.jsonBody as { error: string }).error).toContain('try again later');
  });
});
