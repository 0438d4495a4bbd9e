import { z } from 'zod';
import { describeFailure, FailureSourceSchema, type FailureSource, type Failure } from '../domain/failure.js';

/**
 * How often and how patiently a dependency is asked again after a transient failure: 4 attempts, 5 s then 10 s then
 * 20 s apart, or longer when the dependency says so (Retry-After), but never more than a minute. One constant for the
 * Functions app (durable timers) and the local runner (sleeps), so both give up at the same point.
 */
export const RETRY_POLICY: RetryPolicy = { attempts: 4, firstWaitMs: 5_000, backoff: 2, maxWaitMs: 60_000 };
export interface RetryPolicy {
  /** Calls of one provider in all, the first included. */
  readonly attempts: number;
  readonly firstWaitMs: number;
  readonly backoff: number;
  /** The longest wait: caps the back-off and a provider's Retry-After. */
  readonly maxWaitMs: number;
}

/** One call of a chain: who was asked, and the failure, if it failed. */
export interface ChainAttempt {
  readonly provider: FailureSource;
  readonly failure?: Failure;
}

/** What a chain driver does next. `call` first waits `waitMs` (0 for a provider's first attempt). */
export type ChainStep<P extends FailureSource> =
  | { readonly action: 'call'; readonly provider: P; readonly attempt: number; readonly waitMs: number }
  | { readonly action: 'done' }
  | { readonly action: 'failed'; readonly message: string };

/** The wait after failed attempt `n` (1-based): the back-off, or the provider's Retry-After when longer, up to the cap. */
export function waitAfter(attempt: number, retryAfterSeconds: number | undefined, policy: RetryPolicy = RETRY_POLICY): number {
  const backoff = Math.min(policy.firstWaitMs * policy.backoff ** (attempt - 1), policy.maxWaitMs);
  const asked = Math.min((retryAfterSeconds ?? 0) * 1_000, policy.maxWaitMs);
  return Math.max(backoff, asked);
}

/**
 * A failover chain's next move, from the ordered providers of one kind and the attempts so far. The last attempt
 * decides: served → done; a transient failure with attempts left → the same provider again after the wait; a
 * permanent failure, or a transient one with no attempt left → the next provider; none left → failed, with every
 * provider's reason. Pure, so the orchestrator (durable timers) and the runner (sleeps) drive the same decisions.
 */
export function nextStep<P extends FailureSource>(
  providers: readonly P[],
  attempts: readonly ChainAttempt[],
  policy: RetryPolicy = RETRY_POLICY,
): ChainStep<P> {
  const last = attempts.at(-1);
  if (!last)
    return providers[0] === undefined
      ? { action: 'failed', message: 'no provider configured' }
      : { action: 'call', provider: providers[0], attempt: 1, waitMs: 0 };
  if (!last.failure) return { action: 'done' };
  const tries = attempts.filter((a) => a.provider === last.provider).length;
  const same = providers.find((p) => p === last.provider);
  if (same !== undefined && last.failure.kind === 'transient' && tries < policy.attempts) {
    return { action: 'call', provider: same, attempt: tries + 1, waitMs: waitAfter(tries, last.failure.retryAfterSeconds, policy) };
  }
  // A failure that names no provider of the chain (the settings) ends it: every provider would meet it.
  const next = same === undefined ? undefined : providers[providers.indexOf(same) + 1];
  return next === undefined
    ? { action: 'failed', message: chainFailure(attempts) }
    : { action: 'call', provider: next, attempt: 1, waitMs: 0 };
}

/** Every provider's last reason, in the order they were asked; "gave up" says its retries ran out. */
export function chainFailure(attempts: readonly ChainAttempt[]): string {
  const asked = [...new Set(attempts.map((a) => a.provider))];
  return asked
    .map((provider) => {
      const own = attempts.filter((a) => a.provider === provider && a.failure);
      const lastFailure = own.at(-1)?.failure;
      if (!lastFailure) return undefined;
      return lastFailure.kind === 'transient'
        ? `${describeFailure(lastFailure)} (gave up after ${own.length} attempt${own.length === 1 ? '' : 's'})`
        : describeFailure(lastFailure);
    })
    .filter((reason): reason is string => reason !== undefined)
    .join('; ');
}

/** One attempt as the run's output and status show it. `chain` says which quote it was for (a provider may serve both). */
export const AttemptViewSchema = z.object({
  chain: z.enum(['rates', 'gold']),
  provider: FailureSourceSchema,
  outcome: z.enum(['served', 'transient', 'permanent']),
  reason: z.string().optional(),
});
export type AttemptView = z.infer<typeof AttemptViewSchema>;

export const viewOf = (chain: AttemptView['chain'], attempt: ChainAttempt): AttemptView =>
  attempt.failure
    ? { chain, provider: attempt.provider, outcome: attempt.failure.kind, reason: attempt.failure.message }
    : { chain, provider: attempt.provider, outcome: 'served' };
