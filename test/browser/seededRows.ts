import { toTableRow, type FxGoldRow } from '../../src/domain/fxGoldRow.js';
import type { GoldQuote } from '../../src/domain/quotes.js';
import { businessDate } from '../support/dates.js';

/** How much each currency follows the dollar factor gold also follows: different correlations to look at. */
const BETAS: Record<string, number> = { EUR: 1, JPY: 0.4, GBP: 0.7, CHF: 0.9, CAD: 0.3, AUD: 0.5, NZD: 0.5, SEK: 0.8, NOK: 0.6 };
const LEVELS: Record<string, number> = { EUR: 0.92, JPY: 151, GBP: 0.79, CHF: 0.89, CAD: 1.36, AUD: 1.53, NZD: 1.68, SEK: 10.6, NOK: 10.9 };

/** Deterministic noise in [-1, 1] (a linear congruential generator): the same rows on every run. */
function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return (state / 2_147_483_648) * 2 - 1;
  };
}

/**
 * Rows as the daily job builds them (toTableRow) for the given dates: gold and the G10 currencies all follow one
 * "dollar" random walk, each currency by its own beta, plus noise of their own. The first `lbmaRows` rows carry
 * historical (LBMA) gold quotes as a backfill would, the rest live (FOREXCOM) ones.
 */
export function seededRows(dates: readonly string[], lbmaRows: number): FxGoldRow[] {
  const next = noise(20_250_102);
  let dollar = 0;
  let goldOwn = 0;
  const own: Record<string, number> = Object.fromEntries(Object.keys(BETAS).map((code) => [code, 0]));
  return dates.map((text, i) => {
    const date = businessDate(text);
    dollar += 0.006 * next();
    goldOwn += 0.005 * next();
    for (const code of Object.keys(own)) own[code] = (own[code] ?? 0) + 0.0025 * next();
    const rates = Object.fromEntries(
      Object.entries(BETAS).map(([code, beta]) => [code, round((LEVELS[code] ?? 1) * Math.exp(-(beta * dollar + (own[code] ?? 0))))]),
    );
    const price = round(2650 * Math.exp(0.8 * dollar + goldOwn));
    const live = i >= lbmaRows;
    const gold: GoldQuote = {
      provider: 'goldapi',
      currency: 'USD',
      source: live ? 'FOREXCOM' : 'LBMA',
      timestamp: live ? `${date}T18:00:12.000Z` : `${date}T10:30:00.000Z`,
      sessionStart: live ? `${date}T00:00:00.000Z` : null,
      price,
      open: live ? round(price * 0.998) : null,
      previousClose: live ? round(price * 0.997) : null,
      high: live ? round(price * 1.004) : null,
      low: live ? round(price * 0.994) : null,
    };
    const row = toTableRow({
      date,
      currency: { provider: 'frankfurter', base: 'USD', asOfDate: date, rates },
      gold,
      currencyTimestamp: null,
      ingestedAt: `${date}T18:00:15.000Z`,
    });
    if (!row.ok) throw new Error(row.error);
    return row.value;
  });
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;
