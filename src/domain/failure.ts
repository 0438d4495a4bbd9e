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

/** Which quality gate refused a row, and over which column (src/quality/gate.ts names the gates). */
export const GateRefusalSchema = z.object({ gate: z.string(), column: z.string() });

/**
 * The one failure type of the app: what failed (`source`, see FailureSourceSchema), whether trying again can help
 * (`transient`: network, timeout, 5xx, 429; `permanent`: bad key, quota, unknown currency, invalid body, a refused
 * row, fail the same way on every attempt), and a message for people. A value, returned; thrown only where Durable
 * needs a throw to retry.
 */
export const FailureSchema = z.object({
  source: FailureSourceSchema,
  kind: z.enum(['transient', 'permanent']),
  message: z.string(),
  retryAfterSeconds: z.number().optional(),
  /**
   * The provider answered that it has no data for the date asked (a day its market did not trade, such as an LBMA
   * holiday): permanent, and not the provider's fault. A backfill reports such a date as a gap, not a failure.
   */
  noData: z.literal(true).optional(),
  /** For a row a quality gate refused (source `quality`): the gate and the column, beside the message with the values. */
  refusal: GateRefusalSchema.optional(),
});
export type Failure = z.infer<typeof FailureSchema>;

export type Outcome<T> = Result<T, Failure>;

export const transient = (source: FailureSource, message: string, retryAfterSeconds?: number): Outcome<never> =>
  failure({ source, kind: 'transient', message, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });

export const permanent = (source: FailureSource, message: string): Outcome<never> => failure({ source, kind: 'permanent', message });

/** The provider has no data for the date asked (see Failure.noData). */
export const noData = (source: FailureSource, message: string): Outcome<never> =>
  failure({ source, kind: 'permanent', message, noData: true });

/** A quality gate refused the row: permanent, with the gate and the column kept beside the message (which has the values). */
export const refused = (refusal: z.infer<typeof GateRefusalSchema>, message: string): Outcome<never> =>
  failure({ source: 'quality', kind: 'permanent', message, refusal });

/** One line naming the provider, for logs, CLI output and orchestration errors. */
export function describeFailure(f: Failure): string {
  const retry = f.retryAfterSeconds === undefined ? '' : `, retry after ${f.retryAfterSeconds}s`;
  return `${f.source}: ${f.message} (${f.kind}${retry})`;
}

/**
 * Whatever a step threw instead of returning a failure (a bug, a library's surprise such as a RangeError): it would
 * be thrown again on the next attempt, so it is permanent, and it names the step and the provider it was working for.
 */
export const unexpectedFailure = (source: FailureSource, step: string, error: unknown): Outcome<never> =>
  permanent(source, `${step} failed unexpectedly: ${cleanUpstreamText(errorMessage(error))}`);

/** The failure with every secret scrubbed from its message, before it leaves the step that met it. */
export const redactFailure = (f: Failure, secrets: readonly string[]): Failure => ({
  ...f,
  message: redact(f.message, secrets),
});
