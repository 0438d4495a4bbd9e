import type { ProviderResult } from '../domain/providerFailure.js';
import { success } from '../domain/result.js';
import { storageFailure, storageTimeout } from './storageFailure.js';

/**
 * Runs one storage operation under one abort signal of `timeoutMs` (storagePolicy.ts), so it ends within the budget
 * whatever the SDK retries; what it throws becomes a storage failure value naming `host`, never the credential.
 */
export async function withinStorageBudget<T>(
  timeoutMs: number,
  host: string,
  operation: (abortSignal: AbortSignal) => Promise<T>,
): Promise<ProviderResult<T>> {
  const abortSignal = AbortSignal.timeout(timeoutMs);
  try {
    return success(await operation(abortSignal));
  } catch (error) {
    return abortSignal.aborted ? storageTimeout(timeoutMs, host) : storageFailure(error);
  }
}
