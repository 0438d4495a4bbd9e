import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSettings, secretsOf, type Settings } from '../config/settings.js';
import { withLocalSettings } from '../config/localSettings.js';
import { parseBusinessDate, utcDateOf } from '../domain/businessDate.js';
import { quoteRequestFor } from '../domain/quotes.js';
import { errorMessage, redact } from '../domain/failureText.js';
import { DEV_TABLE_PORT, isDevelopmentStorage, isListening, startAzuriteTable, type RunningAzurite } from '../devtools/azurite.js';
import { createJobDependencies } from '../pipeline/jobDependencies.js';
import { runDailyJob } from '../pipeline/runDailyJob.js';

const USAGE = 'usage: npm run once -- [--date YYYY-MM-DD]   (default: today, UTC)';

/**
 * Runs the daily job once without the Functions host and prints the stored row as JSON.
 * Exit codes: 0 stored, 1 the job failed (nothing written), 2 bad arguments or settings.
 */
async function runOnce(argv: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, options: { date: { type: 'string' }, help: { type: 'boolean' } }, strict: true }).values;
  } catch (error) {
    return fail(2, `${errorMessage(error)}\n${USAGE}`);
  }
  if (args.help) return console.log(USAGE), 0;

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

  let azurite: RunningAzurite | undefined;
  try {
    azurite = await startLocalAzuriteIfNeeded(settings, cwd);
    const result = await runDailyJob(quoteRequestFor(date.value, now), createJobDependencies(settings));
    if (!result.ok) return fail(1, result.error);
    console.log(JSON.stringify(result.value, null, 2));
    return 0;
  } catch (error) {
    return fail(1, redact(errorMessage(error), secretsOf(settings)));
  } finally {
    await azurite?.stop();
  }
}

/** With `UseDevelopmentStorage=true` and no emulator running, start Azurite for this run, keeping its data in .azurite/. */
async function startLocalAzuriteIfNeeded(settings: Settings, cwd: string): Promise<RunningAzurite | undefined> {
  if (settings.storage.kind !== 'connectionString' || !isDevelopmentStorage(settings.storage.connectionString)) return undefined;
  if (await isListening(DEV_TABLE_PORT)) return undefined;
  console.error(`fx-gold: starting Azurite (table service on ${DEV_TABLE_PORT}, data in .azurite/) for this run`);
  return startAzuriteTable({ tablePort: DEV_TABLE_PORT, location: join(cwd, '.azurite') });
}

function fail(code: number, message: string): number {
  console.error(`fx-gold: ${message}`);
  return code;
}

process.exitCode = await runOnce(process.argv.slice(2), process.env, process.cwd());
