import { z } from 'zod';
import { FxGoldRowSchema, TransformInputSchema, toTableRow, summarizeRow, type FxGoldRow, type RowSummary } from '../domain/fxGoldRow.js';
import { QuoteRequestSchema, type CurrencyRates, type GoldQuote, type QuoteRequest } from '../domain/quotes.js';
import type { ProviderResult } from '../domain/providerFailure.js';
import { failure, success } from '../domain/result.js';
import { describeIssues } from '../domain/failureText.js';
import type { JobDependencies } from '../pipeline/jobDependencies.js';
import { settingsSafe, toActivityOutcome, type ActivityOutcome } from './activityOutcome.js';

/**
 * The activities' bodies, free of the Functions host: each validates what the orchestrator sent
 * (it crossed a JSON boundary) and calls one piece of the pipeline.
 */
type Dependencies = () => JobDependencies;

/** A fetch activity: validate the quote request, ask one provider, hand back its outcome. */
const fetchActivity =
  <T>(activity: string, ask: (deps: JobDependencies, request: QuoteRequest) => Promise<ProviderResult<T>>) =>
  (input: unknown, deps: Dependencies): Promise<ActivityOutcome<T>> =>
    settingsSafe(async () => {
      const request = parseInput(QuoteRequestSchema, input, activity);
      if (!request.ok) return request;
      const dependencies = deps();
      return toActivityOutcome(await ask(dependencies, request.value), dependencies.secrets);
    });

export const fetchCurrencyRates = fetchActivity<CurrencyRates>('fetchCurrencyRates', (deps, request) => deps.rates.fetchRates(request));
export const fetchGoldPrice = fetchActivity<GoldQuote>('fetchGoldPrice', (deps, request) => deps.gold.fetchGoldPrice(request));

export function transformRecord(input: unknown, clock: () => Date): ActivityOutcome<FxGoldRow> {
  const parsed = parseInput(TransformInputSchema.omit({ ingestedAt: true }), input, 'transformRecord');
  if (!parsed.ok) return parsed;
  const row = toTableRow({ ...parsed.value, ingestedAt: clock().toISOString() });
  return row.ok ? row : failure(`transform: ${row.error}`);
}

/** Upserts the row. A transient storage failure is thrown (Durable retries it; the upsert keeps one row). */
export const persistRecord = (input: unknown, deps: Dependencies): Promise<ActivityOutcome<RowSummary>> =>
  settingsSafe(async () => {
    const row = parseInput(FxGoldRowSchema, input, 'persistRecord');
    if (!row.ok) return row;
    const { store, secrets } = deps();
    const saved = toActivityOutcome(await store.save(row.value), secrets);
    return saved.ok ? success(summarizeRow(row.value)) : saved;
  });

function parseInput<S extends z.ZodType>(schema: S, input: unknown, activity: string): ActivityOutcome<z.output<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return success(parsed.data);
  return failure(`${activity}: invalid input: ${describeIssues(parsed.error, 'input')}`);
}
