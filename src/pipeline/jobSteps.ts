import { toTableRow, type FxGoldRow } from '../domain/fxGoldRow.js';
import { cleanUpstreamText, errorMessage } from '../domain/failureText.js';
import { permanent, redactFailure, unexpectedFailure, type FailureSource, type ProviderName, type ProviderResult } from '../domain/providerFailure.js';
import type { CurrencyRates, GoldQuote, QuoteRequest } from '../domain/quotes.js';
import { failure, type Result } from '../domain/result.js';
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

/** Step: the stored row from both quotes, stamped with the time it was built. A failure here is never worth a retry. */
export function buildRow(date: string, quotes: Quotes, clock: () => Date): Result<FxGoldRow, string> {
  try {
    const row = toTableRow({ date, currency: quotes.rates, gold: quotes.gold, ingestedAt: clock().toISOString() });
    return row.ok ? row : failure(`transform: ${row.error}`);
  } catch (error) {
    return failure(`transform: transformRecord failed unexpectedly: ${cleanUpstreamText(errorMessage(error))}`);
  }
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
