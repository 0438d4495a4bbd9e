import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command, OutputStream } from '../../src/cli/commandIo.js';

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface StartedCli {
  /** The running process, for signals. */
  readonly child: ChildProcess;
  /** Everything it printed so far. */
  readonly output: () => CliRun;
  readonly done: Promise<CliRun>;
}

/** Starts a compiled entry point (`npm run once`, `npm start`) as a user would, with only the given environment. */
export function startCli(
  entry: 'once' | 'start' | 'dashboard' | 'export' | 'backfill',
  args: string[],
  env: Record<string, string>,
  cwd: string,
): StartedCli {
  const script = fileURLToPath(new URL(`../../dist/src/cli/${entry}.js`, import.meta.url));
  const child = spawn(process.execPath, [script, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, output: () => ({ code: child.exitCode, stdout, stderr }), done };
}

/** Runs a compiled entry point to its end. */
export const runCli = (
  entry: 'once' | 'start' | 'export' | 'backfill',
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<CliRun> => startCli(entry, args, env, cwd).done;

type InProcessEntry = 'once' | 'export' | 'backfill' | 'dashboard';

/** The command behind each entry point, loaded on first use (the dashboard's pulls in the built page). */
const commands: Record<InProcessEntry, () => Promise<Command>> = {
  once: async () => (await import('../../src/cli/onceCommand.js')).onceCommand,
  export: async () => (await import('../../src/cli/exportCommand.js')).exportCommand,
  backfill: async () => (await import('../../src/cli/backfillCommand.js')).backfillCommand,
  dashboard: async () => (await import('../../src/cli/dashboardCommand.js')).dashboardCommand,
};

/** A stream that keeps what is written to it, as text. */
function capture(): OutputStream & { text: () => string } {
  const chunks: Buffer[] = [];
  return { write: (chunk) => chunks.push(Buffer.from(chunk)), text: () => Buffer.concat(chunks).toString() };
}

/**
 * Runs a command in this process, with only the given environment, as `runCli` runs it in a child process: the same
 * arguments, exit code, stdout and stderr, without a Node start per case. For what only a process shows (signals,
 * the exit code as the shell sees it, Azurite started and stopped for the command) use `runCli`.
 */
export async function runCommand(
  entry: InProcessEntry,
  args: string[],
  env: Record<string, string>,
  cwd: string,
  signal: AbortSignal = new AbortController().signal,
): Promise<CliRun> {
  const [stdout, stderr] = [capture(), capture()];
  const code = await (await commands[entry]())(args, { env, cwd, stdout, stderr, signal });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
