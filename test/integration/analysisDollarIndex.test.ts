import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { beforeAll, describe, expect, it } from 'vitest';
import { analysisHandler } from '../../src/http/analysisHandler.js';
import { freshReadTable, storedRow, weekdaysFrom } from '../support/storedRows.js';

const NOW = new Date('2025-09-01T12:00:00Z');
const SIX = { EUR: 0.9, JPY: 150, GBP: 0.78, CAD: 1.37, SEK: 10.2, CHF: 0.85 };
// Eight weeks of weekdays with every rate moving a little each day, and NOK on every row but one.
const DATES = weekdaysFrom('2025-06-02', 40);
const ratesOn = (i: number) =>
  Object.fromEntries(Object.entries({ ...SIX, NOK: 10.8 }).map(([code, rate], j) => [code, rate * (1 + 0.004 * Math.sin(i * (j + 1.3)))]));

const goldOn = (i: number) => 3300 * (1 + 0.01 * Math.cos(i * 0.7));

let table: ReturnType<typeof freshReadTable>;
beforeAll(async () => {
  table = freshReadTable('ReadDxy', { FXGOLD_CURRENCIES: 'EUR,JPY,GBP,CHF,CAD,SEK,NOK' });
  await table.save(
    DATES.map((date, i) => {
      const rates = ratesOn(i);
      if (i === 10) delete rates.GBP; // no DXY on this row
      return storedRow({ date, gold: goldOn(i), rates });
    }),
  );
});

const get = (query: string) =>
  analysisHandler(new HttpRequest({ method: 'GET', url: `http://localhost:7071/api/analysis?${query}` }), table.deps, NOW);
interface Body {
  observations: number;
  interval: string;
  stats: Record<string, { n: number; r: number | null; granger: { goldToX: { df1: number } | null } }>;
  matrix: { labels: string[]; values: number[][] };
  sampling: { medianGapHours: number; rowsTimed: number; rowsUntimed: number; warning: string | null };
  index: { dates: string[]; DXY: number[]; goldIn: Record<string, number[]> };
  dollarIndex: { dates: string[]; values: Array<number | null> };
  exclusions: Array<{ reason: string }>;
}
const body = (answer: HttpResponseInit) => answer.jsonBody as Body;
const range = `from=${DATES[0]}&to=${DATES.at(-1)}`;

describe('GET /api/analysis with the dollar index (Azurite)', () => {
  it('by default every configured currency plus DXY, which is ICE’s formula on the row’s six rates', async () => {
    const result = body(await get(range));
    expect(Object.keys(result.stats)).toEqual(['EUR', 'JPY', 'GBP', 'CHF', 'CAD', 'SEK', 'NOK', 'DXY']);
    expect(result.matrix.labels).toEqual(['gold', 'DXY', 'EUR', 'JPY', 'GBP', 'CHF', 'CAD', 'SEK', 'NOK']);
    const r = ratesOn(0);
    const byHand = 50.14348112 * r.EUR! ** 0.576 * r.JPY! ** 0.136 * r.GBP! ** 0.119 * r.CAD! ** 0.091 * r.SEK! ** 0.042 * r.CHF! ** 0.036;
    expect(result.dollarIndex.values[0]).toBeCloseTo(byHand, 10);
    expect(result.dollarIndex.values[10]).toBeNull();
    expect(result.index.DXY[0]).toBeCloseTo(100, 12);
    // Gold in EUR = GoldPrice × Rate_EUR, indexed.
    const goldInEur = (i: number) => goldOn(i) * ratesOn(i).EUR!;
    expect(result.index.goldIn.EUR![5]).toBeCloseTo((100 * goldInEur(5)) / goldInEur(0), 10);
    expect(result.index.goldIn.DXY).toBeUndefined();
  });

  it('a row without one of DXY’s six rates is not a sample when DXY is asked for, so a currency’s n changes', async () => {
    const withDxy = body(await get(`${range}&currencies=EUR,DXY`));
    const alone = body(await get(`${range}&currencies=EUR`));
    expect(alone.stats.EUR!.n).toBe(DATES.length - 1);
    expect(withDxy.stats.EUR!.n).toBe(DATES.length - 3);
    expect(withDxy.exclusions.map(({ reason }) => reason)).toContain(`${DATES[10]} has no DXY level (it lacks one of its six rates)`);
  });

  it('the sampling gap: gold at 18:00 UTC against the ECB’s 14:15 Frankfurt fixing warns for daily returns, not weekly', async () => {
    const daily = body(await get(`${range}&currencies=EUR`));
    // Summer: 14:15 CEST is 12:15 UTC; the stored gold quote is at 18:00:12.
    expect(daily.sampling).toMatchObject({ rowsTimed: DATES.length, rowsUntimed: 0 });
    expect(daily.sampling.medianGapHours).toBeCloseTo(5 + 45 / 60 + 12 / 3600, 9);
    expect(daily.sampling.warning).toMatch(/5\.8 hours apart.*biased toward zero.*weekly or monthly/);
    const weekly = body(await get(`${range}&currencies=EUR&interval=week`));
    expect(weekly.interval).toBe('week');
    expect(weekly.sampling.warning).toBeNull();
    expect(weekly.observations).toBe(7); // eight ISO weeks, seven returns between them
    expect(weekly.index.dates).toEqual(DATES.filter((_, i) => i % 5 === 4)); // each week's Friday
  });

  it('lags sets the Granger order; too few weekly observations for it leaves the test null', async () => {
    const weekly = body(await get(`${range}&currencies=EUR&interval=week&lags=3`));
    expect(weekly.stats.EUR!.granger.goldToX).toBeNull(); // 7 − 3 = 4 equations for 7 coefficients
    const daily = body(await get(`${range}&currencies=EUR&lags=2`));
    expect(daily.stats.EUR!.granger.goldToX?.df1).toBe(2);
  });

  it('DXY beside a currency that is not configured is refused, naming it', async () => {
    const answer = await get(`${range}&currencies=DXY,XXX`);
    expect(answer.status).toBe(400);
    expect((answer.jsonBody as { error: string }).error).toBe(
      '"currencies": XXX is not a configured currency (configured: EUR,JPY,GBP,CHF,CAD,SEK,NOK,DXY)',
    );
  });
});
