import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { checkQuota, releaseQuota } from '../../src/backfill/quota.js';
import { planBackfill } from '../../src/backfill/plan.js';
import { runChunksInOrder } from '../../src/backfill/runChunksInOrder.js';
import { createBackfillDependencies, type BackfillDependencies } from '../../src/backfill/dependencies.js';
import { loadSettings } from '../../src/config/settings.js';
import { createJobDependencies, type JobDependencies } from '../../src/pipeline/jobDependencies.js';
import { runDailyJob } from '../../src/pipeline/runDailyJob.js';
import { RESERVATION_TTL_MS, tableUsageLedger } from '../../src/storage/usageLedger.js';
import { startFakeProviders, type FakeProviders } from '../support/fakeProviders.js';
import { businessDate, isoDate } from '../support/dates.js';
import { connectionClient } from '../support/stores.js';
import { uniqueTableName } from '../support/tableNames.js';

/**
 * Quota reservations in the usage ledger (issue 16) over the suite's real Azurite, and the paths that spend them:
 * manual and daily runs (runDailyJob) and a backfill's chunks, against fake providers on loopback that count what
 * they received. 15 July 2025 is a Tuesday: 13 weekdays are left in July, today included, so the daily reserve is 13.
 */
let fake: FakeProviders;
beforeAll(async () => (fake = await startFakeProviders()));
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const NOW = new Date('2025-07-15T12:00:00Z');
const RESERVE = 13;
const goldapiRequests = () => fake.requests.filter((r) => r.provider === 'goldapi').length;

function ledgerAt(limit: number) {
  const table = uniqueTableName('UsageReserve');
  const client = connectionClient(inject('azuriteConnectionString'), table);
  const clock = { now: NOW };
  const ledger = tableUsageLedger(client, { limits: { goldapi: limit }, clock: () => clock.now, conflictPause: async () => {} });
  const later = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));
  return { ledger, client, later };
}

describe('the usage ledger: reservations', () => {
  it('a dead holder’s reservation stops counting an hour after its last sign of life, and is cleaned up on the next write', async () => {
    const { ledger, client, later } = ledgerAt(50);
    expect(await ledger.reserve('goldapi', '2025-07', 'backfill-a', 30, RESERVE)).toEqual({
      ok: true,
      value: { granted: true, spent: 0, reserved: 0, left: 37 },
    });
    // A second holder sees the first's reservation, and the daily reserve stays out of its reach.
    expect(await ledger.reserve('goldapi', '2025-07', 'backfill-b', 30, RESERVE)).toEqual({
      ok: true,
      value: { granted: false, spent: 0, reserved: 30, left: 7 },
    });
    expect(await ledger.monthBook('2025-07')).toEqual({ ok: true, value: { goldapi: { requests: 0, reserved: 30 } } });

    later(RESERVATION_TTL_MS - 60_000);
    expect(await ledger.monthBook('2025-07')).toEqual({ ok: true, value: { goldapi: { requests: 0, reserved: 30 } } });
    later(2 * 60_000); // backfill-a never renewed: taken for dead
    expect(await ledger.monthBook('2025-07')).toEqual({ ok: true, value: { goldapi: { requests: 0, reserved: 0 } } });
    expect(await ledger.reserve('goldapi', '2025-07', 'backfill-b', 30, RESERVE)).toMatchObject({
      ok: true,
      value: { granted: true, left: 37 },
    });
    const row = await client.getEntity<{ Reservations: string }>('2025-07', 'goldapi');
    expect(Object.keys(JSON.parse(row.Reservations) as object)).toEqual(['backfill-b']);
    // What expired cannot be spent by its holder either.
    const late = await ledger.record('goldapi', '2025-07', 1, { holder: 'backfill-a' });
    expect(late).toEqual({
      ok: false,
      error: {
        source: 'goldapi',
        kind: 'permanent',
        message: expect.stringMatching(/^skipped, the reservation of backfill-a is used up or expired/),
      },
    });

    // A holder that renews stays alive past the first hour.
    later(RESERVATION_TTL_MS - 60_000);
    expect(await ledger.renew('goldapi', '2025-07', 'backfill-b')).toEqual({ ok: true, value: true });
    later(RESERVATION_TTL_MS - 60_000);
    expect(await ledger.monthBook('2025-07')).toEqual({ ok: true, value: { goldapi: { requests: 0, reserved: 30 } } });
    expect(await ledger.renew('goldapi', '2025-07', 'backfill-a')).toEqual({ ok: true, value: false });
  });

  it('a holder spends only what it reserved; released, the rest is free again', async () => {
    const { ledger } = ledgerAt(20);
    expect((await ledger.reserve('goldapi', '2025-07', 'backfill-a', 3, 0)).ok).toBe(true);
    const spends = await Promise.all(Array.from({ length: 5 }, () => ledger.record('goldapi', '2025-07', 1, { holder: 'backfill-a' })));
    expect(spends.filter((s) => s.ok)).toHaveLength(3);
    expect(await ledger.monthBook('2025-07')).toEqual({ ok: true, value: { goldapi: { requests: 3, reserved: 0 } } });
    expect((await ledger.reserve('goldapi', '2025-07', 'backfill-a', 10, 0)).ok).toBe(true);
    expect((await ledger.record('goldapi', '2025-07', 2, { holder: 'backfill-a' })).ok).toBe(true);
    expect(await ledger.release('goldapi', '2025-07', 'backfill-a')).toEqual({ ok: true, value: undefined });
    expect(await ledger.monthBook('2025-07')).toEqual({ ok: true, value: { goldapi: { requests: 5, reserved: 0 } } });
  });

  it('a request of its own may not eat into what others reserved, nor into `keep`; with keep 0 it may use the rest', async () => {
    const { ledger } = ledgerAt(10);
    expect((await ledger.reserve('goldapi', '2025-07', 'backfill-a', 4, 0)).ok).toBe(true);
    const manual = await Promise.all(Array.from({ length: 6 }, () => ledger.record('goldapi', '2025-07', 1, { keep: 3 })));
    expect(manual.filter((r) => r.ok)).toHaveLength(3);
    expect(manual.find((r) => !r.ok)).toEqual({
      ok: false,
      error: {
        source: 'goldapi',
        kind: 'permanent',
        message:
          'skipped, monthly quota of 10 spent (FXGOLD_GOLD_MONTHLY_QUOTA): 3 used, 4 reserved by backfills, 3 kept for the weekday runs left this month',
      },
    });
    const daily = await Promise.all(Array.from({ length: 5 }, () => ledger.record('goldapi', '2025-07', 1, { keep: 0 })));
    expect(daily.filter((r) => r.ok)).toHaveLength(3);
  });
});

function settingsWith(extra: Record<string, string>) {
  const settings = loadSettings({
    ...fake.settings(),
    GOLDAPI_KEY: 'goldapi-reservation-secret-5',
    FXGOLD_STORAGE_CONNECTION: inject('azuriteConnectionString'),
    FXGOLD_TABLE_NAME: uniqueTableName('FxGoldReserve'),
    ...extra,
  });
  if (!settings.ok) throw new Error(settings.error);
  return settings.value;
}

describe('runs against the quota', () => {
  it('60 manual runs with a quota of 30: at most 30 − the daily reserve goldapi requests, the rest served by Frankfurter with the skip reason; the daily run may still use its share of the reserve', async () => {
    const settings = settingsWith({ FXGOLD_GOLD_MONTHLY_QUOTA: '30', FXGOLD_GOLD_PROVIDERS: 'goldapi,frankfurter' });
    // Three wirings over one usage table, as three processes would share it.
    const jobs: JobDependencies[] = [0, 1, 2].map(() => ({ ...createJobDependencies(settings), clock: () => NOW }));
    const manual = { date: businessDate('2025-07-07'), mode: 'historical' } as const;
    const runs = await Promise.all(
      Array.from({ length: 60 }, (_, i) => runDailyJob(manual, jobs[i % 3] as JobDependencies, { retry: false })),
    );
    expect(goldapiRequests()).toBe(30 - RESERVE);
    expect(runs.every((run) => run.ok)).toBe(true);
    const servedBy = runs.map((run) => (run.ok ? run.value.row.GoldProvider : undefined));
    expect(servedBy.filter((p) => p === 'goldapi')).toHaveLength(30 - RESERVE);
    expect(servedBy.filter((p) => p === 'frankfurter')).toHaveLength(30 + RESERVE);
    const skipped = runs.find((run) => run.ok && run.value.row.GoldProvider === 'frankfurter');
    expect(skipped?.ok && skipped.value.attempts.filter((a) => a.chain === 'gold')).toEqual([
      {
        chain: 'gold',
        provider: 'goldapi',
        outcome: 'permanent',
        reason: `skipped, monthly quota of 30 spent (FXGOLD_GOLD_MONTHLY_QUOTA): 17 used, ${RESERVE} kept for the weekday runs left this month`,
      },
      { chain: 'gold', provider: 'frankfurter', outcome: 'served' },
    ]);

    // Today's run is the daily run: it may spend today's share of the reserve, not the later weekdays', so a second
    // (forced) run today falls over; a later weekday's run has its own share (a week on, past the gates' look-back).
    const today = { date: businessDate('2025-07-15'), mode: 'historical' } as const;
    const todays = [];
    for (let i = 0; i < 2; i++) todays.push(await runDailyJob(today, jobs[0] as JobDependencies, { retry: false }));
    expect(todays.map((run) => run.ok && run.value.row.GoldProvider)).toEqual(['goldapi', 'frankfurter']);
    const later = { ...(jobs[0] as JobDependencies), clock: () => new Date('2025-07-23T18:00:00Z') };
    const next = await runDailyJob({ date: businessDate('2025-07-23'), mode: 'historical' }, later, { retry: false });
    expect(next.ok ? next.value.row.GoldProvider : next.error).toBe('goldapi');
    expect(goldapiRequests()).toBe(30 - RESERVE + 2);
  });
  it('a run that asked for the live quote yesterday is still the daily run when its retry comes after midnight UTC', async () => {
    const settings = settingsWith({ FXGOLD_GOLD_MONTHLY_QUOTA: '14', FXGOLD_GOLD_PROVIDERS: 'goldapi,frankfurter' });
    const job: JobDependencies = { ...createJobDependencies(settings), clock: () => NOW };
    // 13 weekdays are left: a manual run must leave 13 of the 14 alone (one fits), the daily run only the 12 after today.
    const manual = { date: businessDate('2025-07-14'), mode: 'historical' } as const;
    const manuals = [await runDailyJob(manual, job, { retry: false }), await runDailyJob(manual, job, { retry: false })];
    expect(manuals.map((run) => run.ok && run.value.row.GoldProvider)).toEqual(['goldapi', 'frankfurter']);
    expect(goldapiRequests()).toBe(1);
    // Started on the 14th for its live quote, asking again on the 15th: goldapi is asked (whatever the gates say after).
    await runDailyJob({ date: businessDate('2025-07-14'), mode: 'latest' }, job, { retry: false });
    expect(goldapiRequests()).toBe(2);
  });
});

describe('a backfill against its reservation', () => {
  function backfillSetup() {
    const settings = settingsWith({ FXGOLD_GOLD_MONTHLY_QUOTA: '100', FXGOLD_USAGE_TABLE_NAME: uniqueTableName('FxGoldReserveUsage') });
    const deps: BackfillDependencies = { ...createBackfillDependencies(settings), clock: () => NOW };
    return deps;
  }

  it('a goldapi outage within the retry allowance: 2 dates reserve 2 + 3, and the backfill makes 5 requests, not 8', async () => {
    const deps = backfillSetup();
    fake.answer('goldapi', { status: 503, text: 'busy' });
    const plan = await planBackfill({ from: isoDate('2025-07-07'), to: isoDate('2025-07-08') }, deps, { force: false, now: NOW });
    if (!plan.ok) throw new Error(plan.error);
    const quota = await checkQuota(plan.value, deps, NOW, 'backfill-outage');
    expect(quota).toMatchObject({ ok: true, value: { needed: 2, allowance: 3, reserved: 0 } });
    expect(await deps.usage.monthBook('2025-07')).toEqual({ ok: true, value: { goldapi: { requests: 0, reserved: 5 } } });

    const results = await runChunksInOrder(plan.value, deps, { retry: true, sleep: async () => {}, holder: 'backfill-outage' });
    expect(goldapiRequests()).toBe(5);
    const failed = results.flatMap((r) => r.failed);
    expect(failed.map((f) => f.date)).toEqual(['2025-07-07', '2025-07-08']);
    expect(failed.map((f) => f.error).join('\n')).toMatch(/skipped, the reservation of backfill-outage is used up or expired/);
    expect((await releaseQuota(deps, 'backfill-outage', NOW)).ok).toBe(true);
    expect(await deps.usage.monthBook('2025-07')).toEqual({ ok: true, value: { goldapi: { requests: 5, reserved: 0 } } });
  });
});
