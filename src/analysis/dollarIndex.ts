/** The code under which the ICE US Dollar Index appears beside the currencies. */
export const DOLLAR_INDEX = 'DXY';

/** ICE's constant and each currency's weight; the published EURUSD^-0.576 and GBPUSD^-0.119 are per-USD rates to +0.576 and +0.119. */
const DXY_CONSTANT = 50.14348112;
export const DXY_WEIGHTS: Readonly<Record<string, number>> = { EUR: 0.576, JPY: 0.136, GBP: 0.119, CAD: 0.091, SEK: 0.042, CHF: 0.036 };
export const DXY_CURRENCIES = Object.keys(DXY_WEIGHTS);

/** The dollar index from one row's rates (units per USD), or undefined when the row lacks any of its six currencies. */
export function dollarIndexOf(rates: Readonly<Record<string, number>>): number | undefined {
  let level = DXY_CONSTANT;
  for (const code of DXY_CURRENCIES) {
    const rate = rates[code];
    if (rate === undefined) return undefined;
    level *= rate ** DXY_WEIGHTS[code]!;
  }
  return level;
}
