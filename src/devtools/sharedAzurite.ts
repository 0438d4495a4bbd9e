import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { failure, success, type Result } from '../domain/result.js';
import { AZURITE_SERVICES, DEV_PORTS, isAlive, probePort, startSharedAzurite, stopPid, type AzuriteService } from './azurite.js';
import { addLease, dropLease, liveLeases, takeLock, type RunnerFolder } from './runnerLock.js';

/**
 * The one Azurite policy of `npm run once` and `npm start` for `UseDevelopmentStorage=true`:
 * - what listens on a port this command needs must be Azurite (else: refused, naming the port and the setting);
 * - an Azurite already running is used and, unless one of our runners started it, left running;
 * - with all three ports free, Azurite is started with blob, queue and table (what Durable needs), so whatever
 *   one command starts the other can share;
 * - runners share it through leases, and the last runner out stops an Azurite a runner started, whichever runner
 *   that was: the starter leaves it running while others still use it.
 * The coordination folder is per machine and port, not the project's `.azurite/`, because the port is what runners
 * share: a runner in another folder that finds Azurite on 10002 writes to it too and must hold it open as well.
 */
export interface SharedAzuriteRequest {
  /** The services this command uses. */
  readonly needs: readonly AzuriteService[];
  /** Where an Azurite started here keeps its data. */
  readonly location: string;
  /** The settings to change to use other storage, named when a port is taken by something else. */
  readonly settingHint: string;
  readonly say: (line: string) => void;
  /** Aborts waiting for another runner (SIGINT while queued). */
  readonly signal?: AbortSignal;
}

export interface AzuriteLease {
  /** Idempotent: leaves the shared Azurite, stopping it when this was the last runner using one a runner started. */
  release(): Promise<void>;
}

export type SharedAzuriteFailure =
  | { readonly kind: 'port-taken'; readonly message: string }
  | { readonly kind: 'unavailable'; readonly message: string }
  | { readonly kind: 'aborted'; readonly message: string };

export const defaultRunnerFolder = (): string => join(tmpdir(), `fx-gold-azurite-${DEV_PORTS.table}`);

/** Which Azurite a runner started: the last runner out stops it; an Azurite started by anyone else is never stopped. */
const StartedAzurite = z.object({ pid: z.number().int().positive() });
const STARTED = 'azurite.json';

const portName = (service: AzuriteService) => `127.0.0.1:${DEV_PORTS[service]}`;

export async function useSharedAzurite(request: SharedAzuriteRequest): Promise<Result<AzuriteLease, SharedAzuriteFailure>> {
  const folder: RunnerFolder = { dir: defaultRunnerFolder() };
  mkdirSync(folder.dir, { recursive: true });
  const unlock = await takeLock(folder, request.signal);
  if (!unlock) {
    return failure({
      kind: request.signal?.aborted ? 'aborted' : 'unavailable',
      message: `another fx-gold runner held ${join(folder.dir, 'lock')} too long`,
    });
  }
  try {
    forgetDeadAzurite(folder);
    const decision = await decide(request);
    if (!decision.ok) return decision;
    if (decision.value === 'start') {
      request.say(
        `fx-gold: starting Azurite (blob ${DEV_PORTS.blob}, queue ${DEV_PORTS.queue}, table ${DEV_PORTS.table}; data in ${request.location})`,
      );
      mkdirSync(request.location, { recursive: true });
      // Recorded as soon as it exists, so that even if this runner is killed while it starts, the next one stops it.
      const recordStarted = (pid: number) => writeFileSync(join(folder.dir, STARTED), JSON.stringify({ pid }));
      const started = await startSharedAzurite(request.location, join(folder.dir, 'azurite.log'), recordStarted);
      if (started !== undefined) {
        rmSync(join(folder.dir, STARTED), { force: true });
        return failure({ kind: 'unavailable', message: started });
      }
    } else {
      request.say(`fx-gold: using the Azurite already running on ${request.needs.map(portName).join(', ')}`);
    }
    addLease(folder);
    return success({ release: once(() => leave(folder)) });
  } finally {
    unlock();
  }
}

/** Use what runs, start one, or refuse: decided under the lock, so no other runner changes the ports meanwhile. */
async function decide(request: SharedAzuriteRequest): Promise<Result<'use' | 'start', SharedAzuriteFailure>> {
  const states = await Promise.all(
    AZURITE_SERVICES.map(async (service) => ({ service, state: await probePort(DEV_PORTS[service], service) })),
  );
  const needed = states.filter(({ service }) => request.needs.includes(service));
  if (needed.every(({ state }) => state === 'azurite')) return success('use');
  if (states.every(({ state }) => state === 'free')) return success('start');

  // A needed port held by something else is the problem; failing that, anything else blocks starting our own.
  const isForeign = ({ state }: { state: string }) => state === 'other';
  const foreign = needed.some(isForeign) ? needed.filter(isForeign) : states.filter(isForeign);
  if (foreign.length > 0) {
    return failure({
      kind: 'port-taken',
      message:
        `${foreign.map(({ service }) => portName(service)).join(', ')} ${foreign.length > 1 ? 'are' : 'is'} taken by something that is not Azurite ` +
        `(no Azurite ${foreign.map(({ service }) => service).join('/')} service answers there); UseDevelopmentStorage=true needs Azurite on ` +
        `${AZURITE_SERVICES.map(portName).join(', ')}: stop that program, or set ${request.settingHint} to other storage`,
    });
  }
  const missing = needed.filter(({ state }) => state !== 'azurite').map(({ service }) => service);
  return failure({
    kind: 'port-taken',
    message:
      `an Azurite without its ${missing.join(' and ')} service is running (nothing on ${missing.map(portName).join(', ')}); ` +
      `stop it and run again, or start one with all three services (npm run azurite), or set ${request.settingHint} to other storage`,
  });
}

/** An Azurite a runner started that has since died (killed, crashed) is no longer ours to stop. */
function forgetDeadAzurite(folder: RunnerFolder): void {
  const started = readStarted(folder);
  if (started && !isAlive(started.pid)) rmSync(join(folder.dir, STARTED), { force: true });
}

async function leave(folder: RunnerFolder): Promise<void> {
  // Without the lock (a live runner held it past the wait) this runner still leaves, rather than hang on exit.
  const unlock = await takeLock(folder);
  try {
    dropLease(folder);
    if (liveLeases(folder).length > 0) return;
    const started = readStarted(folder);
    if (!started) return;
    await stopPid(started.pid);
    rmSync(join(folder.dir, STARTED), { force: true });
  } finally {
    unlock?.();
  }
}

function readStarted(folder: RunnerFolder): z.infer<typeof StartedAzurite> | undefined {
  try {
    const parsed = StartedAzurite.safeParse(JSON.parse(readFileSync(join(folder.dir, STARTED), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function once(action: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= action());
}
