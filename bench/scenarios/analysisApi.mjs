import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { appModule, ROOT, weekdaysFrom } from '../lib/app.mjs';
import { benchAzurite, freshTableName } from '../lib/azurite.mjs';
import { sampled, single } from '../lib/figures.mjs';
import { historyRows, storeRows } from '../lib/historyRows.mjs';
import { repeat } from '../lib/stats.mjs';

/** Twenty-five years of business days from 2000-07-03. */
const TWENTY_FIVE_YEARS = 6_523;
/** Weekdays in 30 years, the range cap: what the cache's memory is stated for. */
const THIRTY_YEARS = 7_830;
const QUERY = 'interval=day&lags=5&window=60';
const CONCURRENT = 20;
const CACHE_HEAP = fileURLToPath(new URL('../child/cacheHeap.mjs', import.meta.url));

const fixed = (value, digits = 3) => (value === null ? 'null' : value.toFixed(digits));
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1];

export default {
  id: 'analysis-api',
  title: 'Reads over 25 years (issues 18 and 19)',
  how: [
    `${TWENTY_FIVE_YEARS} business-day rows (25 years, every G10 currency) built by the app's \`toTableRow\` and written by its own store into a fresh table of the bench Azurite. Handlers from dist/src/http/ with \`readDependenciesFrom(loadReadSettings(env))\` (the cached read model), in this process, after one warm-up call each; handler time is from the call to the resolved response.`,
    `\`analysisHandler\` over the whole range with \`${QUERY}\` and the default series (nine currencies and DXY): statistics, lead-lag, Granger, matrix, rolling with its band, index. \`ratesHandler\` JSON over the whole range, one at a time, then ${CONCURRENT} at once (each round's p95 of the ${CONCURRENT} latencies; every answer must be a 200 with every row).`,
    'Cache heap: a child process (`bench/child/cacheHeap.mjs`, `node --expose-gc`) loads the partition into a new read model; heap used after a forced GC, less the same before. The 30-year figure scales it by rows.',
  ],
  async run({ quick }) {
    const [functions, { loadReadSettings }, { readDependenciesFrom }, { analysisHandler }, { ratesHandler }] = await Promise.all([
      import('@azure/functions'),
      appModule('src/config/settings.js'),
      appModule('src/reading/readDependencies.js'),
      appModule('src/http/analysisHandler.js'),
      appModule('src/http/ratesHandler.js'),
    ]);
    const HttpRequest = functions.HttpRequest ?? functions.default.HttpRequest;
    const azurite = await benchAzurite();
    const table = freshTableName('Analysis');
    const dates = await weekdaysFrom('2000-07-03', quick ? 500 : TWENTY_FIVE_YEARS);
    await storeRows(azurite.connectionString, table, await historyRows(dates));
    const settings = loadReadSettings({ FXGOLD_STORAGE_CONNECTION: azurite.connectionString, FXGOLD_TABLE_NAME: table });
    if (!settings.ok) throw new Error(`read settings refused: ${settings.error}`);
    const deps = readDependenciesFrom(settings.value);
    const range = `from=${dates[0]}&to=${dates.at(-1)}`;

    const timed = async (kind, handler, url) => {
      const started = performance.now();
      const answer = await handler(new HttpRequest({ method: 'GET', url }), deps, new Date());
      const handlerMs = performance.now() - started;
      if (answer.status !== 200) throw new Error(`${kind}: HTTP ${answer.status} ${JSON.stringify(answer.jsonBody).slice(0, 300)}`);
      if (kind === 'rates' && answer.jsonBody.count !== dates.length)
        throw new Error(`rates answered ${answer.jsonBody.count} rows, ${dates.length} stored`);
      return { handlerMs, body: answer.jsonBody };
    };
    const analysis = () => timed('analysis', analysisHandler, `http://localhost:7071/api/analysis?${range}&${QUERY}`);
    const rates = () => timed('rates', ratesHandler, `http://localhost:7071/api/rates?${range}`);

    const { body } = await analysis();
    await rates();
    const rounds = await repeat({ runs: quick ? 3 : 9, minRuns: 3, budgetMs: quick ? Infinity : 30_000 }, async () => ({
      analysis: (await analysis()).handlerMs,
      rates: (await rates()).handlerMs,
      concurrentP95: percentile(
        (await Promise.all(Array.from({ length: CONCURRENT }, () => rates()))).map((answer) => answer.handlerMs),
        95,
      ),
    }));
    const heap = JSON.parse(
      execFileSync(process.execPath, ['--expose-gc', CACHE_HEAP, ROOT, azurite.connectionString, table], { encoding: 'utf8' }),
    );
    if (heap.rows !== dates.length) throw new Error(`the cache child read ${heap.rows} rows, ${dates.length} stored`);
    const heapMiB = heap.bytes / 1024 / 1024;

    const series = Object.keys(body.stats);
    if (series.length !== 10) throw new Error(`expected nine currencies and DXY, got ${series.join(',')}`);
    const figures = ['EUR', 'JPY', 'DXY'].map((code) => {
      const s = body.stats[code];
      const lead = s.leadLag.find(({ k }) => k === 1);
      return `${code}: n ${s.n}, r ${fixed(s.r)} [${s.ci95.map((v) => fixed(v)).join(', ')}], p ${s.p.toExponential(1)}, beta ${fixed(s.beta)} ± ${fixed(s.betaSeHac)} (HAC, lag ${s.hacLag}), r(k=+1) ${fixed(lead.r)}, Granger gold→${code} F ${fixed(s.granger.goldToX.F, 2)} p ${fixed(s.granger.goldToX.p)}`;
    });
    const of = (key) => rounds.map((round) => round[key]);
    return {
      rows: [
        sampled(
          `GET /api/analysis, 25 years × 10 series (${(Buffer.byteLength(JSON.stringify(body)) / 1024).toFixed(0)} KiB): handler`,
          of('analysis'),
          'ms',
          { text: '≤ 300 ms', limit: 300 },
        ),
        sampled('GET /api/rates JSON, 25 years, warm cache: handler', of('rates'), 'ms', { text: '≤ 100 ms', limit: 100 }),
        sampled(`${CONCURRENT} concurrent 25-year GET /api/rates: p95 of each round (all 200)`, of('concurrentP95'), 'ms', {
          text: '≤ 1 s',
          limit: 1_000,
        }),
        single(`cache heap used, ${dates.length} rows`, heapMiB, 'MiB', { text: '≤ 60 MiB', limit: 60 }),
        single(`cache heap used, scaled to 30 years (${THIRTY_YEARS} rows)`, (heapMiB * THIRTY_YEARS) / dates.length, 'MiB'),
      ],
      notes: [
        `${dates.length} rows, ${dates[0]} .. ${dates.at(-1)}; ${(heap.bytes / dates.length).toFixed(0)} bytes of heap per cached row. The seeded series' figures:`,
        ...figures,
      ],
    };
  },
};
