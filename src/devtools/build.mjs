// `npm run build`, and the build step of the commands (`npm run once`, `backfill`, `export`, `dashboard`, `start`).
// Plain JavaScript, not TypeScript: it runs before anything is compiled.
//
//   node src/devtools/build.mjs               build: compile src/ file by file (esbuild) into dist/src/, bundle the
//                                             dashboard page, bundle the Functions app; then write the stamp
//   node src/devtools/build.mjs --if-changed  the same, but only when an input changed since the last build
//
// The build does not check types: `npm run typecheck` (part of `npm test`) does, once, for src/, test/ and web/. tsc
// compiled and checked src/ in about 6 s, and `npm test` checked it again; esbuild compiles it in well under one, so
// `npm run once` after an edit starts in about a second. tsconfig.json's `isolatedModules` makes the type check
// refuse what a file-by-file compiler cannot compile alone.
//
// The stamp (dist/.build-stamp) holds the newest modification time among the inputs, read before the build started,
// so an edit made while a build runs is built next time. Directories count too: deleting or renaming a file changes
// its directory's time. Without dist/ (npm run clean) there is no stamp, so the next command builds.
// Silent on success, as tsc is; a failing step's own output says why, and its exit code is this script's.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STAMP = `${ROOT}dist/.build-stamp`;
const INPUTS = ['src', 'web', 'package.json', 'package-lock.json', 'tsconfig.json', 'host.json'];
/** After src/ is compiled: the page and the deployment bundle, each a compiled module run on its own. */
const STEPS = [['dist/src/devtools/buildDashboard.js'], ['dist/src/devtools/buildFunctions.js']];

/** Every .ts file below a directory (src/), as paths from the root. */
function typeScriptFiles(dir) {
  return readdirSync(`${ROOT}${dir}`, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? typeScriptFiles(`${dir}/${entry.name}`) : entry.name.endsWith('.ts') ? [`${dir}/${entry.name}`] : [],
  );
}

/**
 * src/ as tsc emitted it (tsconfig.json: rootDir `.`, outDir `dist`): one ES module and source map per file, imports
 * left as written (they name the .js files), for the Node the commands run on.
 */
async function compileSources() {
  await build({
    absWorkingDir: ROOT,
    entryPoints: typeScriptFiles('src'),
    outbase: '.',
    outdir: 'dist',
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    tsconfig: 'tsconfig.json',
    logLevel: 'warning',
  });
}

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

try {
  await compileSources();
} catch {
  process.exit(1); // esbuild has printed the errors
}
for (const step of STEPS) {
  const { status } = spawnSync(process.execPath, step, { cwd: ROOT, stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
writeFileSync(STAMP, String(inputsChanged));
