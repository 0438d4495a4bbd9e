import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allListening, DEV_PORTS, isListening, startAzuriteTable } from '../../src/devtools/azurite.js';
import { tableClientFor, tableRowStore } from '../../src/storage/fxGoldTable.js';
import { startFakeProviders, type FakeProviders } from '../support/fakeProviders.js';
import { runCli } from '../support/cli.js';

/**
 * The local-development commands that use Azurite's default ports (10000-10002), in one file so they never
 * run at the same time: `npm start` and `npm run once`'s own Azurite, in a scratch project folder.
 */
const EXAMPLE = fileURLToPath(new URL('../../local.settings.example.json', import.meta.url));
const devPortsBusy = (await Promise.all(Object.values(DEV_PORTS).map((p) => isListening(p)))).some(Boolean);
let fake: FakeProviders;
beforeAll(async () => (fake = await startFakeProviders()));
afterAll(() => fake.close());

function scratchProject() {
  const root = mkdtempSync(join(tmpdir(), 'fxgold-start-'));
  copyFileSync(EXAMPLE, join(root, 'local.settings.example.json'));
  const bin = join(root, 'bin');
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node')); // only node on the PATH: no func anywhere
  return { root, bin };
}

/** A stand-in `func` that reports how it was run and whether Azurite's three services were up meanwhile. */
function fakeFunc(dir: string, label: string, report: string) {
  mkdirSync(dir, { recursive: true });
  const script = join(dir, 'func');
  writeFileSync(
    script,
    `#!/usr/bin/env node
const net = require('node:net');
const up = (port) => new Promise((r) => { const s = net.connect(port, '127.0.0.1'); s.on('connect', () => { s.end(); r(true); }); s.on('error', () => r(false)); });
Promise.all([10000, 10001, 10002].map(up)).then((azurite) => {
  require('node:fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify({ label: ${JSON.stringify(label)}, args: process.argv.slice(2), cwd: process.cwd(), azurite }));
  process.exit(7);
});
`,
  );
  chmodSync(script, 0o755);
}

describe('npm run once with the local emulator', () => {
  it.skipIf(devPortsBusy)('starts Azurite itself for UseDevelopmentStorage=true, keeps the data in .azurite/ and stops it afterwards', async () => {
    const { root: cwd, bin } = scratchProject();
    const env = { ...fake.settings(), PATH: bin, GOLDAPI_KEY: 'goldapi-local-dev-io', FXGOLD_TABLE_NAME: 'FxGoldAutostart' };
    const run = await runCli('once', ['--date', '2025-07-07'], env, cwd);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('starting Azurite');
    expect(await isListening(DEV_PORTS.table)).toBe(false);

    const reopened = await startAzuriteTable({ location: join(cwd, '.azurite') });
    try {
      const store = tableRowStore(tableClientFor({ kind: 'connectionString', connectionString: reopened.connectionString }, env.FXGOLD_TABLE_NAME, () => {
        throw new Error('unused');
      }));
      expect(await store.find('USD', '2025-07-07')).toEqual(JSON.parse(run.stdout));
    } finally {
      await reopened.stop();
    }
  });
});

describe('npm start launcher', () => {
  it('without func anywhere, exits 1 at once with how to install Core Tools, after creating local.settings.json', async () => {
    const { root, bin } = scratchProject();
    const run = await runCli('start', [], { PATH: bin }, root);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('created local.settings.json');
    expect(run.stderr).toContain('Azure Functions Core Tools (`func`) was not found');
    expect(run.stderr).toContain('npm install -g azure-functions-core-tools@4');
    expect(run.stderr).toContain('npm run once');
    expect(readFileSync(join(root, 'local.settings.json'), 'utf8')).toBe(readFileSync(EXAMPLE, 'utf8'));
    expect(await allListening(Object.values(DEV_PORTS))).toBe(devPortsBusy);
  });

  it('never overwrites an existing local.settings.json', async () => {
    const { root, bin } = scratchProject();
    writeFileSync(join(root, 'local.settings.json'), '{"Values":{"GOLDAPI_KEY":"mine"}}');
    const run = await runCli('start', [], { PATH: bin }, root);
    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain('created local.settings.json');
    expect(readFileSync(join(root, 'local.settings.json'), 'utf8')).toBe('{"Values":{"GOLDAPI_KEY":"mine"}}');
  });

  it.skipIf(devPortsBusy)('prefers the project’s own func, runs `func start` with Azurite up, passes its exit code on and stops Azurite', async () => {
    const { root, bin } = scratchProject();
    const report = join(root, 'func-report.json');
    fakeFunc(join(root, 'node_modules', '.bin'), 'local', report);
    fakeFunc(join(root, 'global'), 'global', report);
    const run = await runCli('start', ['--verbose'], { PATH: [bin, join(root, 'global')].join(':') }, root);

    expect(run.code).toBe(7);
    expect(run.stderr).toContain('starting Azurite');
    expect(JSON.parse(readFileSync(report, 'utf8'))).toEqual({ label: 'local', args: ['start', '--verbose'], cwd: root, azurite: [true, true, true] });
    expect(await isListening(DEV_PORTS.blob)).toBe(false);
  });

  it.skipIf(devPortsBusy)('falls back to a func on the PATH', async () => {
    const { root, bin } = scratchProject();
    const report = join(root, 'func-report.json');
    fakeFunc(join(root, 'global'), 'global', report);
    const run = await runCli('start', [], { PATH: [bin, join(root, 'global')].join(':') }, root);
    expect(run.code).toBe(7);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ label: 'global', args: ['start'] });
  });
});
