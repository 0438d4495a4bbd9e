import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpRequest } from '@azure/functions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ratesHandler } from '../../src/http/ratesHandler.js';
import { runCli, runCommand } from '../support/cli.js';
import { G10 } from '../support/http.js';
import { freshReadTable, storedRow, weekdaysFrom } from '../support/storedRows.js';

const DATES = weekdaysFrom('2025-06-02', 15);
let table: ReturnType<typeof freshReadTable>;
beforeAll(async () => {
  table = freshReadTable('ReadExport');
  await table.save(
    DATES.map((date, i) =>
      storedRow({
        date,
        gold: 3300 + i,
        rates: Object.fromEntries(G10.map((code, k) => [code, k + 1 + i / 100])),
        source: i < 5 ? 'FOREXCOM' : 'LBMA',
      }),
    ),
  );
});

/** The same question asked of the API's handler. */
const apiAnswer = (query: string) =>
  ratesHandler(new HttpRequest({ method: 'GET', url: `http://localhost/api/rates?${query}` }), table.deps, new Date());
// Storage settings only: no GOLDAPI_KEY, no provider setting.
// In-process (src/cli/exportCommand.ts), or as the compiled command in a process where the bytes on stdout are the point.
const exportCli = (args: string[], asProcess = false) => {
  const cwd = mkdtempSync(join(tmpdir(), 'fxgold-export-'));
  return { cwd, run: (asProcess ? runCli : runCommand)('export', args, table.env, cwd) };
};

describe('npm run export (real Azurite)', () => {
  it('--format csv --out FILE writes byte for byte what GET /api/rates answers', async () => {
    const { cwd, run } = exportCli([
      '--from',
      '2025-06-03',
      '--to',
      '2025-06-17',
      '--currencies',
      'EUR,JPY',
      '--format',
      'csv',
      '--out',
      'rates.csv',
    ]);
    const { code, stdout, stderr } = await run;
    expect(stderr).toBe('fx-gold: wrote 2025-06-03 to 2025-06-17 (csv) to rates.csv\n');
    expect(code).toBe(0);
    expect(stdout).toBe('');
    const api = await apiAnswer('from=2025-06-03&to=2025-06-17&currencies=EUR,JPY&format=csv');
    expect(readFileSync(join(cwd, 'rates.csv'), 'utf8')).toBe(api.body);
    expect((api.body as string).split('\r\n')).toHaveLength(1 + 11 + 1); // header, 11 weekdays, the final line end
  });

  it('JSON (the default) to a file and to stdout is the API’s JSON answer', async () => {
    const api = await apiAnswer('from=2025-06-02&to=2025-06-20');
    const { cwd, run } = exportCli(['--from', '2025-06-02', '--to', '2025-06-20', '--out', 'rates.json']);
    expect((await run).code).toBe(0);
    expect(readFileSync(join(cwd, 'rates.json'), 'utf8')).toBe(JSON.stringify(api.jsonBody));
    expect(JSON.parse(readFileSync(join(cwd, 'rates.json'), 'utf8'))).toMatchObject({ base: 'USD', count: 15 });

    const toStdout = await exportCli(['--from', '2025-06-02', '--to', '2025-06-20', '--format', 'json'], true).run;
    expect(toStdout.code).toBe(0);
    expect(toStdout.stdout).toBe(JSON.stringify(api.jsonBody));
  });

  it.each([
    [['--from', '2025-06-02'], '--from and --to are required'],
    [['--from', '2025-06-02', '--to', '2025-06-31'], '"to" is not a real calendar date'],
    [['--from', '2025-06-02', '--to', '2025-06-20', '--currencies', 'XAU'], '"currencies": XAU is not a configured currency'],
    [['--from', '2025-06-02', '--to', '2025-06-20', '--format', 'xlsx'], '"format" must be json or csv'],
    [['--from', '2025-06-02', '--to', '2025-06-20', '--since', 'x'], "Unknown option '--since'"],
  ])('bad arguments %j → exit 2 with the API’s message, nothing on stdout', async (args, message) => {
    const { code, stdout, stderr } = await exportCli(args).run;
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });
});
