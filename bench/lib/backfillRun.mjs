import { existsSync } from 'node:fs';
import { appModule, ROOT } from './app.mjs';
import { timedDependencies } from './timedPorts.mjs';

// Drives a backfill the way `npm run backfill` does (src/cli/backfillCommand.ts: plan, quota check, then the chunks
// one after another, runChunksInOrder) in this process, through the compiled app's exports; shared by the backfill scenarios.

const NEEDED = [
  ['src/backfill/plan.js', 'planBackfill'],
  ['src/backfill/runChunksInOrder.js', 'runChunksInOrder'],
  ['src/backfill/quota.js', 'checkQuota'],
  ['src/backfill/dependencies.js', 'createBackfillDependencies'],
  ['src/config/settings.js', 'loadSettings'],
];

/** The exports, or `{ missing }` naming the first file or export the compiled app lacks. */
export async function backfillExports() {
  const found = {};
  for (const [path, name] of NEEDED) {
    if (!existsSync(`${ROOT}dist/${path}`)) return { missing: `dist/${path}` };
    const value = (await appModule(path))[name];
    if (typeof value !== 'function') return { missing: `${name} in dist/${path}` };
    found[name] = value;
  }
  return { found };
}

const sum = (values) => values.reduce((a, b) => a + b, 0);

/**
 * Plans and runs `range` with the settings `env`; answers the plan, what was stored, the wall time (plan start to the
 * last chunk written) and the time inside each port (the store's save* calls, reads, the usage ledger). Throws when a
 * setting, the plan or the quota is refused, or a date failed.
 */
export async function runBackfill(app, env, range) {
  const settings = app.loadSettings(env);
  if (!settings.ok) throw new Error(`settings refused: ${settings.error}`);
  const calls = [];
  const deps = timedDependencies(app.createBackfillDependencies(settings.value), calls);
  const now = new Date();
  const started = performance.now();
  const plan = await app.planBackfill(range, deps, { force: false, now });
  if (!plan.ok) throw new Error(`planBackfill refused: ${plan.error}`);
  const quota = await app.checkQuota(plan.value, deps, now);
  if (!quota.ok) throw new Error(`checkQuota refused: ${quota.error}`);
  const outcome = { stored: 0, gaps: 0, failed: [] };
  for (const result of await app.runChunksInOrder(plan.value, deps, { retry: false })) {
    outcome.stored += result.stored.length;
    outcome.gaps += result.gaps.length;
    outcome.failed.push(...result.failed);
  }
  const wallMs = performance.now() - started;
  if (outcome.failed.length) throw new Error(`${outcome.failed.length} dates failed, e.g. ${JSON.stringify(outcome.failed[0])}`);
  const inPort = (test) => sum(calls.filter(test).map((c) => c.end - c.start));
  return {
    settings: settings.value,
    plan: plan.value,
    outcome,
    wallMs,
    tableSaveMs: inPort((c) => c.port === 'store' && /^save/.test(c.method)),
    tableReadMs: inPort((c) => (c.port === 'store' && !/^save/.test(c.method)) || c.port === 'rows'),
    usageMs: inPort((c) => c.port === 'usage'),
  };
}
