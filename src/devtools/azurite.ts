import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createConnection, createServer } from 'node:net';
import { dirname, join } from 'node:path';

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
export const DEV_TABLE_PORT = 10002;

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
  `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};TableEndpoint=http://127.0.0.1:${port}/${DEV_ACCOUNT};`;

export const isDevelopmentStorage = (connectionString: string): boolean => /UseDevelopmentStorage=true/i.test(connectionString);

/** The path of an Azurite entry point (`azurite`, `azurite-table`) from the installed package. */
function azuriteEntry(services: 'all' | 'table'): string {
  const root = dirname(createRequire(import.meta.url).resolve('azurite/package.json'));
  return join(root, 'dist', 'src', services === 'all' ? 'azurite.js' : 'table/main.js');
}

/** Azurite's default ports, which `UseDevelopmentStorage=true` points at. */
export const DEV_PORTS = { blob: 10000, queue: 10001, table: DEV_TABLE_PORT } as const;

/** Starts Azurite's table service on loopback and resolves once it accepts connections. */
export async function startAzuriteTable(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const tablePort = options.tablePort ?? (await freePort());
  const child = spawnAzurite('table', ['--tableHost', '127.0.0.1', '--tablePort', String(tablePort)], options.location);
  await waitUntilListening(child, [tablePort]);
  return { tablePort, connectionString: tableConnectionString(tablePort), stop: () => stopProcess(child) };
}

/** Starts blob, queue and table (Durable Functions needs all three) on their default ports, data in `location`. */
export async function startAzuriteServices(location: string): Promise<RunningAzurite> {
  const child = spawnAzurite('all', ['--blobHost', '127.0.0.1', '--queueHost', '127.0.0.1', '--tableHost', '127.0.0.1'], location);
  await waitUntilListening(child, Object.values(DEV_PORTS));
  return { tablePort: DEV_PORTS.table, connectionString: tableConnectionString(DEV_PORTS.table), stop: () => stopProcess(child) };
}

function spawnAzurite(services: 'all' | 'table', hostArgs: string[], location: string | undefined): ChildProcess {
  const storage = location ? ['--location', location] : ['--inMemoryPersistence'];
  return spawn(process.execPath, [azuriteEntry(services), ...hostArgs, '--skipApiVersionCheck', '--disableTelemetry', '--silent', ...storage], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

async function waitUntilListening(child: ChildProcess, ports: number[], timeoutMs = 30_000): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + timeoutMs;
  while (!(await allListening(ports))) {
    if (child.exitCode !== null) throw new Error(`Azurite exited (code ${child.exitCode}) before listening on ${ports.join(', ')}: ${stderr.trim()}`);
    if (Date.now() > deadline) {
      await stopProcess(child);
      throw new Error(`Azurite did not listen on ${ports.join(', ')} within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const allListening = async (ports: number[]): Promise<boolean> => (await Promise.all(ports.map((p) => isListening(p)))).every(Boolean);

export function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    socket.once('connect', () => socket.end(() => resolve(true)));
    socket.once('error', () => resolve(false));
  });
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

/** SIGINT is Azurite's graceful shutdown (it saves its data); SIGTERM would drop the last writes. */
function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
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
