import type { Timer } from '@azure/functions';
import type { DurableOrchestrationStatus } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { dueDate, startDailyRun } from '../../src/orchestration/dailyStarter.js';
import type { RunStarterClient } from '../../src/orchestration/startSingleton.js';

const onTime = (): Timer => ({
  isPastDue: false,
  schedule: { adjustForDST: true },
  scheduleStatus: { last: '2025-07-07T18:00:00Z', next: '2025-07-08T18:00:00Z', lastUpdated: '2025-07-07T18:00:00Z' },
});
const late = (due: string): Timer => ({
  ...onTime(),
  isPastDue: true,
  scheduleStatus: { last: '2025-07-03T18:00:00Z', next: due, lastUpdated: '2025-07-03T18:00:00Z' },
});

/** A durable client that knows one instance (or none) and records starts: the port the starter uses. */
function clientWith(runtimeStatus?: string) {
  const starts: Array<{ name: string; instanceId?: string; input?: unknown }> = [];
  const client: RunStarterClient = {
    getStatus(instanceId: string) {
      if (!runtimeStatus)
        return Promise.reject(
          new Error(`DurableClient error: Durable Functions extension replied with HTTP 404 response. instanceId: ${instanceId}`),
        );
      return Promise.resolve({ instanceId, runtimeStatus } as unknown as DurableOrchestrationStatus);
    },
    startNew(name: string, options?: { instanceId?: string; input?: unknown }) {
      starts.push({ name, ...options });
      return Promise.resolve(options?.instanceId ?? 'generated');
    },
  };
  return { client, starts };
}
const quiet = { log: () => {}, warn: () => {} };

describe('dueDate', () => {
  it('is today (UTC) for an on-time firing', () => {
    expect(dueDate(onTime(), new Date('2025-07-08T18:00:00.5Z'))).toBe('2025-07-08');
  });

  it('is the date of the missed occurrence for a past-due firing', () => {
    expect(dueDate(late('2025-07-04T18:00:00Z'), new Date('2025-07-07T09:12:00Z'))).toBe('2025-07-04');
  });

  it('falls back to today when a past-due firing carries no usable schedule status', () => {
    expect(dueDate({ ...late('not a date') }, new Date('2025-07-07T09:12:00Z'))).toBe('2025-07-07');
    expect(dueDate({ isPastDue: true, schedule: { adjustForDST: true } } as Timer, new Date('2025-07-07T09:12:00Z'))).toBe('2025-07-07');
  });
});

describe('startDailyRun (singleton per business date)', () => {
  const now = new Date('2025-07-08T18:00:01Z');

  it('starts fxgold-<date> with the date as input when there is no run yet', async () => {
    const { client, starts } = clientWith(undefined);
    expect(await startDailyRun(onTime(), client, quiet, now)).toEqual({ action: 'started', instanceId: 'fxgold-2025-07-08' });
    expect(starts).toEqual([
      { name: 'fxGoldOrchestrator', instanceId: 'fxgold-2025-07-08', input: { date: '2025-07-08', acceptQuality: [] } },
    ]);
  });

  it.each(['Pending', 'Running', 'ContinuedAsNew', 'Suspended'])('does nothing while the run is %s', async (status) => {
    const { client, starts } = clientWith(status);
    expect(await startDailyRun(onTime(), client, quiet, now)).toMatchObject({ action: 'alreadyRunning', runtimeStatus: status });
    expect(starts).toEqual([]);
  });

  it('does nothing when the run already completed', async () => {
    const { client, starts } = clientWith('Completed');
    expect(await startDailyRun(onTime(), client, quiet, now)).toMatchObject({ action: 'alreadyCompleted' });
    expect(starts).toEqual([]);
  });

  it.each(['Failed', 'Terminated', 'Canceled'])('starts again after a run that %s', async (status) => {
    const { client, starts } = clientWith(status);
    expect(await startDailyRun(onTime(), client, quiet, now)).toMatchObject({ action: 'started' });
    expect(starts).toHaveLength(1);
  });

  it('starts nothing, with a warning, when the timer fires on a weekend', async () => {
    const { client, starts } = clientWith(undefined);
    const warnings: unknown[] = [];
    expect(
      await startDailyRun(onTime(), client, { log: () => {}, warn: (m) => warnings.push(m) }, new Date('2025-07-12T18:00:00Z')),
    ).toBeUndefined();
    expect(starts).toEqual([]);
    expect(warnings).toEqual([
      'fx-gold: no run started: date 2025-07-12 is a Saturday: markets are closed, there is no business day to record',
    ]);
  });

  it('passes on errors other than "not found"', async () => {
    const client: RunStarterClient = {
      getStatus: async () => Promise.reject(new Error('The operation failed with an unexpected status code: 500')),
      startNew: () => Promise.resolve('x'),
    };
    await expect(startDailyRun(onTime(), client, quiet, now)).rejects.toThrow(/500/);
  });
});
