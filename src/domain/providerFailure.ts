import { z } from 'zod';
import { cleanUpstreamText, errorMessage, redact } from './failureText.js';
import { failure, type Result } from './result.js';

/**
 * What a failure is about: a provider, by its name in the provider registry (src/clients/registry.ts); `storage`, the
 * table; `settings`, the app's own settings (read where the work is done, so they fail there); `quality`, a quality
 * gate that refused the row; `transform`, merging the quotes; or `host`, when an activity crashed in the Functions
 * host before it could say which provider it asked.
 */
export const FailureSourceSchema = z.string().regex(/^[a-z][a-z0-9]*$/, 'must be a provider or dependency name');
export type FailureSource = z.infer<typeof FailureSourceSchema>;

/**
 * Why a provider call failed. `transient` failures (network, timeout, 5xx, 429) are worth retrying;
 * `permanent` ones (bad key, quota, unknown currency, invalid body) fail the same way on every attempt.
 */
export const ProviderFailureSchema = z.object({
  provider: FailureSourceSchema,
  kind: z.enum(['transient', 'permanent']),
  message: z.string(),
  retryAfterSeconds: z.number().optional(),
  /**
   * The provider answered that it has no data for the date asked (a day its market did not trade, such as an LBMA
   * holiday): permanent, and not the provider's fault. A backfill reports such a date as a gap, not a failure.
   */
  noData: z.literal(true).optional(),
});
export type ProviderFailure = z.infer<typeof ProviderFailureSchema>;

export type ProviderResult<T> = Result<T, ProviderFailure>;

export const transient = (provider: FailureSource, message: string, retryAfterSeconds?: number): ProviderResult<never> =>
  failure({ provider, kind: 'transient', message, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });

export const permanent = (provider: FailureSource, message: string): ProviderResult<never> =>
  failure({ provider, kind: 'permanent', message });

/** The provider has no data for the date asked (see ProviderFailure.noData). */
export const noData = (provider: FailureSource, message: string): ProviderResult<never> =>
  failure({ provider, kind: 'permanent', message, noData: true });

/** One line naming the provider, for logs, CLI output and orchestration errors. */
export function describeFailure(f: ProviderFailure): string {
  const retry = f.retryAfterSeconds === undefined ? '' : `, retry after ${f.retryAfterSeconds}s`;
  return `${f.provider}: ${f.message} (${f.kind}${retry})`;
}

/**
 * Whatever a step threw instead of returning a failure (a bug, a library's surprise such as a RangeError): it would
 * be thrown again on the next attempt, so it is permanent, and it names the step and the provider it was working for.
 */
export const unexpectedFailure = (provider: FailureSource, step: string, error: unknown): ProviderResult<never> =>
  permanent(provider, `${step} failed unexpectedly: ${cleanUpstreamText(errorMessage(error))}`);

/** The failure with every secret scrubbed from its message, before it leaves the step that met it. */
export const redactFailure = (f: ProviderFailure, secrets: readonly string[]): ProviderFailure => ({
  ...f,
  message: redact(f.message, secrets),
});
