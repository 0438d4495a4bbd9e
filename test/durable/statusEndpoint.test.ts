import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { StatusAnswerSchema } from '../../src/contract/apiAnswers.js';
import { expectContractAnswer } from '../support/apiAnswers.js';
import { startDurableHost, type DurableHost } from '../support/durableHost.js';
import { startFakeProviders, type FakeProviders } from '../support/fakeProviders.js';
import { invoke, loadFunctionsApp } from '../support/functionsApp.js';
import { storedRow } from '../support/storedRows.js';
import { connectionStore } from '../support/stores.js';

/** GET /api/status as the host would call it: seeded rows in Azurite, daily runs through the test Durable host. */
const GOLD_KEY = 'goldapi-status-secret-5150-io';
const DAY_MS = 86_400_000;
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isWeekday = (ms: number) => ![0, 6].includes(new Date(ms).getUTCDay());
const today = Date.parse(`${dateOf(Date.now())}T00:00:00Z`);
/** Every weekday of the 120 days before today, but two of the last 90 (the ones /api/status must name). */
const weekdays = Array.from({ length: 120 }, (_, i) => today - (120 - i) * DAY_MS).filter(isWeekday);
const missing = [weekdays.at(-20)!, weekdays.at(-3)!].map(dateOf);
const stored = weekdays.map(dateOf).filter((date) => !missing.includes(date));

let fake: FakeProviders;
let host: DurableHost;
beforeAll(async () => {
  fake = await startFakeProviders();
  host = await startDurableHost();
  const table = `FxGoldStatus${process.pid}`;
  Object.assign(process.env, fake.settings(), {
    GOLDAPI_KEY: GOLD_KEY,
    FXGOLD_STORAGE_CONNECTION: inject('azuriteConnectionString'),
    FXGOLD_TABLE_NAME: table,
    FXGOLD_SCHEDULE: '0 0 18 * * 1-5',
  });
  const saved = await connectionStore(inject('azuriteConnectionString'), table).saveBatch(
    stored.map((date, i) => storedRow({ date, gold: 3000 + i, rates: { EUR: 0.85 } })),
  );
  if (!saved.ok) throw new Error(saved.error.message);
  await loadFunctionsApp();
});
afterAll(async () => {
  await host.close();
  await fake.close();
});

const client = () => ({ durableClient: host.clientBinding });
const status = async () =>
  (await invoke('getStatus', new HttpRequest({ method: 'GET', url: 'http://localhost:7071/api/status' }), client())) as HttpResponseInit & {
    jsonBody: Record<string, unknown>;
  };
const runFor = async (date: string) => {
  await invoke(
    'startRun',
    new HttpRequest({ method: 'POST', url: 'http://localhost:7071/api/runs', body: { string: JSON.stringify({ date }) } }),
    client(),
  );
  await host.idle();
};

/** The next weekday 18:00:00 UTC after `ms`, worked out without a cron library. */
function nextWeekdayClose(ms: number): string {
  for (let day = Date.parse(`${dateOf(ms)}T18:00:00Z`); ; day += DAY_MS) if (day > ms && isWeekday(day)) return new Date(day).toISOString();
}

describe('GET /api/status', () => {
  it('the latest row and when it was stored, the weekdays without a row, the daily runs (reasons scrubbed), the next run, the currencies', async () => {
    await runFor('2025-07-08');
    fake.answer('goldapi', { status: 403, json: { error: `Invalid API Key ${GOLD_KEY}` } });
    await runFor('2025-07-14');

    const before = Date.now();
    const answer = await status();
    expect(answer.status).toBe(200);
    const latest = stored.at(-1)!;
    expect(answer.jsonBody).toEqual({
      latest: { date: latest, ingestedAt: `${latest}T18:00:15.000Z` },
      missingDays: { count: 2, dates: missing },
      runs: [
        { date: '2025-07-14', status: 'Failed', reason: expect.stringMatching(/goldapi: request refused, HTTP 403: Invalid API Key/) },
        { date: '2025-07-08', status: 'Completed', reason: null },
      ],
      nextRun: expect.any(String),
      currencies: ['EUR', 'JPY', 'GBP', 'CHF', 'CAD', 'AUD', 'NZD', 'SEK', 'NOK'],
      // Both runs asked goldapi once (the refused request counts too), against the default quota of 100.
      goldUsage: {
        month: new Date(before).toISOString().slice(0, 7),
        provider: 'goldapi',
        used: 2,
        reserved: 0,
        monthlyQuota: 100,
        left: 98,
      },
    });
    expect([nextWeekdayClose(before), nextWeekdayClose(Date.now())]).toContain((answer.jsonBody as { nextRun: string }).nextRun);
    expect(JSON.stringify(answer.jsonBody)).not.toContain(GOLD_KEY);
    expectContractAnswer(StatusAnswerSchema, answer.jsonBody); // what the dashboard checks
  });
});
