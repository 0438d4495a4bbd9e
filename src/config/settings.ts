import { z } from 'zod';
import {
  ALL_PROVIDER_ENTRIES,
  GOLD_PROVIDER_NAMES,
  GOLD_PROVIDERS,
  RATES_PROVIDER_NAMES,
  RATES_PROVIDERS,
  type GoldProviderName,
  type ProviderEntry,
  type ProviderName,
  type RatesProviderName,
} from '../clients/registry.js';
import { issueText } from '../domain/failureText.js';
import { CurrencyCodeSchema } from '../domain/quotes.js';
import { failure, success, type Result } from '../domain/result.js';
import { QUALITY_LIMIT_SETTINGS, QualityLimitsSchema, DEFAULT_QUALITY_LIMITS, type QualityLimits } from '../quality/limits.js';
import { isDevelopmentStorage, parseStorageConnectionString } from '../storage/connectionString.js';
import { DEFAULT_STORAGE_TIMEOUT_MS } from '../storage/storagePolicy.js';
import { commaList, given, httpsUrl, setting, settingOr, wholeNumber } from '../domain/settingValues.js';

export const G10_CURRENCIES = ['USD', 'EUR', 'JPY', 'GBP', 'CHF', 'CAD', 'AUD', 'NZD', 'SEK', 'NOK'] as const;

const currencyList = commaList
  .transform((codes) => codes.map((c) => c.toUpperCase()))
  .pipe(z.array(CurrencyCodeSchema).min(1, 'must list at least one currency'));

/** A connection string the table store can use; the error says what is wrong, never echoing the value. */
const storageConnectionString = z.string().superRefine((text, ctx) => {
  const parsed = parseStorageConnectionString(text);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
});

type StorageChoice = Partial<Record<'FXGOLD_STORAGE_CONNECTION' | 'FXGOLD_TABLE_SERVICE_URI' | 'AzureWebJobsStorage', unknown>>;
/** What is wrong with AzureWebJobsStorage when rows go there: the host's own storage is checked only then. */
const hostStorageForRowsProblem = (env: StorageChoice): string | undefined => {
  if (given(env.FXGOLD_STORAGE_CONNECTION) || given(env.FXGOLD_TABLE_SERVICE_URI)) return undefined;
  if (typeof env.AzureWebJobsStorage !== 'string' || !given(env.AzureWebJobsStorage)) return undefined;
  const parsed = parseStorageConnectionString(env.AzureWebJobsStorage);
  return parsed.ok ? undefined : `${parsed.error} (rows go there because FXGOLD_STORAGE_CONNECTION and FXGOLD_TABLE_SERVICE_URI are unset)`;
};

const azureTableName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/, 'must be 3-63 letters or digits, starting with a letter (Azure table name rules)');

/** The table, the market it holds and how to reach it: all that reading rows needs. */
const TableSettingsSchema = z
  .looseObject({
    FXGOLD_BASE_CURRENCY: settingOr(z.string().toUpperCase().pipe(CurrencyCodeSchema), 'USD'),
    FXGOLD_CURRENCIES: setting(currencyList),
    FXGOLD_STORAGE_CONNECTION: setting(storageConnectionString),
    AzureWebJobsStorage: setting(z.string()),
    FXGOLD_TABLE_SERVICE_URI: setting(httpsUrl),
    FXGOLD_TABLE_NAME: settingOr(azureTableName, 'FxGold'),
    FXGOLD_STORAGE_TIMEOUT_MS: settingOr(wholeNumber('milliseconds', 'ms', 100, 120_000), DEFAULT_STORAGE_TIMEOUT_MS),
    /** The monthly usage ledger (src/storage/usageLedger.ts): one row per metered provider and UTC month; /api/status reads it. */
    FXGOLD_USAGE_TABLE_NAME: settingOr(azureTableName, 'FxGoldUsage'),
    /** Requests goldapi allows per UTC month (0 = none): the ledger's cap, and what /api/status measures the month against. */
    FXGOLD_GOLD_MONTHLY_QUOTA: settingOr(wholeNumber('requests', 'requests', 0, 100_000_000), 100),
  })
  // Checks across settings run even when a field failed, so one error lists every problem at once.
  .refine((env) => given(env.FXGOLD_STORAGE_CONNECTION) || given(env.FXGOLD_TABLE_SERVICE_URI) || given(env.AzureWebJobsStorage), {
    path: ['FXGOLD_TABLE_SERVICE_URI'],
    message:
      'or FXGOLD_STORAGE_CONNECTION (or AzureWebJobsStorage) is required to know where the rows are; locally, UseDevelopmentStorage=true means Azurite',
    when: () => true,
  })
  .refine((env) => hostStorageForRowsProblem(env) === undefined, {
    path: ['AzureWebJobsStorage'],
    error: (issue) => hostStorageForRowsProblem(issue.input as StorageChoice),
    when: () => true,
  })
  .transform((env, ctx) => {
    const base = env.FXGOLD_BASE_CURRENCY;
    const currencies = (env.FXGOLD_CURRENCIES ?? G10_CURRENCIES).filter((c) => c !== base);
    if (currencies.length === 0)
      ctx.addIssue({ code: 'custom', path: ['FXGOLD_CURRENCIES'], message: `must list at least one currency other than the base ${base}` });
    // An explicit table endpoint beats the host's own AzureWebJobsStorage.
    const connectionString = env.FXGOLD_STORAGE_CONNECTION ?? (env.FXGOLD_TABLE_SERVICE_URI ? undefined : env.AzureWebJobsStorage);
    return {
      baseCurrency: base,
      currencies,
      storage: connectionString
        ? ({ kind: 'connectionString', connectionString } as const)
        : ({ kind: 'tableServiceUri', uri: env.FXGOLD_TABLE_SERVICE_URI ?? '' } as const),
      tableName: env.FXGOLD_TABLE_NAME,
      storageTimeoutMs: env.FXGOLD_STORAGE_TIMEOUT_MS,
      usageTableName: env.FXGOLD_USAGE_TABLE_NAME,
      goldMonthlyQuota: env.FXGOLD_GOLD_MONTHLY_QUOTA,
    };
  });

/** An ordered provider list drawn from one registry; the message lists the names allowed. */
const chainSetting = <N extends string>(names: readonly N[], fallback: readonly N[]) =>
  settingOr(
    commaList.pipe(
      z
        .array(z.enum(names as [N, ...N[]], { error: `must list providers among ${names.join(', ')}` }))
        .min(1, 'must list at least one provider'),
    ),
    [...fallback],
  );

/** A quality limit as a setting: a number in text, checked by the limit's own schema. */
const limitSetting = (limit: keyof QualityLimits) =>
  settingOr(
    z
      .string()
      .regex(/^\d+(?:\.\d+)?$/, 'must be a number')
      .transform(Number)
      .pipe(QualityLimitsSchema.shape[limit].unwrap()),
    DEFAULT_QUALITY_LIMITS[limit],
  );

/** The failover chains: which providers of each kind are asked, in order. */
const ChainSettingsSchema = z.looseObject({
  FXGOLD_CURRENCY_PROVIDERS: chainSetting(RATES_PROVIDER_NAMES, ['frankfurter']),
  // goldapi first for the live quote's open, high, low and previous close; skipped without GOLDAPI_KEY, so Frankfurter's
  // keyless central-bank fixing serves on a fresh machine.
  FXGOLD_GOLD_PROVIDERS: chainSetting(GOLD_PROVIDER_NAMES, ['goldapi', 'frankfurter']),
});

/** How the job fetches and judges: the HTTP bounds and the quality limits. */
const JobSettingsSchema = z.looseObject({
  FXGOLD_HTTP_TIMEOUT_MS: settingOr(wholeNumber('milliseconds', 'ms', 100, 120_000), 10_000),
  FXGOLD_MAX_RESPONSE_BYTES: settingOr(wholeNumber('bytes', 'bytes', 1024, 104_857_600), 1_048_576),
  FXGOLD_BACKFILL_PARALLELISM: settingOr(wholeNumber('chunks', 'chunks', 1, 16), 4),
  /** Backfills: gold requests in flight at once, the most one backfill may make, and the month's quota (0 = none). */
  FXGOLD_GOLD_CONCURRENCY: settingOr(wholeNumber('requests', 'requests', 1, 16), 2),
  FXGOLD_GOLD_REQUEST_BUDGET: settingOr(wholeNumber('requests', 'requests', 0, 1_000_000), 80),
  /**
   * The backfill's gaps (src/storage/gapsTable.ts): one row per business date no provider had data for. By default
   * the rows table's name + `Gaps` (FxGoldGaps), since the gaps are those of that table's rows.
   */
  FXGOLD_GAPS_TABLE_NAME: setting(azureTableName),
  ...Object.fromEntries(Object.entries(QUALITY_LIMIT_SETTINGS).map(([limit, name]) => [name, limitSetting(limit as keyof QualityLimits)])),
});

/** Every app setting the app reads. Infra and local.settings.example.json are checked against this list. */
export const SETTING_NAMES: readonly string[] = [
  ...new Set([
    ...Object.keys(TableSettingsSchema.in.shape),
    ...Object.keys(ChainSettingsSchema.shape),
    ...Object.keys(JobSettingsSchema.shape),
    ...ALL_PROVIDER_ENTRIES.flatMap(([, entry]) => Object.keys(entry.settings.shape)),
  ]),
];

/** Settings whose values are secrets: the providers' keys and the storage connection strings. */
export const SECRET_SETTING_NAMES: readonly string[] = [
  ...new Set([...ALL_PROVIDER_ENTRIES.flatMap(([, entry]) => entry.secrets), 'FXGOLD_STORAGE_CONNECTION', 'AzureWebJobsStorage']),
];

export type ReadSettings = z.output<typeof TableSettingsSchema> & { readonly secrets: readonly string[] };
export type StorageSettings = ReadSettings['storage'];

export interface Settings extends ReadSettings {
  /** The failover chains, providers whose secret is unset left out. */
  readonly ratesChain: readonly RatesProviderName[];
  readonly goldChain: readonly GoldProviderName[];
  /** Each configured provider's own settings, as its registry entry parsed them. */
  readonly providerSettings: Readonly<Record<ProviderName, Record<string, unknown>>>;
  readonly httpTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly quality: QualityLimits;
  readonly goldConcurrency: number;
  readonly goldRequestBudget: number;
  /** 0: no monthly limit. */
  readonly gapsTableName: string;
  /** Durable backfill: most chunks processed at the same time. */
  readonly backfillParallelism: number;
}

/** Settings that cannot be used; the message names every bad setting. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

type Env = Record<string, string | undefined>;
type Problems = string[];

const problemsOf = (error: z.ZodError): Problems => error.issues.map((issue) => issueText(issue, 'settings'));
const invalid = (problems: Problems): Result<never, string> => failure(`Invalid settings:\n  - ${problems.join('\n  - ')}`);

/** The settings reading rows needs (the read endpoints, exports): no provider key is required for them. */
export function loadReadSettings(env: Env): Result<ReadSettings, string> {
  const parsed = TableSettingsSchema.safeParse(env);
  return parsed.success ? success({ ...parsed.data, secrets: secretsInEnvironment(env) }) : invalid(problemsOf(parsed.error));
}

/** Parses the environment once for the job; the error names every bad or missing setting, never a value. */
export function loadSettings(env: Env): Result<Settings, string> {
  const table = TableSettingsSchema.safeParse(env);
  const chains = ChainSettingsSchema.safeParse(env);
  const job = JobSettingsSchema.safeParse(env);
  const problems = [table, chains, job].flatMap((parsed) => (parsed.success ? [] : problemsOf(parsed.error)));
  const providerSettings = {} as Record<ProviderName, Record<string, unknown>>;
  for (const [name, entry] of ALL_PROVIDER_ENTRIES) {
    const parsed = entry.settings.safeParse(env);
    if (parsed.success) providerSettings[name] = parsed.data;
    else problems.push(...problemsOf(parsed.error));
  }
  if (!chains.success) return invalid(problems);
  const ratesChain = configuredChain('FXGOLD_CURRENCY_PROVIDERS', chains.data.FXGOLD_CURRENCY_PROVIDERS, RATES_PROVIDERS, env, problems);
  const goldChain = configuredChain('FXGOLD_GOLD_PROVIDERS', chains.data.FXGOLD_GOLD_PROVIDERS, GOLD_PROVIDERS, env, problems);
  if (!table.success || !job.success) return invalid(problems);
  const gapsTableName = job.data.FXGOLD_GAPS_TABLE_NAME ?? `${table.data.tableName}Gaps`;
  if (!azureTableName.safeParse(gapsTableName).success)
    problems.push(`FXGOLD_GAPS_TABLE_NAME must be set: ${gapsTableName} is longer than an Azure table name may be`);
  if (problems.length > 0) return invalid(problems);
  return success({
    ...table.data,
    secrets: secretsInEnvironment(env),
    ratesChain,
    goldChain,
    providerSettings,
    httpTimeoutMs: job.data.FXGOLD_HTTP_TIMEOUT_MS,
    maxResponseBytes: job.data.FXGOLD_MAX_RESPONSE_BYTES,
    goldConcurrency: job.data.FXGOLD_GOLD_CONCURRENCY,
    goldRequestBudget: job.data.FXGOLD_GOLD_REQUEST_BUDGET,
    gapsTableName,
    backfillParallelism: job.data.FXGOLD_BACKFILL_PARALLELISM,
    quality: QualityLimitsSchema.parse(
      Object.fromEntries(Object.entries(QUALITY_LIMIT_SETTINGS).map(([limit, name]) => [limit, job.data[name]])),
    ),
  });
}

/**
 * A chain without the providers whose secret is unset (a desk without a key still gets the keyless ones). A chain
 * left empty is a settings problem that says which secret is missing, where it comes from and where to put it.
 */
function configuredChain<N extends string>(
  setting: string,
  names: readonly N[],
  registry: Record<N, ProviderEntry<unknown>>,
  env: Env,
  problems: Problems,
): N[] {
  const missing = (name: N) => registry[name].secrets.filter((secret) => !given(env[secret]));
  const chain = names.filter((name) => missing(name).length === 0);
  if (chain.length === 0) {
    const needs = names.map(
      (name) => `${name} needs ${missing(name).join(' and ')}${registry[name].signUp ? ` (${registry[name].signUp})` : ''}`,
    );
    problems.push(
      `${setting} has no provider left to ask: ${needs.join('; ')}. Set the key in the environment or in local.settings.json "Values" (in Azure: an app setting or a Key Vault reference), or add a keyless provider to ${setting}`,
    );
  }
  return chain;
}

/** The values that must never appear in logs, errors or outputs, straight from the environment (so even when settings are invalid). */
export function secretsInEnvironment(env: Env): string[] {
  return (
    SECRET_SETTING_NAMES.map((name) => env[name]?.trim())
      // Azurite's well-known development account is public, and the phrase appears in our own help texts.
      .filter((value): value is string => value !== undefined && value !== '' && !isDevelopmentStorage(value))
      .flatMap((value) => [value, ...[...value.matchAll(/(?:AccountKey|SharedAccessSignature)=([^;]+)/gi)].map((m) => m[1] ?? '')])
  );
}
