import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { FxGoldRow } from '../../src/domain/fxGoldRow.js';
import { startCli } from '../support/cli.js';
import { connectionStore } from '../support/stores.js';

/** Debian's chromium (or chromium-browser) on the PATH; CI installs it (.ci/run). */
/**
 * Where the browser tests save their full-page screenshots: a temporary folder, so a test run leaves the tree as it
 * was; `FXGOLD_SCREENSHOTS_DIR=docs` writes the README's pictures instead (the folder is made if missing).
 */
export function screenshotPath(name: string): string {
  const folder = process.env.FXGOLD_SCREENSHOTS_DIR || join(tmpdir(), 'fxgold-screenshots');
  mkdirSync(folder, { recursive: true });
  return join(folder, name);
}

export const CHROMIUM = (process.env.PATH ?? '')
  .split(delimiter)
  .flatMap((dir) => ['chromium', 'chromium-browser'].map((name) => join(dir, name)))
  .find((file) => existsSync(file));

/**
 * `npm run dashboard` (the compiled CLI, as a child process) over `rows`, stored by the project's own store in a
 * fresh table of the suite's Azurite; answers the origin it serves on and how to stop it.
 */
export async function startDashboard(
  connectionString: string,
  table: string,
  rows: readonly FxGoldRow[],
  env: Record<string, string> = {},
) {
  const saved = await connectionStore(connectionString, table).saveBatch(rows);
  if (!saved.ok) throw new Error(`seeding failed: ${JSON.stringify(saved.error)}`);
  const workDir = mkdtempSync(join(tmpdir(), 'fx-gold-dashboard-')); // no local.settings.json: the environment is all
  const cli = startCli(
    'dashboard',
    ['--port', '0'],
    { FXGOLD_STORAGE_CONNECTION: connectionString, FXGOLD_TABLE_NAME: table, ...env },
    workDir,
  );
  const origin = await new Promise<string>((resolve, reject) => {
    const look = () => {
      const url = /dashboard at (http:\/\/127\.0\.0\.1:\d+)\/api\/dashboard/.exec(cli.output().stdout)?.[1];
      if (url) resolve(url);
    };
    cli.child.stdout?.on('data', look);
    cli.child.once('exit', () => reject(new Error(`npm run dashboard exited: ${cli.output().stderr}`)));
  });
  return {
    origin,
    cli,
    async close() {
      if (cli.child.exitCode === null) cli.child.kill('SIGINT');
      await cli.done;
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
