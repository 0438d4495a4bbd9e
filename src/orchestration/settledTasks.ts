import type { OrchestrationContext, Task } from 'durable-functions';
import type { z } from 'zod';
import { cleanUpstreamText, describeIssues, errorMessage } from '../domain/failureText.js';

/** Waiting for activities and reading their answers, the same way in every orchestrator. */

/** A task's end: the activity's answer, or the first line of what the host reported when the activity crashed. */
export type Settled = { readonly answer: unknown } | { readonly crash: string };

/**
 * Waits for every task. Task.all fails as soon as one task fails in the host, so the others are then awaited one by
 * one (they are already scheduled: yielding them again adds no action).
 */
export function* settle(context: OrchestrationContext, tasks: Task[]): Generator<Task, Settled[], unknown> {
  try {
    yield tasks.length === 1 ? (tasks[0] as Task) : context.df.Task.all(tasks);
  } catch {
    for (const task of tasks.filter((t) => !t.isCompleted && !t.isFaulted)) {
      try {
        yield task;
      } catch {
        // Read below, from the task itself.
      }
    }
  }
  return tasks.map(settledOf);
}

/** An activity's answer checked against its schema (it crossed a JSON boundary); a crash or a bad shape go to `otherwise`. */
export function read<S extends z.ZodType, F>(schema: S, settled: Settled, otherwise: (message: string) => F): z.output<S> | F {
  if ('crash' in settled) return otherwise(`crashed in the host: ${settled.crash}`);
  const parsed = schema.safeParse(settled.answer);
  return parsed.success ? parsed.data : otherwise(`answered in an unexpected shape: ${describeIssues(parsed.error, 'answer')}`);
}

/** How a task that is no longer running ended. */
export const settledOf = (task: Task): Settled =>
  task.isFaulted ? { crash: cleanUpstreamText(errorMessage(task.result)) } : { answer: task.result };
