import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * What `func start` would index: the compiled app loaded by plain Node's ESM loader (not vitest's transform,
 * which hides import errors that stop the real host), every file matching package.json "main", with a
 * stand-in for the worker's @azure/functions-core recording each registerFunction(metadata, callback).
 */
interface Binding {
  type: string;
  direction: string;
  name: string;
  [option: string]: unknown;
}
interface Loaded {
  entries: string[];
  functions: Array<{ name: string; bindings: Record<string, Binding> }>;
}

const root = fileURLToPath(new URL('../..', import.meta.url));
let loaded: Loaded;
let stderr: string;

beforeAll(() => {
  const child = spawnSync(process.execPath, ['--require', './test/support/fakeFunctionsCore.cjs', 'test/support/printRegistrations.mjs'], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH }, // no settings at all: loading must not need any
  });
  stderr = child.stderr;
  if (child.status !== 0) throw new Error(`the compiled app failed to load (run npm run build first):\n${child.stderr}`);
  loaded = JSON.parse(child.stdout) as Loaded;
});

const fn = (name: string) => {
  const found = loaded.functions.find((f) => f.name === name);
  if (!found) throw new Error(`${name} not registered`);
  return Object.values(found.bindings).map(({ name: _generated, properties: _properties, ...binding }) => binding);
};

describe('host contract of the compiled app', () => {
  it('loads without warnings or errors, and without any settings', () => {
    expect(stderr).toBe('');
  });

  it('"main" matches one compiled file per function and nothing else (no tests, no tools)', () => {
    expect(loaded.entries).toEqual([
      'dist/src/functions/dashboard.js',
      'dist/src/functions/fetchCurrencyRates.js',
      'dist/src/functions/fetchGoldPrice.js',
      'dist/src/functions/fxGoldBackfillOrchestrator.js',
      'dist/src/functions/fxGoldDailyStarter.js',
      'dist/src/functions/fxGoldOrchestrator.js',
      'dist/src/functions/getAnalysis.js',
      'dist/src/functions/getBackfill.js',
      'dist/src/functions/getRates.js',
      'dist/src/functions/getRun.js',
      'dist/src/functions/getUsage.js',
      'dist/src/functions/listRuns.js',
      'dist/src/functions/persistRecord.js',
      'dist/src/functions/planBackfill.js',
      'dist/src/functions/runBackfillChunk.js',
      'dist/src/functions/startBackfill.js',
      'dist/src/functions/startRun.js',
      'dist/src/functions/transformRecord.js',
    ]);
  });

  it('registers exactly the functions of the contract', () => {
    expect(loaded.functions.map((f) => f.name).sort()).toEqual([
      'dashboard', 'fetchCurrencyRates', 'fetchGoldPrice', 'fxGoldBackfillOrchestrator', 'fxGoldDailyStarter', 'fxGoldOrchestrator', 'getAnalysis', 'getBackfill', 'getRates', 'getRun',
      'getUsage', 'listRuns', 'persistRecord', 'planBackfill', 'runBackfillChunk', 'startBackfill', 'startRun', 'transformRecord',
    ]);
  });

  it('fxGoldDailyStarter: a timer on %FXGOLD_SCHEDULE% with a durable client', () => {
    expect(fn('fxGoldDailyStarter')).toEqual([
      { type: 'timerTrigger', direction: 'in', schedule: '%FXGOLD_SCHEDULE%' },
      { type: 'durableClient', direction: 'in' },
    ]);
  });

  it.each(['fxGoldOrchestrator', 'fxGoldBackfillOrchestrator'])('%s: an orchestration trigger only', (name) => {
    expect(fn(name)).toEqual([{ type: 'orchestrationTrigger', direction: 'in' }]);
  });

  it.each(['fetchCurrencyRates', 'fetchGoldPrice', 'transformRecord', 'persistRecord', 'planBackfill', 'runBackfillChunk'])('%s: an activity trigger only', (name) => {
    expect(fn(name)).toEqual([{ type: 'activityTrigger', direction: 'in' }]);
  });

  it.each([
    ['startRun', 'runs', 'POST'],
    ['getRun', 'runs/{instanceId}', 'GET'],
    ['listRuns', 'runs', 'GET'],
    ['startBackfill', 'backfills', 'POST'],
    ['getBackfill', 'backfills/{id}', 'GET'],
  ])('%s: HTTP %s %s with function-level auth, a durable client and an HTTP return', (name, route, method) => {
    expect(fn(name)).toEqual([
      { type: 'httpTrigger', direction: 'in', route, methods: [method], authLevel: 'function' },
      { type: 'durableClient', direction: 'in' },
      { type: 'http', direction: 'out' },
    ]);
  });

  it.each([
    ['getRates', 'rates'],
    ['getAnalysis', 'analysis'],
    ['getUsage', 'usage'],
  ])('%s: HTTP GET %s with function-level auth and an HTTP return, no durable client', (name, route) => {
    expect(fn(name)).toEqual([
      { type: 'httpTrigger', direction: 'in', route, methods: ['GET'], authLevel: 'function' },
      { type: 'http', direction: 'out' },
    ]);
  });

  it('dashboard: HTTP GET dashboard, anonymous (the page holds no data; its data calls carry the key)', () => {
    expect(fn('dashboard')).toEqual([
      { type: 'httpTrigger', direction: 'in', route: 'dashboard', methods: ['GET'], authLevel: 'anonymous' },
      { type: 'http', direction: 'out' },
    ]);
  });
});
