import { beforeAll, describe, expect, it } from 'vitest';
import { parseRunEvent, RUN_EVENT_NAME } from '../../src/orchestration/runEvents.js';
import { loadFunctionsApp, replay, type CapturedLog } from '../support/functionsApp.js';
import { OrchestrationHistory } from '../support/orchestrationHistory.js';
import { RUN_ID, RUN_START, SAMPLE_ROW, SAMPLE_SUMMARY, SERVED_GOLD, SERVED_RATES } from '../support/runAnswers.js';

/**
 * The run event the alert rule reads (src/orchestration/runEvents.ts), as the registered orchestrator logs it through
 * its context when driven by the real durable-functions replay engine.
 */
const failed = (provider: string, message: string) => ({ ok: false, error: { source: provider, kind: 'permanent', message } });

// Credential-looking values that a failure text should never carry this far (the activities scrub the secrets they
// know); the orchestrator knows none, so it masks anything shaped like one.
const LEAKS = ['erh-access-key-98765', 'c2VjcmV0LWFjY291bnQta2V5', 'eyJhbGciOiJIUzI1NiJ9.tok'];
const LEAKY_MESSAGE = `request refused, HTTP 403 from https://api.exchangerate.host/live?access_key=${LEAKS[0]}&source=USD; AccountKey=${LEAKS[1]}; Authorization: Bearer ${LEAKS[2]}`;

beforeAll(loadFunctionsApp);

const started = (input: unknown = { date: '2025-07-08' }) => new OrchestrationHistory('fxGoldOrchestrator', input, RUN_START);
const fetched = () => started().nextTurn().completed(0, SERVED_RATES).nextTurn().completed(1, SERVED_GOLD);
const transformed = () => fetched().nextTurn().completed(2, { ok: true, value: SAMPLE_ROW });
const persisted = () => transformed().nextTurn().completed(3, { ok: true, value: SAMPLE_SUMMARY });

async function runEvents(history: OrchestrationHistory, instanceId = RUN_ID) {
  const logs: CapturedLog[] = [];
  const state = await replay(history, instanceId, logs);
  const events = logs
    .filter((log) => log.message.startsWith(RUN_EVENT_NAME))
    .map((log) => ({ level: log.level, event: parseRunEvent(log.message) }));
  return { state, logs, events };
}

describe('the run event the alert reads', () => {
  it('a completed run logs one event: date, stage, the providers that served, no cause; exactly these fields', async () => {
    const { state, events } = await runEvents(persisted());
    expect(state.isDone).toBe(true);
    expect(events).toEqual([
      {
        level: 'information',
        event: {
          outcome: 'completed',
          instanceId: RUN_ID,
          date: '2025-07-08',
          stage: 'completed',
          provider: 'frankfurter,goldapi',
          cause: null,
        },
      },
    ]);
  });

  it('nothing is logged while a run is still going', async () => {
    for (const history of [started(), fetched(), transformed()]) expect((await runEvents(history)).events).toEqual([]);
  });

  it('a run failing while fetching logs the stage, the failing provider and the cause, as an error', async () => {
    const history = started()
      .nextTurn()
      .completed(0, SERVED_RATES)
      .nextTurn()
      .completed(1, { chain: ['goldapi'], result: failed('goldapi', 'request refused, HTTP 403: Invalid API Key') });
    const { state, events } = await runEvents(history);
    expect(state.error).toBe('goldapi: request refused, HTTP 403: Invalid API Key (permanent)');
    expect(events).toEqual([
      {
        level: 'error',
        event: { outcome: 'failed', instanceId: RUN_ID, date: '2025-07-08', stage: 'fetching', provider: 'goldapi', cause: state.error },
      },
    ]);
  });

  it('a failover chain that ran out names every provider that failed', async () => {
    const chain = ['goldapi', 'currencyapi'];
    const history = started()
      .nextTurn()
      .completed(0, SERVED_RATES)
      .nextTurn()
      .completed(1, { chain, result: failed('goldapi', 'request refused, HTTP 403') });
    history.nextTurn().completed(2, { chain, result: failed('currencyapi', 'no data for 2025-07-08, HTTP 404') });
    const { events } = await runEvents(history);
    expect(events.map((e) => e.event)).toMatchObject([{ outcome: 'failed', stage: 'fetching', provider: 'goldapi,currencyapi' }]);
  });

  it('a run failing on the table names the persisting stage and storage', async () => {
    const history = transformed().nextTurn().completed(3, failed('storage', 'HTTP 403 AuthorizationPermissionMismatch'));
    const { events } = await runEvents(history);
    expect(events.map((e) => e.event)).toEqual([
      {
        outcome: 'failed',
        instanceId: RUN_ID,
        date: '2025-07-08',
        stage: 'persisting',
        provider: 'storage',
        cause: 'storage: HTTP 403 AuthorizationPermissionMismatch (permanent)',
      },
    ]);
  });

  it('a run whose input is unreadable still logs a failure (stage "starting", no date)', async () => {
    const { events } = await runEvents(started({ day: 'monday' }), 'fxgold-bad');
    expect(events.map((e) => e.event)).toMatchObject([
      { outcome: 'failed', instanceId: 'fxgold-bad', date: null, stage: 'starting', provider: '' },
    ]);
  });

  it('carries no secret: credential-looking values in a failure text are masked, in the event and in every line logged', async () => {
    const history = started()
      .nextTurn()
      .completed(0, { chain: ['exchangeratehost'], result: failed('exchangeratehost', LEAKY_MESSAGE) })
      .nextTurn()
      .completed(1, SERVED_GOLD);
    const { logs, events } = await runEvents(history);
    const cause = events[0]?.event?.cause ?? '';
    expect(cause).toContain('access_key=***&source=USD');
    expect(cause).toContain('AccountKey=***');
    expect(cause).toContain('Bearer ***');
    for (const leak of LEAKS) expect(JSON.stringify(logs)).not.toContain(leak);
  });

  it('a cause is one line of at most 300 characters', async () => {
    const history = started()
      .nextTurn()
      .completed(0, SERVED_RATES)
      .nextTurn()
      .completed(1, { chain: ['goldapi'], result: failed('goldapi', `bad\nline\u001b[31m ${'x'.repeat(500)}`) });
    const cause = (await runEvents(history)).events[0]?.event?.cause ?? '';
    // eslint-disable-next-line no-control-regex -- on purpose: the message must carry no control characters
    expect(cause).not.toMatch(/[\n\u001b]/);
    expect(cause.length).toBeLessThanOrEqual(300);
  });

  it('is logged on the live turn only: a finished history replayed again logs nothing', async () => {
    // An OrchestratorStarted after the last event makes every event a replayed one (isReplaying stays true).
    expect((await runEvents(persisted().nextTurn())).events).toEqual([]);
  });
});
