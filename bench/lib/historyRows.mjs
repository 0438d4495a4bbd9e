import { appModule } from './app.mjs';

// Rows for the read scenarios, built by the app's own transform (toTableRow) and written by its own store: gold and
// the G10 currencies follow one shared random walk plus noise of their own (deterministic, the same on every run),
// so the analysis has real correlations to compute. Every row carries a live gold quote, so every CSV column is filled.

const LEVELS = { EUR: 0.92, JPY: 151, GBP: 0.79, CHF: 0.89, CAD: 1.36, AUD: 1.53, NZD: 1.68, SEK: 10.6, NOK: 10.9 };
const BETAS = { EUR: 1, JPY: 0.4, GBP: 0.7, CHF: 0.9, CAD: 0.3, AUD: 0.5, NZD: 0.5, SEK: 0.8, NOK: 0.6 };
const round = (value) => Math.round(value * 10_000) / 10_000;

function noise(seed) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return (state / 2_147_483_648) * 2 - 1;
  };
}

/** One row per date, through toTableRow. */
export async function historyRows(dates) {
  const { toTableRow } = await appModule('src/domain/fxGoldRow.js');
  const next = noise(20_150_706);
  let dollar = 0;
  return dates.map((date) => {
    dollar += 0.006 * next();
    const rates = Object.fromEntries(
      Object.entries(LEVELS).map(([code, level]) => [code, round(level * Math.exp(-(BETAS[code] * dollar) + 0.003 * next()))]),
    );
    const price = round(1200 * Math.exp(0.8 * dollar + 0.005 * next()));
    const gold = {
      provider: 'goldapi',
      currency: 'USD',
      source: 'FOREXCOM',
      timestamp: `${date}T18:00:12.000Z`,
      sessionStart: `${date}T00:00:00.000Z`,
      price,
      open: round(price * 0.998),
      previousClose: round(price * 0.997),
      high: round(price * 1.004),
      low: round(price * 0.994),
    };
    const row = toTableRow({
      date,
      currency: { provider: 'frankfurter', base: 'USD', asOfDate: date, rates },
      gold,
      ingestedAt: `${date}T18:00:15.000Z`,
    });
    if (!row.ok) throw new Error(`toTableRow refused the bench row for ${date}: ${row.error}`);
    return row.value;
  });
}

/**
 * Writes the rows with the project's store (src/storage/fxGoldTable.ts): in transaction batches when the store has
 * saveBatch, else one save per row. Answers how long it took and how.
 */
export async function storeRows(connectionString, tableName, rows) {
  const { tableRowStore } = await appModule('src/storage/fxGoldTable.js');
  const { tableClientFor } = await appModule('src/storage/tableClient.js');
  const client = tableClientFor({ kind: 'connectionString', connectionString }, tableName, () => {
    throw new Error('a connection string needs no token credential');
  });
  const store = tableRowStore(client);
  const started = performance.now();
  if (typeof store.saveBatch === 'function') {
    const saved = await store.saveBatch(rows);
    if (!saved.ok) throw new Error(`saveBatch failed: ${saved.error.message}`);
    return { ms: performance.now() - started, how: 'saveBatch' };
  }
  for (const row of rows) {
    const saved = await store.save(row);
    if (!saved.ok) throw new Error(`save failed for ${row.rowKey}: ${saved.error.message}`);
  }
  return { ms: performance.now() - started, how: 'save per row' };
}
