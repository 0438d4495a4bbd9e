import { spawn } from 'node:child_process';
import { accessSync, constants, copyFileSync, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { allListening, DEV_PORTS, startAzuriteServices, type RunningAzurite } from './azurite.js';

const INSTALL_CORE_TOOLS = [
  'Azure Functions Core Tools (`func`) was not found: not in node_modules/.bin and not on the PATH.',
  'npm installs it as an optional dependency, but its installer downloads the Functions host, which fails without internet access.',
  'Install it with `npm install -g azure-functions-core-tools@4` (or see https://learn.microsoft.com/azure/azure-functions/functions-run-local),',
  'or run the same job once without the host: `npm run once`.',
].join('\n');

/** Copies local.settings.example.json to local.settings.json when there is none; never overwrites. */
function ensureLocalSettings(root: string): 'created' | 'kept' {
  const target = join(root, 'local.settings.json');
  if (existsSync(target)) return 'kept';
  copyFileSync(join(root, 'local.settings.example.json'), target, constants.COPYFILE_EXCL);
  return 'created';
}

/** The project's own `func` (the optional dependency) first, else the first one on the PATH. */
function findFunc(root: string, path: string | undefined): string | undefined {
  const names = process.platform === 'win32' ? ['func.cmd', 'func.exe', 'func'] : ['func'];
  const dirs = [join(root, 'node_modules', '.bin'), ...(path ?? '').split(delimiter).filter(Boolean)];
  return dirs.flatMap((dir) => names.map((name) => join(dir, name))).find(isExecutable);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * `npm start`: local settings, Azurite (blob, queue, table; data in .azurite/), then `func start` in the
 * foreground. Azurite is left alone when already running, and stopped on exit when this started it.
 */
export async function startLocal(root: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (ensureLocalSettings(root) === 'created') console.error('fx-gold: created local.settings.json from local.settings.example.json; set GOLDAPI_KEY in it');
  const func = findFunc(root, env.PATH);
  if (!func) {
    console.error(`fx-gold: ${INSTALL_CORE_TOOLS}`);
    return 1;
  }
  let azurite: RunningAzurite | undefined;
  if (!(await allListening(Object.values(DEV_PORTS)))) {
    console.error('fx-gold: starting Azurite (blob 10000, queue 10001, table 10002; data in .azurite/)');
    azurite = await startAzuriteServices(join(root, '.azurite'));
  }
  try {
    const host = spawn(func, ['start', ...args], { cwd: root, stdio: 'inherit', env });
    // Ctrl+C reaches func from the terminal already; wait for it to exit, then stop Azurite. SIGTERM is passed on.
    const wait = () => {};
    const forward = () => host.kill('SIGTERM');
    process.on('SIGINT', wait).on('SIGTERM', forward);
    const code = await new Promise<number>((resolve) => {
      host.once('error', (error) => (console.error(`fx-gold: could not run ${func}: ${error.message}`), resolve(1)));
      host.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 130 : 1)));
    });
    process.off('SIGINT', wait).off('SIGTERM', forward);
    return code;
  } finally {
    if (azurite) await azurite.stop();
  }
}
