import { toTableRow, type FxGoldRow } from '../../src/domain/fxGoldRow.js';
import { businessDate } from './dates.js';
import { sampleGold, sampleRates } from './quotes.js';

/** What the daily run's activities answer on a good day (2025-07-08), for tests that replay the orchestrator. */
export const RUN_ID = 'fxgold-2025-07-08';
export const RUN_START = new Date('2025-07-08T18:00:00Z');

export const SAMPLE_ROW: FxGoldRow = (() => {
  const row = toTableRow({
    date: businessDate('2025-07-08'),
    currency: sampleRates(),
    gold: sampleGold(),
    currencyTimestamp: null,
    ingestedAt: '2025-07-08T18:00:03.000Z',
  });
  if (!row.ok) throw new Error(row.error);
  return row.value;
})();

/** persistRecord's answer: the stored row's summary. */
export const SAMPLE_SUMMARY = {
  table: { partitionKey: 'USD', rowKey: '2025-07-08' },
  currencyDate: '2025-07-08',
  goldSource: 'FOREXCOM',
  goldPrice: 3301,
  rates: { EUR: 0.8512 },
};

/** The fetch activities' answers when the first provider of each chain serves. */
export const SERVED_RATES = { chain: ['frankfurter'], result: { ok: true, value: sampleRates() } };
export const SERVED_GOLD = { chain: ['goldapi'], result: { ok: true, value: sampleGold() } };
