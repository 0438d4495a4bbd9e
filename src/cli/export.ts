import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import azureFunctions, { type HttpResponseInit } from '@azure/functions';
import { withLocalSettings } from '../config/localSettings.js';
import { loadReadSettings } from '../config/settings.js';
import { errorMessage, redact } from '../domain/failureText.js';
import { useAzuriteForRows } from '../devtools/azuriteForRows.js';
import { exitCodeFor, onExitSignals, type ExitSignal } from '../devtools/exitSignals.js';
import type { AzuriteLease } from '../devtools/sharedAzurite.js';
import { ratesHandler } from '../http/ratesHandler.js';
import { readDependenciesFrom } from '../reading/readDependencies.js';

// The library is CommonJS: under Node's ESM loader its classes are reachable through the default export only.
const { HttpRequest, HttpResponse } = azureFunctions;

const USAGE = 'usage: npm run export -- --from YYYY-MM-DD --to YYYY-MM-DD [--currencies EUR,JPY] [--format csv|json] [--out FILE]';

/**
 * `npm run export`: what GET /api/rates answers for the same parameters (the same handler, over the configured
 * table), written to --out or to stdout, byte for byte. Settings as for `npm run once`; with
 * `UseDevelopmentStorage=true` the shared local Azurite is used, or started and stopped again.
 * Exit codes: 0 written, 1 the table could not be read, 2 bad arguments or settings, 130/143 SIGINT/SIGTERM.
 */
async function runExport(argv: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  let args;
  try {
    const options = { from: { type: 'string' }, to: { type: 'string' }, currencies: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' } } as const;
    args = parseArgs({ args: argv, options, strict: true }).values;
  } catch (error) {
    return fail(2, `${errorMessage(error)}\n${USAGE}`);
  }
  if (args.help) return console.log(USAGE), 0;
  if (args.from === undefined || args.to === undefined) return fail(2, `--from and --to are required\n${USAGE}`);

  let settings;
  try {
    const loaded = loadReadSettings(withLocalSettings(join(cwd, 'local.settings.json'), env));
    if (!loaded.ok) return fail(2, loaded.error);
    settings = loaded.value;
  } catch (error) {
    return fail(2, errorMessage(error));
  }

  let received: ExitSignal | undefined;
  const stopped = new AbortController();
  const stopListening = onExitSignals((signal) => {
    received ??= signal;
    stopped.abort();
  });
  let lease: AzuriteLease | undefined;
  try {
    const azurite = await useAzuriteForRows(settings.storage, cwd, (line) => console.error(line), stopped.signal);
    if (received) return exitCodeFor(received);
    if (!azurite.ok) return fail(azurite.error.kind === 'port-taken' ? 2 : 1, azurite.error.message);
    lease = azurite.value;

    const { from, to, currencies, format = 'json', out } = args;
    const query = new URLSearchParams({ from, to, format, ...(currencies === undefined ? {} : { currencies }) });
    const answer = await ratesHandler(new HttpRequest({ method: 'GET', url: `http://localhost/api/rates?${query}` }), readDependenciesFrom(settings), new Date());
    if (received) return exitCodeFor(received);
    if (answer.status !== 200) return fail(answer.status === 400 ? 2 : 1, errorOf(answer));

    // The body as the host sends it (jsonBody serialised the same way).
    const bytes = Buffer.from(await new HttpResponse(answer).arrayBuffer());
    if (out === undefined) {
      process.stdout.write(bytes);
    } else {
      writeFileSync(resolve(cwd, out), bytes);
      console.error(`fx-gold: wrote ${from} to ${to} (${format}) to ${out}`);
    }
    return 0;
  } catch (error) {
    return fail(1, redact(errorMessage(error), settings.secrets));
  } finally {
    await lease?.release();
    stopListening();
  }
}

/** The `error` of an answer that is not 200 (every such answer is `{"error": ...}`). */
const errorOf = (answer: HttpResponseInit): string => String((answer.jsonBody as { error?: unknown } | undefined)?.error ?? `HTTP ${answer.status}`);

function fail(code: number, message: string): number {
  console.error(`fx-gold: ${message}`);
  return code;
}

process.exitCode = await runExport(process.argv.slice(2), process.env, process.cwd());
