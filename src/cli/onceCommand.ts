import { loadSettings } from '../config/settings.js';
import { parseBusinessDate, utcDateOf } from '../domain/businessDate.js';
import { quoteRequestFor } from '../domain/quotes.js';
import { createJobDependencies } from '../pipeline/jobDependencies.js';
import { runDailyJob } from '../pipeline/runDailyJob.js';
import type { CommandIo } from './commandIo.js';
import { acceptedGates, commandArgs, fail, localSettings, say, withRowsStorage } from './localCommand.js';

const USAGE =
  'usage: npm run once -- [--date YYYY-MM-DD] [--no-retry] [--accept-quality plausibility]   (default: today, UTC; transient failures are retried)';

/**
 * Runs the daily job once without the Functions host and prints the stored row as JSON on stdout; progress
 * (Azurite, retries, where the row went) goes to stderr.
 * Exit codes: 0 stored, 1 the job failed (nothing written), 2 bad arguments or settings, 130/143 SIGINT/SIGTERM.
 */
export async function onceCommand(argv: string[], io: CommandIo): Promise<number> {
  const parsed = commandArgs(
    io,
    argv,
    { date: { type: 'string' }, 'no-retry': { type: 'boolean' }, 'accept-quality': { type: 'string', multiple: true } } as const,
    USAGE,
  );
  if (!parsed.ok) return parsed.error;
  const args = parsed.value;
  const accepted = acceptedGates(io, args['accept-quality'], USAGE);
  if (!accepted.ok) return accepted.error;
  const settings = localSettings(io, loadSettings);
  if (!settings.ok) return settings.error;

  const now = new Date();
  const date = parseBusinessDate(args.date ?? utcDateOf(now), now);
  if (!date.ok) return fail(io, 2, args.date ? date.error : `${date.error}; pass --date for an earlier weekday`);

  return withRowsStorage(io, settings.value, async () => {
    const deps = createJobDependencies(settings.value);
    const onRetry = (line: string) => say(io, line);
    const result = await runDailyJob(quoteRequestFor(date.value, now), deps, {
      retry: !args['no-retry'],
      onRetry,
      accepted: accepted.value,
    });
    if (!result.ok) return fail(io, 1, result.error);
    const { row, saved } = result.value;
    const { table, endpoint } = deps.store.location;
    say(io, `stored row ${row.rowKey} in table ${table} at ${endpoint} (${saved})`);
    io.stdout.write(`${JSON.stringify(row, null, 2)}\n`);
    return 0;
  });
}
