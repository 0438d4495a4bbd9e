import { describe, expect, it } from 'vitest';
import { declaredCurrencyFixingTime } from '../../src/clients/fixingTimes.js';
import { isoDate } from '../support/dates.js';

describe('declaredCurrencyFixingTime (from the registry)', () => {
  it.each([
    // ECB reference rates at 14:15 Frankfurt: CET (UTC+1) before the last Sunday of March, CEST (UTC+2) after.
    ['frankfurter', '2025-03-28', '2025-03-28T13:15:00Z'],
    ['frankfurter', '2025-03-31', '2025-03-31T12:15:00Z'],
    ['frankfurter', '2025-10-24', '2025-10-24T12:15:00Z'],
    ['frankfurter', '2025-10-27', '2025-10-27T13:15:00Z'],
    ['currencyapi', '2025-03-31', '2025-03-31T00:00:00Z'],
  ])('%s on %s fixes at %s', (provider, date, instant) => expect(declaredCurrencyFixingTime(provider, isoDate(date))).toBe(instant));

  it('is null for a provider answering its own timestamp (exchangerate.host) and for a name that is no rates provider', () => {
    expect(declaredCurrencyFixingTime('exchangeratehost', isoDate('2025-03-31'))).toBeNull();
    expect(declaredCurrencyFixingTime('goldapi', isoDate('2025-03-31'))).toBeNull();
    expect(declaredCurrencyFixingTime('nosuchprovider', isoDate('2025-03-31'))).toBeNull();
  });
});
