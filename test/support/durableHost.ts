import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { invoke, replay, type CapturedLog } from './functionsApp.js';
import { leafActions, OrchestrationHistory } from './orchestrationHistory.js';

/**
 * A test-only stand-in for the Durable extension: it serves the durable client's HTTP API (the routes under
 * `rpcBaseUrl`) and plays the host's part for each instance: run the orchestrator callback, execute the
 * activities it schedules for real, append their results to the history, repeat. Durable timers fire at once: the host
 * does not wait, but the orchestration's clock moves on to the timer's fire time, as it would have. Activities run
 * side by side and their results come back in the order they end (as Task.any needs); continueAsNew starts the next
 * execution of the same instance with a fresh history and the new input.
 */
interface Instance {
  name: string;
  instanceId: string;
  input: unknown;
  createdTime: Date;
  lastUpdatedTime: Date;
  runtimeStatus: 'Pending' | 'Running' | 'Completed' | 'Failed';
  customStatus: unknown;
  output: unknown;
  history?: OrchestrationHistory;
}

type Pending = { kind: 'activity'; id: number; name: string; result: Promise<Outcome> } | { kind: 'timer'; id: number; fireAt: Date };
type Outcome = { ok: true; value: unknown } | { ok: false; message: string };

const ACTIVE = new Set(['Pending', 'Running']);
/** Turns per execution (each continueAsNew starts a new execution). */
const MAX_TURNS = 100;

/** `clock` is the host's wall clock: it stamps history events, which is where orchestrations get their "now". */
export async function startDurableHost(options: { clock?: () => Date } = {}) {
  const clock = options.clock ?? (() => new Date());
  const instances = new Map<string, Instance>();
  const running = new Set<Promise<void>>();
  const startRequests: string[] = [];
  /** The query string of every list request (GET instances/), as the extension received it. */
  const listQueries: string[] = [];
  const activityCalls: string[] = [];
  /** Per activity name: how many calls run now, and the most that ever ran at once. */
  const inFlight = new Map<string, number>();
  const mostInFlight = new Map<string, number>();
  /** Per instance: the number of history events of each execution, in order. */
  const executions = new Map<string, number[]>();
  const logs: CapturedLog[] = [];
  let gate: Promise<void> = Promise.resolve();

  async function runActivity(name: string, input: unknown): Promise<Outcome> {
    activityCalls.push(name);
    const running = (inFlight.get(name) ?? 0) + 1;
    inFlight.set(name, running);
    mostInFlight.set(name, Math.max(running, mostInFlight.get(name) ?? 0));
    try {
      return { ok: true, value: await invoke(name, structuredClone(input), {}, logs) };
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    } finally {
      inFlight.set(name, (inFlight.get(name) ?? 1) - 1);
    }
  }

  async function runOrchestration(instance: Instance): Promise<void> {
    instance.runtimeStatus = 'Running';
    while (await runExecution(instance)) {
      // continueAsNew: the same instance, a new execution over the new input.
    }
  }

  /** One execution; true when it continued as new (instance.input is then the next execution's). */
  async function runExecution(instance: Instance): Promise<boolean> {
    const history = (instance.history = new OrchestrationHistory(instance.name, instance.input, clock()));
    const pending: Pending[] = [];
    let knownActions = 0;
    const sizes = executions.get(instance.instanceId) ?? [];
    executions.set(instance.instanceId, sizes);
    const execution = sizes.push(0) - 1;
    const measure = () => (sizes[execution] = history.events.length);

    for (let turn = 0; turn < MAX_TURNS; turn++) {
      const state = await replay(history, instance.instanceId);
      measure();
      instance.customStatus = state.customStatus ?? null;
      instance.lastUpdatedTime = new Date();
      if (state.error !== undefined) {
        instance.runtimeStatus = 'Failed';
        instance.output = `Orchestrator function '${instance.name}' failed: ${state.error}`;
        return false;
      }
      const continued = leafActions(state).find((action) => action.actionType === 4);
      if (state.isDone && continued) {
        instance.input = continued.input ?? null;
        return true;
      }
      if (state.isDone) {
        instance.runtimeStatus = 'Completed';
        instance.output = state.output ?? null;
        return false;
      }
      // New actions get the next ids in order, as the SDK numbers them (one sequence for activities and timers).
      const actions = leafActions(state);
      actions.slice(knownActions).forEach((action, i) => {
        const id = knownActions + i;
        if (action.actionType === 0) {
          const name = String(action.functionName);
          history.scheduled(id, name, action.input);
          pending.push({ kind: 'activity', id, name, result: runActivity(name, action.input) });
        } else if (action.actionType === 5) {
          const fireAt = new Date(action.fireAt as string | Date);
          history.timerCreated(id, fireAt);
          pending.push({ kind: 'timer', id, fireAt });
        } else {
          throw new Error(`durable test host: unsupported action ${JSON.stringify(action)}`);
        }
      });
      knownActions = actions.length;

      const next = await firstToEnd(pending);
      if (!next) throw new Error(`durable test host: ${instance.instanceId} waits on nothing`);
      if (next.kind === 'timer') {
        const now = clock();
        history.nextTurn(now > next.fireAt ? now : next.fireAt).timerFired(next.id, next.fireAt);
        continue;
      }
      const outcome = await next.result;
      history.nextTurn(clock());
      if (outcome.ok) history.completed(next.id, outcome.value);
      else history.failed(next.id, next.name, outcome.message);
    }
    throw new Error(`durable test host: ${instance.instanceId} did not finish in ${MAX_TURNS} turns`);
  }

  /** A due timer first (timers fire at once), else the activity that ends first; taken out of `pending`. */
  async function firstToEnd(pending: Pending[]): Promise<Pending | undefined> {
    const timer = pending.find((p) => p.kind === 'timer');
    const next =
      timer ??
      (pending.length > 0
        ? await Promise.race(pending.flatMap((p) => (p.kind === 'activity' ? [p.result.then(() => p)] : [])))
        : undefined);
    if (next) pending.splice(pending.indexOf(next), 1);
    return next;
  }

  const statusJson = (i: Instance) => ({
    name: i.name,
    instanceId: i.instanceId,
    createdTime: i.createdTime.toISOString(),
    lastUpdatedTime: i.lastUpdatedTime.toISOString(),
    input: i.input,
    output: i.output,
    runtimeStatus: i.runtimeStatus,
    customStatus: i.customStatus,
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://host');
    const send = (status: number, body?: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(body === undefined ? '' : JSON.stringify(body));
    const start = /^\/durabletask\/orchestrators\/([^/]+)(?:\/([^/]+))?$/.exec(url.pathname);
    if (req.method === 'POST' && start) {
      let text = '';
      for await (const chunk of req) text += chunk;
      const [, name = '', instanceId = `auto-${instances.size}`] = start;
      startRequests.push(instanceId);
      if (ACTIVE.has(instances.get(instanceId)?.runtimeStatus ?? ''))
        return send(409, { message: `instance ${instanceId} already running` });
      const now = new Date();
      const instance: Instance = {
        name,
        instanceId,
        input: text ? JSON.parse(text) : null,
        createdTime: now,
        lastUpdatedTime: now,
        runtimeStatus: 'Pending',
        customStatus: null,
        output: null,
      };
      instances.set(instanceId, instance);
      const run = gate
        .then(() => runOrchestration(instance))
        .catch((error: unknown) => {
          instance.runtimeStatus = 'Failed';
          instance.output = `durable test host error: ${String(error)}`;
        });
      running.add(run);
      void run.finally(() => running.delete(run));
      return send(202, { id: instanceId });
    }
    const one = /^\/durabletask\/instances\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && one) {
      const instance = instances.get(decodeURIComponent(one[1] ?? ''));
      return instance ? send(200, statusJson(instance)) : send(404);
    }
    if (req.method === 'GET' && url.pathname === '/durabletask/instances/') {
      listQueries.push(url.search);
      // As the extension: inputs come unless showInput=false says otherwise.
      const showInput = url.searchParams.get('showInput') !== 'false';
      const from = url.searchParams.get('createdTimeFrom');
      const to = url.searchParams.get('createdTimeTo');
      const statuses = url.searchParams.get('runtimeStatus')?.split(',');
      const matching = [...instances.values()].filter(
        (i) =>
          (!from || i.createdTime >= new Date(from)) &&
          (!to || i.createdTime <= new Date(to)) &&
          (!statuses || statuses.includes(i.runtimeStatus)),
      );
      return send(
        200,
        matching.map((i) => (showInput ? statusJson(i) : { ...statusJson(i), input: null })),
      );
    }
    send(404, { message: `durable test host: no route ${req.method} ${url.pathname}` });
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const webhooks = `${origin}/runtime/webhooks/durabletask`;
  const query = 'taskHub=TestHub&connection=Storage&code=systemkey';

  return {
    instances,
    startRequests,
    listQueries,
    activityCalls,
    mostInFlight,
    executions,
    logs,
    /** The durable client binding's value, as the extension hands it to a client function. */
    clientBinding: {
      taskHubName: 'TestHub',
      creationUrls: {
        createNewInstancePostUri: `${webhooks}/orchestrators/{functionName}[/{instanceId}]?code=systemkey`,
        createAndWaitOnNewInstancePostUri: `${webhooks}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&code=systemkey`,
      },
      managementUrls: {
        id: 'INSTANCEID',
        statusQueryGetUri: `${webhooks}/instances/INSTANCEID?${query}`,
        sendEventPostUri: `${webhooks}/instances/INSTANCEID/raiseEvent/{eventName}?${query}`,
        terminatePostUri: `${webhooks}/instances/INSTANCEID/terminate?reason={text}&${query}`,
        rewindPostUri: `${webhooks}/instances/INSTANCEID/rewind?reason={text}&${query}`,
        purgeHistoryDeleteUri: `${webhooks}/instances/INSTANCEID?${query}`,
        restartPostUri: `${webhooks}/instances/INSTANCEID/restart?${query}`,
        suspendPostUri: `${webhooks}/instances/INSTANCEID/suspend?reason={text}&${query}`,
        resumePostUri: `${webhooks}/instances/INSTANCEID/resume?reason={text}&${query}`,
      },
      baseUrl: `${webhooks}/`,
      requiredQueryStringParameters: 'code=systemkey',
      rpcBaseUrl: `${origin}/durabletask/`,
    },
    /** Keeps started instances Pending until the returned function is called. */
    holdRuns(): () => void {
      let release = () => {};
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        release();
        gate = Promise.resolve();
      };
    },
    /** Resolves when every started orchestration has finished. */
    async idle() {
      while (running.size > 0) await Promise.all([...running]);
    },
    async close() {
      await this.idle();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
export type DurableHost = Awaited<ReturnType<typeof startDurableHost>>;
