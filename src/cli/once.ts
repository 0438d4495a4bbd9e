import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AcceptableGateSchema } from '../quality/gate.js';
import { loadSettings, type Settings } from '../config/settings.js';
import { withLocalSettings } from '../config/localSettings.js';
import { parseBusinessDate, utcDateOf } from '../domain/businessDate.js';
import { quoteRequestFor } from '../domain/quotes.js';
import { errorMessage, redact } from '../domain/failureText.js';
import { failure, success, type Result } from '../domain/result.js';
import { isDevelopmentStorage } from '../storage/connectionString.js';
import { exitCodeFor, onExitSignals } from '../devtools/exitSignals.js';
import { useSharedAzurite, type AzuriteLease } from '../devtools/sharedAzurite.js';
import { createJobDependencies } from '../pipeline/jobDependencies.js';
import { runDailyJob } from '../pipeline/runDailyJob.js';

const USAGE = 'usage: npm run once -- [--date YYYY-MM-DD] [--no-retry] [--accept-quality plausibility]   (default: today, UTC; transient failures are retried)';

/**
 * Runs the daily job once without the Functions host and prints the stored row as JSON on stdout; progress
 * (Azurite, retries, where the row went) goes to stderr.
 * Exit codes: 0 stored, 1 the job failed (nothing written), 2 bad arguments or settings, 130/143 SIGINT/SIGTERM.
 */
async function runOnce(argv: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, options: { date: { type: 'string' }, 'no-retry': { type: 'boolean' }, 'accept-quality': { type: 'string', multiple: true }, help: { type: 'boolean' } }, strict: true }).values;
  } catch (error) {
    return fail(2, `${errorMessage(error)}\n${USAGE}`);
  }
  if (args.help) return console.log(USAGE), 0;
  const accepted = z.array(AcceptableGateSchema).safeParse(args['accept-quality'] ?? []);
  if (!accepted.success) return fail(2, `--accept-quality: only "plausibility" can be accepted (a row missing a currency or of the wrong day is never right)\n${USAGE}`);

  let settings: Settings;
  try {
    const loaded = loadSettings(withLocalSettings(join(cwd, 'local.settings.json'), env));
    if (!loaded.ok) return fail(2, loaded.error);
    settings = loaded.value;
  } catch (error) {
    return fail(2, errorMessage(error));
  }

  const now = new Date();
  const date = parseBusinessDate(args.date ?? utcDateOf(now), now);
  if (!date.ok) return fail(2, args.date ? date.error : `${date.error}; pass --date for an earlier weekday`);

  // A signal stops the Azurite this run holds before exiting; the job in flight is abandoned (nothing half-written:
  // the row is one upsert).
  const queued = new AbortController();
  let azurite: Promise<Result<AzuriteLease | undefined, number>> = Promise.resolve(success(undefined));
  const leave = async () => {
    const held = await azurite;
    if (held.ok) await held.value?.release();
  };
  const stopListening = onExitSignals((signal) => {
    queued.abort();
    void leave().finally(() => process.exit(exitCodeFor(signal)));
  });
  try {
    azurite = useLocalAzuriteIfConfigured(settings, cwd, queued.signal);
    const held = await azurite;
    if (!held.ok) return held.error;
    const deps = createJobDependencies(settings);
    const onRetry = (line: string) => console.error(`fx-gold: ${line}`);
    const result = await runDailyJob(quoteRequestFor(date.value, now), deps, { retry: !args['no-retry'], onRetry, accepted: accepted.data });
    if (!result.ok) return fail(1, result.error);
    const { row, saved } = result.value;
    const { table, endpoint } = deps.store.location;
    console.error(`fx-gold: stored row ${row.rowKey} in table ${table} at ${endpoint} (${saved})`);
    console.log(JSON.stringify(row, null, 2));
    return 0;
  } catch (error) {
    return fail(1, redact(errorMessage(error), settings.secrets));
  } finally {
    await leave();
    stopListening();
  }
}

/** With `UseDevelopmentStorage=true`, the shared local Azurite (see sharedAzurite.ts); a refusal is the exit code. */
async function useLocalAzuriteIfConfigured(settings: Settings, cwd: string, signal: AbortSignal): Promise<Result<AzuriteLease | undefined, number>> {
  if (settings.storage.kind !== 'connectionString' || !isDevelopmentStorage(settings.storage.connectionString)) return success(undefined);
  const lease = await useSharedAzurite({
    needs: ['table'],
    location: join(cwd, '.azurite'),
    settingHint: 'FXGOLD_STORAGE_CONNECTION',
    say: (line) => console.error(line),
    signal,
  });
  if (lease.ok) return lease;
  if (lease.error.kind === 'aborted') return failure(1); // the signal handler exits with the signal's code
  return failure(fail(lease.error.kind === 'port-taken' ? 2 : 1, lease.error.message));
}

function fail(code: number, message: string): number {
  console.error(`fx-gold: ${message}`);
  return code;
}

process.exitCode = await runOnce(process.argv.slice(2), process.env, process.cwd());
