import type { Timer } from '@azure/functions';
import { parseBusinessDate, utcDateOf } from '../domain/businessDate.js';
import { startRunFor, type RunStarterClient, type StartDecision } from './startSingleton.js';

export interface StarterLog {
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
}

/**
 * The business date a timer firing is for: today (UTC), or, when the firing is late (host down at 18:00),
 * the date of the occurrence that was due.
 */
export function dueDate(timer: Timer, now: Date): string {
  const due = timer.isPastDue && timer.scheduleStatus?.next ? new Date(timer.scheduleStatus.next) : undefined;
  return due && !Number.isNaN(due.getTime()) && due <= now ? utcDateOf(due) : utcDateOf(now);
}

/** The weekday timer: starts the day's run as a singleton. A weekend firing (a mis-set schedule) starts nothing. */
export async function startDailyRun(
  timer: Timer,
  client: RunStarterClient,
  log: StarterLog,
  now: Date,
): Promise<StartDecision | undefined> {
  const date = parseBusinessDate(dueDate(timer, now), now);
  if (!date.ok) {
    log.warn(`fx-gold: no run started: ${date.error}`);
    return undefined;
  }
  const decision = await startRunFor(client, date.value, { force: false });
  log.log(`fx-gold: ${date.value}${timer.isPastDue ? ' (past due)' : ''}: ${decision.action} ${decision.instanceId}`);
  return decision;
}
