// npm run bench [-- --quick] [-- --only cold-load,read-api]
// Runs the scenarios of scenarios/index.mjs against the compiled app (dist/, brought up to date by `npm run bench`
// first), prints a table per scenario and, on a full default run, writes docs/benchmarks.md. Figures are reported,
// never asserted: the exit code is 1 only when a scenario crashed (or 2 for bad arguments), so CI can run `--quick`
// as a smoke test.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './lib/app.mjs';
import { stopBenchAzurite } from './lib/azurite.mjs';
import { machineDescription } from './lib/machine.mjs';
import { markdownReport, textTable } from './lib/report.mjs';
import { SCENARIOS } from './scenarios/index.mjs';

const USAGE = 'usage: npm run bench -- [--quick] [--only <scenario id>,...]   scenarios: ' + SCENARIOS.map((s) => s.id).join(', ');

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: { quick: { type: 'boolean' }, only: { type: 'string' }, help: { type: 'boolean' } },
    strict: true,
  });
  const only = values.only
    ?.split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const unknown = only?.filter((id) => !SCENARIOS.some((s) => s.id === id)) ?? [];
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')}`);
  return { quick: values.quick ?? false, only, help: values.help ?? false };
}

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`bench: ${error.message}\n${USAGE}`);
    return 2;
  }
  if (options.help) return (console.log(USAGE), 0);

  const machine = machineDescription();
  const scenarios = options.only ? SCENARIOS.filter((s) => options.only.includes(s.id)) : SCENARIOS;
  console.log(
    `bench${options.quick ? ' --quick (smoke run: few iterations, small data; figures not representative)' : ''}: ${machine.cpu}, Node ${machine.node}, ${machine.date}, load ${machine.loadAtStart}\n`,
  );

  const started = performance.now();
  const results = [];
  try {
    for (const scenario of scenarios) {
      const scenarioStart = performance.now();
      let result;
      try {
        const outcome = await scenario.run({ quick: options.quick });
        result = outcome.skipped
          ? { status: 'skipped', message: outcome.skipped }
          : { status: 'ok', rows: outcome.rows, notes: outcome.notes ?? [] };
      } catch (error) {
        result = { status: 'crashed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
      }
      results.push({
        id: scenario.id,
        title: `${scenario.title} (${((performance.now() - scenarioStart) / 1_000).toFixed(1)} s)`,
        ...result,
      });
      console.log(textTable(results.at(-1)));
    }
  } finally {
    await stopBenchAzurite();
  }
  const elapsedMs = performance.now() - started;
  console.log(`bench: ${(elapsedMs / 1_000).toFixed(1)} s`);

  if (!options.quick && !options.only) {
    const file = join(ROOT, 'docs', 'benchmarks.md');
    writeFileSync(file, markdownReport({ machine, command: 'npm run bench', results, scenarios, elapsedMs }));
    console.log(`bench: wrote ${file}`);
  }
  const crashed = results.filter((r) => r.status === 'crashed');
  if (crashed.length) console.error(`bench: ${crashed.length} scenario(s) crashed: ${crashed.map((r) => r.id).join(', ')}`);
  return crashed.length ? 1 : 0;
}

// Ctrl+C or SIGTERM: stop the Azurite this run started (the fakes are in-process and end with it), then exit.
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.once(signal, () => void stopBenchAzurite().finally(() => process.exit(code)));
}

process.exitCode = await main();
