import { FxGoldRowSchema, summarizeRow, type FxGoldRow, type RowSummary } from '../domain/fxGoldRow.js';
import { permanent, type Outcome } from '../domain/failure.js';
import { success, type Result } from '../domain/result.js';
import { describeIssues } from '../domain/failureText.js';
import type { JobDependencies } from '../pipeline/jobDependencies.js';
import { askProvider, chainOf, checkRow, FETCH_STEP, saveRow, type QuoteKind, type Quotes } from '../pipeline/jobSteps.js';
import { FetchInputSchema, loadDependencies, TransformRequestSchema, type FetchReport } from './activityOutcome.js';

/**
 * The activities: thin adapters from the orchestrator's JSON to the job's steps (src/pipeline/jobSteps.ts). Each
 * validates what it was sent and answers a value; none throws for a failure.
 */
type Dependencies = () => Result<JobDependencies, string>;

/** Asks exactly the provider named (or the chain's first), once, and reports the chain with the outcome. */
const fetchActivity =
  <K extends QuoteKind>(kind: K) =>
  async (input: unknown, deps: Dependencies): Promise<FetchReport<Quotes[K]>> => {
    const loaded = loadDependencies(deps, FETCH_STEP[kind]);
    if (!loaded.ok) return { chain: [], result: loaded };
    const chain = chainOf(loaded.value, kind);
    const parsed = FetchInputSchema.safeParse(input);
    const provider = (parsed.success ? parsed.data.provider : undefined) ?? chain[0];
    if (provider === undefined) return { chain, result: permanent('settings', `no ${kind} provider is configured`) };
    if (!parsed.success)
      return { chain, result: permanent(provider, `${FETCH_STEP[kind]}: invalid input: ${describeIssues(parsed.error, 'input')}`) };
    return { chain, result: await askProvider(kind, provider, parsed.data.request, loaded.value) };
  };

export const fetchCurrencyRates = fetchActivity('rates');
export const fetchGoldPrice = fetchActivity('gold');

/** Builds the row and puts it through the quality gates, once; the orchestrator retries a transient read of the row to compare with. */
export async function transformRecord(input: unknown, deps: Dependencies): Promise<Outcome<FxGoldRow>> {
  const loaded = loadDependencies(deps, 'transformRecord');
  if (!loaded.ok) return loaded;
  const parsed = TransformRequestSchema.safeParse(input);
  if (!parsed.success) return permanent('transform', `transformRecord: invalid input: ${describeIssues(parsed.error, 'input')}`);
  const { currency, gold, ...request } = parsed.data;
  return checkRow(request, { rates: currency, gold }, loaded.value);
}

/** Upserts the row, once; the orchestrator retries a transient failure (the upsert keeps one row). */
export async function persistRecord(input: unknown, deps: Dependencies): Promise<Outcome<RowSummary>> {
  const loaded = loadDependencies(deps, 'persistRecord');
  if (!loaded.ok) return loaded;
  const row = FxGoldRowSchema.safeParse(input);
  if (!row.success) return permanent('storage', `persistRecord: invalid input: ${describeIssues(row.error, 'input')}`);
  const saved = await saveRow(row.data, loaded.value);
  return saved.ok ? success(summarizeRow(row.data)) : saved;
}
