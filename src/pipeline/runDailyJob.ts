import { setTimeout as sleepFor } from 'node:timers/promises';
import type { FxGoldRow } from '../domain/fxGoldRow.js';
import { describeFailure, type FailureSource, type ProviderResult } from '../domain/providerFailure.js';
import type { QuoteRequest } from '../domain/quotes.js';
import { failure, success, type Result } from '../domain/result.js';
import type { JobDependencies } from './jobDependencies.js';
import type { SaveOutcome } from '../storage/fxGoldTable.js';
import type { AcceptableGate } from '../quality/gate.js';
import { askProvider, chainOf, checkRow, saveRow, type QuoteKind } from './jobSteps.js';
import { nextStep, RETRY_POLICY, viewOf, type AttemptView, type ChainAttempt, type RetryPolicy } from './providerChain.js';

export interface RunOptions {
  /** false: each provider (and the table) is asked once, for scripts that want the first answer. */
  readonly retry: boolean;
  /** Told one line per retry or hand-over, e.g. `goldapi: server error, HTTP 503 (transient); retrying in 5 s (attempt 2 of 4)`. */
  readonly onRetry?: (line: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Quality gates the operator vouches for (`--accept-quality plausibility`): their failures flag the row instead. */
  readonly accepted?: readonly AcceptableGate[];
}

export interface DailyJobResult {
  readonly row: FxGoldRow;
  /** What the store did with the row. */
  readonly saved: SaveOutcome;
  /** Every provider call of both fetch chains. */
  readonly attempts: readonly AttemptView[];
}

/**
 * The whole job without the Functions host, with the same steps and the same chain decisions as the orchestrator:
 * both failover chains at once, then the row, then one upsert (retried like the providers). Nothing is written unless
 * both chains served and the row is valid. The failure is one message with every provider's reason.
 */
export async function runDailyJob(request: QuoteRequest, deps: JobDependencies, options: RunOptions): Promise<Result<DailyJobResult, string>> {
  const policy: RetryPolicy = options.retry ? RETRY_POLICY : { ...RETRY_POLICY, attempts: 1 };
  const driver = { policy, onRetry: options.onRetry ?? (() => {}), sleep: options.sleep ?? ((ms: number) => sleepFor(ms)) };
  const fetchChain = <K extends QuoteKind>(kind: K) => drive(chainOf(deps, kind), (provider) => askProvider(kind, provider, request, deps), driver);

  const [rates, gold] = await Promise.all([fetchChain('rates'), fetchChain('gold')]);
  const attempts = [...rates.attempts.map((a) => viewOf('rates', a)), ...gold.attempts.map((a) => viewOf('gold', a))];
  if (!rates.outcome.ok || !gold.outcome.ok) return failure([rates.outcome, gold.outcome].flatMap((o) => (o.ok ? [] : [o.error])).join('; '));

  // Reading the row to compare with may pass on a retry; a refused row fails at once (its failure names no chain member).
  const quotes = { rates: rates.outcome.value, gold: gold.outcome.value };
  const row = await drive(['storage'] as const, () => checkRow({ date: request.date, mode: request.mode, accepted: options.accepted ?? [] }, quotes, deps), driver);
  if (!row.outcome.ok) return failure(row.outcome.error);
  const checked = row.outcome.value;
  const saved = await drive(['storage'] as const, () => saveRow(checked, deps), driver);
  if (!saved.outcome.ok) return failure(saved.outcome.error);
  return success({ row: checked, saved: saved.outcome.value, attempts });
}

interface Driver {
  readonly policy: RetryPolicy;
  readonly onRetry: (line: string) => void;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Follows one chain's decisions with real waits until it is served or has failed with every attempt. */
async function drive<P extends FailureSource, T>(providers: readonly P[], call: (provider: P) => Promise<ProviderResult<T>>, driver: Driver) {
  const attempts: ChainAttempt[] = [];
  let served: T | undefined;
  for (;;) {
    const step = nextStep(providers, attempts, driver.policy);
    if (step.action === 'done') return { attempts, outcome: success(served as T) };
    if (step.action === 'failed') return { attempts, outcome: failure(step.message) };
    const previous = attempts.at(-1)?.failure;
    if (previous) driver.onRetry(`${describeFailure(previous)}; ${step.attempt > 1 ? `retrying in ${step.waitMs / 1_000} s (attempt ${step.attempt} of ${driver.policy.attempts})` : `asking ${step.provider} instead`}`);
    if (step.waitMs > 0) await driver.sleep(step.waitMs);
    const result = await call(step.provider);
    attempts.push(result.ok ? { provider: step.provider } : { provider: step.provider, failure: result.error });
    if (result.ok) served = result.value;
  }
}
