import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { withLocalSettings } from '../config/localSettings.js';
import { errorMessage, redact } from '../domain/failureText.js';
import type { Result } from '../domain/result.js';
import { useAzuriteForRows } from '../devtools/azuriteForRows.js';
import { exitCodeFor, onExitSignals } from '../devtools/exitSignals.js';
import { AcceptableGateSchema, type AcceptableGate } from '../quality/gate.js';
import type { StorageTarget } from '../storage/tableClient.js';

/**
 * What every local command (`npm run once`, `backfill`, `export`, `dashboard`) shares: settings from
 * local.settings.json and the environment, the shared local Azurite when rows go to `UseDevelopmentStorage=true`,
 * clean stops on SIGINT/SIGTERM, and one exit-code convention: 0 done, 1 the work failed, 2 bad arguments or
 * settings, 130/143 stopped by SIGINT/SIGTERM.
 */

/** One line on stderr; returns the exit code, so a command reads `return fail(2, ...)`. */
export function fail(code: number, message: string): number {
  console.error(`fx-gold: ${message}`);
  return code;
}

type ArgOptions = NonNullable<ParseArgsConfig['options']>;
type ArgValues<O extends ArgOptions> = ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true }>>['values'];

/**
 * The command's arguments, parsed strictly: an unknown or malformed one is exit 2 with the usage, and `--help`
 * (every command has it) prints the usage and is exit 0.
 */
export function commandArgs<O extends ArgOptions>(argv: string[], options: O, usage: string): Result<ArgValues<O>, number> {
  try {
    const { values } = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean' } }, strict: true });
    if ((values as { help?: boolean }).help === true) return (console.log(usage), { ok: false, error: 0 });
    return { ok: true, value: values };
  } catch (error) {
    return { ok: false, error: fail(2, `${errorMessage(error)}\n${usage}`) };
  }
}

/** The command's settings: local.settings.json `Values`, overridden by the environment. A problem is exit 2. */
export function localSettings<T>(
  load: (env: Record<string, string | undefined>) => Result<T, string>,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Result<T, number> {
  try {
    const loaded = load(withLocalSettings(join(cwd, 'local.settings.json'), env));
    return loaded.ok ? loaded : { ok: false, error: fail(2, loaded.error) };
  } catch (error) {
    return { ok: false, error: fail(2, errorMessage(error)) };
  }
}

/**
 * Runs a command's work with its rows' storage ready. A SIGINT or SIGTERM aborts `stopped`, releases the Azurite
 * lease (stopping Azurite if this command started it and nobody else uses it) and exits 130/143: work in flight is
 * abandoned, and what it already wrote stays written (every write is one upsert or one batch). Anything the work
 * throws is exit 1, its message scrubbed of `secrets`.
 */
export async function withRowsStorage(
  settings: { readonly storage: StorageTarget; readonly secrets: readonly string[] },
  cwd: string,
  work: (stopped: AbortSignal) => Promise<number>,
): Promise<number> {
  const stop = new AbortController();
  let leased: ReturnType<typeof useAzuriteForRows> | undefined;
  let released: Promise<void> | undefined;
  // Once only, whether the work ends or a signal comes first.
  const release = () =>
    (released ??= (async () => {
      const lease = await leased;
      if (lease?.ok) await lease.value?.release();
    })());
  const stopListening = onExitSignals((signal) => {
    stop.abort();
    void release().finally(() => process.exit(exitCodeFor(signal)));
  });
  try {
    leased = useAzuriteForRows(settings.storage, cwd, (line) => console.error(line), stop.signal);
    const lease = await leased;
    // Aborted: the signal handler is exiting with the signal's code.
    if (!lease.ok) return lease.error.kind === 'aborted' ? 1 : fail(lease.error.kind === 'port-taken' ? 2 : 1, lease.error.message);
    return await work(stop.signal);
  } catch (error) {
    return fail(1, redact(errorMessage(error), settings.secrets));
  } finally {
    await release();
    stopListening();
  }
}

/** `--accept-quality` values: only plausibility can be vouched for (src/quality/gate.ts). A bad one is exit 2. */
export function acceptedGates(values: readonly string[] | undefined, usage: string): Result<AcceptableGate[], number> {
  const parsed = z.array(AcceptableGateSchema).safeParse(values ?? []);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    error: fail(
      2,
      `--accept-quality: only "plausibility" can be accepted (a row missing a currency or of the wrong day is never right)\n${usage}`,
    ),
  };
}
