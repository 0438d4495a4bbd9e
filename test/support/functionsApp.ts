import { createRequire } from 'node:module';
import { InvocationContext, type FunctionInput } from '@azure/functions';
import * as df from 'durable-functions';
import type { OrchestrationHistory, OrchestratorState } from './orchestrationHistory.js';

interface Registration {
  readonly metadata: {
    name: string;
    bindings: Record<string, { type: string; direction: string; name: string } & Record<string, unknown>>;
  };
  readonly callback: (triggerInput: unknown, context: InvocationContext) => Promise<unknown>;
}

const core = createRequire(import.meta.url)('./fakeFunctionsCore.cjs') as { registrations: Registration[] };

/** Imports every registration module under src/functions, as the host does with package.json "main". */
export async function loadFunctionsApp(): Promise<void> {
  for (const load of Object.values(import.meta.glob('../../src/functions/*.ts'))) await load();
}

export function registration(name: string): Registration {
  const found = core.registrations.find((r) => r.metadata.name === name);
  if (!found) throw new Error(`no function "${name}" registered; did loadFunctionsApp() run?`);
  return found;
}

export interface CapturedLog {
  readonly level: string;
  readonly message: string;
}

/**
 * Calls a registered function the way the worker does: `callback(triggerInput, context)`, with the
 * values of its extra inputs (the durable client binding) set on the context. Logs are captured.
 */
export async function invoke(
  name: string,
  triggerInput: unknown,
  extraInputValues: Record<string, unknown> = {},
  logs: CapturedLog[] = [],
): Promise<unknown> {
  const { metadata, callback } = registration(name);
  const bindings = Object.values(metadata.bindings);
  const extraInputs = bindings.filter((b) => b.direction === 'in' && !b.type.endsWith('Trigger')) as unknown as FunctionInput[];
  const context = new InvocationContext({
    functionName: name,
    invocationId: `${name}-${Math.random().toString(16).slice(2)}`,
    logHandler: (level, ...args) => logs.push({ level, message: args.map(String).join(' ') }),
    options: { trigger: bindings.find((b) => b.type.endsWith('Trigger')) as never, extraInputs, extraOutputs: [] },
  });
  for (const input of extraInputs) {
    const value = extraInputValues[input.type];
    if (value !== undefined) context.extraInputs.set(input, value);
  }
  return callback(triggerInput, context);
}

/**
 * Runs the registered orchestrator once over a history; a failed orchestration comes back as its state, not a throw.
 * What it logs through its context goes to `logs`.
 */
export async function replay(history: OrchestrationHistory, instanceId: string, logs: CapturedLog[] = []): Promise<OrchestratorState> {
  try {
    return (await invoke(history.name, history.triggerInput(instanceId), {}, logs)) as OrchestratorState;
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const marker = text.indexOf('$OutOfProcData$:');
    if (marker < 0) throw error;
    return JSON.parse(text.slice(marker + '$OutOfProcData$:'.length)) as OrchestratorState;
  }
}

/** A real DurableClient over a durable client binding value, for calling host-free handlers directly. */
export function durableClient(binding: unknown): df.DurableClient {
  const input = df.input.durableClient();
  const context = new InvocationContext({
    functionName: 'test',
    invocationId: 'test',
    options: { trigger: { type: 'httpTrigger', name: 'req' }, extraInputs: [input], extraOutputs: [] },
  });
  context.extraInputs.set(input, binding);
  return df.getClient(context);
}
