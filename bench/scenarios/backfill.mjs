import { benchAzurite, freshTableName } from '../lib/azurite.mjs';
import { backfillExports, runBackfill } from '../lib/backfillRun.mjs';
import { startFakeProviders } from '../lib/fakeProviders.mjs';
import { single } from '../lib/figures.mjs';

// Issue 9's benchmark: the backfill driven as `npm run backfill` drives it (bench/lib/backfillRun.mjs), on goldapi's
// historical endpoint; until the compiled app has the exports the scenario says so and is skipped, not crashed.

const LATENCY_MS = 50;

export default {
  id: 'backfill',
  title: 'Backfill of 10 years (issue 9; providers answering after 50 ms)',
  how: [
    'In this process, as `npm run backfill` drives it: `planBackfill` over 2015-07-06 .. 2025-07-04 (about 2,600 business dates) on an empty table, `checkQuota` when exported, then `runChunk` for each chunk in turn, with `createBackfillDependencies(loadSettings(env))` pointed at the bench fakes (Frankfurter series and goldapi historical, each answering after 50 ms) and a fresh table of the bench Azurite; quota limits lifted (`FXGOLD_GOLD_REQUEST_BUDGET` 1000000, `FXGOLD_GOLD_MONTHLY_QUOTA` 0), `FXGOLD_GOLD_CONCURRENCY` at its default.',
    "Requests are counted by the fakes. Table time: time inside the store's `save*` calls (the ports are wrapped in timing proxies, as in the daily job); reads and the usage ledger are shown apart. Wall: plan start to the last chunk written.",
    'Target for wall: 1.5 × (gold requests × 50 ms ÷ gold concurrency) + 10 s.',
  ],
  async run({ quick }) {
    const app = await backfillExports();
    if (app.missing) return { skipped: `the compiled app has no ${app.missing} yet (issue 9)` };
    const azurite = await benchAzurite();
    const fake = await startFakeProviders({ latencyMs: LATENCY_MS });
    try {
      const range = quick ? { from: '2025-05-01', to: '2025-06-30' } : { from: '2015-07-06', to: '2025-07-04' };
      const run = await runBackfill(
        app.found,
        {
          ...fake.settings(),
          FXGOLD_STORAGE_CONNECTION: azurite.connectionString,
          FXGOLD_TABLE_NAME: freshTableName('Backfill'),
          FXGOLD_USAGE_TABLE_NAME: freshTableName('BackfillUsage'),
          FXGOLD_GOLD_REQUEST_BUDGET: '1000000',
          FXGOLD_GOLD_MONTHLY_QUOTA: '0',
        },
        range,
      );
      const gold = fake.requests.goldapi;
      const concurrency = run.settings.goldConcurrency ?? 2;
      const wallLimit = 1.5 * ((gold * LATENCY_MS) / concurrency) + 10_000;
      const rows = [
        single('FX requests', fake.requests.frankfurter, 'count', { text: '≤ 130', limit: 130 }),
        single('gold requests', gold, 'count'),
        single('table time (store save* calls)', run.tableSaveMs, 'ms', { text: '≤ 2000 ms', limit: 2_000 }),
        single('table reads (plan query, previous rows; summed)', run.tableReadMs, 'ms'),
        single('usage ledger calls (summed over concurrent calls)', run.usageMs, 'ms'),
        single('wall', run.wallMs, 'ms', {
          text: `≤ ${(wallLimit / 1_000).toFixed(1)} s (1.5 × ${gold} × ${LATENCY_MS} ms ÷ ${concurrency} + 10 s)`,
          limit: wallLimit,
        }),
      ];
      const notes = [
        `${range.from} .. ${range.to}: ${run.plan.dates.length} business dates in ${run.plan.chunks.length} chunks: ${run.outcome.stored} stored, ${run.outcome.gaps} gaps; one run (N = 1: it takes a minute).`,
      ];
      return { rows, notes };
    } finally {
      await fake.close();
    }
  },
};
