import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { withLocalSettings } from '../config/localSettings.js';
import { errorMessage, redact } from '../domain/failureText.js';
import type { Result } from '../domain/result.js';
import { useAzuriteForRows } from '../devtools/azuriteForRows.js';
import { AcceptableGateSchema, type AcceptableGate } from '../quality/gate.js';
import type { StorageTarget } from '../storage/tableClient.js';
import type { CommandIo } from './commandIo.js';

/**
 * What every local command (`npm run once`, `backfill`, `export`, `dashboard`) shares: settings from
 * local.settings.json and the environment, the shared local Azurite when rows go to `UseDevelopmentStorage=true`,
 * clean stops on SIGINT/SIGTERM, and one exit-code convention: 0 done, 1 the work failed, 2 bad arguments or
 * settings, 130/143 stopped by SIGINT/SIGTERM.
 */

/** One line on stderr, for progress and notes. */
export const say = (io: CommandIo, message: string): void => void io.stderr.write(`fx-gold: ${message}\n`);

/** One line on stderr; returns the exit code, so a command reads `return fail(io, 2, ...)`. */
export function fail(io: CommandIo, code: number, message: string): number {
  say(io, message);
  return code;
}

type ArgOptions = NonNullable<ParseArgsConfig['options']>;
type ArgValues<O extends ArgOptions> = ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true }>>['values'];

/**
 * The command's arguments, parsed strictly: an unknown or malformed one is exit 2 with the usage, and `--help`
 * (every command has it) prints the usage and is exit 0.
 */
export function commandArgs<O extends ArgOptions>(io: CommandIo, argv: string[], options: O, usage: string): Result<ArgValues<O>, number> {
  try {
    const { values } = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean' } }, strict: true });
    if ((values as { help?: boolean }).help === true) return (io.stdout.write(`${usage}\n`), { ok: false, error: 0 });
    return { ok: true, value: values };
  } catch (error) {
    return { ok: false, error: fail(io, 2, `${errorMessage(error)}\n${usage}`) };
  }
}

/** The command's settings: local.settings.json `Values`, overridden by the environment. A problem is exit 2. */
export function localSettings<T>(io: CommandIo, load: (env: Record<string, string | undefined>) => Result<T, string>): Result<T, number> {
  try {
    const loaded = load(withLocalSettings(join(io.cwd, 'local.settings.json'), io.env));
    return loaded.ok ? loaded : { ok: false, error: fail(io, 2, loaded.error) };
  } catch (error) {
    return { ok: false, error: fail(io, 2, errorMessage(error)) };
  }
}

/**
 * Runs a command's work with its rows' storage ready. When `io.signal` aborts (SIGINT or SIGTERM) the work's own
 * signal aborts too and this returns at once, after releasing the Azurite lease (stopping Azurite if this command
 * started it and nobody else uses it): work in flight is abandoned, and what it already wrote stays written (every
 * write is one upsert or one batch). Anything the work throws is exit 1, its message scrubbed of `secrets`.
 */
export async function withRowsStorage(
  io: CommandIo,
  settings: { readonly storage: StorageTarget; readonly secrets: readonly string[] },
  work: (stopped: AbortSignal) => Promise<number>,
): Promise<number> {
  const stopped = new Promise<number>((resolve) => io.signal.addEventListener('abort', () => resolve(1), { once: true }));
  let lease: Awaited<ReturnType<typeof useAzuriteForRows>> | undefined;
  try {
    lease = await useAzuriteForRows(settings.storage, io.cwd, (line) => void io.stderr.write(`${line}\n`), io.signal);
    // Aborted: the caller is stopping with the signal's code.
    if (!lease.ok) return lease.error.kind === 'aborted' ? 1 : fail(io, lease.error.kind === 'port-taken' ? 2 : 1, lease.error.message);
    return await Promise.race([work(io.signal), stopped]);
  } catch (error) {
    return fail(io, 1, redact(errorMessage(error), settings.secrets));
  } finally {
    if (lease?.ok) await lease.value?.release();
  }
}

/** `--accept-quality` values: only plausibility can be vouched for (src/quality/gate.ts). A bad one is exit 2. */
export function acceptedGates(io: CommandIo, values: readonly string[] | undefined, usage: string): Result<AcceptableGate[], number> {
  const parsed = z.array(AcceptableGateSchema).safeParse(values ?? []);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    error: fail(
      io,
      2,
      `--accept-quality: only "plausibility" can be accepted (a row missing a currency or of the wrong day is never right)\n${usage}`,
    ),
  };
}
