import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import azureFunctions, { type HttpResponseInit } from '@azure/functions';
import { loadReadSettings } from '../config/settings.js';
import { ratesHandler } from '../http/ratesHandler.js';
import { readDependenciesFrom } from '../reading/readDependencies.js';
import type { CommandIo } from './commandIo.js';
import { commandArgs, fail, localSettings, say, withRowsStorage } from './localCommand.js';

// The library is CommonJS: under Node's ESM loader its classes are reachable through the default export only.
const { HttpRequest, HttpResponse } = azureFunctions;

const USAGE = 'usage: npm run export -- --from YYYY-MM-DD --to YYYY-MM-DD [--currencies EUR,JPY] [--format csv|json] [--out FILE]';

/**
 * `npm run export`: what GET /api/rates answers for the same parameters (the same handler, over the configured
 * table), written to --out or to stdout, byte for byte. Settings as for `npm run once`; with
 * `UseDevelopmentStorage=true` the shared local Azurite is used, or started and stopped again.
 * Exit codes: 0 written, 1 the table could not be read, 2 bad arguments or settings, 130/143 SIGINT/SIGTERM.
 */
export async function exportCommand(argv: string[], io: CommandIo): Promise<number> {
  const options = {
    from: { type: 'string' },
    to: { type: 'string' },
    currencies: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
  } as const;
  const parsed = commandArgs(io, argv, options, USAGE);
  if (!parsed.ok) return parsed.error;
  const args = parsed.value;
  const { from, to, currencies, format = 'json', out } = args;
  if (from === undefined || to === undefined) return fail(io, 2, `--from and --to are required\n${USAGE}`);

  const settings = localSettings(io, loadReadSettings);
  if (!settings.ok) return settings.error;

  return withRowsStorage(io, settings.value, async (stopped) => {
    const query = new URLSearchParams({ from, to, format, ...(currencies === undefined ? {} : { currencies }) });
    const answer = await ratesHandler(
      new HttpRequest({ method: 'GET', url: `http://localhost/api/rates?${query.toString()}` }),
      readDependenciesFrom(settings.value),
      new Date(),
    );
    if (stopped.aborted) return 1; // the signal handler is exiting with the signal's code
    if (answer.status !== 200) return fail(io, answer.status === 400 ? 2 : 1, errorOf(answer));

    // The body as the host sends it (jsonBody serialised the same way).
    const bytes = Buffer.from(await new HttpResponse(answer).arrayBuffer());
    if (out === undefined) {
      io.stdout.write(bytes);
    } else {
      writeFileSync(resolve(io.cwd, out), bytes);
      say(io, `wrote ${from} to ${to} (${format}) to ${out}`);
    }
    return 0;
  });
}

/** The `error` of an answer that is not 200 (every such answer is `{"error": ...}`). */
const errorOf = (answer: HttpResponseInit): string => (answer.jsonBody as { error?: string } | undefined)?.error ?? `HTTP ${answer.status}`;
