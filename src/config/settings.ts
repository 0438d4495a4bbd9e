import { z } from 'zod';
import { MIN_SECRET_LENGTH } from '../domain/failureText.js';
import { CurrencyCodeSchema } from '../domain/quotes.js';
import { failure, success, type Result } from '../domain/result.js';
import { parseStorageConnectionString } from '../storage/connectionString.js';
import { DEFAULT_STORAGE_TIMEOUT_MS } from '../storage/storagePolicy.js';

export const G10_CURRENCIES = ['USD', 'EUR', 'JPY', 'GBP', 'CHF', 'CAD', 'AUD', 'NZD', 'SEK', 'NOK'] as const;

const KEY_VAULT_REFERENCE = /^@Microsoft\.KeyVault\(/i;

const normalize = (value: unknown) => (typeof value === 'string' ? (value.trim() === '' ? undefined : value.trim()) : value);
const resolvedReference = z
  .string()
  .refine((v) => !KEY_VAULT_REFERENCE.test(v), 'is an unresolved Key Vault reference (@Microsoft.KeyVault(...)): check the secret exists and the app identity has the Key Vault Secrets User role');

/** Blank means unset; an unresolved Key Vault reference is an error that says so (never echoing the value). */
const setting = <T extends z.ZodType<unknown, string>>(schema: T) => z.preprocess(normalize, resolvedReference.pipe(schema).optional());

/** A setting without a default: missing or blank is an error with `missing` as its message. */
const requiredSetting = (missing: string) => z.preprocess(normalize, z.string({ error: missing }).pipe(resolvedReference));

/** True when a raw setting has a value: cross-field checks see the input even where other fields failed. */
const given = (value: unknown): boolean => typeof value === 'string' && value.trim() !== '';

/** Plain http only where nothing leaves the machine (local fakes, Azurite): elsewhere it would carry keys in clear. */
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;
const httpsUrl = z
  .url({ protocol: /^https?$/, error: 'must be an https URL' })
  .pipe(z.string().refine((u) => u.startsWith('https:') || LOOPBACK_HOST.test(new URL(u).hostname), 'must be an https URL (plain http only on loopback: localhost, 127.0.0.0/8, [::1])'))
  .transform((u) => u.replace(/\/+$/, ''));

/** A shorter key would match ordinary words, so it could not be redacted from output: refused rather than left visible. */
const secretValue = z.string().min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters (a shorter value cannot be kept out of logs; check it was copied whole)`);

const wholeNumber = (unit: string, shortUnit: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number of ${unit}`)
    .transform(Number)
    .pipe(z.number().int(`must be a whole number of ${unit}`).min(min, `must be at least ${min} ${shortUnit}`).max(max, `must be at most ${max} ${shortUnit}`));

const currencyList = z
  .string()
  .transform((s) => s.split(',').map((c) => c.trim().toUpperCase()).filter((c) => c !== ''))
  .pipe(z.array(CurrencyCodeSchema).min(1, 'must list at least one currency'))
  .transform((codes) => [...new Set(codes)]);

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

const EnvSchema = z.object({
  FXGOLD_BASE_CURRENCY: setting(z.string().toUpperCase().pipe(CurrencyCodeSchema)),
  FXGOLD_CURRENCIES: setting(currencyList),
  FXGOLD_CURRENCY_PROVIDER: setting(z.enum(['frankfurter', 'exchangeratehost'], { error: 'must be "frankfurter" or "exchangeratehost"' })),
  FRANKFURTER_BASE_URL: setting(httpsUrl),
  EXCHANGERATE_HOST_BASE_URL: setting(httpsUrl),
  EXCHANGERATE_HOST_ACCESS_KEY: setting(secretValue),
  GOLDAPI_BASE_URL: setting(httpsUrl),
  GOLDAPI_KEY: requiredSetting('is required to fetch the gold price: sign up at https://www.goldapi.io, copy the key from https://www.goldapi.io/dashboard and set it in the environment or in local.settings.json "Values"').pipe(secretValue),
  FXGOLD_STORAGE_CONNECTION: setting(storageConnectionString),
  AzureWebJobsStorage: setting(z.string()),
  FXGOLD_TABLE_SERVICE_URI: setting(httpsUrl),
  FXGOLD_TABLE_NAME: setting(z.string().regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/, 'must be 3-63 letters or digits, starting with a letter (Azure table name rules)')),
  FXGOLD_HTTP_TIMEOUT_MS: setting(wholeNumber('milliseconds', 'ms', 100, 120_000)),
  FXGOLD_STORAGE_TIMEOUT_MS: setting(wholeNumber('milliseconds', 'ms', 100, 120_000)),
  FXGOLD_MAX_RESPONSE_BYTES: setting(wholeNumber('bytes', 'bytes', 1024, 104_857_600)),
});

/** Every app setting the app reads. Infra and local.settings.example.json are checked against this list. */
export const SETTING_NAMES = Object.keys(EnvSchema.shape) as SettingName[];
type SettingName = keyof typeof EnvSchema.shape;

// Checks across settings run even when a field failed, so one error lists every problem at once.
const SettingsSchema = EnvSchema.refine((env) => env.FXGOLD_CURRENCY_PROVIDER !== 'exchangeratehost' || given(env.EXCHANGERATE_HOST_ACCESS_KEY), {
  path: ['EXCHANGERATE_HOST_ACCESS_KEY'],
  message: 'is required when FXGOLD_CURRENCY_PROVIDER=exchangeratehost (get a key at https://exchangerate.host)',
  when: () => true,
})
  .refine((env) => given(env.FXGOLD_STORAGE_CONNECTION) || given(env.FXGOLD_TABLE_SERVICE_URI) || given(env.AzureWebJobsStorage), {
    path: ['FXGOLD_TABLE_SERVICE_URI'],
    message: 'or FXGOLD_STORAGE_CONNECTION (or AzureWebJobsStorage) is required to know where to store rows; locally, UseDevelopmentStorage=true means Azurite',
    when: () => true,
  })
  .refine((env) => hostStorageForRowsProblem(env) === undefined, {
    path: ['AzureWebJobsStorage'],
    error: (issue) => hostStorageForRowsProblem(issue.input as StorageChoice),
    when: () => true,
  })
  .transform((env, ctx) => {
    const base = env.FXGOLD_BASE_CURRENCY ?? 'USD';
    const currencies = (env.FXGOLD_CURRENCIES ?? G10_CURRENCIES).filter((c) => c !== base);
    if (currencies.length === 0) ctx.addIssue({ code: 'custom', path: ['FXGOLD_CURRENCIES'], message: `must list at least one currency other than the base ${base}` });
    // An explicit table endpoint beats the host's own AzureWebJobsStorage.
    const connectionString = env.FXGOLD_STORAGE_CONNECTION ?? (env.FXGOLD_TABLE_SERVICE_URI ? undefined : env.AzureWebJobsStorage);
    return {
      baseCurrency: base,
      currencies,
      currencyProvider: env.FXGOLD_CURRENCY_PROVIDER ?? 'frankfurter',
      frankfurter: { baseUrl: env.FRANKFURTER_BASE_URL ?? 'https://api.frankfurter.dev/v1' },
      exchangerateHost: { baseUrl: env.EXCHANGERATE_HOST_BASE_URL ?? 'https://api.exchangerate.host', accessKey: env.EXCHANGERATE_HOST_ACCESS_KEY ?? '' },
      goldapi: { baseUrl: env.GOLDAPI_BASE_URL ?? 'https://www.goldapi.io/api', key: env.GOLDAPI_KEY },
      storage: connectionString
        ? ({ kind: 'connectionString', connectionString } as const)
        : ({ kind: 'tableServiceUri', uri: env.FXGOLD_TABLE_SERVICE_URI ?? '' } as const),
      tableName: env.FXGOLD_TABLE_NAME ?? 'FxGold',
      httpTimeoutMs: env.FXGOLD_HTTP_TIMEOUT_MS ?? 10_000,
      storageTimeoutMs: env.FXGOLD_STORAGE_TIMEOUT_MS ?? DEFAULT_STORAGE_TIMEOUT_MS,
      maxResponseBytes: env.FXGOLD_MAX_RESPONSE_BYTES ?? 1_048_576,
    };
  });
export type Settings = z.output<typeof SettingsSchema>;
export type StorageSettings = Settings['storage'];

/** Settings that cannot be used; the message names every bad setting. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

/** Parses the environment once; the error names every bad or missing setting, never a value. */
export function loadSettings(env: Record<string, string | undefined>): Result<Settings, string> {
  const parsed = SettingsSchema.safeParse(env);
  if (parsed.success) return success(parsed.data);
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'settings'} ${issue.message}`);
  return failure(`Invalid settings:\n  - ${problems.join('\n  - ')}`);
}

/** The values that must never appear in logs, errors or outputs, once settings are parsed. */
export function secretsOf(settings: Settings): string[] {
  const connection = settings.storage.kind === 'connectionString' ? settings.storage.connectionString : undefined;
  return sensitive([settings.goldapi.key, settings.exchangerateHost.accessKey, connection]);
}

/** The same, straight from the environment, for code that must redact even when settings are invalid. */
export function secretsInEnvironment(env: Record<string, string | undefined>): string[] {
  return sensitive([env.GOLDAPI_KEY, env.EXCHANGERATE_HOST_ACCESS_KEY, env.FXGOLD_STORAGE_CONNECTION, env.AzureWebJobsStorage]);
}

/** Keys and connection strings, trimmed as settings are, plus the account key or SAS inside a connection string. */
const sensitive = (values: Array<string | undefined>): string[] =>
  values
    .map((v) => v?.trim())
    .filter((v): v is string => v !== undefined && v !== '')
    .flatMap((v) => [v, ...[...v.matchAll(/(?:AccountKey|SharedAccessSignature)=([^;]+)/gi)].map((m) => m[1] ?? '')]);
