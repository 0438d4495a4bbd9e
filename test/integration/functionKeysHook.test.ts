import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';

/** infra/hooks/setFunctionKeys.mjs (azd postdeploy) run against a stand-in `az` on PATH that keeps keys in a file. */
const root = fileURLToPath(new URL('../..', import.meta.url));
const roles = JSON.parse(readFileSync(join(root, 'infra/functionRoles.json'), 'utf8')) as Record<string, string[]>;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fx-gold-az-'));
  symlinkSync(join(root, 'test/support/fakeAz.mjs'), join(dir, 'az'));
  writeFileSync(join(dir, 'state.json'), JSON.stringify({ getRates: { default: 'host-made-default-key' } }));
  writeFileSync(join(dir, 'calls.jsonl'), '');
});

const runHook = (env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['infra/hooks/setFunctionKeys.mjs'], {
    cwd: root,
    encoding: 'utf8',
    env: {
      PATH: `${dir}:${process.env.PATH}`,
      AZURE_RESOURCE_GROUP: 'rg-fx',
      AZURE_FUNCTION_APP_NAME: 'func-fx',
      FAKE_AZ_STATE: join(dir, 'state.json'),
      FAKE_AZ_CALLS: join(dir, 'calls.jsonl'),
      ...env,
    },
  });
const state = () => JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as Record<string, Record<string, string>>;
const sets = () =>
  readFileSync(join(dir, 'calls.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as string[])
    .filter((args) => args[3] === 'set');

describe('the postdeploy hook that gives each HTTP function the key of its role', () => {
  it('gives every function of a role the same named key, a different one per role, and prints no key value', () => {
    const run = runHook();
    expect(run.status, run.stderr).toBe(0);
    const keys = state();
    const reader = keys.getRates!.reader!;
    const operator = keys.startRun!.operator!;
    expect(reader).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(operator).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(operator).not.toBe(reader);
    for (const name of roles.reader!) expect(keys[name], name).toMatchObject({ reader });
    for (const name of roles.operator!) expect(keys[name], name).toMatchObject({ operator });
    // A reader key is on no operator function and the other way round: a function key opens only its own function.
    for (const name of roles.operator!) expect(keys[name]?.reader, name).toBeUndefined();
    for (const name of roles.reader!) expect(keys[name]?.operator, name).toBeUndefined();
    expect(keys.getRates!.default).toBe('host-made-default-key');
    expect(sets().every((args) => args.includes('rg-fx') && args.includes('func-fx'))).toBe(true);
    expect(run.stdout + run.stderr).not.toContain(reader);
    expect(run.stdout + run.stderr).not.toContain(operator);
  });

  it('run again it changes nothing; a function added to a role gets the value the role already has', () => {
    expect(runHook().status).toBe(0);
    const first = state();
    writeFileSync(join(dir, 'calls.jsonl'), '');
    expect(runHook().status).toBe(0);
    expect(state()).toEqual(first);
    expect(sets()).toEqual([]);

    // As after a new read function was deployed: it has only its default key.
    const { getUsage: _dropped, ...rest } = first;
    writeFileSync(join(dir, 'state.json'), JSON.stringify(rest));
    expect(runHook().status).toBe(0);
    expect(state().getUsage).toEqual({ reader: first.getRates!.reader });
    expect(sets().map((args) => args[args.indexOf('--function-name') + 1])).toEqual(['getUsage']);
  });

  it('stops with the failing function named when az fails, and without the deployment outputs at all', () => {
    const failed = runHook({ FAKE_AZ_FAIL: 'getRun' });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('listing the keys of getRun failed: ERROR: Operation returned an invalid status');
    const unset = runHook({ AZURE_FUNCTION_APP_NAME: '' });
    expect(unset.status).toBe(2);
    expect(unset.stderr).toContain('AZURE_RESOURCE_GROUP and AZURE_FUNCTION_APP_NAME must be set');
  });
});
