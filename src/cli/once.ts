import { loadSettings } from '../config/settings.js';
import { parseBusinessDate, utcDateOf } from '../domain/businessDate.js';
import { quoteRequestFor } from '../domain/quotes.js';
import { createJobDependencies } from '../pipeline/jobDependencies.js';
import { runDailyJob } from '../pipeline/runDailyJob.js';
import { acceptedGates, commandArgs, fail, localSettings, withRowsStorage } from './localCommand.js';

const USAGE =
  'usage: npm run once -- [--date YYYY-MM-DD] [--no-retry] [--accept-quality plausibility]   (default: today, UTC; transient failures are retried)';

/**
 * Runs the daily job once without the Functions host and prints the stored row as JSON on stdout; progress
 * (Azurite, retries, where the row went) goes to stderr.
 * Exit codes: 0 stored, 1 the job failed (nothing written), 2 bad arguments or settings, 130/143 SIGINT/SIGTERM.
 */
async function runOnce(argv: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  const parsed = commandArgs(
    argv,
    { date: { type: 'string' }, 'no-retry': { type: 'boolean' }, 'accept-quality': { type: 'string', multiple: true } } as const,
    USAGE,
  );
  if (!parsed.ok) return parsed.error;
  const args = parsed.value;
  const accepted = acceptedGates(args['accept-quality'], USAGE);
  if (!accepted.ok) return accepted.error;
  const settings = localSettings(loadSettings, cwd, env);
  if (!settings.ok) return settings.error;

  const now = new Date();
  const date = parseBusinessDate(args.date ?? utcDateOf(now), now);
  if (!date.ok) return fail(2, args.date ? date.error : `${date.error}; pass --date for an earlier weekday`);

  return withRowsStorage(settings.value, cwd, async () => {
    const deps = createJobDependencies(settings.value);
    const onRetry = (line: string) => console.error(`fx-gold: ${line}`);
    const result = await runDailyJob(quoteRequestFor(date.value, now), deps, {
      retry: !args['no-retry'],
      onRetry,
      accepted: accepted.value,
    });
    if (!result.ok) return fail(1, result.error);
    const { row, saved } = result.value;
    const { table, endpoint } = deps.store.location;
    console.error(`fx-gold: stored row ${row.rowKey} in table ${table} at ${endpoint} (${saved})`);
    console.log(JSON.stringify(row, null, 2));
    return 0;
  });
}

process.exitCode = await runOnce(process.argv.slice(2), process.env, process.cwd());
