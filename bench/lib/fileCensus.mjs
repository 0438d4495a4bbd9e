import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Counts the files a child opens, in one extra run per variant outside the timed runs (tracing slows a process
// down many times; the count does not depend on timing). strace counts every successful open/openat syscall of
// every thread, so nothing is missed; without strace (or where ptrace is not allowed) a preload counts the
// files opened through Node's fs module, which misses native opens and so says less. The method is reported.

const COUNT_OPENS = fileURLToPath(new URL('../child/countOpens.cjs', import.meta.url));

/** `{ total, nodeModules, method }` for `node <args>` run in `cwd` with `env`. */
export function countOpenedFiles(args, { cwd, env }) {
  return viaStrace(args, { cwd, env }) ?? viaPreload(args, { cwd, env });
}

function viaStrace(args, { cwd, env }) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-strace-'));
  try {
    // -ff: one file per thread, so no call is split across "unfinished"/"resumed" lines.
    const traced = spawnSync(
      'strace',
      ['-f', '-ff', '-qq', '-e', 'trace=open,openat,openat2', '-o', join(dir, 'trace'), process.execPath, ...args],
      {
        cwd,
        env,
        stdio: 'ignore',
      },
    );
    if (traced.error || traced.status !== 0) return undefined;
    const paths = readdirSync(dir).flatMap((file) =>
      readFileSync(join(dir, file), 'utf8')
        .split('\n')
        // A successful open of a file (not a directory listing): `openat(AT_FDCWD, "/path", O_RDONLY|O_CLOEXEC) = 21`.
        .map((line) => /^open(?:at2?)?\((?:[^,]+, )?"([^"]*)", ([^,)]*).*\) = \d+/.exec(line))
        .filter((match) => match && !match[2].includes('O_DIRECTORY'))
        .map((match) => match[1]),
    );
    if (paths.length === 0) return undefined;
    return {
      total: paths.length,
      nodeModules: paths.filter((p) => p.includes('/node_modules/')).length,
      method: 'strace (successful open/openat syscalls, directories excluded)',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function viaPreload(args, { cwd, env }) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-opens-'));
  const file = join(dir, 'opens.json');
  try {
    const run = spawnSync(process.execPath, ['--require', COUNT_OPENS, ...args], {
      cwd,
      env: { ...env, BENCH_OPENS_FILE: file },
      stdio: 'ignore',
    });
    if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${run.status} while counting its files`);
    const paths = JSON.parse(readFileSync(file, 'utf8'));
    return {
      total: paths.length,
      nodeModules: paths.filter((p) => p.includes('node_modules')).length,
      method: "fs preload (paths opened through Node's fs module; native opens not seen)",
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
