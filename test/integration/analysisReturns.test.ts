import { HttpRequest } from '@azure/functions';
import { beforeAll, describe, expect, it } from 'vitest';
import { analysisHandler } from '../../src/http/analysisHandler.js';
import { freshReadTable, storedRow, weekdaysFrom } from '../support/storedRows.js';

const NOW = new Date('2025-09-01T12:00:00Z');
const DATES = weekdaysFrom('2025-06-02', 12);
/** The first rows carry historical (LBMA) gold quotes, the rest live ones: the pair across the switch is no observation. */
const LBMA_ROWS = 5;
const SIX = { EUR: 0.9, JPY: 150, GBP: 0.78, CAD: 1.37, SEK: 10.2, CHF: 0.85 };
const ratesOn = (i: number) =>
  Object.fromEntries(Object.entries(SIX).map(([code, rate], j) => [code, rate * (1 + 0.005 * Math.sin(i * (j + 1.7)))])) as typeof SIX;
const goldOn = (i: number) => 3300 * (1 + 0.012 * Math.cos(i * 0.9));
const dollarIndexOn = (i: number) => {
  const r = ratesOn(i);
  return 50.14348112 * r.EUR ** 0.576 * r.JPY ** 0.136 * r.GBP ** 0.119 * r.CAD ** 0.091 * r.SEK ** 0.042 * r.CHF ** 0.036;
};

let table: ReturnType<typeof freshReadTable>;
beforeAll(async () => {
  table = freshReadTable('ReadReturns', { FXGOLD_CURRENCIES: 'EUR,JPY,GBP,CHF,CAD,SEK' });
  await table.save(
    DATES.map((date, i) => storedRow({ date, gold: goldOn(i), rates: ratesOn(i), source: i < LBMA_ROWS ? 'LBMA' : 'FOREXCOM' })),
  );
});

interface Body {
  observations: number;
  stats: Record<string, { n: number; r: number; beta: number }>;
  rolling: { dates: string[] };
  returns: { dates: string[]; gold: number[]; series: Record<string, number[]> };
}
const analysis = async (query: string) => {
  const url = `http://localhost:7071/api/analysis?from=${DATES[0]}&to=${DATES.at(-1)}&${query}`;
  const answer = await analysisHandler(new HttpRequest({ method: 'GET', url }), table.deps, NOW);
  expect(answer.status).toBe(200);
  return answer.jsonBody as Body;
};

describe('GET /api/analysis: the returns behind the statistics (Azurite)', () => {
  it('one return per observation the stats count, dated by the later row, the pair across the gold-source switch left out', async () => {
    const { returns, stats, rolling, observations } = await analysis('currencies=EUR,DXY');
    expect(Object.keys(returns.series)).toEqual(['EUR', 'DXY']);
    expect(returns.dates).toEqual([...DATES.slice(1, LBMA_ROWS), ...DATES.slice(LBMA_ROWS + 1)]);
    expect(returns.dates).toEqual(rolling.dates);
    for (const values of [returns.gold, returns.series.EUR!, returns.series.DXY!]) expect(values).toHaveLength(observations);
    expect(stats.EUR!.n).toBe(observations);
    expect(stats.DXY!.n).toBe(observations);
  });

  it('by hand on a few rows: gold ln(P[t]/P[t−1]), EUR ln(rate[t−1]/rate[t]), DXY ln(DXY[t]/DXY[t−1]) — the dollar’s own sign', async () => {
    const { returns } = await analysis('currencies=EUR,DXY');
    for (const t of [1, 2, LBMA_ROWS + 1, DATES.length - 1]) {
      const at = returns.dates.indexOf(DATES[t]!);
      expect(returns.gold[at]).toBeCloseTo(Math.log(goldOn(t) / goldOn(t - 1)), 12);
      expect(returns.series.EUR![at]).toBeCloseTo(Math.log(ratesOn(t - 1).EUR / ratesOn(t).EUR), 12);
      expect(returns.series.DXY![at]).toBeCloseTo(Math.log(dollarIndexOn(t) / dollarIndexOn(t - 1)), 12);
    }
  });

  it('recomputing r and beta from the returns gives the stats’ figures', async () => {
    const { returns, stats } = await analysis('currencies=EUR');
    const [x, y] = [returns.series.EUR!, returns.gold];
    const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    const [mx, my] = [mean(x), mean(y)];
    const sxy = x.reduce((sum, v, i) => sum + (v - mx) * (y[i]! - my), 0);
    const sxx = x.reduce((sum, v) => sum + (v - mx) ** 2, 0);
    const syy = y.reduce((sum, v) => sum + (v - my) ** 2, 0);
    expect(stats.EUR!.beta).toBeCloseTo(sxy / sxx, 12);
    expect(stats.EUR!.r).toBeCloseTo(sxy / Math.sqrt(sxx * syy), 12);
  });
});
