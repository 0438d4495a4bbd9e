import { appModule, weekdaysFrom } from '../lib/app.mjs';
import { benchAzurite, freshTableName } from '../lib/azurite.mjs';
import { sampled } from '../lib/figures.mjs';
import { historyRows, storeRows } from '../lib/historyRows.mjs';
import { repeat } from '../lib/stats.mjs';

/** Twenty-five years of business days from 2000-07-03. */
const TWENTY_FIVE_YEARS = 6_523;
const QUERY = 'interval=day&lags=5&window=60';

const fixed = (value, digits = 3) => (value === null ? 'null' : value.toFixed(digits));

export default {
  id: 'analysis-api',
  title: 'Analysis API over 25 years (issue 18)',
  how: [
    `${TWENTY_FIVE_YEARS} business-day rows (25 years, every G10 currency) built by the app's \`toTableRow\` and written by its own store into a fresh table of the bench Azurite; then \`analysisHandler\` over the whole range with \`${QUERY}\` and the default series (nine currencies and DXY): statistics, lead-lag, Granger, matrix, rolling with its band, index.`,
    'Handler time: from the call to the resolved response (the table query included), after one warm-up call.',
  ],
  async run({ quick }) {
    const [functions, { loadReadSettings }, { readDependenciesFrom }, { analysisHandler }] = await Promise.all([
      import('@azure/functions'),
      appModule('src/config/settings.js'),
      appModule('src/reading/readDependencies.js'),
      appModule('src/http/analysisHandler.js'),
    ]);
    const HttpRequest = functions.HttpRequest ?? functions.default.HttpRequest;
    const azurite = await benchAzurite();
    const table = freshTableName('Analysis');
    const dates = await weekdaysFrom('2000-07-03', quick ? 500 : TWENTY_FIVE_YEARS);
    await storeRows(azurite.connectionString, table, await historyRows(dates));
    const settings = loadReadSettings({ FXGOLD_STORAGE_CONNECTION: azurite.connectionString, FXGOLD_TABLE_NAME: table });
    if (!settings.ok) throw new Error(`read settings refused: ${settings.error}`);
    const deps = readDependenciesFrom(settings.value);
    const url = `http://localhost:7071/api/analysis?from=${dates[0]}&to=${dates.at(-1)}&${QUERY}`;

    const measure = async () => {
      const started = performance.now();
      const answer = await analysisHandler(new HttpRequest({ method: 'GET', url }), deps, new Date());
      const handlerMs = performance.now() - started;
      if (answer.status !== 200) throw new Error(`analysis: HTTP ${answer.status} ${JSON.stringify(answer.jsonBody).slice(0, 300)}`);
      return { handlerMs, body: answer.jsonBody };
    };
    const { body } = await measure();
    const rounds = await repeat({ runs: quick ? 3 : 9, minRuns: 3, budgetMs: quick ? Infinity : 30_000 }, measure);
    const series = Object.keys(body.stats);
    if (series.length !== 10) throw new Error(`expected nine currencies and DXY, got ${series.join(',')}`);
    const figures = ['EUR', 'JPY', 'DXY'].map((code) => {
      const s = body.stats[code];
      const lead = s.leadLag.find(({ k }) => k === 1);
      return `${code}: n ${s.n}, r ${fixed(s.r)} [${s.ci95.map((v) => fixed(v)).join(', ')}], p ${s.p.toExponential(1)}, beta ${fixed(s.beta)} ± ${fixed(s.betaSeHac)} (HAC, lag ${s.hacLag}), r(k=+1) ${fixed(lead.r)}, Granger gold→${code} F ${fixed(s.granger.goldToX.F, 2)} p ${fixed(s.granger.goldToX.p)}`;
    });
    return {
      rows: [
        sampled(
          `GET /api/analysis, 25 years × 10 series (${(Buffer.byteLength(JSON.stringify(body)) / 1024).toFixed(0)} KiB): handler`,
          rounds.map((round) => round.handlerMs),
          'ms',
          { text: '≤ 300 ms', limit: 300 },
        ),
      ],
      notes: [`${dates.length} rows, ${dates[0]} .. ${dates.at(-1)}; the seeded series' figures:`, ...figures],
    };
  },
};
