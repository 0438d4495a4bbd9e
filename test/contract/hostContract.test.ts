import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * What `func start` would index: the built app (the bundle, src/devtools/buildFunctions.ts) loaded by plain Node's
 * ESM loader (not vitest's transform, which hides import errors that stop the real host), every file matching
 * package.json "main", with a stand-in for the worker's @azure/functions-core recording each
 * registerFunction(metadata, callback).
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

  it('"main" is the one bundle of every function (dist/bundle/functions/index.js), and nothing else (no tests, no tools)', () => {
    expect(loaded.entries).toEqual(['dist/bundle/functions/index.js']);
  });

  it('registers exactly the functions of the contract', () => {
    expect(loaded.functions.map((f) => f.name).sort()).toEqual([
      'dashboard',
      'fetchCurrencyRates',
      'fetchGoldPrice',
      'fxGoldBackfillOrchestrator',
      'fxGoldDailyStarter',
      'fxGoldOrchestrator',
      'getAnalysis',
      'getBackfill',
      'getRates',
      'getRun',
      'getStatus',
      'getUsage',
      'listRuns',
      'persistRecord',
      'planBackfill',
      'runBackfillChunk',
      'settleBackfill',
      'startBackfill',
      'startRun',
      'transformRecord',
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

  it.each([
    'fetchCurrencyRates',
    'fetchGoldPrice',
    'transformRecord',
    'persistRecord',
    'planBackfill',
    'runBackfillChunk',
    'settleBackfill',
  ])('%s: an activity trigger only', (name) => {
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

  it('getStatus: HTTP GET status with function-level auth, a durable client (for the daily runs) and an HTTP return', () => {
    expect(fn('getStatus')).toEqual([
      { type: 'httpTrigger', direction: 'in', route: 'status', methods: ['GET'], authLevel: 'function' },
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

  it('roles: every keyed HTTP function is in exactly one role of infra/functionRoles.json; the reader role only reads', () => {
    const roles = JSON.parse(readFileSync(join(root, 'infra/functionRoles.json'), 'utf8')) as Record<string, string[]>;
    expect(Object.keys(roles).sort()).toEqual(['operator', 'reader']);
    const http = (name: string) => fn(name).find((binding) => binding.type === 'httpTrigger');
    const keyed = loaded.functions.map((f) => f.name).filter((name) => http(name)?.authLevel === 'function');
    expect([...roles.reader!, ...roles.operator!].sort()).toEqual(keyed.sort());
    // Readers (analysts, the dashboard's data calls) get the rates, the analysis, the usage and the status, and nothing that
    // starts, lists or watches a run or a backfill: their functions are GETs without a durable client.
    expect(roles.reader!.sort()).toEqual(['getAnalysis', 'getRates', 'getStatus', 'getUsage']);
    // getStatus alone holds a durable client, to read the last daily runs' statuses (src/http/statusHandler.ts): a GET
    // that starts, purges and answers nothing of the runs but their date, status and scrubbed reason.
    for (const name of roles.reader!) {
      expect(http(name)?.methods, name).toEqual(['GET']);
      expect(
        fn(name).some((binding) => binding.type === 'durableClient'),
        name,
      ).toBe(name === 'getStatus');
    }
    for (const name of roles.operator!)
      expect(
        fn(name).some((binding) => binding.type === 'durableClient'),
        name,
      ).toBe(true);
  });

  it('dashboard: HTTP GET dashboard, anonymous (the page holds no data; its data calls carry the key)', () => {
    expect(fn('dashboard')).toEqual([
      { type: 'httpTrigger', direction: 'in', route: 'dashboard', methods: ['GET'], authLevel: 'anonymous' },
      { type: 'http', direction: 'out' },
    ]);
  });
});

/** dist/ is what azd uploads (azure.yaml `dist: dist`, no remote build): it must be a Functions app on its own. */
describe('the deployment package, dist/', () => {
  const read = (path: string) => readFileSync(join(root, path), 'utf8');

  it('has its own package.json pointing at the same bundle, with no dependency for anything to install', () => {
    const rootMain = (JSON.parse(read('package.json')) as { main: string }).main;
    const deployed = JSON.parse(read('dist/package.json')) as Record<string, unknown>;
    expect(`dist/${String(deployed.main)}`).toBe(rootMain);
    expect(deployed.type).toBe('module');
    expect(Object.keys(deployed).filter((key) => /dependencies/i.test(key))).toEqual([]);
  });

  it("has the project's host.json, and leaves the commands' compiled sources out of the upload", () => {
    expect(JSON.parse(read('dist/host.json'))).toEqual(JSON.parse(read('host.json')));
    expect(read('dist/.funcignore').split('\n')).toContain('src/');
  });

  it('is deployed as built: azure.yaml uploads dist/ and asks for no remote build (so no npm install in Azure)', () => {
    const azureYaml = read('azure.yaml');
    expect(azureYaml).toMatch(/^\s+dist: dist$/m);
    expect(azureYaml).toMatch(/^\s+remoteBuild: false$/m);
  });

  it("the bundle needs nothing at run time but its own files, Node's built-ins and the worker's @azure/functions-core", () => {
    // (and kerberos, which proxy-agent imports only for Negotiate proxy authentication; never installed: see buildFunctions.ts)
    // esbuild's own account of the build: every import of every output file, and whether it left it outside.
    const { outputs } = JSON.parse(read('dist/bundle/metafile.json')) as {
      outputs: Record<string, { imports: Array<{ path: string; external?: boolean }> }>;
    };
    const external = Object.values(outputs).flatMap((output) => output.imports.filter((i) => i.external).map((i) => i.path));
    const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
    expect(external.length).toBeGreaterThan(10);
    expect([...new Set(external.filter((path) => !builtins.has(path)))].sort()).toEqual(['@azure/functions-core', 'kerberos']);
  });
});
