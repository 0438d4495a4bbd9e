import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, copyFileSync, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { AZURITE_SERVICES } from './azurite.js';
import { exitCodeFor, onExitSignals, type ExitSignal } from './exitSignals.js';
import { useSharedAzurite } from './sharedAzurite.js';

/** How long func may take to leave on the terminal's own Ctrl+C before this passes the SIGINT on. */
const FUNC_SIGINT_GRACE_MS = 3_000;

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
 * `npm start`: local settings, the shared Azurite (blob, queue, table; see sharedAzurite.ts), then `func start` in
 * the foreground. Azurite is left, and stopped when this was the last runner using one a runner started, after
 * func has exited. Exit code: func's, 2 when the Azurite ports are taken by something else, 130/143 on SIGINT/SIGTERM.
 */
export async function startLocal(root: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (ensureLocalSettings(root) === 'created')
    console.error('fx-gold: created local.settings.json from local.settings.example.json; set GOLDAPI_KEY in it');
  const func = findFunc(root, env.PATH);
  if (!func) {
    console.error(`fx-gold: ${INSTALL_CORE_TOOLS}`);
    return 1;
  }
  let received: ExitSignal | undefined;
  let host: ChildProcess | undefined;
  const queued = new AbortController();
  const stopListening = onExitSignals((signal) => {
    received ??= signal;
    queued.abort();
    // Ctrl+C in the terminal reaches func too; pass it on only if func has not gone by itself (the signal was sent
    // to this process alone), since a second SIGINT makes the host skip its graceful shutdown. SIGTERM is passed on.
    if (signal === 'SIGTERM') host?.kill(signal);
    else setTimeout(() => host?.kill(signal), FUNC_SIGINT_GRACE_MS).unref();
  });
  const azurite = await useSharedAzurite({
    needs: AZURITE_SERVICES,
    location: join(root, '.azurite'),
    settingHint: 'AzureWebJobsStorage and FXGOLD_STORAGE_CONNECTION (local.settings.json)',
    say: (line) => console.error(line),
    signal: queued.signal,
  });
  try {
    if (received) return exitCodeFor(received);
    if (!azurite.ok) {
      console.error(`fx-gold: ${azurite.error.message}`);
      return azurite.error.kind === 'port-taken' ? 2 : 1;
    }
    const started = spawn(func, ['start', ...args], { cwd: root, stdio: 'inherit', env });
    host = started;
    const code = await new Promise<number>((resolve) => {
      started.once('error', (error) => (console.error(`fx-gold: could not run ${func}: ${error.message}`), resolve(1)));
      started.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 130 : 1)));
    });
    return received ? exitCodeFor(received) : code;
  } finally {
    if (azurite.ok) await azurite.value.release();
    stopListening();
  }
}
