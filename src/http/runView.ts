import * as df from 'durable-functions';
import type { DurableOrchestrationStatus } from 'durable-functions';
import { redact } from '../domain/failureText.js';
import { dateOfInstanceId } from '../orchestration/contract.js';

/** What operators see of a run. A failed run's output is its error message, so it moves to `error`. */
export interface RunView {
  readonly instanceId: string;
  readonly date: string | null;
  readonly runtimeStatus: string;
  readonly createdTime: string;
  readonly lastUpdatedTime: string;
  readonly customStatus: unknown;
  readonly output: unknown;
  readonly error: string | null;
}

export function toRunView(status: DurableOrchestrationStatus, secrets: readonly string[]): RunView {
  const failed = status.runtimeStatus === df.OrchestrationRuntimeStatus.Failed;
  const view: RunView = {
    instanceId: status.instanceId,
    date: dateOfInstanceId(status.instanceId) ?? null,
    runtimeStatus: status.runtimeStatus,
    createdTime: new Date(status.createdTime).toISOString(),
    lastUpdatedTime: new Date(status.lastUpdatedTime).toISOString(),
    customStatus: status.customStatus ?? null,
    output: failed ? null : (status.output ?? null),
    error: failed ? failureText(status.output) : null,
  };
  return scrubbed(view, secrets);
}

/** Belt and braces: nothing an orchestration recorded may carry a key or a connection string out. */
export const scrubbed = <T>(view: T, secrets: readonly string[]): T => JSON.parse(redact(JSON.stringify(view), secrets)) as T;

/** The extension reports a failure as a message string; anything else is shown as JSON rather than "[object Object]". */
export const failureText = (output: unknown): string =>
  typeof output === 'string' ? output : output == null ? 'failed' : JSON.stringify(output);
