import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SETTING_NAMES } from '../../src/config/settings.js';
import { HOST_SETTING_NAMES } from '../../src/orchestration/contract.js';

/**
 * Bicep cannot be compiled here, so this reads infra/ as text and checks it against what the code reads:
 * a setting the configuration schema or the host needs that neither the template nor the local sample
 * sets, a missing schedule, or a missing role for the app's identity would only show up after a deployment.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const bicepFiles = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? bicepFiles(join(dir, e.name)) : e.name.endsWith('.bicep') ? [join(dir, e.name)] : []));

const infra = bicepFiles('infra').map(read).join('\n');
const exampleValues = (JSON.parse(read('local.settings.example.json')) as { Values: Record<string, string> }).Values;
/** Keys of the Function App's app settings object in the template. */
const appSettingKeys = (() => {
  const body = /resource appSettings 'Microsoft\.Web\/sites\/config@[^']+' = \{[\s\S]*?properties: \{([\s\S]*?)\n  \}/.exec(infra)?.[1] ?? '';
  return new Set([...body.matchAll(/^\s*([A-Za-z_][\w]*):/gm)].map((m) => m[1]));
})();

/** Only for local runs: in Azure the host and the table are reached through service URIs and the identity. */
const LOCAL_ONLY = new Set(['FXGOLD_STORAGE_CONNECTION', 'AzureWebJobsStorage']);
const HOST_SETTINGS = Object.values(HOST_SETTING_NAMES);

describe('settings: code ↔ infra/ ↔ local.settings.example.json', () => {
  it('the template has an app settings object to check', () => {
    expect(appSettingKeys.size).toBeGreaterThan(10);
  });

  it.each([...SETTING_NAMES, ...HOST_SETTINGS, 'FUNCTIONS_WORKER_RUNTIME'])('local.settings.example.json sets %s', (name) => {
    expect(Object.keys(exampleValues)).toContain(name);
  });

  it.each([...SETTING_NAMES, ...HOST_SETTINGS].filter((name) => !LOCAL_ONLY.has(name)))('the Function App template sets %s', (name) => {
    expect([...appSettingKeys]).toContain(name);
  });

  it('the template reaches host storage and the app table through the identity, never a connection string', () => {
    for (const name of ['AzureWebJobsStorage__blobServiceUri', 'AzureWebJobsStorage__queueServiceUri', 'AzureWebJobsStorage__tableServiceUri', 'AzureWebJobsStorage__credential', 'AzureWebJobsStorage__clientId', 'AZURE_CLIENT_ID']) {
      expect([...appSettingKeys]).toContain(name);
    }
    expect(appSettingKeys.has('AzureWebJobsStorage')).toBe(false);
    expect(appSettingKeys.has('FXGOLD_STORAGE_CONNECTION')).toBe(false);
    expect(infra).toMatch(/allowSharedKeyAccess: false/);
  });

  it('the schedule is a six-field NCRONTAB for weekdays at 18:00 UTC, locally and as the template default', () => {
    expect(exampleValues[HOST_SETTING_NAMES.schedule]).toBe('0 0 18 * * 1-5');
    expect(infra).toMatch(/param schedule string = '0 0 18 \* \* 1-5'/);
    expect(infra).toMatch(new RegExp(`^\\s*${HOST_SETTING_NAMES.schedule}: schedule$`, 'm'));
  });

  it('host.json takes the task hub from the setting both sides set', () => {
    const hostJson = JSON.parse(read('host.json')) as { extensions: { durableTask: { hubName: string; storageProvider: Record<string, string> } } };
    expect(hostJson.extensions.durableTask.hubName).toBe(`%${HOST_SETTING_NAMES.taskHub}%`);
    expect(hostJson.extensions.durableTask.storageProvider).toMatchObject({ type: 'AzureStorage', connectionName: 'AzureWebJobsStorage' });
    expect(exampleValues[HOST_SETTING_NAMES.taskHub]).toMatch(/^[A-Za-z][A-Za-z0-9]{2,44}$/);
  });

  it('secrets come from Key Vault references read with the app identity', () => {
    expect(infra).toMatch(/GOLDAPI_KEY: goldApiKeyReference/);
    expect(infra).toMatch(/goldApiKeyReference = '@Microsoft\.KeyVault\(/);
    expect(infra).toMatch(/keyVaultReferenceIdentity: identityId/);
    expect(infra).toMatch(/enableRbacAuthorization: true/);
  });
});

describe('azd parameters', () => {
  it('fall back to the same defaults as main.bicep (azd passes an empty variable as "", which would beat the Bicep default)', () => {
    const parameters = (JSON.parse(read('infra/main.parameters.json')) as { parameters: Record<string, { value: string }> }).parameters;
    const main = read('infra/main.bicep');
    const checked = Object.entries(parameters).flatMap(([name, { value }]) => {
      const bicepDefault = new RegExp(`^param ${name} string = '([^']*)'`, 'm').exec(main)?.[1];
      if (!bicepDefault) return []; // no default, or '' (which an empty variable gives anyway)
      expect(value, `${name} in main.parameters.json`).toMatch(new RegExp(`^\\$\\{\\w+=${bicepDefault.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\}$`));
      return [name];
    });
    expect(checked).toEqual(expect.arrayContaining(['schedule', 'taskHubName', 'currencyProviders', 'goldProviders', 'maxGoldMovePct', 'currencies', 'tableName', 'httpTimeoutMs', 'principalType']));
  });
});

describe('roles of the app identity', () => {
  const rbac = read('infra/app/rbac.bicep');
  const variableOf = (guid: string) => new RegExp(`^var (\\w+) = '${guid}'`, 'm').exec(rbac)?.[1];
  /** Role variables granted to the identity: in a role list the identity loops over, or in a single assignment to it. */
  const grantedToIdentity = (() => {
    const blocks = rbac.split(/^(?=resource |var )/m);
    const lists = new Map(blocks.flatMap((b) => {
      const list = /^var (\w+) = \[([\s\S]*?)\]/.exec(b);
      return list ? [[list[1] ?? '', (list[2] ?? '').split(/\s+/).filter(Boolean)] as const] : [];
    }));
    return new Set(
      blocks
        .filter((b) => b.startsWith('resource ') && /principalId: identityPrincipalId/.test(b))
        .flatMap((b) => {
          const loop = /for \w+ in (\w+):/.exec(b)?.[1];
          return loop ? (lists.get(loop) ?? []) : [...b.matchAll(/roleDefinitions', (\w+)\)/g)].map((m) => m[1] ?? '');
        }),
    );
  })();

  it.each([
    ['Storage Blob Data Owner', 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'],
    ['Storage Queue Data Contributor', '974c5e8b-45b9-4653-ba55-5f855dd0fb88'],
    ['Storage Table Data Contributor', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'],
    ['Monitoring Metrics Publisher', '3913510d-42f4-4e42-8a64-420c390055eb'],
    ['Key Vault Secrets User', '4633458b-17de-408a-b874-0445c86b69e6'],
  ])('%s (%s) is assigned to the identity', (_role, guid) => {
    const variable = variableOf(guid);
    expect(variable, `no variable holds role ${guid}`).toBeDefined();
    expect([...grantedToIdentity]).toContain(variable);
  });
});
