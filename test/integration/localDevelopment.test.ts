import { spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { allListening, DEV_PORTS, isListening, startAzuriteTable, type RunningAzurite } from '../../src/devtools/azurite.js';
import { defaultRunnerFolder } from '../../src/devtools/sharedAzurite.js';
import { startFakeProviders, documentedAnswers, type FakeProviders } from '../support/fakeProviders.js';
import { runCli, startCli, type StartedCli } from '../support/cli.js';
import { connectionStore } from '../support/stores.js';

/**
 * The local-development commands that use Azurite's default ports (10000-10002) and the runners' shared
 * coordination folder, in one file so they never run at the same time: `npm start` and `npm run once` with
 * `UseDevelopmentStorage=true`, in scratch project folders.
 */
const EXAMPLE = fileURLToPath(new URL('../../local.settings.example.json', import.meta.url));
const devPortsBusy = (await Promise.all(Object.values(DEV_PORTS).map((p) => isListening(p)))).some(Boolean);
const GOLD_KEY = 'goldapi-local-dev-io';
let fake: FakeProviders;
beforeAll(async () => (fake = await startFakeProviders()));
afterAll(() => fake.close());
beforeEach(() => fake.reset());

/** Runners a test ends with a signal; should the test fail first, they are ended here, so none outlives it. */
const running: StartedCli[] = [];
const inFlight = (cli: StartedCli) => (running.push(cli), cli);
afterEach(async () => {
  for (const cli of running.splice(0)) {
    if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGTERM');
    await cli.done;
  }
});

function scratchProject() {
  const root = mkdtempSync(join(tmpdir(), 'fxgold-start-'));
  copyFileSync(EXAMPLE, join(root, 'local.settings.example.json'));
  const bin = join(root, 'bin');
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node')); // only node on the PATH: no func anywhere
  return { root, bin };
}

/** The environment of a runner on the default storage; TMPDIR pinned so it finds the same coordination folder as this test. */
const onceEnv = (bin: string, table: string) => ({
  ...fake.settings(),
  PATH: bin,
  TMPDIR: tmpdir(),
  GOLDAPI_KEY: GOLD_KEY,
  FXGOLD_TABLE_NAME: table,
});

/**
 * A stand-in `func` that reports how it was run and whether Azurite's three services were up meanwhile, then
 * exits 7, or with `stay` keeps running (like `func start`) until a signal ends it.
 */
function fakeFunc(dir: string, label: string, report: string, stay = false) {
  mkdirSync(dir, { recursive: true });
  const script = join(dir, 'func');
  writeFileSync(
    script,
    `#!/usr/bin/env node
const net = require('node:net');
const up = (port) => new Promise((r) => { const s = net.connect(port, '127.0.0.1'); s.on('connect', () => { s.end(); r(true); }); s.on('error', () => r(false)); });
Promise.all([10000, 10001, 10002].map(up)).then((azurite) => {
  require('node:fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify({ label: ${JSON.stringify(label)}, args: process.argv.slice(2), cwd: process.cwd(), azurite }));
  if (${stay}) setInterval(() => {}, 1 << 30); else process.exit(7);
});
`,
  );
  chmodSync(script, 0o755);
}

/** Pids of live Azurite processes keeping their data in `location`: what a runner must not leave behind. */
function azuriteProcessesFor(location: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return cmdline.some((arg) => arg.includes('azurite')) && cmdline.includes(location) ? [Number(pid)] : [];
      } catch {
        return []; // gone meanwhile
      }
    });
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Opens the data a runner left in `location` with a fresh Azurite on a free port and reads the rows back. */
async function rowsIn(location: string, table: string, dates: string[]) {
  const reopened = await startAzuriteTable({ location });
  try {
    const store = connectionStore(reopened.connectionString, table);
    return await Promise.all(dates.map((date) => store.find('USD', date)));
  } finally {
    await reopened.stop();
  }
}

/** A dead pid: a process that has come and gone. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid ?? 999_999;
}

/** Gold hangs for these dates, so a runner asking for one stays in flight until a signal ends it. */
const HANGING_DATE = '2025-07-07';
const hangGoldOn = (...dates: string[]) =>
  fake.answer('goldapi', (request) =>
    dates.some((date) => request.path.endsWith(date.replaceAll('-', ''))) ? { hang: true } : documentedAnswers.goldapi(request),
  );
const goldRequested = (date: string) => () =>
  fake.requests.some((r) => r.provider === 'goldapi' && r.path.endsWith(date.replaceAll('-', '')));

describe.skipIf(devPortsBusy)('npm run once with the local emulator (the shared Azurite policy)', () => {
  it('starts Azurite itself for UseDevelopmentStorage=true, keeps the data in .azurite/ and stops it afterwards', async () => {
    const { root: cwd, bin } = scratchProject();
    const run = await runCli('once', ['--date', '2025-07-07'], onceEnv(bin, 'FxGoldAutostart'), cwd);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('starting Azurite');
    expect(await isListening(DEV_PORTS.table)).toBe(false);
    expect(azuriteProcessesFor(join(cwd, '.azurite'))).toEqual([]);
    expect(await rowsIn(join(cwd, '.azurite'), 'FxGoldAutostart', ['2025-07-07'])).toEqual([JSON.parse(run.stdout)]);
  });

  it('three concurrent runs share one Azurite: all succeed, all rows are stored, and no Azurite is left', async () => {
    const { root: cwd, bin } = scratchProject();
    const dates = ['2025-07-07', '2025-07-08', '2025-07-09'];
    const runs = await Promise.all(dates.map((date) => runCli('once', ['--date', date], onceEnv(bin, 'FxGoldConcurrent'), cwd)));

    for (const run of runs) expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 0 });
    // Exactly one of them started Azurite; the others used it.
    expect(runs.filter((run) => run.stderr.includes('starting Azurite'))).toHaveLength(1);
    expect(runs.filter((run) => run.stderr.includes('using the Azurite already running on 127.0.0.1:10002'))).toHaveLength(2);
    expect(await allListening(Object.values(DEV_PORTS))).toBe(false);
    expect(azuriteProcessesFor(join(cwd, '.azurite'))).toEqual([]);
    const rows = await rowsIn(join(cwd, '.azurite'), 'FxGoldConcurrent', dates);
    expect(rows.map((row) => row?.rowKey)).toEqual(dates);
    expect(rows).toEqual(runs.map((run): unknown => JSON.parse(run.stdout)));
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s to a runner mid-run ends it with %i and stops the Azurite it started', async (signal, code) => {
    const { root: cwd, bin } = scratchProject();
    hangGoldOn(HANGING_DATE);
    const runner = inFlight(startCli('once', ['--date', HANGING_DATE], onceEnv(bin, 'FxGoldSignal'), cwd));
    await waitFor('the runner to ask for gold', goldRequested(HANGING_DATE));
    expect(azuriteProcessesFor(join(cwd, '.azurite'))).toHaveLength(1);

    runner.child.kill(signal);
    const run = await runner.done;
    expect(run.code).toBe(code);
    expect(run.stdout).toBe('');
    expect(await isListening(DEV_PORTS.table)).toBe(false);
    expect(azuriteProcessesFor(join(cwd, '.azurite'))).toEqual([]);
  });

  it('the runner that started Azurite leaves it running while another still uses it; the last one out stops it', async () => {
    const { root: cwd, bin } = scratchProject();
    const env = onceEnv(bin, 'FxGoldHandOver');
    hangGoldOn(HANGING_DATE, '2025-07-08');
    const first = inFlight(startCli('once', ['--date', HANGING_DATE], env, cwd)); // starts Azurite, then waits on gold
    await waitFor('the first runner to ask for gold', goldRequested(HANGING_DATE));
    const second = inFlight(startCli('once', ['--date', '2025-07-08'], env, cwd)); // uses it, still in flight when the first leaves...
    await waitFor('the second runner to ask for gold', goldRequested('2025-07-08'));

    first.child.kill('SIGTERM');
    expect((await first.done).code).toBe(143);
    expect(await isListening(DEV_PORTS.table)).toBe(true); // ...so the first must not stop it
    expect(azuriteProcessesFor(join(cwd, '.azurite'))).toHaveLength(1);

    second.child.kill('SIGINT');
    expect((await second.done).code).toBe(130);
    expect(await isListening(DEV_PORTS.table)).toBe(false);
    expect(azuriteProcessesFor(join(cwd, '.azurite'))).toEqual([]);
    expect(second.output().stderr).toContain('using the Azurite already running on 127.0.0.1:10002');
  });

  it('ignores what dead runners left behind: their leases, their lock and their dead Azurite', async () => {
    const folder = defaultRunnerFolder();
    mkdirSync(folder, { recursive: true });
    const dead = await deadPid();
    writeFileSync(join(folder, 'lock'), String(dead));
    writeFileSync(join(folder, `runner-${dead}.lease`), String(dead));
    writeFileSync(join(folder, 'azurite.json'), JSON.stringify({ pid: dead }));

    const { root: cwd, bin } = scratchProject();
    const run = await runCli('once', ['--date', '2025-07-08'], onceEnv(bin, 'FxGoldStale'), cwd);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('starting Azurite');
    expect(await isListening(DEV_PORTS.table)).toBe(false);
    expect(azuriteProcessesFor(join(cwd, '.azurite'))).toEqual([]);
    expect(readdirSync(folder).filter((name) => name.endsWith('.lease') || name === 'lock' || name === 'azurite.json')).toEqual([]);
  });

  describe('when something already listens on 127.0.0.1:10002', () => {
    let other: Server | undefined;
    let azurite: RunningAzurite | undefined;
    afterEach(async () => {
      await azurite?.stop();
      azurite = undefined;
      if (other) await new Promise((resolve) => other?.close(resolve));
      other = undefined;
    });

    it('and it is not Azurite, both commands stop with exit 2 naming the port and the setting, having fetched and run nothing', async () => {
      other = createServer((_req, res) => res.writeHead(200, { server: 'nginx' }).end('hello'));
      await new Promise<void>((resolve) => other?.listen(DEV_PORTS.table, '127.0.0.1', resolve));
      const { root, bin } = scratchProject();

      const once = await runCli('once', ['--date', '2025-07-08'], onceEnv(bin, 'FxGoldTaken'), root);
      expect(once.code).toBe(2);
      expect(once.stderr).toContain('127.0.0.1:10002 is taken by something that is not Azurite');
      expect(once.stderr).toContain('set FXGOLD_STORAGE_CONNECTION');
      expect(fake.requests).toEqual([]);

      const report = join(root, 'func-report.json');
      fakeFunc(join(root, 'node_modules', '.bin'), 'local', report);
      const start = await runCli('start', [], { PATH: bin, TMPDIR: tmpdir() }, root);
      expect(start.code).toBe(2);
      expect(start.stderr).toContain('127.0.0.1:10002 is taken by something that is not Azurite');
      expect(start.stderr).toContain('FXGOLD_STORAGE_CONNECTION');
      expect(existsSync(report)).toBe(false);
      expect(await allListening([DEV_PORTS.blob, DEV_PORTS.queue])).toBe(false);
    });

    it('and it is Azurite, the runner writes there and leaves it running; npm start refuses one without blob and queue', async () => {
      azurite = await startAzuriteTable({ tablePort: DEV_PORTS.table }); // in memory: the row can only be read from it
      const { root, bin } = scratchProject();
      const run = await runCli('once', ['--date', '2025-07-08'], onceEnv(bin, 'FxGoldExisting'), root);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('fx-gold: using the Azurite already running on 127.0.0.1:10002');
      expect(run.stderr).not.toContain('starting Azurite');
      const store = connectionStore(azurite.connectionString, 'FxGoldExisting');
      expect(await store.find('USD', '2025-07-08')).toEqual(JSON.parse(run.stdout));
      expect(await isListening(DEV_PORTS.table)).toBe(true);

      const report = join(root, 'func-report.json');
      fakeFunc(join(root, 'node_modules', '.bin'), 'local', report);
      const start = await runCli('start', [], { PATH: bin, TMPDIR: tmpdir() }, root);
      expect(start.code).toBe(2);
      expect(start.stderr).toContain(
        'an Azurite without its blob and queue service is running (nothing on 127.0.0.1:10000, 127.0.0.1:10001)',
      );
      expect(existsSync(report)).toBe(false);
      expect(await isListening(DEV_PORTS.table)).toBe(true);
    });
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

  it.skipIf(devPortsBusy)(
    'prefers the project’s own func, runs `func start` with Azurite up, passes its exit code on and stops Azurite',
    async () => {
      const { root, bin } = scratchProject();
      const report = join(root, 'func-report.json');
      fakeFunc(join(root, 'node_modules', '.bin'), 'local', report);
      fakeFunc(join(root, 'global'), 'global', report);
      const run = await runCli('start', ['--verbose'], { PATH: [bin, join(root, 'global')].join(':'), TMPDIR: tmpdir() }, root);

      expect(run.code).toBe(7);
      expect(run.stderr).toContain('starting Azurite');
      expect(JSON.parse(readFileSync(report, 'utf8'))).toEqual({
        label: 'local',
        args: ['start', '--verbose'],
        cwd: root,
        azurite: [true, true, true],
      });
      expect(await allListening(Object.values(DEV_PORTS))).toBe(false);
      expect(azuriteProcessesFor(join(root, '.azurite'))).toEqual([]);
    },
  );

  it.skipIf(devPortsBusy)('falls back to a func on the PATH', async () => {
    const { root, bin } = scratchProject();
    const report = join(root, 'func-report.json');
    fakeFunc(join(root, 'global'), 'global', report);
    const run = await runCli('start', [], { PATH: [bin, join(root, 'global')].join(':'), TMPDIR: tmpdir() }, root);
    expect(run.code).toBe(7);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ label: 'global', args: ['start'] });
  });

  it.skipIf(devPortsBusy)('shares its Azurite with npm run once, and on SIGTERM stops func, then Azurite, and exits 143', async () => {
    const { root, bin } = scratchProject();
    const report = join(root, 'func-report.json');
    fakeFunc(join(root, 'node_modules', '.bin'), 'local', report, true);
    const start = inFlight(startCli('start', [], { PATH: bin, TMPDIR: tmpdir() }, root));
    await waitFor('func to be started', () => existsSync(report));

    const once = await runCli('once', ['--date', '2025-07-08'], onceEnv(bin, 'FxGoldBesideStart'), root);
    expect(once.code).toBe(0);
    expect(once.stderr).toContain('using the Azurite already running on 127.0.0.1:10002');
    expect(await allListening(Object.values(DEV_PORTS))).toBe(true); // once leaves npm start's Azurite alone

    start.child.kill('SIGTERM');
    expect((await start.done).code).toBe(143);
    expect(await allListening(Object.values(DEV_PORTS))).toBe(false);
    expect(azuriteProcessesFor(join(root, '.azurite'))).toEqual([]);
  });
});
