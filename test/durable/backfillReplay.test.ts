import { beforeAll, describe, expect, it } from 'vitest';
import type { BackfillPlan, Chunk, ChunkResult } from '../../src/backfill/contract.js';
import { loadFunctionsApp, replay } from '../support/functionsApp.js';
import { leafActions, OrchestrationHistory } from '../support/orchestrationHistory.js';
import type { BusinessDate } from '../../src/domain/businessDate.js';
import { businessDate, isoDate } from '../support/dates.js';
import { weekdaysFrom } from '../support/storedRows.js';

/** The registered backfill orchestrator driven by the real durable-functions replay engine over recorded histories. */
const NAME = 'fxGoldBackfillOrchestrator';
const ID = 'fxgold-backfill-2025-01-01-2025-06-30';
const RANGE = { from: isoDate('2025-01-01'), to: isoDate('2025-06-30') };

/** A chunk of the month's first three weekdays. */
const monthChunk = (month: number): Chunk => {
  const dates = weekdaysFrom(`2025-${String(month).padStart(2, '0')}-01`, 3);
  return { from: dates[0] as BusinessDate, to: dates[2] as BusinessDate, dates };
};
const CHUNKS = [1, 2, 3, 4, 5, 6].map(monthChunk);
const PLAN: BackfillPlan = {
  range: RANGE,
  dates: [...CHUNKS.flatMap((c) => c.dates), businessDate('2025-06-30')],
  skipped: [businessDate('2025-06-30')],
  knownGaps: [],
  chunks: CHUNKS,
  requests: { currency: 6, gold: 18 },
};
const stored = (chunk: Chunk): ChunkResult => ({
  stored: chunk.dates,
  gaps: [],
  failed: [],
  requests: { currency: 1, gold: chunk.dates.length },
});
const refused = (chunk: Chunk): ChunkResult => ({
  stored: [],
  gaps: [],
  failed: chunk.dates.map((date) => ({ date, error: 'goldapi: request refused, HTTP 403 (permanent)' })),
  requests: { currency: 1, gold: 1 },
});

beforeAll(loadFunctionsApp);

const started = (input: unknown = { range: RANGE }) => new OrchestrationHistory(NAME, input);
const planned = (parallelism: number) =>
  started()
    .nextTurn()
    .completed(0, { ok: true, value: { plan: PLAN, parallelism } });
const chunkCalls = (state: Awaited<ReturnType<typeof replay>>) => leafActions(state).filter((a) => a.functionName === 'runBackfillChunk');

describe('fxGoldBackfillOrchestrator replay', () => {
  it('plans first, in an activity, and reports the planning stage', async () => {
    const state = await replay(started({ range: RANGE, force: true }), ID);
    expect(leafActions(state)).toEqual([
      { actionType: 0, functionName: 'planBackfill', input: { range: RANGE, force: true, retryGaps: false } },
    ]);
    expect(state.customStatus).toMatchObject({ stage: 'planning', from: RANGE.from, to: RANGE.to });
  });

  it.each([1, 2, 4])(
    'never has more than the configured %i chunk calls in flight: one wave, then nothing until it drains',
    async (parallelism) => {
      const history = planned(parallelism);
      const first = await replay(history, ID);
      expect(chunkCalls(first).map((a) => a.input)).toEqual(
        CHUNKS.slice(0, parallelism).map((chunk) => ({ chunk, acceptQuality: [], holder: ID })),
      );
      // Each chunk that ends (but the last of the wave) schedules nothing new.
      for (let id = 1; id < parallelism; id++) {
        history.nextTurn().completed(id, stored(CHUNKS[id - 1] as Chunk));
        expect(chunkCalls(await replay(history, ID))).toHaveLength(parallelism);
      }
    },
  );

  it('puts the progress in the custom status after every chunk, in whatever order they end', async () => {
    const history = planned(3);
    history.nextTurn().completed(2, stored(CHUNKS[1] as Chunk)); // the second chunk ends first
    expect((await replay(history, ID)).customStatus).toMatchObject({
      stage: 'running',
      progress: { total: 19, stored: 3, skipped: 1, failed: 0, gaps: 0 },
    });
    history.nextTurn().completed(1, stored(CHUNKS[0] as Chunk));
    expect((await replay(history, ID)).customStatus).toMatchObject({ progress: { stored: 6 } });
    history.nextTurn().completed(3, stored(CHUNKS[2] as Chunk));
    expect((await replay(history, ID)).customStatus).toMatchObject({ progress: { stored: 9 }, requests: { currency: 3, gold: 9 } });
  });

  it('a chunk failing permanently fails only its dates; the others are stored, and the wave continues as new with the rest', async () => {
    const history = planned(3)
      .nextTurn()
      .completed(1, stored(CHUNKS[0] as Chunk))
      .nextTurn()
      .completed(2, refused(CHUNKS[1] as Chunk));
    history.nextTurn().failed(3, 'runBackfillChunk', 'Worker was recycled');
    const state = await replay(history, ID);
    expect(state.customStatus).toMatchObject({ progress: { stored: 3, failed: 6 } });
    const next = leafActions(state).find((a) => a.actionType === 4) as {
      input: { carried: { remaining: Chunk[]; summary: { failed: { date: string; error: string }[] } } };
    };
    expect(state.isDone).toBe(true);
    expect(next.input.carried.remaining).toEqual(CHUNKS.slice(3));
    expect(next.input.carried.summary.failed.map((f) => f.date)).toEqual([...(CHUNKS[1] as Chunk).dates, ...(CHUNKS[2] as Chunk).dates]);
    expect(next.input.carried.summary.failed.at(-1)?.error).toBe(
      "runBackfillChunk crashed in the host: Function 'runBackfillChunk' failed with an unhandled exception.",
    );
  });

  it('a chunk answer of the wrong shape fails that chunk’s dates with the reason', async () => {
    const history = planned(1).nextTurn().completed(1, { stored: 'all' });
    const next = leafActions(await replay(history, ID)).find((a) => a.actionType === 4) as {
      input: { carried: { summary: { failed: { error: string }[] } } };
    };
    expect(next.input.carried.summary.failed).toHaveLength(3);
    expect(next.input.carried.summary.failed[0]?.error).toMatch(/^runBackfillChunk answered in an unexpected shape/);
  });

  it('a refused plan frees what the start endpoint reserved, then fails the backfill with its reason, before any chunk', async () => {
    const history = started()
      .nextTurn()
      .completed(0, { ok: false, error: 'refused: the backfill needs 120 goldapi requests ... FXGOLD_GOLD_REQUEST_BUDGET' });
    const settling = await replay(history, ID);
    expect(settling.isDone).toBe(false);
    expect(leafActions(settling).at(-1)).toEqual({ actionType: 0, functionName: 'settleBackfill', input: { holder: ID } });
    const state = await replay(history.nextTurn().completed(1, { ok: true }), ID);
    expect(state.error).toMatch(/refused: the backfill needs 120 goldapi requests/);
    expect(chunkCalls(state)).toEqual([]);
  });

  it('the last wave completes with the summary as output and in the status', async () => {
    const carried = {
      parallelism: 2,
      remaining: CHUNKS.slice(4),
      summary: { ...RANGE, dates: 19, stored: 12, skipped: 1, knownGaps: 0, gaps: [], failed: [], requests: { currency: 4, gold: 12 } },
    };
    const history = started({ range: RANGE, carried })
      .nextTurn()
      .completed(0, stored(CHUNKS[4] as Chunk))
      .nextTurn()
      .completed(1, {
        ...stored(CHUNKS[5] as Chunk),
        stored: ['2025-06-02'],
        gaps: [{ date: '2025-06-03', reason: 'no gold fixing' }],
        failed: [{ date: '2025-06-04', error: 'x' }],
      });
    const drained = await replay(history, ID);
    expect(leafActions(drained).some((a) => a.functionName === 'planBackfill')).toBe(false);
    // Then what the backfill reserved and did not use is freed, before it completes.
    expect(drained.isDone).toBe(false);
    expect(leafActions(drained).at(-1)).toEqual({ actionType: 0, functionName: 'settleBackfill', input: { holder: ID } });
    const state = await replay(history.nextTurn().completed(2, { ok: true }), ID);
    expect(state.isDone).toBe(true);
    expect(state.output).toEqual({
      ...RANGE,
      dates: 19,
      stored: 16,
      skipped: 1,
      knownGaps: 0,
      gaps: [{ date: '2025-06-03', reason: 'no gold fixing' }],
      failed: [{ date: '2025-06-04', error: 'x' }],
      requests: { currency: 6, gold: 18 },
    });
    expect(state.customStatus).toMatchObject({ stage: 'completed', progress: { total: 19, stored: 16, skipped: 1, failed: 1, gaps: 1 } });
  });

  it('keeps each execution’s history bounded: the events of one wave depend on the parallelism, not on the range', async () => {
    /** Plays one execution to its end; answers its event count and the next execution's input, if any. */
    async function execution(input: unknown): Promise<{ events: number; next?: unknown; output?: unknown }> {
      const history = started(input);
      let state = await replay(history, ID);
      for (let id = 0; !state.isDone; id++) {
        const action = leafActions(state)[id] as { functionName: string; input: { chunk: Chunk } };
        history
          .nextTurn()
          .completed(
            id,
            action.functionName === 'planBackfill'
              ? { ok: true, value: { plan: longPlan, parallelism: 4 } }
              : action.functionName === 'settleBackfill'
                ? { ok: true }
                : stored(action.input.chunk),
          );
        state = await replay(history, ID);
      }
      return { events: history.events.length, next: leafActions(state).find((a) => a.actionType === 4)?.input, output: state.output };
    }
    // 20 years of months: 240 chunks.
    const months = Array.from({ length: 240 }, (_, i) => `${2005 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
    const chunks = months.map((m) => {
      const dates = weekdaysFrom(`${m}-03`, 2);
      return { from: dates[0] as BusinessDate, to: dates[1] as BusinessDate, dates };
    });
    const longPlan: BackfillPlan = {
      range: { from: isoDate('2005-01-01'), to: isoDate('2024-12-31') },
      dates: chunks.flatMap((c) => c.dates),
      skipped: [],
      knownGaps: [],
      chunks,
      requests: { currency: 240, gold: 480 },
    };

    const sizes: number[] = [];
    let input: unknown = { range: longPlan.range };
    let output: unknown;
    while (input !== undefined) {
      const ran = await execution(input);
      sizes.push(ran.events);
      input = ran.next;
      output = ran.output;
    }
    expect(sizes).toHaveLength(60);
    // Started + ExecutionStarted, then per answer: Completed + Started + TaskCompleted; the plan adds one answer.
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2 + 3 * (4 + 1));
    expect(output).toMatchObject({ dates: 480, stored: 480, failed: [], requests: { currency: 240, gold: 480 } });
  }, 60_000);
});
