import { describe, expect, inject, it } from 'vitest';
import { tableUsageLedger } from '../../src/storage/usageLedger.js';
import { connectionClient } from '../support/stores.js';

/** The usage ledger over the suite's real Azurite, with the monthly limit the app gives goldapi. */
let tables = 0;
const freshLedgers = (count: number, limit: number) => {
  const table = `UsageLimit${process.pid}x${++tables}`;
  // Separate ledgers over one table: as separate processes (runs, backfills, npm run once) share it.
  return Array.from({ length: count }, () =>
    tableUsageLedger(connectionClient(inject('azuriteConnectionString'), table), {
      limits: { goldapi: limit },
      conflictPause: async () => {},
    }),
  );
};

describe('the usage ledger with a monthly limit', () => {
  it('lets 60 concurrent counts from three writers spend a quota of 30 exactly once: 30 counted, 30 refused as skipped', async () => {
    const ledgers = freshLedgers(3, 30);
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => ledgers[i % 3]!.record('goldapi', '2025-07', 1)));
    const counted = results.filter((r) => r.ok);
    expect(counted).toHaveLength(30);
    expect(counted.map((r) => r.ok && r.value).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    for (const refused of results.filter((r) => !r.ok)) {
      expect(refused.ok ? undefined : refused.error).toEqual({
        source: 'goldapi',
        kind: 'permanent',
        message: 'skipped, monthly quota of 30 spent (FXGOLD_GOLD_MONTHLY_QUOTA)',
      });
    }
    expect(await ledgers[0]!.monthUsage('2025-07')).toEqual({ ok: true, value: { goldapi: 30 } });
    // Another month, and a provider without a limit, are not held back.
    expect((await ledgers[1]!.record('goldapi', '2025-08', 1)).ok).toBe(true);
    expect(await ledgers[2]!.record('frankfurter', '2025-07', 100)).toEqual({ ok: true, value: 100 });
  });

  it('refuses a count larger than the whole limit even on a fresh month, and 0 means no limit', async () => {
    const [limited] = freshLedgers(1, 5);
    expect((await limited!.record('goldapi', '2025-07', 6)).ok).toBe(false);
    expect(await limited!.monthUsage('2025-07')).toEqual({ ok: true, value: {} });
    const [unlimited] = freshLedgers(1, 0);
    expect(await unlimited!.record('goldapi', '2025-07', 1_000)).toEqual({ ok: true, value: 1_000 });
  });
});
