import { utcDateOf } from '../domain/businessDate.js';
import { toTableRow, type FxGoldRow } from '../domain/fxGoldRow.js';
import type { ProviderName } from '../clients/registry.js';
import { permanent, redactFailure, unexpectedFailure, type FailureSource, type ProviderResult } from '../domain/providerFailure.js';
import type { CurrencyRates, GoldQuote, QuoteMode, QuoteRequest } from '../domain/quotes.js';
import type { AcceptableGate } from '../quality/gate.js';
import { applyQualityGates } from '../quality/gates.js';
import { failure, success } from '../domain/result.js';
import type { SaveOutcome } from '../storage/fxGoldTable.js';
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

type Ask<K extends QuoteKind> = (request: QuoteRequest) => Promise<ProviderResult<Quotes[K]>>;

function chainMembers<K extends QuoteKind>(deps: JobDependencies, kind: K): ReadonlyArray<{ name: ProviderName; ask: Ask<K> }> {
  const members = {
    rates: deps.ratesChain.map((p) => ({ name: p.name, ask: (r: QuoteRequest) => p.fetchRates(r) })),
    gold: deps.goldChain.map((p) => ({ name: p.name, ask: (r: QuoteRequest) => p.fetchGoldPrice(r) })),
  };
  return members[kind] as ReadonlyArray<{ name: ProviderName; ask: Ask<K> }>;
}

/** The configured providers of one kind, in the order they are asked. */
export const chainOf = (deps: JobDependencies, kind: QuoteKind): ProviderName[] => chainMembers(deps, kind).map((m) => m.name);

/** Step: asks exactly `provider`, once. */
export function askProvider<K extends QuoteKind>(kind: K, provider: ProviderName, request: QuoteRequest, deps: JobDependencies): Promise<ProviderResult<Quotes[K]>> {
  const member = chainMembers(deps, kind).find((m) => m.name === provider);
  if (!member) return Promise.resolve(permanent(provider, `${FETCH_STEP[kind]}: not one of the configured ${kind} providers`));
  return guarded(provider, FETCH_STEP[kind], deps.secrets, () => member.ask(request));
}

/** How far back the quality gates look for the row to compare with (a week: a long weekend and a holiday). */
const PREVIOUS_ROW_WINDOW_DAYS = 7;

/** What building a row needs besides the quotes: the quote mode (it dates a gold quote) and the gates the operator accepted. */
export interface RowRequest {
  readonly date: string;
  readonly mode: QuoteMode;
  readonly accepted: readonly AcceptableGate[];
}

/**
 * Step: the row from both quotes, stamped with the time it was built, through the quality gates (src/quality) against
 * the latest stored row of the week before. Only reading that row may pass on a retry (storage, transient); a merge
 * or a gate failure is permanent: nothing is written.
 */
export function checkRow(request: RowRequest, quotes: Quotes, deps: JobDependencies): Promise<ProviderResult<FxGoldRow>> {
  return guarded('transform', 'transformRecord', deps.secrets, async () => {
    const now = deps.clock();
    const row = toTableRow({ date: request.date, currency: quotes.rates, gold: quotes.gold, ingestedAt: now.toISOString() });
    if (!row.ok) return permanent('transform', row.error);
    const weekBefore = utcDateOf(new Date(Date.parse(`${request.date}T00:00:00Z`) - PREVIOUS_ROW_WINDOW_DAYS * 86_400_000));
    const previous = await deps.store.latestBefore(row.value.partitionKey, request.date, weekBefore);
    if (!previous.ok) return previous;
    const gold = { mode: request.mode, sessionStart: quotes.gold.sessionStart, timestamp: quotes.gold.timestamp };
    const input = { businessDate: request.date, currencies: deps.currencies, row: row.value, gold, now, accepted: request.accepted };
    const checked = applyQualityGates(previous.value ? { ...input, previous: previous.value } : input, deps.quality);
    return checked.ok ? success(checked.value.row) : permanent('quality', checked.error.message);
  });
}

/** Step: upserts the row, once. */
export const saveRow = (row: FxGoldRow, deps: JobDependencies): Promise<ProviderResult<SaveOutcome>> =>
  guarded('storage', 'persistRecord', deps.secrets, () => deps.store.save(row));

/** Runs one call of a step: its own failures keep their kind; anything it throws is permanent. Secrets are scrubbed either way. */
async function guarded<T>(source: FailureSource, step: string, secrets: readonly string[], call: () => Promise<ProviderResult<T>>): Promise<ProviderResult<T>> {
  let result: ProviderResult<T>;
  try {
    result = await call();
  } catch (error) {
    result = unexpectedFailure(source, step, error);
  }
  return result.ok ? result : failure(redactFailure(result.error, secrets));
}
