/** The plausible range of a price or a rate; anything outside is a broken value, not a market move. */
export interface Band {
  readonly min: number;
  readonly max: number;
}

/** Gold in USD per troy ounce: it has traded between about 250 (1999) and a few thousand since the euro began. */
const GOLD_USD_BAND: Band = { min: 100, max: 100_000 };

/**
 * Units of each G10 currency per 1 USD. Each band holds every rate since 1999 (most since 1971) with room to spare,
 * yet a factor-10 slip from 2025 levels (a misplaced decimal, a 1e-12 or 1e300) falls outside it.
 *
 * | currency | band per USD | approximate range since 1999 |
 * | -------- | ------------ | ---------------------------- |
 * | EUR      | 0.4 – 2.5    | 0.63 – 1.21                  |
 * | JPY      | 50 – 500     | 75 – 162 (360 in 1971)       |
 * | GBP      | 0.3 – 1.5    | 0.47 – 0.97                  |
 * | CHF      | 0.3 – 5      | 0.72 – 1.83 (4.3 in 1971)    |
 * | CAD      | 0.5 – 3      | 0.91 – 1.61                  |
 * | AUD      | 0.4 – 4      | 0.91 – 2.07                  |
 * | NZD      | 0.4 – 5      | 1.14 – 2.55                  |
 * | SEK      | 2 – 30       | 5.8 – 11.6                   |
 * | NOK      | 2 – 30       | 4.9 – 11.7                   |
 * | other    | 1e-6 – 1e7   | every currency (IRR ≈ 1e6)   |
 */
const RATE_BANDS_PER_USD: Readonly<Record<string, Band>> = {
  EUR: { min: 0.4, max: 2.5 },
  JPY: { min: 50, max: 500 },
  GBP: { min: 0.3, max: 1.5 },
  CHF: { min: 0.3, max: 5 },
  CAD: { min: 0.5, max: 3 },
  AUD: { min: 0.4, max: 4 },
  NZD: { min: 0.4, max: 5 },
  SEK: { min: 2, max: 30 },
  NOK: { min: 2, max: 30 },
};

/** Unknown codes, and every rate when the base is not USD: still rejects values no currency has ever had. */
const WIDE_RATE_BAND: Band = { min: 1e-6, max: 1e7 };

/** The bands are stated per USD, so with another base only the wide band is certain to hold. */
export const rateBand = (code: string, base: string): Band => (base === 'USD' ? RATE_BANDS_PER_USD[code] : undefined) ?? WIDE_RATE_BAND;

/** Gold in another base: the USD band converted at any rate the wide band allows. */
export const goldBand = (base: string): Band =>
  base === 'USD' ? GOLD_USD_BAND : { min: GOLD_USD_BAND.min * WIDE_RATE_BAND.min, max: GOLD_USD_BAND.max * WIDE_RATE_BAND.max };
