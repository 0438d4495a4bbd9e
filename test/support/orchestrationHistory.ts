/**
 * Orchestration history events in the JSON the Durable extension sends the Node worker, and the trigger input around
 * them, as durable-functions parses them (node_modules/durable-functions/lib/src/history/*.js and
 * orchestrations/Orchestrator.js):
 * - every event has `EventType`, `EventId`, `IsPlayed` and `Timestamp`; an OrchestratorStarted event is required, and
 *   `currentUtcDateTime` is its Timestamp;
 * - TaskScheduled (4) carries the sequence number as `EventId`; TaskCompleted (5) and TaskFailed (6) point back at it
 *   with `TaskScheduledId`; TaskCompleted's `Result` is a JSON string; TaskFailed has `Reason` and `Details`;
 *   TimerCreated (10) / TimerFired (11) carry `FireAt`, TimerFired points back with `TimerId`;
 * - each task gets its id when first yielded, depth-first in `Task.all` order, and completions match on those ids in
 *   any order;
 * - the trigger input needs own properties `history`, `instanceId`, `isReplaying` and `upperSchemaVersion` (from
 *   schema V3 on, `createTimer` also needs `longRunningTimerIntervalDuration` and `maximumShortTimerDuration`).
 */
export type HistoryEvent = Record<string, unknown> & { EventType: number; EventId: number };

export const EventType = {
  ExecutionStarted: 0,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
} as const;

export class OrchestrationHistory {
  readonly events: HistoryEvent[] = [];
  private clock: Date;

  constructor(
    readonly name: string,
    readonly input: unknown,
    start = new Date(),
  ) {
    this.clock = start;
    this.add(EventType.OrchestratorStarted);
    this.add(EventType.ExecutionStarted, { Name: name, Input: JSON.stringify(input), Version: '' });
  }

  /** Ends the current orchestrator episode and begins the next, as the host does between completions. */
  nextTurn(at = new Date(this.clock.getTime() + 1_000)): this {
    this.clock = at;
    this.add(EventType.OrchestratorCompleted);
    return this.add(EventType.OrchestratorStarted);
  }

  scheduled(id: number, name: string, input: unknown): this {
    return this.add(EventType.TaskScheduled, { Name: name, Input: JSON.stringify(input) }, id);
  }

  completed(taskId: number, result: unknown): this {
    return this.add(EventType.TaskCompleted, { TaskScheduledId: taskId, Result: JSON.stringify(result) });
  }

  /** An activity's unhandled exception, worded as the extension reports it to the orchestrator. */
  failed(taskId: number, functionName: string, message: string): this {
    return this.add(EventType.TaskFailed, {
      TaskScheduledId: taskId,
      Reason: `Function '${functionName}' failed with an unhandled exception.`,
      Details: `Microsoft.Azure.WebJobs.Host.FunctionInvocationException: Exception while executing function: Functions.${functionName}\n Result: Failure\nException: ${message}\nStack: Error: ${message}\n    at ${functionName}`,
    });
  }

  timerCreated(id: number, fireAt: Date): this {
    return this.add(EventType.TimerCreated, { FireAt: fireAt.toISOString() }, id);
  }

  timerFired(timerId: number, fireAt: Date): this {
    return this.add(EventType.TimerFired, { TimerId: timerId, FireAt: fireAt.toISOString() });
  }

  /** The orchestration trigger's input for this history; a fresh copy each time (the SDK mutates it). */
  triggerInput(instanceId: string) {
    return {
      history: structuredClone(this.events),
      input: structuredClone(this.input),
      instanceId,
      isReplaying: false,
      parentInstanceId: null,
      upperSchemaVersion: 1,
      upperSchemaVersionNew: 2,
      longRunningTimerIntervalDuration: '3.00:00:00',
      maximumShortTimerDuration: '6.00:00:00',
      defaultHttpAsyncRequestSleepTimeMillseconds: 30_000,
    };
  }

  private add(type: number, fields: Record<string, unknown> = {}, eventId = -1): this {
    this.events.push({ EventType: type, EventId: eventId, IsPlayed: false, Timestamp: this.clock.toISOString(), ...fields });
    return this;
  }
}

export interface OrchestratorState {
  isDone: boolean;
  actions: Array<Array<Record<string, unknown>>>;
  output?: unknown;
  customStatus?: unknown;
  error?: string;
  schemaVersion?: number;
}

/** The leaf actions in scheduling order (a WhenAll's children in place of the WhenAll). */
export function leafActions(state: OrchestratorState): Array<Record<string, unknown>> {
  const flatten = (action: Record<string, unknown>): Array<Record<string, unknown>> =>
    Array.isArray(action.compoundActions) ? (action.compoundActions as Array<Record<string, unknown>>).flatMap(flatten) : [action];
  return (state.actions[0] ?? []).flatMap(flatten);
}
