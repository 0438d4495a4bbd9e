import type { IsoDate } from '../domain/businessDate.js';
import { DOLLAR_INDEX } from './dollarIndex.js';
import { carriedForwardFlag, samplesByInterval, type Interval } from './sampling.js';
import type { SeriesRow } from './seriesRow.js';
import type { ExcludedPair } from '../contract/apiAnswers.js';

/** The returns between two consecutive samples, dated by the later one. */
export interface Observation {
  readonly date: IsoDate;
  readonly gold: number;
  readonly currencies: Readonly<Record<string, number>>;
  /** Consecutive observations with no excluded pair between them share a run; lags never cross runs. */
  readonly run: number;
}

export type { ExcludedPair }; // declared with the /api/analysis answer it is part of

/**
 * The return of one series between two samples: gold ln(P[t] / P[t-1]); a currency ln(rate[t-1] / rate[t]) (its
 * value in USD is 1 / rate, so positive = it strengthened); the dollar index ln(DXY[t] / DXY[t-1]) (positive = the
 * dollar strengthened: DXY is the dollar's own value).
 */
const seriesReturn = (code: string, previous: number, current: number): number =>
  code === DOLLAR_INDEX ? Math.log(current / previous) : Math.log(previous / current);

/**
 * Log returns between consecutive samples of `interval` (sampling.ts picks them and says which pairs are not
 * consecutive). A pair is left out, with its reason, when the two gold quotes are of different kinds or either
 * sample lacks a requested series; for days also when the dates are more than MAX_GAP_CALENDAR_DAYS apart or either
 * row is flagged as carried forward.
 */
export function sampledReturns<Row extends SeriesRow>(
  rows: readonly Row[],
  codes: readonly string[],
  interval: Interval,
): { samples: Row[]; observations: Observation[]; excluded: ExcludedPair[] } {
  const { samples, notConsecutive } = samplesByInterval(rows, interval);
  const observations: Observation[] = [];
  const excluded: ExcludedPair[] = [];
  let run = 0;
  for (let t = 1; t < samples.length; t++) {
    const previous = samples[t - 1]!;
    const current = samples[t]!;
    const reason = notConsecutive(previous, current) ?? exclusionReason(previous, current, codes);
    if (reason !== undefined) {
      excluded.push({ from: previous.date, to: current.date, reason });
      run++;
      continue;
    }
    observations.push({
      date: current.date,
      gold: Math.log(current.goldPrice / previous.goldPrice),
      currencies: Object.fromEntries(codes.map((code) => [code, seriesReturn(code, previous.rates[code]!, current.rates[code]!)])),
      run,
    });
  }
  return { samples, observations, excluded };
}

function exclusionReason(previous: SeriesRow, current: SeriesRow, codes: readonly string[]): string | undefined {
  if (previous.goldSource !== current.goldSource) return `the gold quote changed kind (${previous.goldSource} to ${current.goldSource})`;
  for (const row of [previous, current]) {
    const flag = carriedForwardFlag(row);
    if (flag !== undefined) return `${row.date} is flagged ${flag}`;
  }
  for (const row of [previous, current]) {
    const missing = codes.find((code) => row.rates[code] === undefined);
    if (missing !== undefined)
      return `${row.date} has no ${missing} ${missing === DOLLAR_INDEX ? 'level (it lacks one of its six rates)' : 'rate'}`;
  }
  return undefined;
}
