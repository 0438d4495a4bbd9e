import { addDays, utcDateOf, type BusinessDate, type IsoDate } from '../domain/businessDate.js';
import { dailyReserveAt, REQUESTS_PER_DAILY_RUN } from '../domain/dailyReserve.js';
import { toTableRow, type FxGoldRow } from '../domain/fxGoldRow.js';
import { holdsSecret } from '../domain/failureText.js';
import { isMetered, type ProviderName } from '../clients/registry.js';
import {
  describeFailure,
  permanent,
  redactFailure,
  refused,
  unexpectedFailure,
  type FailureSource,
  type Outcome,
} from '../domain/failure.js';
import { quoteRequestFor, type CurrencyRates, type GoldQuote, type QuoteMode, type QuoteRequest } from '../domain/quotes.js';
import type { AcceptableGate } from '../quality/gate.js';
import { applyQualityGates } from '../quality/gates.js';
import { failure, success } from '../domain/result.js';
import { declaredCurrencyFixingTime } from '../clients/fixingTimes.js';
import type { DatedGoldQuote } from '../clients/providers.js';
import type { SaveOutcome } from '../storage/fxGoldTable.js';
import { usageMonthOf, type Claim } from '../storage/usageLedger.js';
import type { JobDependencies } from './jobDependencies.js';

/**
 * The job's steps, each one call that never throws: ask one provider, build the row, save it. The Durable activities
 * and the local runner (runDailyJob) both call these; retries and failover around them are providerChain's.
 */
export interface Quotes {
  readonly rates: CurrencyRates;
  readonly gold: GoldQuote;
}
export type QuoteKind = keyof Quotes;

/** The step names in failure messages; the same words as the activities that run them. */
export const FETCH_STEP = { rates: 'fetchCurrencyRates', gold: 'fetchGoldPrice' } as const satisfies Record<QuoteKind, string>;

type Ask<K extends QuoteKind> = (request: QuoteRequest) => Promise<Outcome<Quotes[K]>>;

function chainMembers<K extends QuoteKind>(deps: JobDependencies, kind: K): ReadonlyArray<{ name: ProviderName; ask: Ask<K> }> {
  const members = {
    rates: deps.ratesChain.map((p) => ({ name: p.name, ask: (r: QuoteRequest) => p.fetchRates(r) })),
    gold: deps.goldChain.map((p) => ({ name: p.name, ask: (r: QuoteRequest) => p.fetchGoldPrice(r) })),
  };
  return members[kind] as ReadonlyArray<{ name: ProviderName; ask: Ask<K> }>;
}

/** The configured providers of one kind, in the order they are asked. */
export const chainOf = (deps: JobDependencies, kind: QuoteKind): ProviderName[] => chainMembers(deps, kind).map((m) => m.name);

/**
 * Step: asks exactly `provider`, once. A request to a metered provider (one with a monthly quota, see
 * src/clients/registry.ts) is first counted in the usage ledger: when the count cannot be written, the provider is
 * not asked (a storage failure), so the ledger never misses a request. It is counted for `holder`'s reservation (a
 * backfill's), else as a run's own request (runClaim).
 */
export function askProvider<K extends QuoteKind>(
  kind: K,
  provider: ProviderName,
  request: QuoteRequest,
  deps: JobDependencies,
  holder?: string,
): Promise<Outcome<Quotes[K]>> {
  const member = chainMembers(deps, kind).find((m) => m.name === provider);
  if (!member) return Promise.resolve(permanent(provider, `${FETCH_STEP[kind]}: not one of the configured ${kind} providers`));
  return guarded(provider, FETCH_STEP[kind], deps.secrets, async () => {
    const claim = holder === undefined ? runClaim(request, deps.clock()) : { holder };
    const counted = await countRequests(provider, 1, deps, claim);
    return counted.ok ? member.ask(request) : counted;
  });
}

/** The rates of every day a provider published in a range, oldest first (src/clients/providers.ts RatesSeries). */
export interface SeriesRequest {
  readonly from: IsoDate;
  readonly to: IsoDate;
  /** The business dates the series is for: asked one by one of a provider without a series endpoint. */
  readonly dates: readonly BusinessDate[];
}

/**
 * What a range's FX request answered: a series (the days the provider published, each date then takes the latest on
 * or before it), or, from a provider without a series endpoint, each date's own answer as the daily run would get it
 * for that date, or the provider's reason for having no data that day (a gap, not a failure).
 */
export type FxAnswers =
  | { readonly series: readonly CurrencyRates[] }
  | { readonly byDate: Readonly<Record<string, { readonly rates: CurrencyRates } | { readonly noData: string }>> };

/**
 * Step: the FX rates of a range from exactly `provider`, once: one time-series request when it has one, else one
 * request per date, carrying on past a date it has no data for and stopping at any other failure. `onRequest` is
 * told of every request made.
 */
export function askSeries(
  provider: ProviderName,
  request: SeriesRequest,
  deps: JobDependencies,
  onRequest: () => void,
): Promise<Outcome<FxAnswers>> {
  const member = deps.ratesChain.find((p) => p.name === provider);
  if (!member) return Promise.resolve(permanent(provider, `${FETCH_STEP.rates}: not one of the configured rates providers`));
  return guarded(provider, FETCH_STEP.rates, deps.secrets, async (): Promise<Outcome<FxAnswers>> => {
    if (member.fetchSeries) {
      const counted = await countRequests(provider, 1, deps);
      if (!counted.ok) return counted;
      onRequest();
      const series = await member.fetchSeries(request.from, request.to);
      return series.ok ? success({ series: series.value }) : series;
    }
    const byDate: Record<string, { rates: CurrencyRates } | { noData: string }> = {};
    for (const date of request.dates) {
      const counted = await countRequests(provider, 1, deps);
      if (!counted.ok) return counted;
      onRequest();
      const day = await member.fetchRates(quoteRequestFor(date, deps.clock()));
      if (day.ok) byDate[date] = { rates: day.value };
      else if (day.error.noData === true) byDate[date] = { noData: describeFailure(redactFailure(day.error, deps.secrets)) };
      else return day;
    }
    return success({ byDate });
  });
}

/** Step: the gold fixings of a range from exactly `provider`, once, in one request; `onRequest` is told of it. */
export function askGoldSeries(
  provider: ProviderName,
  range: { readonly from: IsoDate; readonly to: IsoDate },
  deps: JobDependencies,
  onRequest: () => void,
): Promise<Outcome<DatedGoldQuote[]>> {
  const member = deps.goldChain.find((p) => p.name === provider);
  if (member?.fetchGoldSeries === undefined)
    return Promise.resolve(permanent(provider, `${FETCH_STEP.gold}: no gold series from this provider`));
  return guarded(provider, FETCH_STEP.gold, deps.secrets, async () => {
    const counted = await countRequests(provider, 1, deps);
    if (!counted.ok) return counted;
    onRequest();
    return member.fetchGoldSeries?.(range.from, range.to) ?? permanent(provider, 'no gold series');
  });
}

/**
 * What a run's request may use. The daily run is the run for today's UTC date (one instance per date, whoever
 * started it), or one asking for the live quote (mode `latest`, decided once when the run started), so retries that
 * cross midnight UTC stay the daily run's. It may use today's share of the daily reserve, never the later weekdays'
 * (so retries or repeated forced runs today cannot starve the rest of the month); a run for a past date is a manual
 * one and must leave the reserve alone. A run reserves one request as it asks and spends it in the same write, so it
 * holds nothing that could outlive it.
 */
function runClaim(request: QuoteRequest, now: Date): Claim {
  const daily = request.mode === 'latest' || request.date === utcDateOf(now);
  return { keep: daily ? Math.max(0, dailyReserveAt(now) - REQUESTS_PER_DAILY_RUN) : dailyReserveAt(now) };
}

/** Counts requests about to be sent to a metered provider in this month's usage row; nothing for the others. */
async function countRequests(provider: ProviderName, count: number, deps: JobDependencies, claim?: Claim): Promise<Outcome<unknown>> {
  if (!isMetered(provider)) return success(undefined);
  const counted = await deps.usage.record(provider, usageMonthOf(deps.clock()), count, claim);
  // The ledger refusing a count over the monthly quota answers as the provider itself: passed on as it is.
  return counted.ok || counted.error.source === provider
    ? counted
    : failure({ ...counted.error, message: `counting the ${provider} request in table ${deps.usage.table}: ${counted.error.message}` });
}

/** How far back the quality gates look for the row to compare with (a week: a long weekend and a holiday). */
const PREVIOUS_ROW_WINDOW_DAYS = 7;

/** What building a row needs besides the quotes: the quote mode (it dates a gold quote) and the gates the operator accepted. */
export interface RowRequest {
  readonly date: BusinessDate;
  readonly mode: QuoteMode;
  readonly accepted: readonly AcceptableGate[];
}

/**
 * Step: the row from both quotes, stamped with the time it was built, through the quality gates (src/quality) against
 * the latest stored row of the week before. Only reading that row may pass on a retry (storage, transient); a merge
 * or a gate failure is permanent: nothing is written.
 */
export function checkRow(request: RowRequest, quotes: Quotes, deps: JobDependencies): Promise<Outcome<FxGoldRow>> {
  return guarded('transform', 'transformRecord', deps.secrets, async () => {
    const previous = await deps.store.latestBefore(quotes.rates.base, request.date, weekBefore(request.date));
    return previous.ok ? gateRow(request, quotes, previous.value, deps) : previous;
  });
}

/**
 * Step: checkRow with the row to compare with given (undefined: none), for a caller that holds the rows of the week
 * before (a backfill chunk builds its rows in date order before writing them). Only a row dated within the week
 * before `request.date` is compared with, as checkRow would find it.
 */
export function checkRowAfter(
  request: RowRequest,
  quotes: Quotes,
  previous: FxGoldRow | undefined,
  deps: JobDependencies,
): Promise<Outcome<FxGoldRow>> {
  const recent = previous && previous.rowKey >= weekBefore(request.date) && previous.rowKey < request.date ? previous : undefined;
  return guarded('transform', 'transformRecord', deps.secrets, () => Promise.resolve(gateRow(request, quotes, recent, deps)));
}

/** The first day of the window checkRow looks in for the row to compare with. */
export const weekBefore = (date: IsoDate): IsoDate => addDays(date, -PREVIOUS_ROW_WINDOW_DAYS);

/** The row from both quotes, stamped with the time it was built, through the quality gates against `previous`. */
function gateRow(request: RowRequest, quotes: Quotes, previous: FxGoldRow | undefined, deps: JobDependencies): Outcome<FxGoldRow> {
  // The one provider text a row stores and every reader sees: an echo of any configured key must not become data.
  if (holdsSecret(quotes.gold.source, deps.secrets))
    return permanent(quotes.gold.provider, 'invalid response: source (stored as GoldSource): must not contain a configured secret');
  const now = deps.clock();
  const row = toTableRow({
    date: request.date,
    currency: quotes.rates,
    gold: quotes.gold,
    currencyTimestamp: currencyTimestampOf(quotes.rates),
    ingestedAt: now.toISOString(),
  });
  if (!row.ok) return permanent('transform', row.error);
  const gold = { mode: request.mode, sessionStart: quotes.gold.sessionStart, timestamp: quotes.gold.timestamp };
  const input = { businessDate: request.date, currencies: deps.currencies, row: row.value, gold, now, accepted: request.accepted };
  const checked = applyQualityGates(previous ? { ...input, previous } : input, deps.quality);
  if (!checked.ok) return refused({ gate: checked.error.gate, column: checked.error.column }, checked.error.message);
  return success(checked.value.row);
}

/** When the rates were fixed: the provider's own answer, else the fixing time its registry entry declares. */
function currencyTimestampOf(rates: CurrencyRates): string | null {
  const fixedAt = rates.timestamp ?? declaredCurrencyFixingTime(rates.provider, rates.asOfDate);
  return fixedAt === null ? null : new Date(fixedAt).toISOString();
}

/** Step: upserts the row, once. */
export const saveRow = (row: FxGoldRow, deps: JobDependencies): Promise<Outcome<SaveOutcome>> =>
  guarded('storage', 'persistRecord', deps.secrets, () => deps.store.save(row));

/** Step: upserts many rows in transaction batches (FxGoldRowStore.saveBatch), once; answers how many were written. */
export const saveRows = (rows: readonly FxGoldRow[], deps: JobDependencies): Promise<Outcome<number>> =>
  guarded('storage', 'persistRecord', deps.secrets, () => deps.store.saveBatch(rows));

/** Runs one call of a step: its own failures keep their kind; anything it throws is permanent. Secrets are scrubbed either way. */
async function guarded<T>(
  source: FailureSource,
  step: string,
  secrets: readonly string[],
  call: () => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  let result: Outcome<T>;
  try {
    result = await call();
  } catch (error) {
    result = unexpectedFailure(source, step, error);
  }
  return result.ok ? result : failure(redactFailure(result.error, secrets));
}
