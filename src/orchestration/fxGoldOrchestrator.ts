import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import type { z } from 'zod';
import { errorMessage } from '../domain/failureText.js';
import type { FailureSource, Failure, Outcome } from '../domain/failure.js';
import { quoteRequestFor, type CurrencyRates, type GoldQuote, type QuoteRequest } from '../domain/quotes.js';
import { failure } from '../domain/result.js';
import { nextStep, RETRY_POLICY, viewOf, type AttemptView, type ChainAttempt, type ChainStep } from '../pipeline/providerChain.js';
import { FetchReportSchemas, PersistOutcomeSchema, TransformOutcomeSchema, type TransformRequest } from './activityOutcome.js';
import { FunctionNames } from '../functions/names.js';
import { RunInputSchema, type RunStage } from './contract.js';
import { completedRunEvent, failedRunEvent, formatRunEvent, type RunEvent } from './runEvents.js';
import { read, settle, type Settled } from './settledTasks.js';

/**
 * fetch currency ∥ fetch gold (each a failover chain) → transform → persist. Retries are ours, not Durable's: the
 * chain decisions come from src/pipeline/providerChain.ts (the same as the local runner's) and the waits are durable
 * timers. Deterministic: no clock, randomness, I/O or settings here; the business date comes in the input, "now" from
 * the replay-safe currentUtcDateTime, and each chain's providers from the first answer of its fetch activity.
 */
export const fxGoldOrchestration: OrchestrationHandler = function* (context: OrchestrationContext) {
  const progress: RunProgress = { date: null, stage: 'starting', failed: [] };
  try {
    const output = yield* dailyRun(context, progress);
    const servedBy = output.attempts.filter((a) => a.outcome === 'served').map((a) => a.provider);
    logRunEvent(context, completedRunEvent(context.df.instanceId, output.date, servedBy));
    return output;
  } catch (error) {
    logRunEvent(context, failedRunEvent(context.df.instanceId, progress.date, progress.stage, progress.failed, errorMessage(error)));
    throw error;
  }
};

/** Where the run got to, for the run event when it fails. */
interface RunProgress {
  date: string | null;
  stage: RunEvent['stage'];
  /** The sources that failed in the chains that ended the run. */
  failed: string[];
}

/**
 * The run event (src/orchestration/runEvents.ts) that the alert rule reads. The host replays the orchestrator from the
 * start on every turn, so only the live turn logs: an ending is logged once.
 */
function logRunEvent(context: OrchestrationContext, event: RunEvent): void {
  if (context.df.isReplaying) return;
  if (event.outcome === 'failed') context.error(formatRunEvent(event));
  else context.log(formatRunEvent(event));
}

/** The error a run fails with when chains failed: their messages joined; the sources that failed go to the run event. */
function chainsFailed(progress: RunProgress, chains: readonly OrchestratedChain[], messages: readonly string[]): Error {
  progress.failed = chains
    .filter((c) => c.served === undefined)
    .flatMap((c) => c.attempts.flatMap((a) => (a.failure ? [a.failure.source] : [])));
  return new Error(messages.join('; '));
}

function* dailyRun(context: OrchestrationContext, progress: RunProgress) {
  const input = RunInputSchema.safeParse(context.df.getInput());
  if (!input.success) throw new Error(`orchestration input must be {"date":"YYYY-MM-DD"}: ${input.error.issues[0]?.message ?? 'invalid'}`);
  const { date, acceptQuality: accepted } = input.data;
  progress.date = date;
  const request = quoteRequestFor(date, context.df.currentUtcDateTime);
  const rates = fetchChain(context, 'rates', request);
  const gold = fetchChain(context, 'gold', request);
  const attempts = (): AttemptView[] => [...rates.attempts.map((a) => viewOf('rates', a)), ...gold.attempts.map((a) => viewOf('gold', a))];
  const stage = (name: RunStage) => {
    progress.stage = name;
    context.df.setCustomStatus({ date, stage: name, attempts: attempts() });
  };

  stage('fetching');
  const fetchFailures = yield* driveChains(context, [rates, gold], () => stage('fetching'));
  if (fetchFailures.length > 0) throw chainsFailed(progress, [rates, gold], fetchFailures);

  stage('transforming');
  // Only reading the row to compare with is retried (storage); a refused row names no member of the chain and ends it.
  const transformRequest: TransformRequest = {
    date,
    mode: request.mode,
    accepted,
    currency: rates.served as CurrencyRates,
    gold: gold.served as GoldQuote,
  };
  const transform = storageChain(context, FunctionNames.transformRecord, transformRequest, TransformOutcomeSchema);
  const transformFailures = yield* driveChains(context, [transform], () => {});
  if (transformFailures.length > 0) throw chainsFailed(progress, [transform], transformFailures);

  stage('persisting');
  const persist = storageChain(context, FunctionNames.persistRecord, transform.served, PersistOutcomeSchema);
  const persistFailures = yield* driveChains(context, [persist], () => {});
  if (persistFailures.length > 0) throw chainsFailed(progress, [persist], persistFailures);

  stage('completed');
  return { date, ...(persist.served as object), attempts: attempts() };
}

/** One failover chain as the orchestrator drives it. */
interface OrchestratedChain {
  /** The providers in order; unknown until the first answer reports them (the settings live in the activities). */
  providers: readonly FailureSource[] | undefined;
  readonly attempts: ChainAttempt[];
  served?: unknown;
  readonly call: (provider: FailureSource | undefined) => Task;
  readonly answer: (
    settled: Settled,
    asked: FailureSource | undefined,
  ) => { providers?: readonly FailureSource[]; result: Outcome<unknown> };
}

/** Until a chain's providers are known, its first call goes to "the first configured", whichever that is. */
type Step = ChainStep<FailureSource> | typeof FIRST_CALL;
const FIRST_CALL = { action: 'call', provider: undefined, attempt: 1, waitMs: 0 } as const;

function fetchChain(context: OrchestrationContext, kind: 'rates' | 'gold', request: QuoteRequest): OrchestratedChain {
  const step = kind === 'rates' ? FunctionNames.fetchCurrencyRates : FunctionNames.fetchGoldPrice;
  return {
    providers: undefined,
    attempts: [],
    call: (provider) => context.df.callActivity(step, { request, ...(provider ? { provider } : {}) }),
    answer: (settled, asked) => {
      const report = read(FetchReportSchemas[kind], settled, (message) => ({ chain: [], result: crashed(asked, `${step} ${message}`) }));
      return { providers: report.chain, result: report.result };
    },
  };
}

/** A step on the table, retried like a provider: `storage` is its only member, so any other failure ends it. */
function storageChain(
  context: OrchestrationContext,
  step: string,
  input: unknown,
  outcome: z.ZodType<Outcome<unknown>>,
): OrchestratedChain {
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
function* driveChains(
  context: OrchestrationContext,
  chains: OrchestratedChain[],
  afterRound: () => void,
): Generator<Task, string[], unknown> {
  for (;;) {
    const steps = chains.map((chain): { chain: OrchestratedChain; step: Step } => ({
      chain,
      step: chain.providers === undefined ? FIRST_CALL : nextStep(chain.providers, chain.attempts, RETRY_POLICY),
    }));
    const calls = steps.flatMap(({ chain, step }) => (step.action === 'call' ? [{ chain, step }] : []));
    if (calls.length === 0) return steps.flatMap(({ step }) => (step.action === 'failed' ? [step.message] : []));

    const waitMs = Math.max(...calls.map(({ step }) => step.waitMs));
    if (waitMs > 0) yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + waitMs));
    const answers = yield* settle(
      context,
      calls.map(({ chain, step }) => chain.call(step.provider)),
    );
    calls.forEach(({ chain, step }, i) => record(chain, step.provider, answers[i] as Settled));
    afterRound();
  }
}

function record(chain: OrchestratedChain, asked: FailureSource | undefined, settled: Settled): void {
  const { providers, result } = chain.answer(settled, asked);
  chain.providers ??= providers ?? [];
  const provider = result.ok ? (asked ?? chain.providers[0] ?? 'host') : result.error.source;
  chain.attempts.push(result.ok ? { provider } : { provider, failure: result.error });
  if (result.ok) chain.served = result.value;
}

/** A crash is permanent: whatever killed the activity would kill the next attempt too. */
const crashed = (asked: FailureSource | undefined, message: string): Outcome<never> =>
  failure({ source: asked ?? 'host', kind: 'permanent', message } satisfies Failure);
