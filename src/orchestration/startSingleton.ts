import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import type { BusinessDate } from '../domain/businessDate.js';
import type { AcceptableGate } from '../quality/gate.js';
import { FunctionNames } from '../functions/names.js';
import { instanceIdFor, type RunInput } from './contract.js';

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
export function startRunFor(
  client: RunStarterClient,
  date: BusinessDate,
  options: { force: boolean; acceptQuality?: readonly AcceptableGate[] },
): Promise<StartDecision> {
  const input: RunInput = { date, acceptQuality: [...(options.acceptQuality ?? [])] };
  return startSingleton(client, {
    name: FunctionNames.orchestrator,
    instanceId: instanceIdFor(date),
    input,
    replaceCompleted: options.force,
  });
}

/** Starts `name` as `instanceId` unless that instance is active, or completed and `replaceCompleted` is not set. */
export async function startSingleton(
  client: RunStarterClient,
  start: { name: string; instanceId: string; input: unknown; replaceCompleted: boolean },
): Promise<StartDecision> {
  const { instanceId } = start;
  const status = await existingStatus(client, instanceId);
  if (status && isActive(status.runtimeStatus)) return { action: 'alreadyRunning', instanceId, runtimeStatus: status.runtimeStatus };
  if (status?.runtimeStatus === df.OrchestrationRuntimeStatus.Completed && !start.replaceCompleted)
    return { action: 'alreadyCompleted', instanceId };
  try {
    await client.startNew(start.name, { instanceId, input: start.input });
  } catch (error) {
    // Another start for the same instance won the race between our look and our start (host.json only lets a start
    // replace an instance that is not running): report that one instead of failing.
    const winner = await existingStatus(client, instanceId);
    if (winner && isActive(winner.runtimeStatus)) return { action: 'alreadyRunning', instanceId, runtimeStatus: winner.runtimeStatus };
    throw error;
  }
  return { action: 'started', instanceId };
}

export const isActive = (runtimeStatus: string): boolean => ACTIVE.has(runtimeStatus);

/** The durable client throws on an unknown instance; its message quotes the extension's HTTP 404. */
export const isNotFound = (error: unknown): boolean => error instanceof Error && /replied with HTTP 404 response/.test(error.message);

/** The instance's status, or undefined when there is none. */
export async function existingStatus(client: Pick<DurableClient, 'getStatus'>, instanceId: string) {
  try {
    return await client.getStatus(instanceId);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
