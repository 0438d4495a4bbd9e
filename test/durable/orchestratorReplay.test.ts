import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadFunctionsApp, replay } from '../support/functionsApp.js';
import { leafActions, OrchestrationHistory } from '../support/orchestrationHistory.js';
import { sampleGold, sampleRates } from '../support/quotes.js';

/** The registered orchestrator driven by the real durable-functions replay engine over recorded histories. */
const ID = 'fxgold-2025-07-08';
const START = new Date('2025-07-08T18:00:00Z');
const REQUEST = { date: '2025-07-08', mode: 'latest' };
const RETRY = { firstRetryIntervalInMilliseconds: 5000, maxNumberOfAttempts: 4, backoffCoefficient: 2, maxRetryIntervalInMilliseconds: 60000 };
const ROW = { partitionKey: 'USD', rowKey: '2025-07-08', GoldPrice: 3301 };
const SUMMARY = { table: { partitionKey: 'USD', rowKey: '2025-07-08' }, currencyDate: '2025-07-08', goldSource: 'FOREXCOM', goldPrice: 3301, rates: { EUR: 0.8512 } };

beforeAll(loadFunctionsApp);

const started = (input: unknown = { date: '2025-07-08' }, at = START) => new OrchestrationHistory('fxGoldOrchestrator', input, at);
const fetched = () => started().nextTurn().completed(0, { ok: true, value: sampleRates() }).nextTurn().completed(1, { ok: true, value: sampleGold() });
const transformed = () => fetched().nextTurn().completed(2, { ok: true, value: ROW });
const persisted = () => transformed().nextTurn().completed(3, { ok: true, value: SUMMARY });

describe('fxGoldOrchestrator replay', () => {
  it('first turn: schedules both fetches together, as one WhenAll, with the retry policy', async () => {
    const state = await replay(started(), ID);
    expect(state.isDone).toBe(false);
    expect(state.actions).toEqual([
      [
        {
          actionType: 12,
          compoundActions: [
            { actionType: 1, functionName: 'fetchCurrencyRates', input: REQUEST, retryOptions: RETRY },
            { actionType: 1, functionName: 'fetchGoldPrice', input: REQUEST, retryOptions: RETRY },
          ],
        },
      ],
    ]);
    expect(state.customStatus).toEqual({ date: '2025-07-08', stage: 'fetching' });
  });

  it('asks the historical endpoints for a date before the day the run started', async () => {
    const state = await replay(started({ date: '2025-07-07' }), 'fxgold-2025-07-07');
    expect(leafActions(state).map((a) => a.input)).toEqual([{ date: '2025-07-07', mode: 'historical' }, { date: '2025-07-07', mode: 'historical' }]);
  });

  it('waits for both fetches before transforming', async () => {
    const oneDone = started().nextTurn().completed(1, { ok: true, value: sampleGold() });
    expect(leafActions(await replay(oneDone, ID))).toHaveLength(2);
  });

  it('then transforms what both fetches returned', async () => {
    const state = await replay(fetched(), ID);
    expect(leafActions(state).slice(2)).toEqual([{ actionType: 0, functionName: 'transformRecord', input: { date: '2025-07-08', currency: sampleRates(), gold: sampleGold() } }]);
    expect(state.customStatus).toEqual({ date: '2025-07-08', stage: 'transforming' });
  });

  it('then persists the row, with retries', async () => {
    const state = await replay(transformed(), ID);
    expect(leafActions(state).slice(3)).toEqual([{ actionType: 1, functionName: 'persistRecord', input: ROW, retryOptions: RETRY }]);
    expect(state.customStatus).toEqual({ date: '2025-07-08', stage: 'persisting' });
  });

  it('completes with the summary of the stored row', async () => {
    const state = await replay(persisted(), ID);
    expect(state.isDone).toBe(true);
    expect(state.output).toEqual({ date: '2025-07-08', ...SUMMARY });
    expect(state.customStatus).toEqual({ date: '2025-07-08', stage: 'completed' });
    expect(leafActions(state)).toHaveLength(4);
  });

  it('retries a transiently failed fetch after a timer and goes on when the retry succeeds', async () => {
    const at = new Date('2025-07-08T18:00:06Z');
    const history = started()
      .nextTurn().completed(0, { ok: true, value: sampleRates() })
      .nextTurn().failed(1, 'fetchGoldPrice', 'goldapi: server error, HTTP 503 (transient)').timerCreated(2, at)
      .nextTurn().timerFired(2, at).scheduled(3, 'fetchGoldPrice', REQUEST)
      .nextTurn().completed(3, { ok: true, value: sampleGold() });
    const state = await replay(history, ID);
    expect(state.error).toBeUndefined();
    expect(leafActions(state).at(-1)).toMatchObject({ functionName: 'transformRecord' });
  });

  it('fails at once, naming the provider, when a fetch reports a permanent failure', async () => {
    const history = started().nextTurn().completed(1, { ok: false, error: 'goldapi: request refused, HTTP 403: Invalid API Key (permanent)' })
      .nextTurn().completed(0, { ok: true, value: sampleRates() });
    const state = await replay(history, ID);
    expect(state.error).toBe('goldapi: request refused, HTTP 403: Invalid API Key (permanent)');
    expect(leafActions(state)).toHaveLength(2);
  });

  it('fails with the activity’s own cause once the last attempt has failed', async () => {
    const history = started().nextTurn().completed(0, { ok: true, value: sampleRates() });
    let id = 1;
    for (let attempt = 1; attempt <= 4; attempt++) {
      const failedId = id;
      const timerId = ++id;
      const fireAt = new Date(START.getTime() + attempt * 60_000);
      history.nextTurn().failed(failedId, 'fetchGoldPrice', 'goldapi: network error reaching www.goldapi.io: ECONNRESET (transient)').timerCreated(timerId, fireAt);
      history.nextTurn().timerFired(timerId, fireAt);
      if (attempt < 4) history.scheduled(++id, 'fetchGoldPrice', REQUEST);
    }
    const state = await replay(history, ID);
    expect(state.error).toBe('goldapi: network error reaching www.goldapi.io: ECONNRESET (transient) (gave up after 4 attempts)');
  });

  it('fails with a clear message when started without a valid date', async () => {
    const state = await replay(started({ day: 'monday' }), 'fxgold-bad');
    expect(state.error).toMatch(/orchestration input must be \{"date":"YYYY-MM-DD"\}/);
    expect(state.actions).toEqual([[]]);
  });

  it('is deterministic: each turn replays the actions of the turns before it, and a finished history replays identically', async () => {
    const turns = [];
    for (const history of [started(), fetched(), transformed(), persisted()]) turns.push(leafActions(await replay(history, ID)));
    for (let i = 1; i < turns.length; i++) expect(turns[i]?.slice(0, turns[i - 1]?.length)).toEqual(turns[i - 1]);
    // The wall clock must not matter: "now" comes from the history only.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2031-01-01T00:00:00Z'));
      const later = await replay(persisted(), ID);
      vi.setSystemTime(new Date('2025-07-08T17:59:00Z'));
      expect(await replay(persisted(), ID)).toEqual(later);
      vi.setSystemTime(new Date('2025-07-09T09:00:00Z'));
      expect(leafActions(await replay(started(), ID))).toEqual(turns[0]);
    } finally {
      vi.useRealTimers();
    }
  });
});
