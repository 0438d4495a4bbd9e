import type { IsoDate } from '../domain/businessDate.js';
import { fixingInstant } from '../domain/fixingTime.js';
import { ALL_PROVIDER_ENTRIES } from './registry.js';

/**
 * The UTC instant (ISO 8601) at which `provider` fixes the FX rates it publishes for `currencyDate`, from the
 * `fixingTime` its registry entry declares: ECB/Frankfurter 14:15 Europe/Berlin, currency-api 00:00 UTC. `null` for a
 * provider that answers each price's own timestamp (exchangerate.host), or a name that is no rates provider.
 */
export function declaredCurrencyFixingTime(provider: string, currencyDate: IsoDate): string | null {
  const declared = ALL_PROVIDER_ENTRIES.find(([name]) => name === provider)?.[1].fixingTime.rates;
  return declared ? fixingInstant(currencyDate, declared) : null;
}
