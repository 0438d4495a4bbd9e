import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';


export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a compiled entry point (`npm run once`, `npm start`) as a user would, with only the given environment. */
export function runCli(entry: 'once' | 'start', args: string[], env: Record<string, string>, cwd: string): Promise<CliRun> {
  const script = fileURLToPath(new URL(`../../dist/src/cli/${entry}.js`, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
