import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnvironment, ROOT, weekdaysFrom } from '../lib/app.mjs';
import { benchAzurite, freshTableName } from '../lib/azurite.mjs';
import { startFakeProviders } from '../lib/fakeProviders.mjs';
import { sampled } from '../lib/figures.mjs';
import { repeat } from '../lib/stats.mjs';

const LATENCY_MS = 200;

/** Runs a command to its end: wall time, and its output for the error message when it fails. */
function timed(command, args, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0)
        reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${output.trim().split('\n').slice(-5).join(' | ')}`));
      else if (!/stored row/.test(output))
        reject(new Error(`${command} ${args.join(' ')} did not say it stored the row: ${output.trim().slice(-300)}`));
      else resolve(wallMs);
    });
  });
}

/** The script's last step when it is `node <file>` (today `node dist/src/cli/once.js`), to show what the steps before it cost. */
function lastNodeStep() {
  const script = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts?.once ?? '';
  const last = script.split('&&').at(-1)?.trim().split(/\s+/) ?? [];
  return last[0] === 'node' && last.length >= 2 ? { script, args: last.slice(1) } : { script, args: undefined };
}

export default {
  id: 'once-command',
  title: '`npm run once` end to end (providers answering after 200 ms)',
  how: [
    '`npm run once -- --date <weekday>`: the script as package.json defines it when the bench runs, from spawn to exit, with the build up to date (`npm run bench` builds first), a new date each run (so each run creates its row), Frankfurter and goldapi fakes answering after 200 ms, and the bench Azurite already running (`FXGOLD_STORAGE_CONNECTION`): Azurite start-up is not measured.',
    "For context, the script's last step alone (today `node dist/src/cli/once.js`), run in turn with it: the difference is what the steps before it (today a full `tsc` build and the dashboard build) cost.",
  ],
  async run({ quick }) {
    const azurite = await benchAzurite();
    const fake = await startFakeProviders({ latencyMs: LATENCY_MS });
    try {
      const env = {
        ...cleanEnvironment(),
        ...fake.settings(),
        FXGOLD_STORAGE_CONNECTION: azurite.connectionString,
        FXGOLD_TABLE_NAME: freshTableName('Once'),
        FXGOLD_USAGE_TABLE_NAME: freshTableName('OnceUsage'),
      };
      const { script, args: directArgs } = lastNodeStep();
      const dates = await weekdaysFrom('2025-05-05', 40);
      let next = 0;
      const runs = await repeat({ runs: quick ? 1 : 5, minRuns: quick ? 1 : 3, budgetMs: quick ? Infinity : 35_000 }, async () => ({
        npm: await timed('npm', ['run', 'once', '--', '--date', dates[next++]], env),
        direct: directArgs ? await timed(process.execPath, [...directArgs, '--date', dates[next++]], env) : NaN,
      }));
      const target = { text: '≤ 1500 ms', limit: 1_500 };
      const rows = [
        sampled(
          'npm run once: wall',
          runs.map((r) => r.npm),
          'ms',
          target,
        ),
      ];
      if (directArgs)
        rows.push(
          sampled(
            `node ${directArgs.join(' ')} alone: wall`,
            runs.map((r) => r.direct),
            'ms',
          ),
        );
      return { rows, notes: [`The script measured: \`${script}\`.`] };
    } finally {
      await fake.close();
    }
  },
};
