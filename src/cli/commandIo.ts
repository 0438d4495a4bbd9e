import { exitCodeFor, onExitSignals, type ExitSignal } from '../devtools/exitSignals.js';

/** Where a command writes: a process's stdout or stderr, or a test's buffer. */
export interface OutputStream {
  write(chunk: string | Uint8Array): unknown;
  readonly isTTY?: boolean;
}

/**
 * Everything a local command takes from the process it runs in, as parameters: so the same command runs as
 * `npm run once` (runAsProcess below) and in-process in a test, which passes its own environment, folder, buffers
 * and stop signal.
 */
export interface CommandIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** Aborted when the command is to stop: SIGINT or SIGTERM in a process. */
  readonly signal: AbortSignal;
}

/** A local command: its arguments and I/O in, its exit code out. */
export type Command = (argv: string[], io: CommandIo) => Promise<number>;

/**
 * Runs `command` as this process: its arguments, environment, folder and standard streams. SIGINT and SIGTERM abort
 * the command's signal instead of exiting at once, so it can leave the shared Azurite first; the process then exits
 * 130/143, abandoning whatever was still in flight (what was written stays written: every write is one upsert or
 * one batch).
 */
export async function runAsProcess(command: Command): Promise<void> {
  const stop = new AbortController();
  let stoppedBy: ExitSignal | undefined;
  const stopListening = onExitSignals((signal) => {
    stoppedBy = signal;
    stop.abort();
  });
  const io = { env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, signal: stop.signal };
  const code = await command(process.argv.slice(2), io);
  stopListening();
  if (stoppedBy !== undefined) process.exit(exitCodeFor(stoppedBy));
  process.exitCode = code;
}
