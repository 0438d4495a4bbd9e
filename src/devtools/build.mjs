// `npm run build`, and the build step of the commands (`npm run once`, `backfill`, `export`, `dashboard`, `start`).
// Plain JavaScript, not TypeScript: it runs before anything is compiled.
//
//   node src/devtools/build.mjs               build: type-check and compile src/ (tsc), type-check and bundle the
//                                             dashboard page, bundle the Functions app; then write the stamp
//   node src/devtools/build.mjs --if-changed  the same, but only when an input changed since the last build
//
// The stamp (dist/.build-stamp) holds the newest modification time among the inputs, read before the build started,
// so an edit made while a build runs is built next time. Directories count too: deleting or renaming a file changes
// its directory's time. Without dist/ (npm run clean) there is no stamp, so the next command builds.
// Silent on success, as tsc is; a failing step's own output says why, and its exit code is this script's.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STAMP = `${ROOT}dist/.build-stamp`;
const INPUTS = ['src', 'web', 'package.json', 'package-lock.json', 'tsconfig.json', 'host.json'];
const TSC = `${ROOT}node_modules/typescript/bin/tsc`;
const STEPS = [
  [TSC, '-p', 'tsconfig.json'],
  [TSC, '-p', 'web/tsconfig.json'], // the page's types: esbuild, which bundles it, does not check them
  ['dist/src/devtools/buildDashboard.js'],
  ['dist/src/devtools/buildFunctions.js'],
];

/** The newest modification time (ms) of a file, or of a directory and everything in it. */
function newestChange(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestChange(`${path}/${name}`)), stat.mtimeMs);
}

const readStamp = () => {
  try {
    return Number(readFileSync(STAMP, 'utf8'));
  } catch {
    return undefined;
  }
};

const inputsChanged = Math.max(...INPUTS.map((input) => newestChange(`${ROOT}${input}`)));
if (process.argv.includes('--if-changed') && readStamp() === inputsChanged) process.exit(0);

for (const step of STEPS) {
  const { status } = spawnSync(process.execPath, step, { cwd: ROOT, stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
writeFileSync(STAMP, String(inputsChanged));
