import { appModule, weekdaysFrom } from '../lib/app.mjs';
import { benchAzurite, freshTableName } from '../lib/azurite.mjs';
import { sampled, single } from '../lib/figures.mjs';
import { historyRows, storeRows } from '../lib/historyRows.mjs';
import { pairedRatios, repeat } from '../lib/stats.mjs';

/** Ten years of business days, 2015-07-06 .. 2025-07-04. */
const TEN_YEARS = 2_610;

export default {
  id: 'read-api',
  title: 'Read API over 10 years (issue 10)',
  how: [
    `${TEN_YEARS} business-day rows (10 years) built by the app's \`toTableRow\` and written by its own store (\`saveBatch\`) into a fresh table of the bench Azurite; then \`ratesHandler\` (JSON, and \`format=csv\`) and \`analysisHandler\` (default window 60) from dist/src/http/, with \`readDependenciesFrom(loadReadSettings(env))\`, called in this process over the whole range, in turn in every round, after one warm-up call each.`,
    'Handler time: from the call to the resolved response (the table query and the answer built). The JSON answers are serialized afterwards by the worker; that `JSON.stringify` is shown on its own line.',
    "Warm cache against a fresh scan (issue 19): the same `ratesHandler` JSON call with `rows` swapped for `tableRowReader` over its own client (today-before-the-cache: every page of the range from the table), in the same round, side by side; the ratio is of each round's pair. Each cached call checks the partition's watermark (one point read) and serves the rows from memory. gzip: `negotiatedRead(ratesHandler)` asked with `Accept-Encoding: gzip`, bytes against the identity JSON.",
  ],
  async run({ quick }) {
    const [
      functions,
      { loadReadSettings },
      { readDependenciesFrom },
      { ratesHandler },
      { analysisHandler },
      { negotiatedRead },
      { tableRowReader },
      { tableClientFor },
    ] = await Promise.all([
      import('@azure/functions'),
      appModule('src/config/settings.js'),
      appModule('src/reading/readDependencies.js'),
      appModule('src/http/ratesHandler.js'),
      appModule('src/http/analysisHandler.js'),
      appModule('src/http/negotiatedRead.js'),
      appModule('src/storage/fxGoldRowReader.js'),
      appModule('src/storage/tableClient.js'),
    ]);
    // A CommonJS package: its exports arrive as the default export.
    const HttpRequest = functions.HttpRequest ?? functions.default.HttpRequest;
    const azurite = await benchAzurite();
    const table = freshTableName('Read');
    const dates = await weekdaysFrom('2015-07-06', quick ? 250 : TEN_YEARS);
    const seeded = await storeRows(azurite.connectionString, table, await historyRows(dates));

    const settings = loadReadSettings({ FXGOLD_STORAGE_CONNECTION: azurite.connectionString, FXGOLD_TABLE_NAME: table });
    if (!settings.ok) throw new Error(`read settings refused: ${settings.error}`);
    const deps = readDependenciesFrom(settings.value);
    const range = `from=${dates[0]}&to=${dates.at(-1)}`;
    const freshClient = tableClientFor({ kind: 'connectionString', connectionString: azurite.connectionString }, table, () => {
      throw new Error('a connection string needs no credential');
    });
    const freshDeps = { ...deps, rows: tableRowReader(freshClient) };
    const gzipRates = negotiatedRead(ratesHandler);
    const calls = {
      json: () => ratesHandler(new HttpRequest({ method: 'GET', url: `http://localhost:7071/api/rates?${range}` }), deps, new Date()),
      fresh: () => ratesHandler(new HttpRequest({ method: 'GET', url: `http://localhost:7071/api/rates?${range}` }), freshDeps, new Date()),
      gzip: () =>
        gzipRates(
          new HttpRequest({ method: 'GET', url: `http://localhost:7071/api/rates?${range}`, headers: { 'accept-encoding': 'gzip' } }),
          deps,
          new Date(),
        ),
      csv: () =>
        ratesHandler(new HttpRequest({ method: 'GET', url: `http://localhost:7071/api/rates?${range}&format=csv` }), deps, new Date()),
      analysis: () =>
        analysisHandler(new HttpRequest({ method: 'GET', url: `http://localhost:7071/api/analysis?${range}` }), deps, new Date()),
    };

    /** One timed call, checked: a 200 carrying every row (or the analysis of them). */
    const measure = async (kind) => {
      const started = performance.now();
      const answer = await calls[kind]();
      const handlerMs = performance.now() - started;
      if (answer.status !== 200)
        throw new Error(`${kind}: HTTP ${answer.status} ${JSON.stringify(answer.jsonBody ?? answer.body).slice(0, 300)}`);
      const serializeStart = performance.now();
      const body =
        answer.jsonBody !== undefined
          ? JSON.stringify(answer.jsonBody)
          : answer.body instanceof Uint8Array
            ? answer.body
            : String(answer.body);
      const serializeMs = answer.jsonBody === undefined ? 0 : performance.now() - serializeStart;
      if ((kind === 'json' || kind === 'fresh') && answer.jsonBody.count !== dates.length)
        throw new Error(`rates answered ${answer.jsonBody.count} rows, ${dates.length} stored`);
      if (kind === 'csv' && body.trimEnd().split('\n').length !== dates.length + 1)
        throw new Error(`the CSV has ${body.trimEnd().split('\n').length - 1} lines for ${dates.length} rows`);
      return { handlerMs, serializeMs, bytes: Buffer.byteLength(body) };
    };

    const firstCall = await measure('json');
    await measure('csv');
    await measure('analysis');
    await measure('fresh');
    await measure('gzip');
    const rounds = await repeat({ runs: quick ? 3 : 11, minRuns: 3, budgetMs: quick ? Infinity : 25_000 }, async () => ({
      json: await measure('json'),
      fresh: await measure('fresh'),
      gzip: await measure('gzip'),
      csv: await measure('csv'),
      analysis: await measure('analysis'),
    }));
    const of = (kind, key) => rounds.map((r) => r[kind][key]);
    const kib = (kind) => `${(rounds[0][kind].bytes / 1024).toFixed(0)} KiB`;
    const rows = [
      sampled(`GET /api/rates JSON (${kib('json')}): handler`, of('json', 'handlerMs'), 'ms', { text: '≤ 150 ms', limit: 150 }),
      sampled(`GET /api/rates CSV (${kib('csv')}): handler`, of('csv', 'handlerMs'), 'ms', { text: '≤ 150 ms', limit: 150 }),
      sampled(`GET /api/analysis (${kib('analysis')}): handler`, of('analysis', 'handlerMs'), 'ms', { text: '≤ 250 ms', limit: 250 }),
      sampled('GET /api/rates JSON: fresh scan of the table (no cache)', of('fresh', 'handlerMs'), 'ms'),
      sampled('warm cache ÷ fresh scan, JSON, same round', pairedRatios(of('json', 'handlerMs'), of('fresh', 'handlerMs')), 'ratio', {
        text: '≤ 0.2×',
        limit: 0.2,
      }),
      sampled('GET /api/rates JSON gzip (handler, compression included)', of('gzip', 'handlerMs'), 'ms'),
      single('gzip bytes ÷ identity bytes', rounds[0].gzip.bytes / rounds[0].json.bytes, 'ratio', { text: '≤ 0.25×', limit: 0.25 }),
      sampled('rates JSON answer: JSON.stringify', of('json', 'serializeMs'), 'ms'),
      sampled('analysis answer: JSON.stringify', of('analysis', 'serializeMs'), 'ms'),
      single('first rates JSON call (new connection)', firstCall.handlerMs, 'ms'),
      single(`seeding ${dates.length} rows (${seeded.how}; not a target)`, seeded.ms, 'ms'),
    ];
    return { rows, notes: [`${dates.length} rows, ${dates[0]} .. ${dates.at(-1)}.`] };
  },
};
