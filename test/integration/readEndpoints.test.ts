import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { beforeAll, describe, expect, it } from 'vitest';
import { invoke, loadFunctionsApp, type CapturedLog } from '../support/functionsApp.js';
import { freshReadTable, storedRow, weekdaysFrom } from '../support/storedRows.js';

/** The registered getRates and getAnalysis, called as the host calls them, with the settings in process.env. */
beforeAll(() => loadFunctionsApp());

const call = async (name: string, url: string) => {
  const logs: CapturedLog[] = [];
  const answer = (await invoke(name, new HttpRequest({ method: 'GET', url }), {}, logs)) as HttpResponseInit;
  return { answer, logs };
};

describe('the registered read endpoints', () => {
  it('without usable storage settings: a JSON 500 with a correlation id, the cause logged once; then, settings fixed, they answer', async () => {
    for (const name of Object.keys(process.env))
      if (name.startsWith('FXGOLD_') || name === 'AzureWebJobsStorage' || name.endsWith('_KEY')) delete process.env[name];
    const { answer, logs } = await call('getRates', 'http://localhost:7071/api/rates');
    expect(answer.status).toBe(500);
    const { correlationId } = answer.jsonBody as { correlationId: string };
    expect(answer.jsonBody).toEqual({ error: 'internal error', correlationId });
    expect(logs).toHaveLength(1);
    expect(logs[0]!.message).toContain(`internal error ${correlationId}: SettingsError: Invalid settings`);

    // Storage settings only: no GOLDAPI_KEY nor any provider setting is needed to read.
    const table = freshReadTable('ReadRegistered');
    const dates = weekdaysFrom('2025-06-02', 5);
    await table.save(dates.map((date, i) => storedRow({ date, gold: 3300 + 10 * i * i, rates: { EUR: 0.9 - i / 100, JPY: 145 + i } })));
    Object.assign(process.env, table.env);
    const rates = await call('getRates', 'http://localhost:7071/api/rates?from=2025-06-02&to=2025-06-06');
    expect(rates.answer.status).toBe(200);
    expect((rates.answer.jsonBody as { count: number }).count).toBe(5);
    const analysis = await call('getAnalysis', 'http://localhost:7071/api/analysis?from=2025-06-02&to=2025-06-06&currencies=EUR');
    expect(analysis.answer.status).toBe(200);
    expect(analysis.answer.jsonBody).toMatchObject({ from: '2025-06-02', to: '2025-06-06', observations: 4, excludedPairs: 0 });
  });
});
