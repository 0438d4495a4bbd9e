import { createServer } from 'node:http';
import { appModule } from '../lib/app.mjs';
import { sampled } from '../lib/figures.mjs';
import { pairedRatios, repeat } from '../lib/stats.mjs';

/** What issue 16 found: eight runs started with a 7.5 MB `acceptQuality` each, created after the window's start. */
const RUNS = 8;
const BIG_INPUT = { date: '2025-07-07', acceptQuality: Array.from({ length: 500_000 }, () => 'plausibility') };

/**
 * The Durable extension's list endpoint as the durable client calls it (`GET <rpcBaseUrl>instances/`): every instance
 * created since `createdTimeFrom`, each with its input unless `showInput=false` (as the extension does).
 */
async function startListEndpoint() {
  const created = new Date('2025-07-07T18:00:00Z');
  const status = (i, showInput) => ({
    name: 'fxGoldOrchestrator',
    instanceId: `fxgold-2025-07-${String(7 + i).padStart(2, '0')}`,
    createdTime: created.toISOString(),
    lastUpdatedTime: created.toISOString(),
    input: showInput ? BIG_INPUT : null,
    output: null,
    runtimeStatus: 'Completed',
    customStatus: null,
  });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    if (req.method !== 'GET' || url.pathname !== '/durabletask/instances/') return res.writeHead(404).end();
    const showInput = url.searchParams.get('showInput') !== 'false';
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(Array.from({ length: RUNS }, (_, i) => status(i, showInput))));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

export default {
  id: 'list-runs',
  title: 'GET /api/runs for a window with no match (issue 16)',
  how: [
    `\`listRunsHandler\` from dist/src/http/ with a real durable-functions client (\`df.getClient\` over a durable client binding) whose extension is a loopback server answering the list request with ${RUNS} instances created after the window's start, each with a 7.5 MB input (500,000 \`"plausibility"\`) unless asked \`showInput=false\`, as the extension does. Window 2025-01-01 .. 2025-01-31: no run matches.`,
    'Beside it in each round, the same client listing as before the fix (`getStatusBy({ createdTimeFrom })`, inputs included), the ratio of each pair.',
  ],
  async run({ quick }) {
    const [functions, df, { listRunsHandler }] = await Promise.all([
      import('@azure/functions'),
      import('durable-functions'),
      appModule('src/http/listRunsHandler.js'),
    ]);
    const { HttpRequest, InvocationContext } = functions.HttpRequest ? functions : functions.default;
    const endpoint = await startListEndpoint();
    try {
      const input = df.input.durableClient();
      const context = new InvocationContext({
        functionName: 'bench',
        invocationId: 'bench',
        options: { trigger: { type: 'httpTrigger', name: 'req' }, extraInputs: [input], extraOutputs: [] },
      });
      const webhooks = `${endpoint.origin}/runtime/webhooks/durabletask`;
      context.extraInputs.set(input, {
        taskHubName: 'BenchHub',
        creationUrls: { createNewInstancePostUri: `${webhooks}/orchestrators/{functionName}`, createAndWaitOnNewInstancePostUri: '' },
        managementUrls: { id: 'INSTANCEID', statusQueryGetUri: `${webhooks}/instances/INSTANCEID` },
        baseUrl: `${webhooks}/`,
        requiredQueryStringParameters: '',
        rpcBaseUrl: `${endpoint.origin}/durabletask/`,
      });
      const client = df.getClient(context);
      const request = () => new HttpRequest({ method: 'GET', url: 'http://localhost:7071/api/runs?from=2025-01-01&to=2025-01-31' });
      const listed = async () => {
        const started = performance.now();
        const answer = await listRunsHandler(request(), client, [], new Date('2025-12-01T12:00:00Z'));
        if (answer.status !== 200 || answer.jsonBody.count !== 0)
          throw new Error(`listRuns: ${answer.status} ${JSON.stringify(answer.jsonBody)}`);
        return performance.now() - started;
      };
      const withInputs = async () => {
        const started = performance.now();
        const statuses = await client.getStatusBy({ createdTimeFrom: new Date('2025-01-01T00:00:00Z') });
        if (statuses.length !== RUNS) throw new Error(`the old listing got ${statuses.length} instances`);
        return performance.now() - started;
      };
      await listed();
      await withInputs();
      const rounds = await repeat({ runs: quick ? 2 : 9, minRuns: 2, budgetMs: quick ? Infinity : 30_000 }, async () => ({
        listed: await listed(),
        withInputs: await withInputs(),
      }));
      const of = (key) => rounds.map((round) => round[key]);
      return {
        rows: [
          sampled('GET /api/runs, empty window: handler', of('listed'), 'ms', { text: '≤ 200 ms', limit: 200 }),
          sampled(`the same listing with inputs (before the fix, ${RUNS} × 7.5 MB)`, of('withInputs'), 'ms'),
          sampled('listing with inputs ÷ handler, same round', pairedRatios(of('withInputs'), of('listed')), 'ratio'),
        ],
      };
    } finally {
      await endpoint.close();
    }
  },
};
