import type { BackfillPlan, BackfillSummary, ChunkResult, QuotaView } from '../backfill/contract.js';
import { parseBackfillRange, planBackfill } from '../backfill/plan.js';
import { randomUUID } from 'node:crypto';
import { checkQuota, releaseQuota } from '../backfill/quota.js';
import { runChunksInOrder } from '../backfill/runChunksInOrder.js';
import { loadSettings } from '../config/settings.js';
import { createBackfillDependencies, type BackfillDependencies } from '../backfill/dependencies.js';
import { chainOf } from '../pipeline/jobSteps.js';
import { backfillProgress } from './backfillProgress.js';
import type { CommandIo } from './commandIo.js';
import { acceptedGates, commandArgs, fail, localSettings, say, withRowsStorage } from './localCommand.js';

const USAGE =
  'usage: npm run backfill -- --from YYYY-MM-DD --to YYYY-MM-DD [--force] [--retry-gaps] [--dry-run] [--no-retry] [--accept-quality plausibility]';

/**
 * `npm run backfill`: stores a range of business dates without the Functions host, chunk by chunk (src/backfill/).
 * The plan and the quota numbers go to stderr first (`--dry-run` stops there), then progress, then one JSON summary
 * (BackfillSummary) on stdout. Exit codes: 0 every date stored or a gap, 1 some dates failed (the others stay
 * stored), 2 bad arguments or settings, or the quota guard refused; 130/143 on SIGINT/SIGTERM (finished chunks stay
 * stored; the same command again continues: stored dates are skipped).
 */
export async function backfillCommand(argv: string[], io: CommandIo): Promise<number> {
  const options = {
    from: { type: 'string' },
    to: { type: 'string' },
    force: { type: 'boolean' },
    'retry-gaps': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    'no-retry': { type: 'boolean' },
    'accept-quality': { type: 'string', multiple: true },
  } as const;
  const parsed = commandArgs(io, argv, options, USAGE);
  if (!parsed.ok) return parsed.error;
  const args = parsed.value;
  if (args.from === undefined || args.to === undefined) return fail(io, 2, `--from and --to are required\n${USAGE}`);
  const accepted = acceptedGates(io, args['accept-quality'], USAGE);
  if (!accepted.ok) return accepted.error;
  const settings = localSettings(io, loadSettings);
  if (!settings.ok) return settings.error;
  const range = parseBackfillRange({ from: args.from, to: args.to });
  if (!range.ok) return fail(io, 2, range.error);

  return withRowsStorage(io, settings.value, async (stopped) => {
    const deps = createBackfillDependencies(settings.value);
    const now = deps.clock();
    const plan = await planBackfill(range.value, deps, { force: args.force ?? false, retryGaps: args['retry-gaps'] ?? false, now });
    // A range the date rules refuse is a bad argument; a storage failure while planning is the work failing.
    if (!plan.ok) return fail(io, plan.error.startsWith('storage:') ? 1 : 2, plan.error);
    describePlan(io, plan.value, deps);
    // A dry run only reads the numbers; a real one reserves its requests under its own holder id before the first.
    const holder = args['dry-run'] ? undefined : `cli-${randomUUID()}`;
    const quota = await checkQuota(plan.value, deps, now, holder);
    if (!quota.ok) return fail(io, quota.error.startsWith('refused:') ? 2 : 1, quota.error);
    say(io, describeQuota(quota.value));
    if (holder === undefined) return (say(io, 'dry run: nothing fetched, nothing written'), 0);

    const total = plan.value.chunks.reduce((sum, chunk) => sum + chunk.dates.length, 0);
    const progress = backfillProgress(total, { isTTY: io.stderr.isTTY === true, write: (text) => io.stderr.write(text) });
    const onRetry = (line: string) => say(io, line);
    let results: ChunkResult[];
    try {
      results = await runChunksInOrder(
        plan.value,
        deps,
        { retry: !args['no-retry'], onRetry, accepted: accepted.value, onFetched: () => progress.fetched(), holder },
        (chunk, result) => progress.chunkDone(chunk, result),
        stopped,
      );
    } finally {
      const released = await releaseQuota(deps, holder, deps.clock());
      if (!released.ok) say(io, `the unused gold reservation stays until it expires: ${released.error}`);
    }
    progress.finish();
    const summary = summarize(plan.value, results);
    io.stdout.write(`${JSON.stringify(summary)}\n`);
    return summary.failed.length === 0 ? 0 : 1;
  });
}

/** The plan on stderr: dates to fetch, dates skipped, requests per provider. */
function describePlan(io: CommandIo, plan: BackfillPlan, deps: BackfillDependencies): void {
  const toFetch = plan.chunks.reduce((sum, chunk) => sum + chunk.dates.length, 0);
  const chunks = plan.chunks.length;
  say(
    io,
    `plan ${plan.range.from}..${plan.range.to}: ${plan.dates.length} business dates, ${toFetch} to fetch in ${chunks} chunk${chunks === 1 ? '' : 's'}, ${plan.skipped.length} skipped (already stored)${plan.knownGaps.length === 0 ? '' : `, ${plan.knownGaps.length} known gaps skipped (--retry-gaps asks them again)`}`,
  );
  const [rates, gold] = [chainOf(deps, 'rates')[0], chainOf(deps, 'gold')[0]];
  say(io, `requests: ${rates} ${plan.requests.currency}, ${gold} ${plan.requests.gold} (retries and failover aside)`);
}

function describeQuota(quota: QuotaView): string {
  if (!quota.metered) return `quota: ${quota.provider} has no monthly quota; not limited`;
  const monthly =
    quota.left === null
      ? 'no monthly limit (FXGOLD_GOLD_MONTHLY_QUOTA 0)'
      : `${quota.left} left in ${quota.month} (FXGOLD_GOLD_MONTHLY_QUOTA ${quota.monthlyQuota}, ${quota.used} used, ${quota.reserved} reserved by other backfills, ${quota.reserve} kept for the weekday runs left this month)`;
  return `quota: ${quota.provider} needs ${quota.needed} + ${quota.allowance} retry allowance; budget ${quota.budget} per backfill (FXGOLD_GOLD_REQUEST_BUDGET); ${monthly}`;
}

function summarize(plan: BackfillPlan, results: readonly ChunkResult[]): BackfillSummary {
  return {
    from: plan.range.from,
    to: plan.range.to,
    dates: plan.dates.length,
    stored: results.reduce((sum, r) => sum + r.stored.length, 0),
    skipped: plan.skipped.length,
    knownGaps: plan.knownGaps.length,
    gaps: results.flatMap((r) => r.gaps),
    failed: results.flatMap((r) => r.failed),
    requests: {
      currency: results.reduce((sum, r) => sum + r.requests.currency, 0),
      gold: results.reduce((sum, r) => sum + r.requests.gold, 0),
    },
  };
}
