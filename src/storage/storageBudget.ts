import type { Outcome } from '../domain/failure.js';
import { success } from '../domain/result.js';
import { storageFailure, storageTimeout } from './storageFailure.js';

/** What a budgeted call needs of its client: where it goes, and what the service last answered (tableClient.ts records it). */
export interface BudgetedClient {
  readonly url: string;
  /** The service's last answer since `since` (epoch ms), e.g. `HTTP 503 ServerBusy` or `ECONNRESET`. */
  readonly lastAnswer?: (since: number) => string | undefined;
}

/**
 * Runs one storage operation under one abort signal of `timeoutMs` (storagePolicy.ts), so it ends within the budget
 * whatever the SDK retries; what it throws becomes a storage failure value naming the host, never the credential.
 * When the budget runs out during the SDK's retries, the failure says what the service last answered, so the cause
 * (a 503, a throttling 429) is not lost behind "no answer".
 */
export async function withinStorageBudget<T>(
  timeoutMs: number,
  client: BudgetedClient,
  operation: (abortSignal: AbortSignal) => Promise<T>,
): Promise<Outcome<T>> {
  const started = Date.now();
  const abortSignal = AbortSignal.timeout(timeoutMs);
  try {
    return success(await operation(abortSignal));
  } catch (error) {
    return abortSignal.aborted ? storageTimeout(timeoutMs, new URL(client.url).host, client.lastAnswer?.(started)) : storageFailure(error);
  }
}
