import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import type { z } from 'zod';
import { cleanUpstreamText, describeIssues, errorMessage } from '../domain/failureText.js';
import type { FailureSource, ProviderFailure, ProviderResult } from '../domain/providerFailure.js';
import { quoteRequestFor, type CurrencyRates, type GoldQuote, type QuoteRequest } from '../domain/quotes.js';
import { failure } from '../domain/result.js';
import { nextStep, RETRY_POLICY, viewOf, type AttemptView, type ChainAttempt, type ChainStep } from '../pipeline/providerChain.js';
import { FetchReportSchemas, PersistOutcomeSchema, TransformOutcomeSchema, type FetchInput, type TransformRequest } from './activityOutcome.js';
import { FunctionNames, RunInputSchema, type RunStage } from './contract.js';

/**
 * fetch currency ∥ fetch gold (each a failover chain) → transform → persist. Retries are ours, not Durable's: the
 * chain decisions come from src/pipeline/providerChain.ts (the same as the local runner's) and the waits are durable
 * timers. Deterministic: no clock, randomness, I/O or settings here; the business date comes in the input, "now" from
 * the replay-safe currentUtcDateTime, and each chain's providers from the first answer of its fetch activity.
 */
export const fxGoldOrchestration: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = RunInputSchema.safeParse(context.df.getInput());
  if (!input.success) throw new Error(`orchestration input must be {"date":"YYYY-MM-DD"}: ${input.error.issues[0]?.message ?? 'invalid'}`);
  const { date, acceptQuality: accepted } = input.data;
  const request = quoteRequestFor(date, context.df.currentUtcDateTime);
  const rates = fetchChain(context, 'rates', request);
  const gold = fetchChain(context, 'gold', request);
  const attempts = (): AttemptView[] => [...rates.attempts.map((a) => viewOf('rates', a)), ...gold.attempts.map((a) => viewOf('gold', a))];
  const stage = (name: RunStage) => context.df.setCustomStatus({ date, stage: name, attempts: attempts() });

  stage('fetching');
  const fetchFailures = yield* driveChains(context, [rates, gold], () => stage('fetching'));
  if (fetchFailures.length > 0) throw new Error(fetchFailures.join('; '));

  stage('transforming');
  // Only reading the row to compare with is retried (storage); a refused row names no member of the chain and ends it.
  const transformRequest: TransformRequest = { date, mode: request.mode, accepted, currency: rates.served as CurrencyRates, gold: gold.served as GoldQuote };
  const transform = storageChain(context, FunctionNames.transformRecord, transformRequest, TransformOutcomeSchema);
  const transformFailures = yield* driveChains(context, [transform], () => {});
  if (transformFailures.length > 0) throw new Error(transformFailures.join('; '));

  stage('persisting');
  const persist = storageChain(context, FunctionNames.persistRecord, transform.served, PersistOutcomeSchema);
  const persistFailures = yield* driveChains(context, [persist], () => {});
  if (persistFailures.length > 0) throw new Error(persistFailures.join('; '));

  stage('completed');
  return { date, ...(persist.served as object), attempts: attempts() };
};

/** One failover chain as the orchestrator drives it. */
interface OrchestratedChain {
  /** The providers in order; unknown until the first answer reports them (the settings live in the activities). */
  providers: readonly FailureSource[] | undefined;
  readonly attempts: ChainAttempt[];
  served?: unknown;
  readonly call: (provider: FailureSource | undefined) => Task;
  readonly answer: (settled: Settled, asked: FailureSource | undefined) => { providers?: readonly FailureSource[]; result: ProviderResult<unknown> };
}

/** Until a chain's providers are known, its first call goes to "the first configured", whichever that is. */
type Step = ChainStep<FailureSource> | typeof FIRST_CALL;
const FIRST_CALL = { action: 'call', provider: undefined, attempt: 1, waitMs: 0 } as const;

function fetchChain(context: OrchestrationContext, kind: 'rates' | 'gold', request: QuoteRequest): OrchestratedChain {
  const step = kind === 'rates' ? FunctionNames.fetchCurrencyRates : FunctionNames.fetchGoldPrice;
  return {
    providers: undefined,
    attempts: [],
    call: (provider) => context.df.callActivity(step, { request, ...(provider ? { provider } : {}) } as FetchInput),
    answer: (settled, asked) => {
      const report = read(FetchReportSchemas[kind], settled, (message) => ({ chain: [], result: crashed(asked, `${step} ${message}`) }));
      return { providers: report.chain, result: report.result };
    },
  };
}

/** A step on the table, retried like a provider: `storage` is its only member, so any other failure ends it. */
function storageChain(context: OrchestrationContext, step: string, input: unknown, outcome: z.ZodType<ProviderResult<unknown>>): OrchestratedChain {
  return {
    providers: ['storage'],
    attempts: [],
    call: () => context.df.callActivity(step, input),
    answer: (settled, asked) => ({ result: read(outcome, settled, (message) => crashed(asked, `${step} ${message}`)) }),
  };
}

/**
 * Drives chains side by side in rounds: the next call of every unfinished chain in one Task.all, after one durable
 * timer for the longest wait any of them needs. Each served chain keeps its value (`served`); the result is the
 * failure message of every chain that failed.
 */
function* driveChains(context: OrchestrationContext, chains: OrchestratedChain[], afterRound: () => void): Generator<Task, string[], unknown> {
  for (;;) {
    const steps = chains.map((chain): { chain: OrchestratedChain; step: Step } => ({ chain, step: chain.providers === undefined ? FIRST_CALL : nextStep(chain.providers, chain.attempts, RETRY_POLICY) }));
    const calls = steps.flatMap(({ chain, step }) => (step.action === 'call' ? [{ chain, step }] : []));
    if (calls.length === 0) return steps.flatMap(({ step }) => (step.action === 'failed' ? [step.message] : []));

    const waitMs = Math.max(...calls.map(({ step }) => step.waitMs));
    if (waitMs > 0) yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + waitMs));
    const answers = yield* settle(context, calls.map(({ chain, step }) => chain.call(step.provider)));
    calls.forEach(({ chain, step }, i) => record(chain, step.provider, answers[i] as Settled));
    afterRound();
  }
}

function record(chain: OrchestratedChain, asked: FailureSource | undefined, settled: Settled): void {
  const { providers, result } = chain.answer(settled, asked);
  chain.providers ??= providers ?? [];
  const provider = result.ok ? (asked ?? chain.providers[0] ?? 'host') : result.error.provider;
  chain.attempts.push(result.ok ? { provider } : { provider, failure: result.error });
  if (result.ok) chain.served = result.value;
}

/** A task's end: the activity's answer, or the first line of what the host reported when the activity crashed. */
type Settled = { readonly answer: unknown } | { readonly crash: string };

/**
 * Waits for every task. Task.all fails as soon as one task fails in the host, so the others are then awaited one by
 * one (they are already scheduled: yielding them again adds no action).
 */
function* settle(context: OrchestrationContext, tasks: Task[]): Generator<Task, Settled[], unknown> {
  try {
    yield tasks.length === 1 ? (tasks[0] as Task) : context.df.Task.all(tasks);
  } catch {
    for (const task of tasks.filter((t) => !t.isCompleted && !t.isFaulted)) {
      try {
        yield task;
      } catch {
        // Read below, from the task itself.
      }
    }
  }
  return tasks.map((task) => (task.isFaulted ? { crash: cleanUpstreamText(errorMessage(task.result)) } : { answer: task.result }));
}

/** An activity's answer checked against its schema (it crossed a JSON boundary); a crash or a bad shape go to `otherwise`. */
function read<S extends z.ZodType, F>(schema: S, settled: Settled, otherwise: (message: string) => F): z.output<S> | F {
  if ('crash' in settled) return otherwise(`crashed in the host: ${settled.crash}`);
  const parsed = schema.safeParse(settled.answer);
  return parsed.success ? parsed.data : otherwise(`answered in an unexpected shape: ${describeIssues(parsed.error, 'answer')}`);
}

/** A crash is permanent: whatever killed the activity would kill the next attempt too. */
const crashed = (asked: FailureSource | undefined, message: string): ProviderResult<never> =>
  failure({ provider: asked ?? 'host', kind: 'permanent', message } satisfies ProviderFailure);
