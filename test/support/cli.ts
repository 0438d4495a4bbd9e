import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
