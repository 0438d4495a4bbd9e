import { fixingInstant } from '../domain/fixingTime.js';

/**
 * The instant a currency provider fixes its rates for `currencyDate`, as ISO 8601 UTC, or null when it declares none:
 * Frankfurter serves the ECB's 14:15 Frankfurt reference rates, currency-api its midnight UTC snapshot.
 */
export function declaredCurrencyFixingTime(provider: string, currencyDate: string): string | null {
  if (provider === 'frankfurter') return fixingInstant(currencyDate, { timeZone: 'Europe/Berlin', hour: 14, minute: 15 });
  if (provider === 'currencyapi') return fixingInstant(currencyDate, { timeZone: 'UTC', hour: 0, minute: 0 });
  return null;
}
