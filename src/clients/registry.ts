import { z } from 'zod';
import { httpsUrl, secretValue, setting, settingOr } from '../domain/settingValues.js';
import { currencyApiClient, CurrencyApiUrlsSchema, DEFAULT_CURRENCYAPI_URLS } from './currencyApi.js';
import { exchangerateHostClient } from './exchangerateHost.js';
import type { LocalFixingTime } from '../domain/fixingTime.js';
import { frankfurterClient } from './frankfurter.js';
import { frankfurterGoldClient, FrankfurterGoldSourceSchema } from './frankfurterGold.js';
import { goldApiClient } from './goldapi.js';
import type { HttpOptions } from './http.js';
import type { GoldProvider, RatesProvider } from './providers.js';

/**
 * Every provider, listed once per role: the settings it reads (with their defaults), which of them are secrets, and
 * how to build its client. The settings schema, the secret list, the failover chains' allowed names and the client
 * choice all derive from these two lists, so adding a provider is one client file and one entry here.
 */

/** What every client is asked for: the base currency and the quote currencies. */
export interface Market {
  readonly baseCurrency: string;
  readonly currencies: readonly string[];
}

export interface ProviderEntry<P, S extends z.ZodRawShape = z.ZodRawShape> {
  readonly settings: z.ZodObject<S>;
  /** Settings holding secrets: scrubbed from every output; while one is unset the provider is skipped in its chain. */
  readonly secrets: readonly (keyof S & string)[];
  /** Where to get the secret, for the message when a chain is left with no provider. */
  readonly signUp?: string;
  /**
   * The provider has a monthly request quota (goldapi: 100 on the free plan): every request to it is counted in the
   * usage ledger (src/storage/usageLedger.ts) and backfills are held to the quota guard (src/backfill/quota.ts).
   * Keyless providers need no counting.
   */
  readonly metered?: true;
  /**
   * When the provider's prices are fixed, per role, as a local time of day on the price's date: a row's
   * CurrencyTimestamp and GoldTimestamp are that instant. `null`: the provider answers each price's own timestamp.
   */
  readonly fixingTime: { readonly rates?: LocalFixingTime | null; readonly gold?: LocalFixingTime | null };
  readonly create: (values: z.output<z.ZodObject<S>>, market: Market, http: HttpOptions) => P;
}

/** Checks an entry against its own settings, then forgets their shape so entries of one role can sit in one list. */
const entry = <P, S extends z.ZodRawShape>(definition: ProviderEntry<P, S>): ProviderEntry<P> => definition as unknown as ProviderEntry<P>;

/** The ECB's reference rates (Frankfurter v1) are set at 14:15 Frankfurt time. */
const ECB_FIXING: LocalFixingTime = { timeZone: 'Europe/Berlin', hour: 14, minute: 15 };
/**
 * NBP's gold price: NBP documents no time for it; its table A (which gives the USD/PLN mid that converts it) is
 * published between 11:45 and 12:15 Warsaw time on working days, so noon in Warsaw, approximately.
 */
const NBP_GOLD_FIXING: LocalFixingTime = { timeZone: 'Europe/Warsaw', hour: 12, minute: 0 };
/** currency-api builds each day's file about 00:00 UTC. */
const CURRENCYAPI_FIXING: LocalFixingTime = { timeZone: 'UTC', hour: 0, minute: 0 };

const frankfurterSettings = z.object({
  FRANKFURTER_BASE_URL: settingOr(httpsUrl, 'https://api.frankfurter.dev/v1'),
  FRANKFURTER_V2_BASE_URL: settingOr(httpsUrl, 'https://api.frankfurter.dev/v2'),
  FRANKFURTER_GOLD_SOURCE: settingOr(FrankfurterGoldSourceSchema, 'NBP'),
});
const exchangerateHostSettings = z.object({
  EXCHANGERATE_HOST_BASE_URL: settingOr(httpsUrl, 'https://api.exchangerate.host'),
  EXCHANGERATE_HOST_ACCESS_KEY: setting(secretValue),
});
const goldApiSettings = z.object({
  GOLDAPI_BASE_URL: settingOr(httpsUrl, 'https://www.goldapi.io/api'),
  GOLDAPI_KEY: setting(secretValue),
});
const currencyApiSettings = z.object({
  CURRENCYAPI_URLS: settingOr(CurrencyApiUrlsSchema, CurrencyApiUrlsSchema.parse(DEFAULT_CURRENCYAPI_URLS)),
});

const currencyApi = entry({
  settings: currencyApiSettings,
  secrets: [],
  fixingTime: { rates: CURRENCYAPI_FIXING, gold: CURRENCYAPI_FIXING },
  create: (values, market, http) => currencyApiClient({ ...market, urlTemplates: values.CURRENCYAPI_URLS }, http),
});

/** FX from v1 (ECB), gold from v2 (a central bank's fixing, NBP by default): one provider, one set of settings. */
const frankfurter = entry({
  settings: frankfurterSettings,
  secrets: [],
  fixingTime: { rates: ECB_FIXING, gold: NBP_GOLD_FIXING },
  create: (values, market, http): RatesProvider & GoldProvider => ({
    ...frankfurterClient({ ...market, baseUrl: values.FRANKFURTER_BASE_URL }, http),
    ...frankfurterGoldClient(
      {
        baseUrl: values.FRANKFURTER_V2_BASE_URL,
        source: values.FRANKFURTER_GOLD_SOURCE,
        currency: market.baseCurrency,
        fixingTime: NBP_GOLD_FIXING,
      },
      http,
    ),
  }),
});

export const RATES_PROVIDERS = {
  frankfurter,
  exchangeratehost: entry({
    settings: exchangerateHostSettings,
    secrets: ['EXCHANGERATE_HOST_ACCESS_KEY'],
    signUp: 'get a key at https://exchangerate.host',
    fixingTime: { rates: null },
    create: (values, market, http): RatesProvider =>
      exchangerateHostClient(
        { ...market, baseUrl: values.EXCHANGERATE_HOST_BASE_URL, accessKey: values.EXCHANGERATE_HOST_ACCESS_KEY ?? '' },
        http,
      ),
  }),
  currencyapi: currencyApi,
} as const satisfies Record<string, ProviderEntry<RatesProvider>>;

export const GOLD_PROVIDERS = {
  goldapi: entry({
    settings: goldApiSettings,
    secrets: ['GOLDAPI_KEY'],
    signUp: 'sign up at https://www.goldapi.io and copy the key from https://www.goldapi.io/dashboard',
    metered: true,
    // Live spot at the moment asked, historical at the LBMA auction: each answer carries its own timestamp.
    fixingTime: { gold: null },
    create: (values, market, http): GoldProvider =>
      goldApiClient({ baseUrl: values.GOLDAPI_BASE_URL, apiKey: values.GOLDAPI_KEY ?? '', currency: market.baseCurrency }, http),
  }),
  frankfurter,
  currencyapi: currencyApi,
} as const satisfies Record<string, ProviderEntry<GoldProvider>>;

export type RatesProviderName = keyof typeof RATES_PROVIDERS;
export type GoldProviderName = keyof typeof GOLD_PROVIDERS;
export type ProviderName = RatesProviderName | GoldProviderName;

export const RATES_PROVIDER_NAMES = Object.keys(RATES_PROVIDERS) as RatesProviderName[];
export const GOLD_PROVIDER_NAMES = Object.keys(GOLD_PROVIDERS) as GoldProviderName[];
export const ProviderNameSchema = z.enum([...new Set<ProviderName>([...RATES_PROVIDER_NAMES, ...GOLD_PROVIDER_NAMES])] as [
  ProviderName,
  ...ProviderName[],
]);

/** Every provider entry once (a provider serving both roles has one set of settings). */
export const ALL_PROVIDER_ENTRIES: ReadonlyArray<readonly [ProviderName, ProviderEntry<unknown>]> = [
  ...new Map<ProviderName, ProviderEntry<unknown>>([...Object.entries(RATES_PROVIDERS), ...Object.entries(GOLD_PROVIDERS)] as Array<
    [ProviderName, ProviderEntry<unknown>]
  >),
];

/** Whether requests to this provider count against a monthly quota (see ProviderEntry.metered). */
export const isMetered = (name: ProviderName): boolean =>
  ALL_PROVIDER_ENTRIES.some(([entryName, entry]) => entryName === name && entry.metered === true);

/** The gold providers held to FXGOLD_GOLD_MONTHLY_QUOTA (goldapi). */
export const METERED_GOLD_PROVIDERS: readonly GoldProviderName[] = GOLD_PROVIDER_NAMES.filter(isMetered);
