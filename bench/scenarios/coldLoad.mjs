import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../lib/app.mjs';
import { countOpenedFiles } from '../lib/fileCensus.mjs';
import { sampled, single } from '../lib/figures.mjs';
import { pairedRatios, repeat } from '../lib/stats.mjs';

const child = (name) => fileURLToPath(new URL(`../child/${name}`, import.meta.url));
const REPORT_USAGE = child('reportUsage.cjs');
const FAKE_CORE = join(ROOT, 'test/support/fakeFunctionsCore.cjs');

/** The three children, measured in turn in every round so their ratios are side by side. */
const VARIANTS = [
  { id: 'entry', label: 'deployed entry ("main")', args: ['--require', FAKE_CORE, child('loadDeployedEntry.mjs')] },
  { id: 'sdks', label: 'six SDK imports', args: ['--require', FAKE_CORE, child('importSdks.mjs')] },
  { id: 'empty', label: 'node -e 0', args: ['-e', '0'] },
];

const MIB = 1024;

/** One child run: wall time from the parent, CPU and peak RSS from the child itself (reportUsage.cjs). */
function measure(variant, usageFile) {
  // No settings at all, as in the host-contract test: loading must not need any.
  const env = { PATH: process.env.PATH ?? '', BENCH_USAGE_FILE: usageFile };
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--require', REPORT_USAGE, ...variant.args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const wallMs = performance.now() - started;
  if (run.status !== 0)
    throw new Error(`${variant.label} exited with ${run.status}: ${run.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8'));
  if (variant.id === 'entry' && !(usage.loaded?.functions > 0))
    throw new Error(`the deployed entry registered no function (${JSON.stringify(usage.loaded)}): is package.json "main" right?`);
  return { wallMs, cpuMs: usage.cpuMicros / 1_000, rssMiB: usage.maxRssKiB / MIB, loaded: usage.loaded };
}

export default {
  id: 'cold-load',
  title: 'Cold load',
  how: [
    'Three child processes, run in turn in every round (entry, SDKs, `node -e 0`, entry, SDKs, …) after one discarded warm-up round, so each ratio compares runs made side by side; the ratio is the median of the per-round ratios.',
    '*deployed entry*: `node --require test/support/fakeFunctionsCore.cjs bench/child/loadDeployedEntry.mjs`, which imports every file matching package.json "main" (read at run time, so a bundle is measured as soon as "main" points at it), as the worker does; *six SDK imports*: the same child importing `@azure/functions`, `durable-functions`, `@azure/data-tables`, `@azure/identity`, `node-fetch`, `zod`; *node -e 0*: the floor.',
    'Wall: spawn to exit, from the parent. CPU (user+system) and peak RSS (`ru_maxrss`): `process.resourceUsage()` read inside the child at exit by a preload (`bench/child/reportUsage.cjs`, given to all three), because `/usr/bin/time` is not everywhere and polling `/proc/<pid>/status` can miss the peak of a short process.',
    'Files opened: one extra, untimed run per variant under `strace -f` counting successful `open`/`openat` calls of files (tracing slows a process several times; the count does not depend on timing); without strace, a preload counting files opened through `fs` (it misses native opens, so it says less). The method used is printed.',
    'The OS file cache is warm (the same files were just read): this is the process cost of a cold start, not disk latency.',
  ],
  async run({ quick }) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-cold-'));
    try {
      const usageFile = join(dir, 'usage.json');
      for (const variant of VARIANTS) measure(variant, usageFile); // warm-up round, discarded
      const rounds = await repeat({ runs: quick ? 3 : 15, minRuns: quick ? 3 : 5, budgetMs: quick ? Infinity : 45_000 }, () =>
        Object.fromEntries(VARIANTS.map((variant) => [variant.id, measure(variant, usageFile)])),
      );
      const series = (id, key) => rounds.map((round) => round[id][key]);
      const census = Object.fromEntries(
        VARIANTS.map((v) => [
          v.id,
          countOpenedFiles(['--require', REPORT_USAGE, ...v.args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '' } }),
        ]),
      );

      const rows = [];
      for (const variant of VARIANTS) {
        const entry = variant.id === 'entry';
        rows.push(
          sampled(`${variant.label}: wall`, series(variant.id, 'wallMs'), 'ms'),
          sampled(`${variant.label}: CPU user+sys`, series(variant.id, 'cpuMs'), 'ms'),
          sampled(`${variant.label}: peak RSS`, series(variant.id, 'rssMiB'), 'MiB', entry ? { text: '≤ 80 MiB', limit: 80 } : undefined),
          single(`${variant.label}: files opened (node_modules)`, `${census[variant.id].total} (${census[variant.id].nodeModules})`),
        );
      }
      const ratio = (key) => pairedRatios(series('entry', key), series('sdks', key));
      const net = rounds.map((r) => (r.entry.wallMs - r.empty.wallMs) / (r.sdks.wallMs - r.empty.wallMs));
      rows.push(
        sampled('entry ÷ SDK imports: wall', ratio('wallMs'), 'ratio', { text: '≤ 0.50×', limit: 0.5 }),
        sampled('entry ÷ SDK imports: CPU', ratio('cpuMs'), 'ratio'),
        sampled('entry ÷ SDK imports: peak RSS', ratio('rssMiB'), 'ratio'),
        sampled('entry ÷ SDK imports: wall above node -e 0 ((A−C) ÷ (B−C))', net, 'ratio'),
      );
      const loaded = rounds[0].entry.loaded;
      const notes = [
        `"main" matched ${loaded.entries} file(s), which registered ${loaded.functions} function(s).`,
        `Files counted by ${census.entry.method}.`,
      ];
      return { rows, notes };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
