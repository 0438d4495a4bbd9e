// `npm test`: build, then the static checks (types, formatting, lint, layers) beside the suite (vitest), not before
// it. Plain JavaScript, as build.mjs: it runs before anything is compiled.
//
// Why beside: the suite needs the build (it runs dist/), but not the checks; and it spends much of its time waiting
// on Azurite, loopback servers, child processes and Chromium, leaving about a third of two cores idle. The checks
// run at a lower priority (nice 10), so they take that idle time rather than the suite's, whose cases have time
// bounds. Their output is held and printed after the suite's, one line each, in full for a check that failed.
// Arguments go to vitest (`npm test -- --reporter=json ...`, as .ci/run passes them). The exit code is the first
// failure's, in the order build, suite, checks.
import { spawn, spawnSync } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name) => `${ROOT}node_modules/.bin/${name}`;
const CHECKS = [
  ['types (src, test)', bin('tsc'), ['-p', 'tsconfig.test.json']],
  ['types (web)', bin('tsc'), ['-p', 'web/tsconfig.json']],
  ['formatting', bin('prettier'), ['--check', '--log-level', 'warn', '.']],
  ['lint', bin('eslint'), ['.']],
  ['layers', bin('depcruise'), ['src', 'web', '--config', '.dependency-cruiser.cjs']],
];
const NICE = 10;

// A signal to `npm test` (a CI cancel, `timeout`, Ctrl+C) ends everything it started, and waits for it. Each child
// runs in its own process group, which gets the signal as a terminal would send it: vitest's workers and the Azurite
// its setup started are in its group, and would outlive a signal sent to vitest alone.
const children = new Set();
for (const [signal, number] of [
  ['SIGINT', 2],
  ['SIGTERM', 15],
  ['SIGHUP', 1],
]) {
  process.once(signal, () => {
    const ended = [...children].map((child) => {
      const closed = new Promise((resolve) => child.once('close', resolve));
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is gone already.
      }
      return closed;
    });
    void Promise.all(ended).finally(() => process.exit(128 + number));
  });
}

const built = spawnSync(process.execPath, ['src/devtools/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

/** Runs a command to its end; resolves its exit code, its output (both streams, in order) and its seconds. */
function run(command, args, { quiet, nice }) {
  const started = Date.now();
  const child = spawn(command, args, { cwd: ROOT, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', detached: true });
  children.add(child);
  child.once('close', () => children.delete(child));
  if (nice) {
    try {
      setPriority(child.pid, NICE);
    } catch {
      // Not allowed here: the check runs at the suite's priority, which only makes it slower.
    }
  }
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => {
    child.once('error', (error) => resolve({ code: 1, output: `${output}${error.message}\n`, seconds: 0 }));
    child.once('close', (code) => resolve({ code: code ?? 1, output, seconds: (Date.now() - started) / 1000 }));
  });
}

const checks = CHECKS.map(([name, command, args]) => run(command, args, { quiet: true, nice: true }).then((r) => ({ name, ...r })));
const suite = await run(bin('vitest'), ['run', ...process.argv.slice(2)], { quiet: false, nice: false });

let status = suite.code;
console.log('\nStatic checks (run beside the suite):');
for (const check of await Promise.all(checks)) {
  console.log(`${check.code === 0 ? '✓' : '✗'} ${check.name} (${check.seconds.toFixed(1)} s)`);
  if (check.code !== 0) {
    process.stdout.write(check.output);
    status ||= check.code;
  }
}
process.exit(status);
