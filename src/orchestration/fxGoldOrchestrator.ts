import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import type { FxGoldRow, RowSummary } from '../domain/fxGoldRow.js';
import { quoteRequestFor, type CurrencyRates, type GoldQuote } from '../domain/quotes.js';
import type { ActivityOutcome } from './activityOutcome.js';
import { FunctionNames, RunInputSchema, type RunStage } from './contract.js';

/** Transient failures: 4 attempts, 5 s then 10 s then 20 s apart. Permanent ones come back as values and are never retried. */
const TRANSIENT_RETRY = Object.assign(new df.RetryOptions(5_000, 4), { backoffCoefficient: 2, maxRetryIntervalInMilliseconds: 60_000 });

/**
 * fetch currency ∥ fetch gold → transform → persist. Deterministic: no clock, randomness, I/O or settings
 * here; the business date comes in the input and "today" from the replay-safe currentUtcDateTime.
 */
export const fxGoldOrchestration: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = RunInputSchema.safeParse(context.df.getInput());
  if (!input.success) throw new Error(`orchestration input must be {"date":"YYYY-MM-DD"}: ${input.error.issues[0]?.message ?? 'invalid'}`);
  const { date } = input.data;
  const stage = (name: RunStage) => context.df.setCustomStatus({ date, stage: name });
  const request = quoteRequestFor(date, context.df.currentUtcDateTime);

  stage('fetching');
  const [currency, gold] = (yield* afterRetries(
    context.df.Task.all([
      context.df.callActivityWithRetry(FunctionNames.fetchCurrencyRates, TRANSIENT_RETRY, request),
      context.df.callActivityWithRetry(FunctionNames.fetchGoldPrice, TRANSIENT_RETRY, request),
    ]),
  )) as [ActivityOutcome<CurrencyRates>, ActivityOutcome<GoldQuote>];
  const fetchFailures = [currency, gold].flatMap((outcome) => (outcome.ok ? [] : [outcome.error]));
  if (!currency.ok || !gold.ok) throw new Error(fetchFailures.join('; '));

  stage('transforming');
  const row = (yield context.df.callActivity(FunctionNames.transformRecord, { date, currency: currency.value, gold: gold.value })) as ActivityOutcome<FxGoldRow>;
  if (!row.ok) throw new Error(row.error);

  stage('persisting');
  const summary = (yield* afterRetries(context.df.callActivityWithRetry(FunctionNames.persistRecord, TRANSIENT_RETRY, row.value))) as ActivityOutcome<RowSummary>;
  if (!summary.ok) throw new Error(summary.error);

  stage('completed');
  return { date, ...summary.value };
};

/**
 * Yields a retried task and, when its last attempt failed, fails the run with the activity's own
 * one-line cause rather than the host's wrapper text around it.
 */
function* afterRetries(task: Task): Generator<Task, unknown, unknown> {
  try {
    return yield task;
  } catch (error) {
    throw new Error(`${causeOf(error)} (gave up after ${TRANSIENT_RETRY.maxNumberOfAttempts} attempts)`);
  }
}

/** The host wraps an activity's exception ("Function 'x' failed ... Exception: <message> ..."); keep the message. */
function causeOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const provider = /\b(?:frankfurter|exchangeratehost|goldapi|storage): [^\n]*/.exec(text);
  if (provider) return provider[0].trim();
  const exception = /Exception: ([^\n]*)/.exec(text);
  return (exception?.[1] ?? text.split('\n')[0] ?? text).trim();
}
