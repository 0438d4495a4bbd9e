import { setTimeout as sleepFor } from 'node:timers/promises';
import { describeFailure, type FailureSource, type Outcome } from '../domain/failure.js';
import { failure, success, type Result } from '../domain/result.js';
import { nextStep, RETRY_POLICY, type ChainAttempt, type RetryPolicy } from './providerChain.js';

/**
 * The host-free driver of providerChain's decisions, with real waits: the local runner (runDailyJob) and the backfill
 * (src/backfill/runChunk.ts) both drive their chains with it; the orchestrator drives the same decisions with timers.
 */
export interface DriveOptions {
  /** false: each provider (and the table) is asked once, for scripts that want the first answer. */
  readonly retry: boolean;
  /** Told one line per retry or hand-over, e.g. `goldapi: server error, HTTP 503 (transient); retrying in 5 s (attempt 2 of 4)`. */
  readonly onRetry?: (line: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface Driver {
  readonly policy: RetryPolicy;
  readonly onRetry: (line: string) => void;
  readonly sleep: (ms: number) => Promise<void>;
}

export const driverFor = (options: DriveOptions): Driver => ({
  policy: options.retry ? RETRY_POLICY : { ...RETRY_POLICY, attempts: 1 },
  onRetry: options.onRetry ?? (() => {}),
  sleep: options.sleep ?? ((ms: number) => sleepFor(ms)),
});

export interface Driven<T> {
  /** Every call made, in order. */
  readonly attempts: readonly ChainAttempt[];
  readonly outcome: Result<T, string>;
}

/** Follows one chain's decisions with real waits until it is served or has failed with every attempt. */
export async function drive<P extends FailureSource, T>(
  providers: readonly P[],
  call: (provider: P) => Promise<Outcome<T>>,
  driver: Driver,
): Promise<Driven<T>> {
  const attempts: ChainAttempt[] = [];
  let served: T | undefined;
  for (;;) {
    const step = nextStep(providers, attempts, driver.policy);
    if (step.action === 'done') return { attempts, outcome: success(served as T) };
    if (step.action === 'failed') return { attempts, outcome: failure(step.message) };
    const previous = attempts.at(-1)?.failure;
    if (previous)
      driver.onRetry(
        `${describeFailure(previous)}; ${step.attempt > 1 ? `retrying in ${step.waitMs / 1_000} s (attempt ${step.attempt} of ${driver.policy.attempts})` : `asking ${step.provider} instead`}`,
      );
    if (step.waitMs > 0) await driver.sleep(step.waitMs);
    const result = await call(step.provider);
    attempts.push(result.ok ? { provider: step.provider } : { provider: step.provider, failure: result.error });
    if (result.ok) served = result.value;
  }
}
