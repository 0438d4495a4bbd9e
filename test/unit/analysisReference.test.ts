import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeSeries, type Analysis } from '../../src/analysis/analyzeSeries.js';
import type { Interval } from '../../src/analysis/sampling.js';
import type { TimedRow } from '../../src/analysis/samplingGap.js';
import { isoDate } from '../support/dates.js';

/** Figures from R (test/fixtures/analysis/reference.R): cor.test, lm, sandwich::NeweyWest, lmtest::grangertest. */
interface Reference {
  name: string;
  interval: Interval;
  lags: number;
  window: number;
  codes: string[];
  rows: Array<{ date: string; gold: number; source: string; carried: boolean; rates: Record<string, number> }>;
  expected: {
    observations: number;
    dates: string[];
    dxy: number[];
    matrix: { labels: string[]; values: number[][] };
    stats: Record<string, RStats>;
    rolling: Record<string, Array<{ r: number; ci95: [number, number] } | null>>;
  };
}
interface RGranger {
  F: number;
  df1: number;
  df2: number;
  p: number;
}
interface RStats {
  n: number;
  r: number;
  ci95: [number, number];
  p: number;
  beta: number;
  betaSe: number;
  betaSeHac: number;
  hacLag: number;
  r2: number;
  leadLag: Array<{ k: number; n: number; r: number | null }>;
  granger: { goldToX: RGranger; xToGold: RGranger };
}

const references = JSON.parse(readFileSync(new URL('../fixtures/analysis/reference.json', import.meta.url), 'utf8')) as Reference[];
const FIGURE_TOLERANCE = 1e-9;
const P_TOLERANCE = 1e-6;

const close = (actual: number | null | undefined, expected: number, tolerance = FIGURE_TOLERANCE) => {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
};

const rowsOf = (reference: Reference): TimedRow[] =>
  reference.rows.map((row) => ({
    date: isoDate(row.date),
    goldPrice: row.gold,
    goldSource: row.source,
    qualityFlags: row.carried ? 'gold-carried-forward' : '',
    rates: row.rates,
    goldTimestamp: `${row.date}T18:00:00Z`,
    currencyProvider: 'frankfurter',
    currencyDate: isoDate(row.date),
  }));

function analysed(reference: Reference): Analysis {
  const result = analyzeSeries(rowsOf(reference), {
    series: reference.codes,
    interval: reference.interval,
    window: reference.window,
    lags: reference.lags,
    declaredFixingTime: () => null,
  });
  if (!result.ok) throw new Error(`expected an analysis of ${reference.name}`);
  return result.value;
}

describe.each(references.map((reference) => [reference.name, reference] as const))('agrees with R: %s', (_, reference) => {
  const analysis = analysed(reference);
  const { expected } = reference;

  it('takes the same samples and returns', () => {
    expect(analysis.observations).toBe(expected.observations);
    expect(analysis.rolling.dates).toEqual(expected.dates);
    expect(analysis.interval).toBe(reference.interval);
  });

  it('r, its Fisher interval and p; beta with classical and Newey–West standard errors; r²', () => {
    for (const code of reference.codes) {
      const [stats, r] = [analysis.stats[code]!, expected.stats[code]!];
      expect(stats.n).toBe(r.n);
      close(stats.r, r.r);
      close(stats.ci95?.[0], r.ci95[0]);
      close(stats.ci95?.[1], r.ci95[1]);
      close(stats.p, r.p, P_TOLERANCE);
      close(stats.beta, r.beta);
      close(stats.betaSe, r.betaSe);
      close(stats.betaSeHac, r.betaSeHac);
      expect(stats.hacLag).toBe(r.hacLag);
      close(stats.r2, r.r2);
    }
  });

  it('lead-lag correlations within runs and both Granger tests', () => {
    for (const code of reference.codes) {
      const [stats, r] = [analysis.stats[code]!, expected.stats[code]!];
      expect(stats.leadLag.map(({ k, n }) => [k, n])).toEqual(r.leadLag.map(({ k, n }) => [k, n]));
      stats.leadLag.forEach((lagged, i) => close(lagged.r, r.leadLag[i]!.r!));
      for (const direction of ['goldToX', 'xToGold'] as const) {
        const [mine, theirs] = [stats.granger[direction]!, r.granger[direction]];
        expect([mine.df1, mine.df2]).toEqual([theirs.df1, theirs.df2]);
        close(mine.F, theirs.F);
        close(mine.p, theirs.p, P_TOLERANCE);
      }
    }
  });

  it('the correlation matrix, the rolling correlation with its band, and the dollar index levels', () => {
    expect(analysis.matrix.labels).toEqual(expected.matrix.labels);
    analysis.matrix.values.forEach((row, i) => row.forEach((value, j) => close(value, expected.matrix.values[i]![j]!)));
    for (const code of reference.codes) {
      const rolling = analysis.rolling[code] as Array<number | null>;
      const bands = analysis.rolling.ci95[code]!;
      expected.rolling[code]!.forEach((point, i) => {
        if (point === null) {
          expect([rolling[i], bands[i]]).toEqual([null, null]);
          return;
        }
        close(rolling[i], point.r);
        close(bands[i]?.[0], point.ci95[0]);
        close(bands[i]?.[1], point.ci95[1]);
      });
    }
    if (reference.interval === 'day') analysis.dollarIndex!.values.forEach((level, i) => close(level, expected.dxy[i]!));
  });
});

describe('the planted lead (gold’s return at t moves EUR at t + 1)', () => {
  const analysis = analysed(references[0]!);
  const eur = analysis.stats.EUR!;
  it('shows at lead-lag k = +1 and in granger.goldToX, not the other way', () => {
    const strongest = eur.leadLag.reduce((best, lagged) => (Math.abs(lagged.r!) > Math.abs(best.r!) ? lagged : best));
    expect(strongest.k).toBe(1);
    expect(eur.granger.goldToX!.p).toBeLessThan(1e-6);
    expect(eur.granger.xToGold!.p).toBeGreaterThan(0.05);
  });
  it('the gap and the source change split the observations into three runs, each excluded pair with its reason', () => {
    expect(analysis.exclusions.map(({ reason }) => reason)).toEqual([
      expect.stringMatching(/calendar days apart/),
      'the gold quote changed kind (FOREXCOM to LBMA)',
    ]);
  });
});
