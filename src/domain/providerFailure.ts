import { z } from 'zod';
import { cleanUpstreamText, errorMessage, redact } from './failureText.js';
import { failure, type Result } from './result.js';

/** The upstreams the job depends on: the three providers, and the table it writes to. */
export const ProviderNameSchema = z.enum(['frankfurter', 'exchangeratehost', 'goldapi', 'currencyapi', 'storage']);
export type ProviderName = z.infer<typeof ProviderNameSchema>;

/**
 * What a failure is about: an upstream; the app's own settings (read where the work is done, so they fail there); or
 * the Functions host, when an activity crashed there before it could say which provider it asked.
 */
export const FailureSourceSchema = z.union([ProviderNameSchema, z.enum(['settings', 'host'])]);
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
});
export type ProviderFailure = z.infer<typeof ProviderFailureSchema>;

export type ProviderResult<T> = Result<T, ProviderFailure>;

export const transient = (provider: FailureSource, message: string, retryAfterSeconds?: number): ProviderResult<never> =>
  failure({ provider, kind: 'transient', message, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });

export const permanent = (provider: FailureSource, message: string): ProviderResult<never> =>
  failure({ provider, kind: 'permanent', message });

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
export const redactFailure = (f: ProviderFailure, secrets: readonly string[]): ProviderFailure => ({ ...f, message: redact(f.message, secrets) });
