import { FIRST_BUSINESS_DATE, monthOf, spansMoreThanYears, utcDateOf, weekdaysIn, type BusinessDate } from '../domain/businessDate.js';
import { cleanUpstreamText } from '../domain/failureText.js';
import { describeFailure } from '../domain/failure.js';
import { failure, success, type Result } from '../domain/result.js';
import type { BackfillDependencies } from './dependencies.js';
import { BackfillRangeSchema, type BackfillPlan, type BackfillRange, type Chunk } from './contract.js';

export interface PlanOptions {
  /** Fetch and write the stored dates again too (a re-run still leaves one row per date). */
  readonly force: boolean;
  /** Today is the last date a range may reach (UTC). */
  readonly now: Date;
  /** Ask again for the dates recorded as gaps (src/storage/gapsTable.ts); `force` does too. */
  readonly retryGaps?: boolean;
}

/** The longest range one backfill takes, on every path: split a longer history into several. */
export const MAX_BACKFILL_YEARS = 20;

/**
 * A range as it comes in, from the command line or a request body: both ends real dates (weekends allowed). The one
 * place a backfill's range is parsed; inside it travels as a BackfillRange. The error names the end that is wrong.
 */
export function parseBackfillRange(range: { readonly from: string; readonly to: string }): Result<BackfillRange, string> {
  const parsed = BackfillRangeSchema.safeParse(range);
  if (parsed.success) return success(parsed.data);
  const issue = parsed.error.issues[0];
  const field = issue?.path[0];
  const value = field === 'from' || field === 'to' ? range[field] : '';
  return failure(`${String(field ?? 'range')} "${cleanUpstreamText(value, 40)}" ${issue?.message ?? 'is invalid'}`);
}

/**
 * The business dates of a range by the rules of `npm run once` (src/domain/businessDate.ts): weekdays, none before
 * 1999-01-04 and none after today (UTC), at most MAX_BACKFILL_YEARS long. The ends may be weekends; a range with no
 * weekday in it is refused, and so is a reversed one. Errors say which rule was broken.
 */
export function businessDatesIn({ from, to }: BackfillRange, now: Date): Result<BusinessDate[], string> {
  const today = utcDateOf(now);
  if (from > to) return failure(`from ${from} is after to ${to}`);
  if (from < FIRST_BUSINESS_DATE)
    return failure(`from ${from} is before ${FIRST_BUSINESS_DATE}, the first day of the euro and of ECB reference rates`);
  if (to > today) return failure(`to ${to} is in the future (today is ${today} UTC)`);
  if (spansMoreThanYears(from, to, MAX_BACKFILL_YEARS))
    return failure(`${from}..${to} is longer than ${MAX_BACKFILL_YEARS} years; split it into shorter backfills`);
  const dates = weekdaysIn(from, to);
  if (dates.length === 0) return failure(`${from}..${to} has no business day (only a weekend)`);
  return success(dates);
}

/** The dates cut into chunks of one calendar month at most, in date order. */
export function chunksOf(dates: readonly BusinessDate[]): Chunk[] {
  const months = new Map<string, BusinessDate[]>();
  for (const date of [...dates].sort()) months.set(monthOf(date), [...(months.get(monthOf(date)) ?? []), date]);
  return [...months.values()].map((month) => ({ from: month[0] as BusinessDate, to: month.at(-1) as BusinessDate, dates: month }));
}

/**
 * Plans a backfill: the range's business dates (businessDatesIn), minus those already stored, found with ONE range
 * query selecting only RowKey (skipped unless `force`), and minus those recorded as gaps (unless `force` or `retryGaps`), cut into chunks of at most one calendar month. `requests`
 * counts what running the plan asks: per chunk one FX time-series request (or one per date of a rates provider
 * without a series endpoint), and one gold series request (or one per date of a gold provider without a series). Nothing is fetched or written. A storage failure is an error.
 */
export async function planBackfill(
  range: BackfillRange,
  deps: BackfillDependencies,
  { force, now, retryGaps = false }: PlanOptions,
): Promise<Result<BackfillPlan, string>> {
  const dates = businessDatesIn(range, now);
  if (!dates.ok) return dates;
  let stored = new Set<string>();
  if (!force) {
    const keys = await deps.rows.queryRows({ base: deps.baseCurrency, from: range.from, to: range.to, columns: [], currencies: [] });
    if (!keys.ok) return failure(describeFailure(keys.error));
    stored = new Set(keys.value.map((row) => row.rowKey));
  }
  let knownGaps = new Set<string>();
  if (!force && !retryGaps) {
    const gaps = await deps.gaps.datesIn(deps.baseCurrency, range.from, range.to);
    if (!gaps.ok) return failure(describeFailure(gaps.error));
    knownGaps = new Set(gaps.value.filter((date) => !stored.has(date)));
  }
  const chunks = chunksOf(dates.value.filter((date) => !stored.has(date) && !knownGaps.has(date)));
  const series = deps.ratesChain[0]?.fetchSeries !== undefined;
  const goldSeries = deps.goldChain[0]?.fetchGoldSeries !== undefined;
  return success({
    range: { from: range.from, to: range.to },
    dates: dates.value,
    skipped: dates.value.filter((date) => stored.has(date)),
    knownGaps: dates.value.filter((date) => knownGaps.has(date)),
    chunks,
    requests: {
      currency: chunks.reduce((sum, chunk) => sum + (series ? 1 : chunk.dates.length), 0),
      gold: chunks.reduce((sum, chunk) => sum + (goldSeries ? 1 : chunk.dates.length), 0),
    },
  });
}
