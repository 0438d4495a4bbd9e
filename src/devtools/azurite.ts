import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { createConnection, createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { DEVELOPMENT_ACCOUNT } from '../storage/connectionString.js';

export const DEV_TABLE_PORT = 10002;

/** Azurite's default ports, which `UseDevelopmentStorage=true` points at. */
export const DEV_PORTS = { blob: 10000, queue: 10001, table: DEV_TABLE_PORT } as const;
export type AzuriteService = keyof typeof DEV_PORTS;
export const AZURITE_SERVICES = Object.keys(DEV_PORTS) as AzuriteService[];

export interface RunningAzurite {
  readonly tablePort: number;
  /** A connection string for the table service of this instance. */
  readonly connectionString: string;
  stop(): Promise<void>;
}

export interface AzuriteOptions {
  /** Folder for Azurite's data; in memory when absent. */
  readonly location?: string;
  /** Defaults to a free port. */
  readonly tablePort?: number;
}

const tableConnectionString = (port: number): string =>
  `DefaultEndpointsProtocol=http;AccountName=${DEVELOPMENT_ACCOUNT.accountName};AccountKey=${DEVELOPMENT_ACCOUNT.accountKey};TableEndpoint=http://127.0.0.1:${port}/${DEVELOPMENT_ACCOUNT.accountName};`;

/** The path of an Azurite entry point (`azurite`, `azurite-table`) from the installed package. */
function azuriteEntry(services: 'all' | 'table'): string {
  const root = dirname(createRequire(import.meta.url).resolve('azurite/package.json'));
  return join(root, 'dist', 'src', services === 'all' ? 'azurite.js' : 'table/main.js');
}

const COMMON_ARGS = ['--skipApiVersionCheck', '--disableTelemetry', '--silent'];

/** Starts Azurite's table service on loopback as a child of this process (tests) and resolves once it accepts connections. */
export async function startAzuriteTable(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const tablePort = options.tablePort ?? (await freePort());
  const storage = options.location ? ['--location', options.location] : ['--inMemoryPersistence'];
  const child = spawn(
    process.execPath,
    [azuriteEntry('table'), '--tableHost', '127.0.0.1', '--tablePort', String(tablePort), ...COMMON_ARGS, ...storage],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = () => stopChild(child);
  const started = await waitUntilListening([tablePort], () =>
    child.exitCode === null ? undefined : `exited (code ${child.exitCode}): ${stderr.trim()}`,
  );
  if (started !== undefined) {
    await stop();
    throw new Error(`Azurite ${started}`);
  }
  return { tablePort, connectionString: tableConnectionString(tablePort), stop };
}

/**
 * Starts blob, queue and table on their default ports with data in `location`, in a process group of its own
 * (so a Ctrl+C meant for one runner does not reach an Azurite other runners share) and not tied to this process's
 * lifetime; its stderr goes to `logFile`. Tells `spawned` its pid at once; resolves once all three listen, or with why not.
 */
export async function startSharedAzurite(location: string, logFile: string, spawned: (pid: number) => void): Promise<string | undefined> {
  const log = openSync(logFile, 'w');
  const hostArgs = AZURITE_SERVICES.flatMap((service) => [`--${service}Host`, '127.0.0.1', `--${service}Port`, String(DEV_PORTS[service])]);
  const child = spawn(process.execPath, [azuriteEntry('all'), ...hostArgs, ...COMMON_ARGS, '--location', location], {
    detached: true,
    stdio: ['ignore', 'ignore', log],
  });
  closeSync(log);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) return 'Azurite could not be started';
  spawned(pid);
  const exited = () => (isAlive(pid) ? undefined : `exited: ${readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join(' ')}`);
  const problem = await waitUntilListening(Object.values(DEV_PORTS), exited);
  if (problem === undefined) return undefined;
  await stopPid(pid);
  return `Azurite ${problem}`;
}

/** Polls until every port accepts connections: undefined when they do, else what went wrong. */
async function waitUntilListening(ports: number[], exited: () => string | undefined, timeoutMs = 30_000): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (!(await allListening(ports))) {
    const problem = exited();
    if (problem !== undefined) return `${problem} (before listening on ${ports.join(', ')})`;
    if (Date.now() > deadline) return `did not listen on ${ports.join(', ')} within ${timeoutMs} ms`;
    await sleep(100);
  }
  return undefined;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const allListening = async (ports: number[]): Promise<boolean> =>
  (await Promise.all(ports.map((p) => isListening(p)))).every(Boolean);

export function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    socket.once('connect', () => socket.end(() => resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/**
 * What listens on a port: nothing, the Azurite service expected there, or something else. Azurite is known by the
 * `Server: Azurite-Table/3.35.0` (Blob, Queue) header it sends with every answer, even the 403 an unsigned request
 * for the account's service properties gets; anything that does not answer that way within `timeoutMs` is not Azurite.
 */
export async function probePort(port: number, service: AzuriteService, timeoutMs = 3_000): Promise<'free' | 'azurite' | 'other'> {
  if (!(await isListening(port))) return 'free';
  const server = await new Promise<string | undefined>((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: `/${DEVELOPMENT_ACCOUNT.accountName}/?restype=service&comp=properties`,
        agent: false,
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        const server = res.headers.server;
        resolve(typeof server === 'string' ? server : undefined);
      },
    );
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(undefined));
    req.end();
  });
  const expected = `Azurite-${service[0]?.toUpperCase()}${service.slice(1)}/`;
  return server?.startsWith(expected) ? 'azurite' : 'other';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Whether a process runs. A zombie counts as gone: an Azurite whose starter has exited is re-parented, and where
 * nothing reaps orphans (some container inits) it would otherwise look alive forever.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return true; // no /proc (macOS): kill(0) is all there is
  }
}

/** SIGINT is Azurite's graceful shutdown (it saves its data); SIGTERM would drop the last writes. */
export async function stopPid(pid: number, graceMs = 10_000): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  };
  signal('SIGINT');
  if (await gone(pid, graceMs)) return;
  signal('SIGKILL');
  await gone(pid, 5_000);
}

async function gone(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGINT');
  });
}
