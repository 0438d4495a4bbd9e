import { benchAzurite, freshTableName } from '../lib/azurite.mjs';
import { backfillExports, runBackfill } from '../lib/backfillRun.mjs';
import { startFakeProviders } from '../lib/fakeProviders.mjs';
import { single } from '../lib/figures.mjs';

// Issue 17's benchmark: the same ten years backfilled twice in one run, both with the fakes answering after 50 ms:
// keyless (Frankfurter v1 for FX, Frankfurter v2's NBP gold series, one request of each per chunk) and goldapi's
// historical endpoint (one metered request per date), as `npm run backfill` drives them.

const LATENCY_MS = 50;

export default {
  id: 'keyless-backfill',
  title: 'Keyless backfill of 10 years beside goldapi per date (issue 17; providers answering after 50 ms)',
  how: [
    'In this process, as `npm run backfill` drives it (bench/lib/backfillRun.mjs): 2015-07-06 .. 2025-07-04 (about 2,600 business dates) into a fresh table of the bench Azurite, twice: `FXGOLD_GOLD_PROVIDERS=frankfurter` (a gold series per chunk from the Frankfurter v2 fake) and `FXGOLD_GOLD_PROVIDERS=goldapi` (one historical request per date, `FXGOLD_GOLD_CONCURRENCY` 2, quota limits lifted); FX from the Frankfurter v1 fake both times.',
    "Requests are counted by the fakes. Table time: time inside the store's `save*` calls. Wall: plan start to the last chunk written. Targets: keyless at most one FX and one gold request per chunk, at least 10× faster than goldapi per date, table time ≤ 2 s.",
  ],
  async run({ quick }) {
    const app = await backfillExports();
    if (app.missing) return { skipped: `the compiled app has no ${app.missing}` };
    const azurite = await benchAzurite();
    const fake = await startFakeProviders({ latencyMs: LATENCY_MS });
    try {
      const range = quick ? { from: '2025-05-01', to: '2025-06-30' } : { from: '2015-07-06', to: '2025-07-04' };
      const env = (name, goldProviders) => ({
        ...fake.settings(),
        FXGOLD_GOLD_PROVIDERS: goldProviders,
        FXGOLD_STORAGE_CONNECTION: azurite.connectionString,
        FXGOLD_TABLE_NAME: freshTableName(name),
        FXGOLD_USAGE_TABLE_NAME: freshTableName(`${name}Usage`),
        FXGOLD_GOLD_REQUEST_BUDGET: '1000000',
        FXGOLD_GOLD_MONTHLY_QUOTA: '0',
      });
      const keyless = await runBackfill(app.found, env('Keyless', 'frankfurter'), range);
      const keylessRequests = { ...fake.requests };
      fake.resetCounts();
      const perDate = await runBackfill(app.found, env('PerDate', 'goldapi'), range);
      const chunks = keyless.plan.chunks.length;
      const rows = [
        single('keyless: FX requests', keylessRequests.frankfurter, 'count', { text: `≤ ${chunks} (one per chunk)`, limit: chunks }),
        single('keyless: gold requests', keylessRequests.frankfurterv2, 'count', { text: `≤ ${chunks} (one per chunk)`, limit: chunks }),
        single('keyless: table time (store save* calls)', keyless.tableSaveMs, 'ms', { text: '≤ 2000 ms', limit: 2_000 }),
        single('keyless: wall', keyless.wallMs, 'ms'),
        single('goldapi per date: gold requests', fake.requests.goldapi, 'count'),
        single('goldapi per date: wall', perDate.wallMs, 'ms'),
        single('keyless ÷ goldapi per date (wall)', keyless.wallMs / perDate.wallMs, 'ratio', { text: '≤ 0.10 (10× faster)', limit: 0.1 }),
      ];
      const notes = [
        `${range.from} .. ${range.to}: ${keyless.plan.dates.length} business dates in ${chunks} chunks; keyless ${keyless.outcome.stored} stored, ${keyless.outcome.gaps} gaps; goldapi ${perDate.outcome.stored} stored. One run of each (N = 1).`,
      ];
      return { rows, notes };
    } finally {
      await fake.close();
    }
  },
};
