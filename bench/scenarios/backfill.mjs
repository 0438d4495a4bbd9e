import { existsSync } from 'node:fs';
import { appModule, ROOT } from '../lib/app.mjs';
import { benchAzurite, freshTableName } from '../lib/azurite.mjs';
import { startFakeProviders } from '../lib/fakeProviders.mjs';
import { single } from '../lib/figures.mjs';
import { timedDependencies } from '../lib/timedPorts.mjs';

// Issue 9's benchmark. It drives the backfill the way `npm run backfill` does (src/cli/backfill.ts: plan, quota
// check, then the chunks one after another) in this process, through the exports named below; until the compiled app
// has them the scenario says so and is skipped, not crashed.

const LATENCY_MS = 50;
const NEEDED = [
  ['src/backfill/plan.js', 'planBackfill'],
  ['src/backfill/runChunk.js', 'runChunk'],
  ['src/pipeline/jobDependencies.js', 'createBackfillDependencies'],
];
const OPTIONAL_QUOTA = ['src/backfill/quota.js', 'checkQuota'];

/** The exports, or why not (a missing file or export). */
async function backfillExports() {
  const found = {};
  for (const [path, name] of [...NEEDED, OPTIONAL_QUOTA]) {
    const optional = name === OPTIONAL_QUOTA[1];
    if (!existsSync(`${ROOT}dist/${path}`)) {
      if (optional) continue;
      return { missing: `dist/${path}` };
    }
    const value = (await appModule(path))[name];
    if (typeof value !== 'function' && !optional) return { missing: `${name} in dist/${path}` };
    found[name] = value;
  }
  return { found };
}

const sum = (values) => values.reduce((a, b) => a + b, 0);

export default {
  id: 'backfill',
  title: 'Backfill of 10 years (issue 9; providers answering after 50 ms)',
  how: [
    'In this process, as `npm run backfill` drives it: `planBackfill` over 2015-07-06 .. 2025-07-04 (about 2,600 business dates) on an empty table, `checkQuota` when exported, then `runChunk` for each chunk in turn, with `createBackfillDependencies(loadSettings(env))` pointed at the bench fakes (Frankfurter series and goldapi historical, each answering after 50 ms) and a fresh table of the bench Azurite; quota limits lifted (`FXGOLD_GOLD_REQUEST_BUDGET` 1000000, `FXGOLD_GOLD_MONTHLY_QUOTA` 0), `FXGOLD_GOLD_CONCURRENCY` at its default.',
    "Requests are counted by the fakes. Table time: time inside the store's `save*` calls (the ports are wrapped in timing proxies, as in the daily job); reads and the usage ledger are shown apart. Wall: plan start to the last chunk written.",
    'Target for wall: 1.5 × (gold requests × 50 ms ÷ gold concurrency) + 10 s.',
  ],
  async run({ quick }) {
    const exportsFound = await backfillExports();
    if (exportsFound.missing) return { skipped: `the compiled app has no ${exportsFound.missing} yet (issue 9)` };
    const { planBackfill, runChunk, createBackfillDependencies, checkQuota } = exportsFound.found;
    const { loadSettings } = await appModule('src/config/settings.js');

    const azurite = await benchAzurite();
    const fake = await startFakeProviders({ latencyMs: LATENCY_MS });
    try {
      const settings = loadSettings({
        ...fake.settings(),
        FXGOLD_STORAGE_CONNECTION: azurite.connectionString,
        FXGOLD_TABLE_NAME: freshTableName('Backfill'),
        FXGOLD_USAGE_TABLE_NAME: freshTableName('BackfillUsage'),
        FXGOLD_GOLD_REQUEST_BUDGET: '1000000',
        FXGOLD_GOLD_MONTHLY_QUOTA: '0',
      });
      if (!settings.ok) throw new Error(`settings refused: ${settings.error}`);
      const calls = [];
      const deps = timedDependencies(createBackfillDependencies(settings.value), calls);
      const range = quick ? { from: '2025-05-01', to: '2025-06-30' } : { from: '2015-07-06', to: '2025-07-04' };
      const now = new Date();

      const started = performance.now();
      const plan = await planBackfill(range, deps, { force: false, now });
      if (!plan.ok) throw new Error(`planBackfill refused: ${plan.error}`);
      if (checkQuota) {
        const quota = await checkQuota(plan.value, deps, now);
        if (!quota.ok) throw new Error(`checkQuota refused: ${quota.error}`);
      }
      const outcome = { stored: 0, gaps: 0, failed: [] };
      for (const chunk of plan.value.chunks) {
        const result = await runChunk(chunk, deps, { retry: false });
        outcome.stored += result.stored.length;
        outcome.gaps += result.gaps.length;
        outcome.failed.push(...result.failed);
      }
      const wallMs = performance.now() - started;
      if (outcome.failed.length) throw new Error(`${outcome.failed.length} dates failed, e.g. ${JSON.stringify(outcome.failed[0])}`);

      const inPort = (test) => sum(calls.filter(test).map((c) => c.end - c.start));
      const gold = fake.requests.goldapi;
      const concurrency = settings.value.goldConcurrency ?? 2;
      const wallLimit = 1.5 * ((gold * LATENCY_MS) / concurrency) + 10_000;
      const rows = [
        single('FX requests', fake.requests.frankfurter, 'count', { text: '≤ 130', limit: 130 }),
        single('gold requests', gold, 'count'),
        single(
          'table time (store save* calls)',
          inPort((c) => c.port === 'store' && /^save/.test(c.method)),
          'ms',
          { text: '≤ 2000 ms', limit: 2_000 },
        ),
        single(
          'table reads (plan query, previous rows; summed)',
          inPort((c) => (c.port === 'store' && !/^save/.test(c.method)) || c.port === 'rows'),
          'ms',
        ),
        single(
          'usage ledger calls (summed over concurrent calls)',
          inPort((c) => c.port === 'usage'),
          'ms',
        ),
        single('wall', wallMs, 'ms', {
          text: `≤ ${(wallLimit / 1_000).toFixed(1)} s (1.5 × ${gold} × ${LATENCY_MS} ms ÷ ${concurrency} + 10 s)`,
          limit: wallLimit,
        }),
      ];
      const notes = [
        `${range.from} .. ${range.to}: ${plan.value.dates.length} business dates in ${plan.value.chunks.length} chunks: ${outcome.stored} stored, ${outcome.gaps} gaps; one run (N = 1: it takes a minute).`,
      ];
      return { rows, notes };
    } finally {
      await fake.close();
    }
  },
};
