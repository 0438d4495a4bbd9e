import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { FunctionNames, instanceIdFor } from './contract.js';

/** The slice of the durable client that starting a run needs. */
export type RunStarterClient = Pick<DurableClient, 'getStatus' | 'startNew'>;

export type StartDecision =
  | { readonly action: 'started'; readonly instanceId: string }
  | { readonly action: 'alreadyRunning'; readonly instanceId: string; readonly runtimeStatus: string }
  | { readonly action: 'alreadyCompleted'; readonly instanceId: string };

const ACTIVE: ReadonlySet<string> = new Set([
  df.OrchestrationRuntimeStatus.Pending,
  df.OrchestrationRuntimeStatus.Running,
  df.OrchestrationRuntimeStatus.ContinuedAsNew,
  df.OrchestrationRuntimeStatus.Suspended,
]);

/**
 * One run per business date (instance `fxgold-YYYY-MM-DD`): leave an active run alone, leave a completed
 * one alone unless forced, and start afresh when there is none or the last one failed or was terminated.
 */
export async function startRunFor(client: RunStarterClient, date: string, options: { force: boolean }): Promise<StartDecision> {
  const instanceId = instanceIdFor(date);
  const status = await existingStatus(client, instanceId);
  if (status && ACTIVE.has(status.runtimeStatus)) return { action: 'alreadyRunning', instanceId, runtimeStatus: status.runtimeStatus };
  if (status?.runtimeStatus === df.OrchestrationRuntimeStatus.Completed && !options.force) return { action: 'alreadyCompleted', instanceId };
  await client.startNew(FunctionNames.orchestrator, { instanceId, input: { date } });
  return { action: 'started', instanceId };
}

/** getStatus throws on an unknown instance (HTTP 404 from the extension); that means "no run yet". */
async function existingStatus(client: RunStarterClient, instanceId: string) {
  try {
    return await client.getStatus(instanceId);
  } catch (error) {
    if (error instanceof Error && /\b404\b/.test(error.message)) return undefined;
    throw error;
  }
}
