import { addDays, businessDaysBetween, FIRST_BUSINESS_DATE, type BusinessDate, type IsoDate } from '../domain/businessDate.js';
import { errorMessage, redact } from '../domain/failureText.js';
import { describeFailure } from '../domain/failure.js';
import type { FxGoldRow } from '../domain/fxGoldRow.js';
import { quoteRequestFor, type CurrencyRates } from '../domain/quotes.js';
import type { AcceptableGate } from '../quality/gate.js';
import { drive, driverFor, type Driver, type DriveOptions } from '../pipeline/chainDriver.js';
import type { BackfillDependencies } from './dependencies.js';
import { askSeries, chainOf, checkRowAfter, saveRows, weekBefore, type FxAnswers, type Quotes } from '../pipeline/jobSteps.js';
import { chunkGoldAsks } from './chunkGold.js';
import { renewQuota } from './quota.js';
import type { ChainAttempt } from '../pipeline/providerChain.js';
import { mapWithConcurrency } from './concurrency.js';
import type { Chunk, ChunkResult } from './contract.js';

export interface RunChunkOptions extends DriveOptions {
  /** Quality gates the operator vouches for (`--accept-quality plausibility`), as for the daily run. */
  readonly accepted?: readonly AcceptableGate[];
  /** Told each date once its gold request has settled (served, gap or failed), before the chunk is written: for a progress display. */
  readonly onFetched?: (date: BusinessDate) => void;
  /**
   * The last row the chunk before this one stored, when chunks run in order (runChunksInOrder): when it is the
   * business day before this chunk's first date, no stored row can lie between, so that date is compared with it
   * without reading the store again.
   */
  readonly rowBefore?: FxGoldRow;
  /** Told the chunk's last row once the chunk's rows are stored. */
  readonly onStored?: (last: FxGoldRow) => void;
  /** Whose reservation the chunk's metered gold requests are taken from (src/backfill/quota.ts); none: a manual run's claim. */
  readonly holder?: string;
}

/** How far before a chunk the FX series starts, so that its first dates can carry forward (Easter: Thursday → Tuesday). */
export const FX_LOOKBACK_DAYS = 7;

type DayOutcome = { readonly date: BusinessDate } & ({ readonly quotes: Quotes } | { readonly gap: string } | { readonly error: string });

/**
 * Fetches, builds and writes one chunk (at most one calendar month of dates), with the daily run's steps and chain
 * decisions (src/pipeline/jobSteps.ts, providerChain.ts, chainDriver.ts):
 * 1. FX: one time-series request over [chunk.from − FX_LOOKBACK_DAYS, chunk.to] along the rates chain; each date takes
 *    the latest rates on or before it, at most FXGOLD_MAX_FX_AGE_DAYS business days old, CurrencyDate saying which
 *    day (an ECB holiday carries forward, flagged by the gates exactly as the daily run's row). A provider without a
 *    series endpoint is asked per date, and each date takes its own answer. A date with nothing is a gap; if the
 *    chain fails, every date fails with its reason and no gold request is made (but the gold series, sent beside it).
 * 2. Gold: along the gold chain per date, at most `deps.goldConcurrency` in flight, transient failures retried as in
 *    the daily run (Retry-After honoured): a provider with a gold series (Frankfurter v2) is asked once per chunk
 *    (src/backfill/chunkGold.ts; when first in the chain, beside the FX request), any other once per date. A date every provider says it has no data for is a gap,
 *    not a failure. Requests to a metered provider are counted in the usage ledger as they are made, taken from
 *    the backfill's reservation: once it is used up, the provider is skipped and the date asked of the next one.
 * 3. Rows: checkRow's transform and quality gates, in date order, each compared with the chunk's own row before it
 *    (the store's for the first date, or where a stored date lies between), so a row equals the one
 *    `npm run once -- --date` stores from the same answers (IngestedAt aside).
 * 4. Write: the chunk's rows in transaction batches (saveBatch, retried like the daily run's upsert); if writing
 *    fails, every row of the chunk is reported failed.
 * Never throws: anything unexpected fails the chunk's remaining dates with the reason, secrets scrubbed.
 */
export async function runChunk(chunk: Chunk, deps: BackfillDependencies, options: RunChunkOptions): Promise<ChunkResult> {
  const requests = { currency: 0, gold: 0 };
  try {
    const driver = driverFor(options);
    if (options.holder !== undefined) await renewQuota(deps, options.holder, deps.clock());
    const goldAsks = chunkGoldAsks({ from: lookbackStart(chunk), to: chunk.to }, deps, () => requests.gold++, options.holder);
    const [fx] = await Promise.all([fetchSeries(chunk, deps, driver, () => requests.currency++), goldAsks.prefetch()]);
    if (!fx.ok) return { stored: [], gaps: [], failed: chunk.dates.map((date) => ({ date, error: fx.error })), requests };

    const days = await mapWithConcurrency(chunk.dates, deps.goldConcurrency, async (date): Promise<DayOutcome> => {
      const rates = ratesOn(fx.value, date, deps);
      if ('gap' in rates) return (options.onFetched?.(date), { date, gap: rates.gap });
      const gold = await drive(chainOf(deps, 'gold'), goldAsks.forDate(date), driver);
      options.onFetched?.(date);
      if (gold.outcome.ok) return { date, quotes: { rates: rates.rates, gold: gold.outcome.value } };
      return allSayNoData(gold.attempts) ? { date, gap: gold.outcome.error } : { date, error: gold.outcome.error };
    });

    const rows: FxGoldRow[] = [];
    const failed: ChunkResult['failed'] = [];
    for (const day of days) {
      if (!('quotes' in day)) continue;
      const previous = await previousRow(day.date, rows.at(-1) ?? options.rowBefore, deps, driver);
      if (!previous.ok) {
        failed.push({ date: day.date, error: previous.error });
        continue;
      }
      const request = { date: day.date, mode: quoteRequestFor(day.date, deps.clock()).mode, accepted: options.accepted ?? [] };
      const row = await checkRowAfter(request, day.quotes, previous.value, deps);
      if (row.ok) rows.push(row.value);
      else failed.push({ date: day.date, error: describeFailure(row.error) });
    }
    const gaps = days.flatMap((day) => ('gap' in day ? [{ date: day.date, reason: day.gap }] : []));
    failed.push(...days.flatMap((day) => ('error' in day ? [{ date: day.date, error: day.error }] : [])));

    const saved = rows.length === 0 ? undefined : await drive(['storage'] as const, () => saveRows(rows, deps), driver);
    const saveFailure = saved && !saved.outcome.ok ? saved.outcome.error : undefined;
    if (saveFailure !== undefined) failed.push(...rows.map((row) => ({ date: row.rowKey, error: saveFailure })));
    const stored = saveFailure === undefined ? rows.map((row) => row.rowKey) : [];
    if (saveFailure === undefined && rows.length > 0) options.onStored?.(rows.at(-1) as FxGoldRow);
    // A gap not recorded would only be asked again on the next resume; still, say so, since the resume then asks it.
    const recorded = gaps.length === 0 ? undefined : await drive(['storage'] as const, () => recordGaps(gaps, deps), driver);
    if (recorded && !recorded.outcome.ok) {
      const error = `recording the gap in table ${deps.gaps.table}: ${recorded.outcome.error}`;
      return {
        stored,
        gaps: [],
        failed: byDate([...failed, ...gaps.map((gap) => ({ date: gap.date, error: `${gap.reason}; ${error}` }))]),
        requests,
      };
    }
    return { stored, gaps, failed: byDate(failed), requests };
  } catch (error) {
    const message = `backfill of ${chunk.from}..${chunk.to} failed unexpectedly: ${redact(errorMessage(error), deps.secrets)}`;
    return { stored: [], gaps: [], failed: chunk.dates.map((date) => ({ date, error: message })), requests };
  }
}

/** FX_LOOKBACK_DAYS before the chunk's first date (never before the first business date): where its series start. */
function lookbackStart(chunk: Chunk): IsoDate {
  const start = addDays(chunk.from, -FX_LOOKBACK_DAYS);
  return start < FIRST_BUSINESS_DATE ? FIRST_BUSINESS_DATE : start;
}

/** The chunk's FX answers along the rates chain, the series from FX_LOOKBACK_DAYS before its first date. */
async function fetchSeries(chunk: Chunk, deps: BackfillDependencies, driver: Driver, onRequest: () => void) {
  const request = { from: lookbackStart(chunk), to: chunk.to, dates: chunk.dates };
  return (await drive(chainOf(deps, 'rates'), (provider) => askSeries(provider, request, deps, onRequest), driver)).outcome;
}

/**
 * A date's rates as the daily run's provider would answer for it: a per-date provider's own answer for the date; from
 * a series, the latest rates on or before it, at most FXGOLD_MAX_FX_AGE_DAYS business days old. Otherwise a gap, with
 * the provider's reason.
 */
function ratesOn(fx: FxAnswers, date: BusinessDate, deps: BackfillDependencies): { rates: CurrencyRates } | { gap: string } {
  if ('byDate' in fx) {
    const answer = fx.byDate[date];
    if (answer === undefined) return { gap: `no FX rates asked for ${date}` };
    return 'rates' in answer ? answer : { gap: answer.noData };
  }
  const latest = fx.series.filter((day) => day.asOfDate <= date).at(-1);
  const maxAge = deps.quality.maxFxAgeDays;
  if (latest !== undefined && businessDaysBetween(latest.asOfDate, date) <= maxAge) return { rates: latest };
  return { gap: `${chainOf(deps, 'rates').join(', ')}: no FX rates on or up to ${maxAge} business days before ${date}` };
}

/** A gap: the chain failed and every provider asked last answered that it has no data for the date. */
function allSayNoData(attempts: readonly ChainAttempt[]): boolean {
  const last = new Map(attempts.map((attempt) => [attempt.provider, attempt.failure]));
  return last.size > 0 && [...last.values()].every((f) => f?.noData === true);
}

/**
 * The row the gates compare `date` with: the chunk's row before it when no weekday lies between them (nothing could
 * be stored in between), else the later of that and the store's latest row of the week before, as checkRow reads it.
 */
async function previousRow(date: BusinessDate, lastBuilt: FxGoldRow | undefined, deps: BackfillDependencies, driver: Driver) {
  if (lastBuilt !== undefined && businessDaysBetween(lastBuilt.rowKey, date) <= 1) return { ok: true as const, value: lastBuilt };
  const stored = await drive(['storage'] as const, () => deps.store.latestBefore(deps.baseCurrency, date, weekBefore(date)), driver);
  if (!stored.outcome.ok) return stored.outcome;
  const candidates = [stored.outcome.value, lastBuilt].filter((row): row is FxGoldRow => row !== undefined);
  return { ok: true as const, value: candidates.sort((a, b) => a.rowKey.localeCompare(b.rowKey)).at(-1) };
}

const recordGaps = (gaps: ChunkResult['gaps'], deps: BackfillDependencies) => deps.gaps.record(deps.baseCurrency, gaps, deps.clock());

const byDate = (failed: ChunkResult['failed']): ChunkResult['failed'] => [...failed].sort((a, b) => a.date.localeCompare(b.date));
