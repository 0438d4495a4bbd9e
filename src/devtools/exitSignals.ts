import { constants } from 'node:os';

export type ExitSignal = 'SIGINT' | 'SIGTERM';

/** The exit code a shell reports for a process ended by `signal`: 128 + its number (SIGINT 130, SIGTERM 143). */
export const exitCodeFor = (signal: ExitSignal): number => 128 + constants.signals[signal];

/**
 * Calls `onSignal` for SIGINT and SIGTERM instead of Node's default (exit at once), so a runner can stop what it
 * started first. Returns the function that removes the handlers.
 */
export function onExitSignals(onSignal: (signal: ExitSignal) => void): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => [signal, () => onSignal(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
