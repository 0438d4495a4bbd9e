import { appModule, weekdaysFrom } from '../lib/app.mjs';
import { benchAzurite, freshTableName } from '../lib/azurite.mjs';
import { startFakeProviders } from '../lib/fakeProviders.mjs';
import { sampled } from '../lib/figures.mjs';
import { timedDependencies } from '../lib/timedPorts.mjs';

const LATENCY_MS = 200;
const sum = (values) => values.reduce((a, b) => a + b, 0);
// Object.groupBy needs Node 21; the app supports 20.
const groupBy = (list, keyOf) => list.reduce((groups, item) => ((groups[keyOf(item)] ??= []).push(item), groups), {});

/** Measures one job from its recorded port calls. */
function phasesOf(calls, startedAt, endedAt) {
  const providerCalls = calls.filter((c) => c.port.startsWith('rates ') || c.port.startsWith('gold '));
  const lasting = (list) => sum(list.map((c) => c.end - c.start));
  return {
    wholeMs: endedAt - startedAt,
    fetchMs: Math.max(...providerCalls.map((c) => c.end)) - startedAt,
    writeMs: lasting(calls.filter((c) => c.port === 'store' && /^save/.test(c.method))),
    readMs: lasting(calls.filter((c) => c.port === 'store' && !/^save/.test(c.method))),
    /** Time inside each other port's calls (the usage ledger, ...), by `port.method`. */
    otherPorts: groupBy(
      calls.filter((c) => c.port !== 'store' && !providerCalls.includes(c)),
      (c) => `${c.port}.${c.method}`,
    ),
  };
}

export default {
  id: 'daily-job',
  title: 'Daily job (providers answering after 200 ms)',
  how: [
    '`runDailyJob` from dist/src/pipeline/runDailyJob.js, in this process after its modules are imported, with the dependencies of `createJobDependencies(loadSettings(env))` pointed at the bench fakes (Frankfurter and goldapi, each answering after 200 ms) and the bench Azurite; one business date per job, historical endpoints, no retries.',
    "Phases are timed from outside: every port handed to the job (each provider, the store, the usage ledger or any other port it has) is wrapped in a proxy recording when each call starts and settles; src/ is untouched. Fetch phase: job start to the last provider answer. Table write: time inside the store's `save*` calls. Row-check read: the store's other calls (the previous row the quality gates compare with).",
    'Each round takes fresh dependencies and a fresh table: its first job pays table creation and first connections (*first*), the next jobs reuse them as a warm worker does (*later*).',
  ],
  async run({ quick }) {
    const [{ loadSettings }, { createJobDependencies }, { runDailyJob }] = await Promise.all([
      appModule('src/config/settings.js'),
      appModule('src/pipeline/jobDependencies.js'),
      appModule('src/pipeline/runDailyJob.js'),
    ]);
    const azurite = await benchAzurite();
    const fake = await startFakeProviders({ latencyMs: LATENCY_MS });
    try {
      const rounds = quick ? 2 : 6;
      const jobsPerRound = quick ? 2 : 4;
      const first = [];
      const later = [];
      const otherPorts = new Set();
      for (let round = 0; round < rounds; round++) {
        const settings = loadSettings({
          ...fake.settings(),
          FXGOLD_STORAGE_CONNECTION: azurite.connectionString,
          FXGOLD_TABLE_NAME: freshTableName('Daily'),
          FXGOLD_USAGE_TABLE_NAME: freshTableName('DailyUsage'),
        });
        if (!settings.ok) throw new Error(`settings refused: ${settings.error}`);
        const calls = [];
        const deps = timedDependencies(createJobDependencies(settings.value), calls);
        for (const date of await weekdaysFrom('2025-06-02', jobsPerRound)) {
          calls.length = 0;
          const startedAt = performance.now();
          const result = await runDailyJob({ date, mode: 'historical' }, deps, { retry: false });
          const endedAt = performance.now();
          if (!result.ok) throw new Error(`the job failed for ${date}: ${result.error}`);
          const phases = phasesOf(calls, startedAt, endedAt);
          Object.keys(phases.otherPorts).forEach((name) => otherPorts.add(name));
          (first.length === round ? first : later).push(phases);
        }
      }
      const figures = (label, list, key, target) =>
        sampled(
          `${label}`,
          list.map((p) => p[key]),
          'ms',
          target,
        );
      const fetchTarget = { text: `≤ ${LATENCY_MS + 30} ms (max latency + 30)`, limit: LATENCY_MS + 30 };
      const wholeTarget = { text: `≤ ${LATENCY_MS + 80} ms (max latency + 80)`, limit: LATENCY_MS + 80 };
      const rows = [
        figures('fetch phase, first job', first, 'fetchMs', fetchTarget),
        figures('fetch phase, later jobs', later, 'fetchMs', fetchTarget),
        figures('row-check read, first job', first, 'readMs'),
        figures('row-check read, later jobs', later, 'readMs'),
        figures('table write, first job (creates the table)', first, 'writeMs'),
        figures('table write, later jobs', later, 'writeMs'),
        figures('whole job after imports, first job', first, 'wholeMs', wholeTarget),
        figures('whole job after imports, later jobs', later, 'wholeMs', wholeTarget),
      ];
      const all = [...first, ...later];
      for (const name of otherPorts)
        rows.push(
          sampled(
            `${name} (any job; inside the phases above)`,
            all.map((p) => sum((p.otherPorts[name] ?? []).map((c) => c.end - c.start))),
            'ms',
          ),
        );
      const notes = [
        `max(provider latency) = ${LATENCY_MS} ms (both fakes answer after ${LATENCY_MS} ms); ${rounds} rounds of ${jobsPerRound} jobs.`,
      ];
      return { rows, notes };
    } finally {
      await fake.close();
    }
  },
};
