import { loadReadSettings } from '../config/settings.js';
import { BUILT_DASHBOARD_PAGE, cachedFile } from '../dashboard/builtPage.js';
import { errorMessage } from '../domain/failureText.js';
import { startLocalFunctionsServer, type LocalRoute } from '../devtools/localFunctionsServer.js';
import { analysisHandler } from '../http/analysisHandler.js';
import { dashboardHandler } from '../http/dashboardHandler.js';
import { negotiatedRead } from '../http/negotiatedRead.js';
import { ratesHandler } from '../http/ratesHandler.js';
import { statusHandler } from '../http/statusHandler.js';
import { HOST_SETTING_NAMES } from '../functions/names.js';
import { readDependenciesFrom } from '../reading/readDependencies.js';
import type { CommandIo } from './commandIo.js';
import { commandArgs, fail, localSettings, say, withRowsStorage } from './localCommand.js';

const USAGE = 'usage: npm run dashboard -- [--port 7072]   (--port 0 takes any free port)';
const DEFAULT_PORT = 7072;

/**
 * `npm run dashboard`: the dashboard and the two read endpoints it calls, on the routes the app serves them
 * (`/api/dashboard`, `/api/rates`, `/api/analysis`), over the configured table, without the Functions host. Prints
 * the URL on stdout and serves until SIGINT/SIGTERM, then closes the server and leaves the shared Azurite (stopping
 * it if this started it and no other runner uses it). No function key: the server listens on loopback only.
 * Exit codes: 2 bad arguments or settings, 1 could not start, 130/143 stopped by SIGINT/SIGTERM.
 */
export async function dashboardCommand(argv: string[], io: CommandIo): Promise<number> {
  const parsed = commandArgs(io, argv, { port: { type: 'string' } } as const, USAGE);
  if (!parsed.ok) return parsed.error;
  const args = parsed.value;
  const port =
    args.port === undefined ? DEFAULT_PORT : /^\d{1,5}$/.test(args.port) && Number(args.port) <= 65_535 ? Number(args.port) : undefined;
  if (port === undefined) return fail(io, 2, `--port must be a port number from 0 to 65535\n${USAGE}`);

  const settings = localSettings(io, loadReadSettings);
  if (!settings.ok) return settings.error;
  const page = cachedFile(BUILT_DASHBOARD_PAGE);
  try {
    await page();
  } catch {
    return fail(io, 1, `the dashboard page is not built (${BUILT_DASHBOARD_PAGE.pathname}); run npm run build`);
  }

  return withRowsStorage(io, settings.value, async (stopped) => {
    const deps = readDependenciesFrom(settings.value);
    const routes: LocalRoute[] = [
      { path: '/api/dashboard', methods: ['GET'], handler: () => dashboardHandler(page) },
      { path: '/api/rates', methods: ['GET'], handler: (request) => negotiatedRead(ratesHandler)(request, deps, new Date()) },
      // No Durable host here: no runs to list.
      {
        path: '/api/status',
        methods: ['GET'],
        handler: () =>
          statusHandler({ read: deps, runs: () => Promise.resolve([]), schedule: io.env[HOST_SETTING_NAMES.schedule] }, new Date()),
      },
      { path: '/api/analysis', methods: ['GET'], handler: (request) => negotiatedRead(analysisHandler)(request, deps, new Date()) },
    ];
    const log = (line: unknown) => say(io, String(line));
    let server;
    try {
      server = await startLocalFunctionsServer(routes, { port, secrets: settings.value.secrets, log: { warn: log, error: log } });
    } catch (error) {
      const taken = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      return fail(io, 1, taken ? `port ${port} is taken; pass another with --port (0 takes any free port)` : errorMessage(error));
    }
    say(io, `reading table ${settings.value.tableName}; Ctrl+C stops`);
    io.stdout.write(`fx-gold: dashboard at ${server.origin}/api/dashboard\n`);
    // Serves until SIGINT/SIGTERM: the signal handler stops the shared Azurite and exits 130/143.
    await new Promise((resolve) => stopped.addEventListener('abort', resolve, { once: true }));
    await server.close();
    return 1;
  });
}
