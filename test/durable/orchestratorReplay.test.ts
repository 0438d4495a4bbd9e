import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadFunctionsApp, replay } from '../support/functionsApp.js';
import { leafActions, OrchestrationHistory } from '../support/orchestrationHistory.js';
import { sampleGold, sampleRates } from '../support/quotes.js';
import { RUN_ID, RUN_START, SAMPLE_ROW, SAMPLE_SUMMARY, SERVED_GOLD, SERVED_RATES } from '../support/runAnswers.js';

/** The registered orchestrator driven by the real durable-functions replay engine over recorded histories. */
const REQUEST = { date: '2025-07-08', mode: 'latest' };
const goldFailure = (kind: 'transient' | 'permanent', message: string, retryAfterSeconds?: number) => ({
  chain: ['goldapi'],
  result: { ok: false, error: { source: 'goldapi', kind, message, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) } },
});

beforeAll(loadFunctionsApp);

const started = (input: unknown = { date: '2025-07-08' }, at = RUN_START) => new OrchestrationHistory('fxGoldOrchestrator', input, at);
const fetched = () => started().nextTurn().completed(0, SERVED_RATES).nextTurn().completed(1, SERVED_GOLD);
const transformed = () => fetched().nextTurn().completed(2, { ok: true, value: SAMPLE_ROW });
const persisted = () => transformed().nextTurn().completed(3, { ok: true, value: SAMPLE_SUMMARY });
const plus = (at: Date, ms: number) => new Date(at.getTime() + ms);
/** Actions as the host receives them (JSON): a timer's fireAt is an ISO string there. */
const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Rates served at once; gold answers `answers` in turn, each retry after the timer the orchestrator asked for. */
async function goldRetries(answers: unknown[]) {
  const history = started().nextTurn().completed(0, SERVED_RATES);
  let id = 1;
  for (const [i, answer] of answers.entries()) {
    history.nextTurn().completed(id, answer);
    if (i === answers.length - 1) break;
    const state = await replay(history, RUN_ID);
    const timer = json(leafActions(state).at(-1)) as { actionType: number; fireAt: string };
    if (timer.actionType !== 5) break; // no retry asked for
    history.timerCreated(++id, new Date(timer.fireAt)).nextTurn(new Date(timer.fireAt)).timerFired(id, new Date(timer.fireAt));
    id++;
  }
  return { history, state: await replay(history, RUN_ID) };
}

describe('fxGoldOrchestrator replay', () => {
  it('first turn: asks both chains’ first providers together, as one WhenAll, without Durable retry options', async () => {
    const state = await replay(started(), RUN_ID);
    expect(state.isDone).toBe(false);
    expect(state.actions).toEqual([
      [
        {
          actionType: 12,
          compoundActions: [
            { actionType: 0, functionName: 'fetchCurrencyRates', input: { request: REQUEST } },
            { actionType: 0, functionName: 'fetchGoldPrice', input: { request: REQUEST } },
          ],
        },
      ],
    ]);
    expect(state.customStatus).toEqual({ date: '2025-07-08', stage: 'fetching', attempts: [] });
  });

  it('asks the historical endpoints for a date before the day the run started', async () => {
    const state = await replay(started({ date: '2025-07-07' }), 'fxgold-2025-07-07');
    expect(leafActions(state).map((a) => a.input)).toEqual([
      { request: { date: '2025-07-07', mode: 'historical' } },
      { request: { date: '2025-07-07', mode: 'historical' } },
    ]);
  });

  it('waits for both fetches before transforming', async () => {
    const oneDone = started().nextTurn().completed(1, SERVED_GOLD);
    expect(leafActions(await replay(oneDone, RUN_ID))).toHaveLength(2);
  });

  it('then transforms what both fetches returned', async () => {
    const state = await replay(fetched(), RUN_ID);
    expect(leafActions(state).slice(2)).toEqual([
      {
        actionType: 0,
        functionName: 'transformRecord',
        input: { date: '2025-07-08', mode: 'latest', accepted: [], currency: sampleRates(), gold: sampleGold() },
      },
    ]);
    expect(state.customStatus).toMatchObject({ date: '2025-07-08', stage: 'transforming' });
  });

  it('then persists the row', async () => {
    const state = await replay(transformed(), RUN_ID);
    expect(leafActions(state).slice(3)).toEqual([{ actionType: 0, functionName: 'persistRecord', input: SAMPLE_ROW }]);
    expect(state.customStatus).toMatchObject({ date: '2025-07-08', stage: 'persisting' });
  });

  it('completes with the summary of the stored row and the fetch attempts, also in the status', async () => {
    const state = await replay(persisted(), RUN_ID);
    const attempts = [
      { chain: 'rates', provider: 'frankfurter', outcome: 'served' },
      { chain: 'gold', provider: 'goldapi', outcome: 'served' },
    ];
    expect(state.isDone).toBe(true);
    expect(state.output).toEqual({ date: '2025-07-08', ...SAMPLE_SUMMARY, attempts });
    expect(state.customStatus).toEqual({ date: '2025-07-08', stage: 'completed', attempts });
    expect(leafActions(state)).toHaveLength(4);
  });

  it('after a transient failure waits on a durable timer 5 s from the orchestration’s "now", then asks the same provider again', async () => {
    const history = started()
      .nextTurn()
      .completed(0, SERVED_RATES)
      .nextTurn(plus(RUN_START, 2_000))
      .completed(1, goldFailure('transient', 'server error, HTTP 503'));
    const waiting = await replay(history, RUN_ID);
    expect(json(leafActions(waiting).slice(2))).toEqual([
      { actionType: 5, fireAt: plus(RUN_START, 7_000).toISOString(), isCanceled: false },
    ]);
    expect(waiting.customStatus).toMatchObject({
      stage: 'fetching',
      attempts: [
        { chain: 'rates', outcome: 'served' },
        { chain: 'gold', provider: 'goldapi', outcome: 'transient', reason: 'server error, HTTP 503' },
      ],
    });

    history.timerCreated(2, plus(RUN_START, 7_000)).nextTurn(plus(RUN_START, 7_000)).timerFired(2, plus(RUN_START, 7_000));
    expect(leafActions(await replay(history, RUN_ID)).slice(3)).toEqual([
      { actionType: 0, functionName: 'fetchGoldPrice', input: { request: REQUEST, provider: 'goldapi' } },
    ]);

    const state = await replay(history.nextTurn().completed(3, SERVED_GOLD), RUN_ID);
    expect(state.error).toBeUndefined();
    expect(leafActions(state).at(-1)).toMatchObject({ functionName: 'transformRecord' });
  });

  it('waits 5 s, 10 s, 20 s between attempts and fails after the 4th with the provider’s own cause', async () => {
    const failing = goldFailure('transient', 'network error reaching www.goldapi.io: ECONNRESET');
    const { state } = await goldRetries([failing, failing, failing, failing]);
    const actions = leafActions(state);
    const timers = json(actions.filter((a) => a.actionType === 5)).map((a) => String(a.fireAt));
    const waits = timers.map(
      (fireAt, i) => new Date(fireAt).getTime() - new Date(i === 0 ? RUN_START : (timers[i - 1] as string)).getTime(),
    );
    // Each wait counts from the orchestration's "now" when the failure came in: 2 s, then 1 s after the previous timer fired.
    expect(waits).toEqual([2_000 + 5_000, 1_000 + 10_000, 1_000 + 20_000]);
    expect(actions.filter((a) => a.functionName === 'fetchGoldPrice')).toHaveLength(4);
    expect(state.error).toBe('goldapi: network error reaching www.goldapi.io: ECONNRESET (transient) (gave up after 4 attempts)');
    expect(actions.some((a) => a.functionName === 'transformRecord')).toBe(false);
  });

  it('honours a provider’s Retry-After that is longer than the back-off', async () => {
    const history = started()
      .nextTurn()
      .completed(0, SERVED_RATES)
      .nextTurn(plus(RUN_START, 1_000))
      .completed(1, goldFailure('transient', 'rate limited, HTTP 429', 30));
    expect(json(leafActions(await replay(history, RUN_ID)).at(-1))).toEqual({
      actionType: 5,
      fireAt: plus(RUN_START, 31_000).toISOString(),
      isCanceled: false,
    });
  });

  it('fails at once, naming the provider, when a fetch reports a permanent failure', async () => {
    const history = started()
      .nextTurn()
      .completed(1, goldFailure('permanent', 'request refused, HTTP 403: Invalid API Key'))
      .nextTurn()
      .completed(0, SERVED_RATES);
    const state = await replay(history, RUN_ID);
    expect(state.error).toBe('goldapi: request refused, HTTP 403: Invalid API Key (permanent)');
    expect(leafActions(state)).toHaveLength(2);
  });

  it('an activity that crashed in the host (TaskFailed, any text) is permanent: no retry, and no host wrapper lines in the error', async () => {
    const history = started()
      .nextTurn()
      .completed(0, SERVED_RATES)
      .nextTurn()
      .failed(1, 'fetchGoldPrice', 'RangeError: Invalid time value\nsecond line');
    const state = await replay(history, RUN_ID);
    expect(leafActions(state)).toHaveLength(2);
    expect(state.error).toBe(
      "host: fetchGoldPrice crashed in the host: Function 'fetchGoldPrice' failed with an unhandled exception. (permanent)",
    );
    expect(state.error).not.toMatch(/Exception while executing|FunctionInvocationException|Stack/);
  });

  it('a crash after the chain is known names the provider asked', async () => {
    const { history } = await goldRetries([goldFailure('transient', 'server error, HTTP 503')]);
    history.timerCreated(2, plus(RUN_START, 60_000)).nextTurn(plus(RUN_START, 60_000)).timerFired(2, plus(RUN_START, 60_000));
    history.nextTurn().failed(3, 'fetchGoldPrice', 'out of memory');
    const state = await replay(history, RUN_ID);
    expect(leafActions(state).filter((a) => a.functionName === 'fetchGoldPrice')).toHaveLength(2);
    expect(state.error).toBe(
      "goldapi: fetchGoldPrice crashed in the host: Function 'fetchGoldPrice' failed with an unhandled exception. (permanent)",
    );
  });

  it('retries a transient storage failure with the same policy, then fails naming storage', async () => {
    const storageDown = { ok: false, error: { source: 'storage', kind: 'transient', message: 'HTTP 503 ServerBusy' } };
    const history = transformed().nextTurn().completed(3, storageDown);
    let id = 3;
    for (let attempt = 2; attempt <= 4; attempt++) {
      const timer = json(leafActions(await replay(history, RUN_ID)).at(-1)) as { fireAt: string };
      history.timerCreated(++id, new Date(timer.fireAt)).nextTurn(new Date(timer.fireAt)).timerFired(id, new Date(timer.fireAt));
      history.nextTurn().completed(++id, storageDown);
    }
    const state = await replay(history, RUN_ID);
    expect(leafActions(state).filter((a) => a.functionName === 'persistRecord')).toHaveLength(4);
    expect(state.error).toBe('storage: HTTP 503 ServerBusy (transient) (gave up after 4 attempts)');
  });

  it('fails with a clear message when started without a valid date', async () => {
    const state = await replay(started({ day: 'monday' }), 'fxgold-bad');
    expect(state.error).toMatch(/orchestration input must be \{"date":"YYYY-MM-DD"\}/);
    expect(state.actions).toEqual([[]]);
  });

  it('is deterministic: each turn replays the actions of the turns before it, and a finished history replays identically', async () => {
    const turns = [];
    for (const history of [started(), fetched(), transformed(), persisted()]) turns.push(leafActions(await replay(history, RUN_ID)));
    for (let i = 1; i < turns.length; i++) expect(turns[i]?.slice(0, turns[i - 1]?.length)).toEqual(turns[i - 1]);
    const retried = (await goldRetries([goldFailure('transient', 'x'), goldFailure('transient', 'x'), SERVED_GOLD])).history;
    // The wall clock must not matter: "now", and so every timer's fire time, comes from the history only.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2031-01-01T00:00:00Z'));
      const later = await replay(persisted(), RUN_ID);
      const laterRetried = await replay(retried, RUN_ID);
      vi.setSystemTime(new Date('2025-07-08T17:59:00Z'));
      expect(await replay(persisted(), RUN_ID)).toEqual(later);
      expect(await replay(retried, RUN_ID)).toEqual(laterRetried);
      vi.setSystemTime(new Date('2025-07-09T09:00:00Z'));
      expect(leafActions(await replay(started(), RUN_ID))).toEqual(turns[0]);
    } finally {
      vi.useRealTimers();
    }
  });
});

/**
 * Failover inside the retry policy, on the real replay engine: `runToEnd` plays the host, answering every activity
 * through `answering` (a provider's n-th answer), firing each durable timer at its time and stepping the clock 1 s per
 * completion, and logs what the orchestrator asked for, in order: each call with the provider it went to, each timer
 * with how far ahead of the orchestration's "now" it was set.
 */
describe('fxGoldOrchestrator replay: failover chains inside the retry policy', () => {
  type Chains = Record<'rates' | 'gold', readonly string[]>;
  const CHAINS: Chains = { rates: ['frankfurter', 'currencyapi'], gold: ['goldapi', 'currencyapi'] };
  type Outcome = 'served' | { kind: 'transient' | 'permanent'; message: string };
  type Behaviour = Partial<Record<'rates' | 'gold', Partial<Record<string, (n: number) => Outcome>>>>;
  type Logged = string;

  const chainOf = (name: unknown) => (name === 'fetchCurrencyRates' ? 'rates' : 'gold');
  const askedOf = (action: Record<string, unknown>, chains: Chains): string => {
    const input = action.input as { provider?: string };
    return input.provider ?? (chains[chainOf(action.functionName)][0] as string);
  };

  function answering(behaviour: Behaviour, chains: Chains = CHAINS) {
    const counts = new Map<string, number>();
    return (action: Record<string, unknown>): unknown => {
      if (action.functionName === 'transformRecord') return { ok: true, value: SAMPLE_ROW };
      if (action.functionName === 'persistRecord') return { ok: true, value: SAMPLE_SUMMARY };
      const chain = chainOf(action.functionName);
      const provider = askedOf(action, chains);
      const n = (counts.get(`${chain} ${provider}`) ?? 0) + 1;
      counts.set(`${chain} ${provider}`, n);
      const outcome = behaviour[chain]?.[provider]?.(n) ?? 'served';
      const value = chain === 'rates' ? { ...sampleRates(), provider } : { ...sampleGold(), provider };
      return {
        chain: chains[chain],
        result: outcome === 'served' ? { ok: true, value } : { ok: false, error: { source: provider, ...outcome } },
      };
    };
  }

  async function runToEnd(behaviour: Behaviour, chains: Chains = CHAINS) {
    const answer = answering(behaviour, chains);
    let clock = RUN_START;
    const history = started();
    const pending: Array<{ id: number; action: Record<string, unknown> }> = [];
    const log: Logged[] = [];
    let known = 0;
    for (let turn = 0; turn < 200; turn++) {
      const state = await replay(history, RUN_ID);
      if (state.isDone || state.error !== undefined) return { state, log };
      const actions = json(leafActions(state));
      actions.slice(known).forEach((action, i) => {
        const id = known + i;
        if (action.actionType === 5) {
          const fireAt = new Date(action.fireAt as string);
          history.timerCreated(id, fireAt);
          log.push(`timer ${(fireAt.getTime() - clock.getTime()) / 1_000} s`);
        } else {
          history.scheduled(id, String(action.functionName), action.input);
          log.push(
            String(action.functionName).startsWith('fetch')
              ? `${chainOf(action.functionName)} ${askedOf(action, chains)}`
              : String(action.functionName),
          );
        }
        pending.push({ id, action });
      });
      known = actions.length;
      const next = pending.shift();
      if (!next) throw new Error('the orchestration waits on nothing');
      if (next.action.actionType === 5) {
        clock = new Date(next.action.fireAt as string);
        history.nextTurn(clock).timerFired(next.id, clock);
      } else {
        clock = plus(clock, 1_000);
        history.nextTurn(clock).completed(next.id, answer(next.action));
      }
    }
    throw new Error('no end in 200 turns');
  }

  const always = (outcome: Outcome) => () => outcome;
  const transient = (message: string): Outcome => ({ kind: 'transient', message });
  const permanently = (message: string): Outcome => ({ kind: 'permanent', message });
  const countOf = (log: Logged[], entry: string) => log.filter((e) => e === entry).length;

  it('a transient provider is asked exactly 4 times, 5 s → 10 s → 20 s apart, then the next provider once, at once', async () => {
    const { state, log } = await runToEnd({ gold: { goldapi: always(transient('server error, HTTP 503')) } });
    expect(log).toEqual([
      'rates frankfurter',
      'gold goldapi',
      'timer 5 s',
      'gold goldapi',
      'timer 10 s',
      'gold goldapi',
      'timer 20 s',
      'gold goldapi',
      'gold currencyapi',
      'transformRecord',
      'persistRecord',
    ]);
    expect(state.error).toBeUndefined();
    const attempts = [
      { chain: 'rates', provider: 'frankfurter', outcome: 'served' },
      ...Array.from({ length: 4 }, () => ({ chain: 'gold', provider: 'goldapi', outcome: 'transient', reason: 'server error, HTTP 503' })),
      { chain: 'gold', provider: 'currencyapi', outcome: 'served' },
    ];
    expect(state.output).toMatchObject({ attempts });
    expect(state.customStatus).toEqual({ date: '2025-07-08', stage: 'completed', attempts });
  });

  it('a permanent provider is asked once and the next one at once, without a timer', async () => {
    const { state, log } = await runToEnd({ gold: { goldapi: always(permanently('request refused, HTTP 403: Invalid API Key')) } });
    expect(log).toEqual(['rates frankfurter', 'gold goldapi', 'gold currencyapi', 'transformRecord', 'persistRecord']);
    expect(state.output).toMatchObject({
      attempts: [
        { chain: 'rates', provider: 'frankfurter', outcome: 'served' },
        { chain: 'gold', provider: 'goldapi', outcome: 'permanent', reason: 'request refused, HTTP 403: Invalid API Key' },
        { chain: 'gold', provider: 'currencyapi', outcome: 'served' },
      ],
    });
  });

  it('a permanent failure after transient ones hands over at once (no further retry of that provider)', async () => {
    const { log } = await runToEnd({
      gold: { goldapi: (n) => (n < 3 ? transient('rate limited, HTTP 429') : permanently('quota exhausted, HTTP 403')) },
    });
    expect(log).toEqual([
      'rates frankfurter',
      'gold goldapi',
      'timer 5 s',
      'gold goldapi',
      'timer 10 s',
      'gold goldapi',
      'gold currencyapi',
      'transformRecord',
      'persistRecord',
    ]);
  });

  it('both chains failing over side by side: one timer per round, each provider within its 4 attempts, Completed', async () => {
    const { state, log } = await runToEnd({
      rates: { frankfurter: always(permanently('invalid response: no rate for NOK')) },
      gold: { goldapi: always(transient('network error reaching www.goldapi.io: ECONNRESET')) },
    });
    expect(state.error).toBeUndefined();
    expect(countOf(log, 'rates frankfurter')).toBe(1);
    expect(countOf(log, 'rates currencyapi')).toBe(1);
    expect(countOf(log, 'gold goldapi')).toBe(4);
    expect(countOf(log, 'gold currencyapi')).toBe(1);
    expect(log.filter((e) => e.startsWith('timer'))).toEqual(['timer 5 s', 'timer 10 s', 'timer 20 s']);
    expect(log.slice(-2)).toEqual(['transformRecord', 'persistRecord']);
  });

  it('every provider of both chains failing for ever: each asked exactly 4 times, never more; the error names all four', async () => {
    const { state, log } = await runToEnd({
      rates: { frankfurter: always(transient('server error, HTTP 502')), currencyapi: always(transient('every mirror failed: a; b')) },
      gold: { goldapi: always(transient('server error, HTTP 503')), currencyapi: always(transient('every mirror failed: c; d')) },
    });
    for (const entry of ['rates frankfurter', 'rates currencyapi', 'gold goldapi', 'gold currencyapi'])
      expect(countOf(log, entry), entry).toBe(4);
    // The chains move in rounds: each provider pair's three waits, then the next pair's.
    expect(log.filter((e) => e.startsWith('timer'))).toEqual([
      'timer 5 s',
      'timer 10 s',
      'timer 20 s',
      'timer 5 s',
      'timer 10 s',
      'timer 20 s',
    ]);
    expect(log.some((e) => e === 'transformRecord' || e === 'persistRecord')).toBe(false);
    expect(state.error).toBe(
      'frankfurter: server error, HTTP 502 (transient) (gave up after 4 attempts); currencyapi: every mirror failed: a; b (transient) (gave up after 4 attempts); ' +
        'goldapi: server error, HTTP 503 (transient) (gave up after 4 attempts); currencyapi: every mirror failed: c; d (transient) (gave up after 4 attempts)',
    );
  });

  it('an activity crash while asking a known provider is that provider’s permanent failure: the next one is asked at once', async () => {
    const answer = answering({ gold: { goldapi: always(transient('server error, HTTP 503')) } });
    const history = started()
      .nextTurn()
      .completed(0, answer({ functionName: 'fetchCurrencyRates', input: { request: REQUEST } }));
    history.nextTurn(plus(RUN_START, 2_000)).completed(1, answer({ functionName: 'fetchGoldPrice', input: { request: REQUEST } }));
    history.timerCreated(2, plus(RUN_START, 7_000)).nextTurn(plus(RUN_START, 7_000)).timerFired(2, plus(RUN_START, 7_000));
    history.nextTurn(plus(RUN_START, 8_000)).failed(3, 'fetchGoldPrice', 'out of memory');
    const state = await replay(history, RUN_ID);
    expect(json(leafActions(state).slice(3))).toEqual([
      { actionType: 0, functionName: 'fetchGoldPrice', input: { request: REQUEST, provider: 'goldapi' } },
      { actionType: 0, functionName: 'fetchGoldPrice', input: { request: REQUEST, provider: 'currencyapi' } },
    ]);
    expect(state.customStatus).toMatchObject({
      attempts: [
        { chain: 'rates', provider: 'frankfurter', outcome: 'served' },
        { chain: 'gold', provider: 'goldapi', outcome: 'transient' },
        { chain: 'gold', provider: 'goldapi', outcome: 'permanent', reason: expect.stringMatching(/^fetchGoldPrice crashed in the host/) },
      ],
    });
  });

  it('a chain answer naming a provider outside the chain (settings) ends the chain without asking anyone else', async () => {
    const answer = answering({});
    const history = started()
      .nextTurn()
      .completed(0, answer({ functionName: 'fetchCurrencyRates', input: { request: REQUEST } }));
    history.nextTurn().completed(1, {
      chain: [],
      result: { ok: false, error: { source: 'settings', kind: 'permanent', message: 'Invalid settings: GOLDAPI_KEY missing' } },
    });
    const state = await replay(history, RUN_ID);
    expect(leafActions(state)).toHaveLength(2);
    expect(state.error).toBe('settings: Invalid settings: GOLDAPI_KEY missing (permanent)');
  });
});
