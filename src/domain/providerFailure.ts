import { z } from 'zod';
import { failure, type Result } from './result.js';

/** The upstreams the job depends on: the three providers, and the table it writes to. */
export const ProviderNameSchema = z.enum(['frankfurter', 'exchangeratehost', 'goldapi', 'storage']);
export type ProviderName = z.infer<typeof ProviderNameSchema>;

/**
 * Why a provider call failed. `transient` failures (network, timeout, 5xx, 429) are worth retrying;
 * `permanent` ones (bad key, quota, unknown currency, invalid body) fail the same way on every attempt.
 */
export const ProviderFailureSchema = z.object({
  provider: ProviderNameSchema,
  kind: z.enum(['transient', 'permanent']),
  message: z.string(),
  retryAfterSeconds: z.number().optional(),
});
export type ProviderFailure = z.infer<typeof ProviderFailureSchema>;

export type ProviderResult<T> = Result<T, ProviderFailure>;

export const transient = (provider: ProviderName, message: string, retryAfterSeconds?: number): ProviderResult<never> =>
  failure({ provider, kind: 'transient', message, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });

export const permanent = (provider: ProviderName, message: string): ProviderResult<never> =>
  failure({ provider, kind: 'permanent', message });

/** One line naming the provider, for logs, CLI output and orchestration errors. */
export function describeFailure(f: ProviderFailure): string {
  const retry = f.retryAfterSeconds === undefined ? '' : `, retry after ${f.retryAfterSeconds}s`;
  return `${f.provider}: ${f.message} (${f.kind}${retry})`;
}

/** The throw form of a ProviderFailure, for the places that need one (Durable retries, the CLI). */
export class ProviderFailureError extends Error {
  constructor(failure: ProviderFailure) {
    super(describeFailure(failure));
    this.name = 'ProviderFailureError';
  }
}
