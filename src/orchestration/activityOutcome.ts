import { ProviderFailureError, describeFailure, type ProviderResult } from '../domain/providerFailure.js';
import { redact } from '../domain/failureText.js';
import { failure, type Result } from '../domain/result.js';
import { SettingsError } from '../config/settings.js';

/**
 * What an activity hands back to the orchestrator. Permanent failures travel as values, so Durable does
 * not retry them; transient ones are thrown, because a throw is what makes Durable retry.
 */
export type ActivityOutcome<T> = Result<T, string>;

export function toActivityOutcome<T>(result: ProviderResult<T>, secrets: readonly string[]): ActivityOutcome<T> {
  if (result.ok) return result;
  if (result.error.kind === 'transient') throw new ProviderFailureError({ ...result.error, message: redact(result.error.message, secrets) });
  return failure(redact(describeFailure(result.error), secrets));
}

/** Runs activity work; a settings problem is permanent (a retry would read the same settings). */
export async function settingsSafe<T>(work: () => Promise<ActivityOutcome<T>> | ActivityOutcome<T>): Promise<ActivityOutcome<T>> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SettingsError) return failure(error.message);
    throw error;
  }
}
