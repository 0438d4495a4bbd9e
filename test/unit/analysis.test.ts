import { sampleCorrelation } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { analyzeSeries } from '../../src/analysis/analyzeSeries.js';
import { pearson } from '../../src/analysis/correlation.js';
import { sampledReturns } from '../../src/analysis/returns.js';
import type { TimedRow } from '../../src/analysis/samplingGap.js';
import { isoDate } from '../support/dates.js';

/** Weekdays from a Monday, as a daily run stores them. */
const WEEKDAYS = [
  '2025-07-07',
  '2025-07-08',
  '2025-07-09',
  '2025-07-10',
  '2025-07-11',
  '2025-07-14',
  '2025-07-15',
  '2025-07-16',
  '2025-07-17',
  '2025-07-18',
];
const row = (date: string, goldPrice: number, rates: Record<string, number>, extra: Partial<TimedRow> = {}): TimedRow => ({
  date: isoDate(date),
  goldPrice,
  goldSource: 'FOREXCOM',
  rates,
  goldTimestamp: `${date}T18:00:00Z`,
  currencyProvider: 'frankfurter',
  currencyDate: isoDate(date),
  ...extra,
});
const dailyReturns = (rows: readonly TimedRow[], codes: readonly string[]) => sampledReturns(rows, codes, 'day');
const analyze = (rows: readonly TimedRow[], series: readonly string[], window: number) =>
  analyzeSeries(rows, { series, window, interval: 'day', lags: 1, declaredFixingTime: () => null });

// The definitions, written out again from the README, independent of src/analysis.
const goldReturn = (previous: number, current: number) => Math.log(current / previous);
const currencyReturn = (previousRate: number, currentRate: number) => Math.log(previousRate / currentRate);

describe('pearson', () => {
  it('matches simple-statistics on an irregular series, and is null when a series does not vary', () => {
    const xs = [0.3, -1.2, 2.5, 0.01, -0.7, 1.9, 4.2];
    const ys = [1.1, -0.4, 0.9, 0.3, -2.2, 0.8, 2.0];
    expect(pearson(xs, ys)).toBeCloseTo(sampleCorrelation(xs, ys), 12);
    expect(
      pearson(
        xs,
        xs.map(() => 5),
      ),
    ).toBeNull();
    expect(pearson([1], [2])).toBeNull();
  });
});

describe('analyzeSeries', () => {
  it('gives +1 when a currency moves exactly with gold and -1 when exactly against it', () => {
    const prices = [3300, 3340, 3310, 3390, 3370, 3420, 3405, 3460];
    // A currency worth gold/1000 base units has rate 1000/gold: it strengthens exactly when gold rises.
    const rows = prices.map((p, i) => row(WEEKDAYS[i]!, p, { EUR: 1000 / p, JPY: p / 22.5 }));
    const result = analyze(rows, ['EUR', 'JPY'], 3);
    if (!result.ok) throw new Error('expected an analysis');
    expect(result.value.correlation.EUR).toBeCloseTo(1, 12);
    expect(result.value.correlation.JPY).toBeCloseTo(-1, 12);
    expect(result.value.observations).toBe(prices.length - 1);
    expect(result.value.excludedPairs).toBe(0);
  });

  it('a hand-worked 6-row series: returns from the definitions, correlations and rolling values within 1e-12 of simple-statistics, index at 100', () => {
    const gold = [2000, 2030, 2010, 2075, 2060, 2100];
    const eur = [0.92, 0.915, 0.921, 0.905, 0.91, 0.899];
    const jpy = [150.1, 151.3, 149.8, 150.9, 152.4, 151.0];
    const rows = gold.map((p, i) => row(WEEKDAYS[i]!, p, { EUR: eur[i]!, JPY: jpy[i]! }));
    const result = analyze(rows, ['EUR', 'JPY'], 3);
    if (!result.ok) throw new Error('expected an analysis');
    const { value } = result;

    const g = gold.slice(1).map((p, i) => goldReturn(gold[i]!, p));
    const e = eur.slice(1).map((r, i) => currencyReturn(eur[i]!, r));
    const j = jpy.slice(1).map((r, i) => currencyReturn(jpy[i]!, r));
    expect(value.observations).toBe(5);
    expect(value.correlation.EUR).toBeCloseTo(sampleCorrelation(g, e), 12);
    expect(value.correlation.JPY).toBeCloseTo(sampleCorrelation(g, j), 12);

    expect(value.rolling.window).toBe(3);
    expect(value.rolling.dates).toEqual(WEEKDAYS.slice(1, 6));
    const rollingEur = value.rolling.EUR as Array<number | null>;
    expect(rollingEur.slice(0, 2)).toEqual([null, null]);
    for (let end = 2; end < 5; end++)
      expect(rollingEur[end]).toBeCloseTo(sampleCorrelation(g.slice(end - 2, end + 1), e.slice(end - 2, end + 1)), 12);

    expect(value.index.dates).toEqual(WEEKDAYS.slice(0, 6));
    expect(value.index.gold[0]).toBe(100);
    value.index.gold.forEach((level, i) => expect(level).toBeCloseTo((100 * gold[i]!) / gold[0]!, 12));
    // A currency's value in USD is 1 / rate, so its index is 100 × rate[0] / rate[t].
    (value.index.EUR as number[]).forEach((level, i) => expect(level).toBeCloseTo((100 * eur[0]!) / eur[i]!, 12));
    expect((value.index.JPY as number[])[0]).toBe(100);
  });

  it('leaves out and counts pairs across a gold source change, a gap over 5 calendar days and a carried-forward flag', () => {
    const rates = (r: number) => ({ EUR: r });
    const rows = [
      row('2025-06-02', 3300, rates(0.9)),
      row('2025-06-03', 3320, rates(0.91)),
      row('2025-06-04', 3310, rates(0.905), { goldSource: 'LBMA' }), // 03→04 source change
      row('2025-06-05', 3330, rates(0.9), { goldSource: 'LBMA' }),
      row('2025-06-10', 3340, rates(0.895), { goldSource: 'LBMA' }), // 5 days apart: kept
      row('2025-06-16', 3350, rates(0.9), { goldSource: 'LBMA' }), // 6 days apart: out
      row('2025-06-17', 3360, rates(0.91), { goldSource: 'LBMA', qualityFlags: 'fx-carried-forward' }), // 16→17 and 17→18 out
      row('2025-06-18', 3355, rates(0.902), { goldSource: 'LBMA', qualityFlags: '' }),
      row('2025-06-19', 3370, rates(0.899), { goldSource: 'LBMA', qualityFlags: 'accepted:plausibility' }), // not carried forward: kept
      row('2025-06-20', 3365, rates(0.9), { goldSource: 'LBMA' }),
    ];
    const { observations, excluded } = dailyReturns(rows, ['EUR']);
    expect(observations.map((o) => o.date)).toEqual(['2025-06-03', '2025-06-05', '2025-06-10', '2025-06-19', '2025-06-20']);
    expect(excluded).toEqual([
      { from: '2025-06-03', to: '2025-06-04', reason: 'the gold quote changed kind (FOREXCOM to LBMA)' },
      { from: '2025-06-10', to: '2025-06-16', reason: '6 calendar days apart (at most 5)' },
      { from: '2025-06-16', to: '2025-06-17', reason: '2025-06-17 is flagged fx-carried-forward' },
      { from: '2025-06-17', to: '2025-06-18', reason: '2025-06-17 is flagged fx-carried-forward' },
    ]);

    const result = analyze(rows, ['EUR'], 60);
    if (!result.ok) throw new Error('expected an analysis');
    expect(result.value.excludedPairs).toBe(4);
    // The whole-range r is over the kept pairs only.
    const kept = observations.map((o) => [o.gold, o.currencies.EUR!] as const);
    expect(result.value.correlation.EUR).toBeCloseTo(
      sampleCorrelation(
        kept.map(([g]) => g),
        kept.map(([, e]) => e),
      ),
      12,
    );
    // A window larger than the observations never fills.
    expect(result.value.rolling.EUR).toEqual([null, null, null, null, null]);
    // The index covers every stored date, carried-forward rows included.
    expect(result.value.index.dates).toHaveLength(rows.length);
  });

  it('a gold-carried-forward flag among others, and a row missing a requested currency, also exclude the pair', () => {
    const rows = [
      row('2025-06-02', 3300, { EUR: 0.9 }),
      row('2025-06-03', 3310, { EUR: 0.91 }, { qualityFlags: 'accepted:plausibility,gold-carried-forward' }),
      row('2025-06-04', 3320, {}),
    ];
    expect(dailyReturns(rows, ['EUR']).excluded.map((p) => p.reason)).toEqual([
      '2025-06-03 is flagged gold-carried-forward',
      '2025-06-03 is flagged gold-carried-forward',
    ]);
    expect(dailyReturns([rows[0]!, rows[2]!], ['EUR']).excluded.map((p) => p.reason)).toEqual(['2025-06-04 has no EUR rate']);
  });

  it('refuses fewer than 3 observations, saying how many there were', () => {
    const rows = WEEKDAYS.slice(0, 3).map((date, i) => row(date, 3300 + i, { EUR: 0.9 }));
    expect(analyze(rows, ['EUR'], 60)).toEqual({ ok: false, error: { observations: 2, excludedPairs: 0 } });
  });
});
