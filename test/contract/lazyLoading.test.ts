import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * What a cold start loads: the deployed entry (package.json "main") under plain Node, as in the host-contract test,
 * with a loader hook recording every module loaded (test/support/moduleLoads.mjs); then one storage-using activity.
 * Which npm packages a loaded file holds is read from the file itself: its path under node_modules, or, for a bundle
 * chunk, the `sources` of the source map shipped next to it. So this holds whether a package is bundled or external.
 */
interface Loads {
  atLoad: string[];
  afterStorage: string[];
  outcome: unknown;
  dashboard: unknown;
}

const root = fileURLToPath(new URL('../..', import.meta.url));
let loads: Loads;

beforeAll(() => {
  const child = spawnSync(
    process.execPath,
    ['--require', './test/support/fakeFunctionsCore.cjs', '--import', './test/support/moduleLoads.mjs', 'test/support/printLazyLoads.mjs'],
    { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 30_000 },
  );
  if (child.status !== 0) throw new Error(`the compiled app failed to load or run (run npm run build first):\n${child.stderr}`);
  loads = JSON.parse(child.stdout) as Loads;
});

/** The npm packages whose code the loaded modules hold. */
function packagesIn(urls: readonly string[]): Set<string> {
  const packages = new Set<string>();
  const add = (path: string) => {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
    if (name) packages.add(name);
  };
  for (const url of urls.filter((u) => u.startsWith('file:'))) {
    const file = fileURLToPath(url);
    add(file);
    if (existsSync(`${file}.map`))
      for (const source of (JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }).sources) add(source);
  }
  return packages;
}

const LAZY = ['@azure/data-tables', '@azure/identity', '@azure/msal-node', 'node-fetch', 'proxy-agent', 'csv-stringify'];

describe('a cold start loads only what every function needs', () => {
  it('loading the app loads the Functions and Durable libraries and zod (which shows the census sees bundled code)', () => {
    expect([...packagesIn(loads.atLoad)]).toEqual(expect.arrayContaining(['durable-functions', 'zod']));
  });

  it('loading the app loads neither the storage SDK nor the identity library, nor node-fetch, proxy-agent or csv-stringify', () => {
    const loaded = packagesIn(loads.atLoad);
    expect(LAZY.filter((name) => loaded.has(name))).toEqual([]);
  });

  it('the first write to the table loads the storage SDK and, for a table endpoint, the identity library', () => {
    expect([...packagesIn(loads.afterStorage)]).toEqual(expect.arrayContaining(['@azure/data-tables', '@azure/identity']));
    // The write itself fails at once (no token is sent over http), as a value: the activity got as far as storage.
    expect(loads.outcome).toMatchObject({
      ok: false,
      error: { source: 'storage', kind: 'permanent', message: expect.stringMatching(/Bearer token/) },
    });
  });

  it('the bundle serves the dashboard page the build wrote beside it', () => {
    expect(loads.dashboard).toEqual({ status: 200, html: true, errors: [] });
  });
});
