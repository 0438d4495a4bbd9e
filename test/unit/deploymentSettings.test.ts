import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GOLD_PROVIDERS, RATES_PROVIDERS, type ProviderEntry } from '../../src/clients/registry.js';
import { loadSettings, SECRET_SETTING_NAMES, secretsInEnvironment, SETTING_NAMES } from '../../src/config/settings.js';
import { HOST_SETTING_NAMES } from '../../src/functions/names.js';
import { completedRunEvent, RUN_EVENT_NAME } from '../../src/orchestration/runEvents.js';

/**
 * Bicep cannot be compiled here, so this reads infra/ as text and checks it against what the code reads:
 * a setting the configuration schema or the host needs that neither the template nor the local sample
 * sets, a missing schedule, or a missing role for the app's identity would only show up after a deployment.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const bicepFiles = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? bicepFiles(join(dir, e.name)) : e.name.endsWith('.bicep') ? [join(dir, e.name)] : [],
  );

const infra = bicepFiles('infra').map(read).join('\n');
const exampleValues = (JSON.parse(read('local.settings.example.json')) as { Values: Record<string, string> }).Values;
/** Keys of the Function App's app settings object in the template. */
const appSettingKeys = (() => {
  const body =
    /resource appSettings 'Microsoft\.Web\/sites\/config@[^']+' = \{[\s\S]*?properties: \{([\s\S]*?)\n {2}\}/.exec(infra)?.[1] ?? '';
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
    for (const name of [
      'AzureWebJobsStorage__blobServiceUri',
      'AzureWebJobsStorage__queueServiceUri',
      'AzureWebJobsStorage__tableServiceUri',
      'AzureWebJobsStorage__credential',
      'AzureWebJobsStorage__clientId',
      'AZURE_CLIENT_ID',
    ]) {
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
    const hostJson = JSON.parse(read('host.json')) as {
      extensions: { durableTask: { hubName: string; storageProvider: Record<string, string> } };
    };
    expect(hostJson.extensions.durableTask.hubName).toBe(`%${HOST_SETTING_NAMES.taskHub}%`);
    expect(hostJson.extensions.durableTask.storageProvider).toMatchObject({ type: 'AzureStorage', connectionName: 'AzureWebJobsStorage' });
    expect(exampleValues[HOST_SETTING_NAMES.taskHub]).toMatch(/^[A-Za-z][A-Za-z0-9]{2,44}$/);
  });

  it('secrets come from Key Vault references read with the app identity', () => {
    expect(infra).toMatch(/GOLDAPI_KEY: goldApiKeyReference/);
    // Only while goldapi is in the gold chain: a keyless deployment has no reference left unresolved.
    expect(infra).toMatch(/goldApiKeyReference = contains\(goldProviders, 'goldapi'\) \? '@Microsoft\.KeyVault\(/);
    expect(infra).toMatch(/keyVaultReferenceIdentity: identityId/);
    expect(infra).toMatch(/enableRbacAuthorization: true/);
  });
});

describe('provider registry ↔ settings ↔ infra/ ↔ local.settings.example.json', () => {
  const registered = [
    ...Object.entries(RATES_PROVIDERS).map(([name, entry]) => ({ role: 'rates', name, entry })),
    ...Object.entries(GOLD_PROVIDERS).map(([name, entry]) => ({ role: 'gold', name, entry })),
  ];
  const settingsOf = (entry: ProviderEntry<unknown>) => Object.keys(entry.settings.shape);

  it('the registry lists every provider of both roles, each with settings of its own', () => {
    expect(registered.map(({ role, name }) => `${role} ${name}`)).toEqual(
      expect.arrayContaining(['rates frankfurter', 'rates exchangeratehost', 'rates currencyapi', 'gold goldapi', 'gold currencyapi']),
    );
    for (const { name, entry } of registered) expect(settingsOf(entry).length, name).toBeGreaterThan(0);
  });

  it.each(registered.map(({ role, name, entry }) => [`${role} ${name}`, entry] as const))(
    '%s: every setting it reads is a known setting, in local.settings.example.json and in the Function App template',
    (_provider, entry) => {
      for (const setting of settingsOf(entry)) {
        expect(SETTING_NAMES, setting).toContain(setting);
        expect(Object.keys(exampleValues), `${setting} in local.settings.example.json`).toContain(setting);
        expect([...appSettingKeys], `${setting} in the infra app settings`).toContain(setting);
      }
    },
  );

  it.each(registered.map(({ role, name, entry }) => [`${role} ${name}`, entry] as const))(
    '%s: every secret is one of its settings, listed as secret, redacted, empty in the sample and a parameter (not a literal) in the template',
    (_provider, entry) => {
      for (const secret of entry.secrets) {
        expect(settingsOf(entry), secret).toContain(secret);
        expect(SECRET_SETTING_NAMES, secret).toContain(secret);
        const value = `a-${secret.toLowerCase()}-value-31415`;
        expect(secretsInEnvironment({ [secret]: value }), secret).toContain(value);
        expect(secretsInEnvironment({ [secret]: `  ${value}  ` }), `${secret} (padded)`).toContain(value);
        expect(exampleValues[secret], `${secret} in local.settings.example.json`).toBe('');
        expect(infra, `${secret} in the template`).toMatch(new RegExp(`^\\s*${secret}: [A-Za-z]\\w*$`, 'm'));
      }
    },
  );

  it('the chain settings accept exactly the registered names, in either role', () => {
    const base = {
      FXGOLD_STORAGE_CONNECTION: 'UseDevelopmentStorage=true',
      GOLDAPI_KEY: 'goldapi-key-for-chains-1',
      EXCHANGERATE_HOST_ACCESS_KEY: 'erh-key-for-chains-1',
    };
    const rates = loadSettings({
      ...base,
      FXGOLD_CURRENCY_PROVIDERS: Object.keys(RATES_PROVIDERS).join(','),
      FXGOLD_GOLD_PROVIDERS: Object.keys(GOLD_PROVIDERS).join(','),
    });
    if (!rates.ok) throw new Error(rates.error);
    expect(rates.value.ratesChain).toEqual(Object.keys(RATES_PROVIDERS));
    expect(rates.value.goldChain).toEqual(Object.keys(GOLD_PROVIDERS));
    const wrongRole = loadSettings({ ...base, FXGOLD_CURRENCY_PROVIDERS: 'goldapi', FXGOLD_GOLD_PROVIDERS: 'exchangeratehost' });
    expect(wrongRole.ok).toBe(false);
    if (!wrongRole.ok) expect(wrongRole.error).toMatch(/FXGOLD_CURRENCY_PROVIDERS[\s\S]*FXGOLD_GOLD_PROVIDERS/);
  });

  it('a provider whose secret is unset is left out of its chain', () => {
    const settings = loadSettings({
      FXGOLD_STORAGE_CONNECTION: 'UseDevelopmentStorage=true',
      FXGOLD_GOLD_PROVIDERS: 'goldapi,currencyapi',
      FXGOLD_CURRENCY_PROVIDERS: 'exchangeratehost,frankfurter',
    });
    if (!settings.ok) throw new Error(settings.error);
    expect(settings.value.goldChain).toEqual(['currencyapi']);
    expect(settings.value.ratesChain).toEqual(['frankfurter']);
  });
});

describe('azd parameters', () => {
  it('fall back to the same defaults as main.bicep (azd passes an empty variable as "", which would beat the Bicep default)', () => {
    const parameters = (JSON.parse(read('infra/main.parameters.json')) as { parameters: Record<string, { value: string }> }).parameters;
    const main = read('infra/main.bicep');
    const checked = Object.entries(parameters).flatMap(([name, { value }]) => {
      const bicepDefault = new RegExp(`^param ${name} string = '([^']*)'`, 'm').exec(main)?.[1];
      if (!bicepDefault) return []; // no default, or '' (which an empty variable gives anyway)
      expect(value, `${name} in main.parameters.json`).toMatch(
        new RegExp(`^\\$\\{\\w+=${bicepDefault.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\}$`),
      );
      return [name];
    });
    expect(checked).toEqual(
      expect.arrayContaining([
        'schedule',
        'taskHubName',
        'currencyProviders',
        'goldProviders',
        'maxGoldMovePct',
        'currencies',
        'tableName',
        'httpTimeoutMs',
        'principalType',
      ]),
    );
  });
});

describe('roles of the app identity', () => {
  const rbac = read('infra/app/rbac.bicep');
  const variableOf = (guid: string) => new RegExp(`^var (\\w+) = '${guid}'`, 'm').exec(rbac)?.[1];
  /** Role variables granted to the identity: in a role list the identity loops over, or in a single assignment to it. */
  const grantedToIdentity = (() => {
    const blocks = rbac.split(/^(?=resource |var )/m);
    const lists = new Map(
      blocks.flatMap((b) => {
        const list = /^var (\w+) = \[([\s\S]*?)\]/.exec(b);
        return list ? [[list[1] ?? '', (list[2] ?? '').split(/\s+/).filter(Boolean)] as const] : [];
      }),
    );
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

describe('the daily-run alert (infra/app/alerts.bicep)', () => {
  const alerts = read('infra/app/alerts.bicep');
  const main = read('infra/main.bicep');

  it('is a log search alert rule (scheduledQueryRules) that main.bicep deploys', () => {
    expect(alerts).toMatch(
      /^resource (\w+) 'Microsoft\.Insights\/scheduledQueryRules@[\w-]+' = \{\n {2}name: [^\n]+\n {2}location: location\n[\s\S]*?kind: 'LogAlert'/m,
    );
    expect(main).toMatch(/^module \w+ 'app\/alerts\.bicep' = \{[\s\S]*?appInsightsName: monitoring\.outputs\.appInsightsName/m);
  });

  it('targets the Application Insights resource the app sends its logs to', () => {
    const component = /^resource (\w+) 'Microsoft\.Insights\/components@[\w-]+' existing = \{\n {2}name: appInsightsName\n\}/m.exec(
      alerts,
    )?.[1];
    expect(component, 'an existing Microsoft.Insights/components named appInsightsName').toBeDefined();
    expect(alerts).toMatch(new RegExp(`scopes: \\[\\s*${component ?? '-'}\\.id\\s*\\]`));
    expect(read('infra/app/monitoring.bicep')).toMatch(/output appInsightsName string = appInsights\.name/);
  });

  it('reads the run event the orchestrator logs: its name, from traces, and each field of its JSON', () => {
    expect(alerts).toMatch(new RegExp(`^var runEventName = '${RUN_EVENT_NAME}'$`, 'm'));
    expect(alerts).toMatch(/^var query = replace\(replace\(queryTemplate, '__RUN_EVENT_NAME__', runEventName\)/m);
    expect(alerts).toMatch(/let eventName = '__RUN_EVENT_NAME__';\nlet events = traces\n/);
    expect(alerts).toMatch(/query: query\n/);
    const fields = Object.keys(completedRunEvent('fxgold-2025-07-08', '2025-07-08', ['frankfurter'])).filter((key) => key !== 'instanceId');
    for (const field of fields) expect(alerts, `the query reads e.${field}`).toContain(`tostring(e.${field})`);
    expect(alerts).toMatch(/outcome == 'failed'/);
    expect(alerts).toMatch(/outcome == 'completed'/);
  });

  it('e-mails alertEmail through an action group that exists only when the address is set (azd: FXGOLD_ALERT_EMAIL, empty default)', () => {
    expect(main).toMatch(/^param alertEmail string = ''$/m);
    expect(main).toMatch(/^\s+alertEmail: alertEmail$/m);
    expect(alerts).toMatch(
      /^resource \w+ 'Microsoft\.Insights\/actionGroups@[\w-]+' = if \(!empty\(alertEmail\)\) \{[\s\S]*?emailAddress: alertEmail/m,
    );
    expect(alerts).toMatch(/actionGroups: empty\(alertEmail\) \? \[\] : \[/);
    const parameters = (JSON.parse(read('infra/main.parameters.json')) as { parameters: Record<string, { value: string }> }).parameters;
    expect(parameters.alertEmail?.value).toBe('${FXGOLD_ALERT_EMAIL=}');
    expect(read('azure.yaml')).toMatch(/^\s+- FXGOLD_ALERT_EMAIL$/m);
  });
});
