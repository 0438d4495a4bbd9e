import { describe, expect, it } from 'vitest';
import { correlationPValue, fisherInterval95 } from '../../src/analysis/correlation.js';
import { correlationMatrix } from '../../src/analysis/correlationMatrix.js';
import { grangerTest } from '../../src/analysis/granger.js';
import { leadLag } from '../../src/analysis/leadLag.js';
import { fitSlope } from '../../src/analysis/regression.js';
import { sampledReturns } from '../../src/analysis/returns.js';
import { rollingCorrelation } from '../../src/analysis/rolling.js';
import { samplingGap, type TimedRow } from '../../src/analysis/samplingGap.js';
import { isoDate } from '../support/dates.js';

const ys = [0.01, -0.02, 0.015, 0.003, -0.007, 0.012, -0.004, 0.009];
const xs = [0.004, -0.01, 0.002, 0.006, -0.003, 0.001, -0.008, 0.005];
const flat = xs.map(() => 0.001);

describe('each statistic’s minimum, and null where it cannot be computed', () => {
  it('Fisher’s interval needs 4 observations; a perfect r has a zero-width interval and p = 0', () => {
    expect(fisherInterval95(0.5, 3)).toBeNull();
    expect(fisherInterval95(0.5, 4)).not.toBeNull();
    expect(fisherInterval95(-1, 10)).toEqual([-1, -1]);
    expect(correlationPValue(0.5, 2)).toBeNull();
    expect(correlationPValue(1, 5)).toBe(0);
    expect(correlationPValue(0, 30)).toBeCloseTo(1, 12);
  });

  it('a slope needs 3 observations and a regressor that moves', () => {
    expect(fitSlope(ys.slice(0, 2), xs.slice(0, 2))).toBeNull();
    expect(fitSlope(ys, flat)).toBeNull();
    expect(fitSlope(flat, xs)).toMatchObject({ beta: 0, r2: null });
    expect(fitSlope(ys.slice(0, 3), xs.slice(0, 3))?.hacLag).toBe(1); // floor(4·(3/100)^(2/9))
  });

  it('a lagged correlation needs 3 pairs within one run', () => {
    const runs = [0, 0, 0, 1, 1, 1, 1, 1];
    const byK = Object.fromEntries(leadLag(ys, xs, runs, 3).map(({ k, n, r }) => [k, { n, r }]));
    expect(byK[0]!.n).toBe(8);
    expect(byK[3]).toEqual({ n: 2, r: null }); // only 3→6 and 4→7 stay within the second run
    expect(byK[-3]).toEqual({ n: 2, r: null });
    expect(byK[2]!.n).toBe(4);
  });

  it('Granger needs one residual degree of freedom after 2p + 1 coefficients, and a full model that does not fit exactly', () => {
    const runs = ys.map(() => 0);
    expect(grangerTest(ys, xs, runs, 3)).toBeNull(); // 5 equations, 7 coefficients
    expect(grangerTest(ys, xs, runs, 2)).toMatchObject({ df1: 2, df2: 1 });
    expect(grangerTest(ys, flat, runs, 1)).toBeNull(); // a constant lag is collinear with the intercept
  });

  it('a rolling window in which a series is flat has no r and no band; the matrix has null for a series that does not move', () => {
    const rolling = rollingCorrelation([...ys, ...flat], [...xs, ...xs], 4);
    expect(rolling.r.slice(0, 3)).toEqual([null, null, null]);
    expect(rolling.r.at(-1)).toBeNull();
    expect(rolling.ci95.at(-1)).toBeNull();
    expect(rolling.ci95[3]).not.toBeNull();
    expect(
      correlationMatrix([
        ['gold', ys],
        ['EUR', flat],
      ]).values,
    ).toEqual([
      [1, null],
      [null, null],
    ]);
  });
});

const timed = (date: string, extra: Partial<TimedRow> = {}): TimedRow => ({
  date: isoDate(date),
  goldPrice: 3300,
  goldSource: 'FOREXCOM',
  rates: { EUR: 0.9 },
  goldTimestamp: `${date}T18:00:00Z`,
  currencyProvider: 'frankfurter',
  currencyDate: isoDate(date),
  ...extra,
});

describe('sampling', () => {
  it('the gap uses CurrencyTimestamp when present, else the declared fixing time, skips carried-forward rows and counts the untimed', () => {
    const declared = (provider: string, date: string) => (provider === 'frankfurter' ? `${date}T13:15:00Z` : null);
    const gap = samplingGap(
      [
        timed('2025-01-06'), // 4.75 h
        timed('2025-01-07', { currencyTimestamp: '2025-01-07T17:00:00Z' }), // 1 h
        timed('2025-01-08', { currencyTimestamp: '2025-01-08T16:00:00Z' }), // 2 h
        timed('2025-01-09', { currencyProvider: 'exchangeratehost' }), // untimed
        timed('2025-01-10', { qualityFlags: 'fx-carried-forward' }), // not counted
      ],
      'day',
      declared,
    );
    expect(gap).toEqual({ medianGapHours: 2, rowsTimed: 3, rowsUntimed: 1, warning: null });
  });

  it('weeks across the 2020 year end: ISO week 53, and a missing week named in the exclusion', () => {
    const rows = ['2020-12-23', '2020-12-28', '2020-12-31', '2021-01-08', '2021-01-20'].map((date) => timed(date));
    const { samples, excluded } = sampledReturns(rows, ['EUR'], 'week');
    expect(samples.map(({ date }) => date)).toEqual(['2020-12-23', '2020-12-31', '2021-01-08', '2021-01-20']);
    expect(excluded).toEqual([{ from: '2021-01-08', to: '2021-01-20', reason: '2021-W01 and 2021-W03 are not consecutive weeks' }]);
  });
});
