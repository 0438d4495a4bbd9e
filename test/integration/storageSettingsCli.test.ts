import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../support/cli.js';

/** The compiled `npm run once` (build first: `npx tsc -p tsconfig.json`), given a storage setting it cannot use. */
const runOnce = (env: Record<string, string>) =>
  runCommand(
    'once',
    ['--date', '2025-07-07'],
    { GOLDAPI_KEY: 'goldapi-cli-secret-777-io', ...env },
    mkdtempSync(join(tmpdir(), 'fxgold-storage-settings-')),
  );

describe('npm run once with a malformed storage connection string', () => {
  it.each([
    ['FXGOLD_STORAGE_CONNECTION', 'garbage'],
    [
      'FXGOLD_STORAGE_CONNECTION',
      'DefaultEndpointsProtocol=https;AccountName=fxgoldacct;EndpointSuffix=core.windows.net;c2VjcmV0LWtleS1tYXRlcmlhbA==',
    ],
    ['AzureWebJobsStorage', 'garbage'],
  ])('%s=%s: exit 2 naming the setting, the value never printed', async (setting, value) => {
    const run = await runOnce({ [setting]: value });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      new RegExp(`${setting} (is not a storage connection string|has neither an AccountKey nor a SharedAccessSignature)`),
    );
    expect(run.stderr).not.toContain(value);
    expect(run.stderr).not.toContain('toLowerCase');
  });
});
