import { linkSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, sleep } from './azurite.js';

/**
 * File-based coordination between fx-gold runners on one machine, in one folder:
 * - `lock`: a mutex held while a runner decides about Azurite and starts or stops it, so two runners that find the
 *   ports free at the same moment cannot both start one, and the last one out cannot stop it while another joins;
 * - `runner-<pid>.lease`: one per runner using the shared Azurite; a lease whose pid is dead is ignored and removed.
 * Pids, not timestamps, say what is stale: a runner killed with SIGKILL leaves files behind that the next one clears.
 */
export interface RunnerFolder {
  readonly dir: string;
}

const LOCK = 'lock';
const leaseFile = (pid: number) => `runner-${pid}.lease`;
const LEASE = /^runner-(\d+)\.lease$/;

const pidIn = (file: string): number | undefined => {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Takes the mutex (the lock file holding our pid, created atomically by hard-linking a complete file so no one
 * ever reads it half-written), waiting while a live runner holds it. Resolves with a release function, or with
 * undefined when `signal` aborts the wait or `timeoutMs` passes.
 */
export async function takeLock(folder: RunnerFolder, signal?: AbortSignal, timeoutMs = 120_000): Promise<(() => void) | undefined> {
  const lock = join(folder.dir, LOCK);
  const mine = join(folder.dir, `${LOCK}.${process.pid}`);
  writeFileSync(mine, String(process.pid));
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        linkSync(mine, lock);
        return () => rmSync(lock, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      clearIfStale(lock);
      if (signal?.aborted || Date.now() > deadline) return undefined;
      await sleep(50);
    }
  } finally {
    rmSync(mine, { force: true });
  }
}

/**
 * Removes a lock left by a dead runner. It is moved aside first (rename is atomic) and checked again, so that of
 * two runners clearing the same stale lock, the slower cannot delete the fresh lock the faster one just took.
 */
function clearIfStale(lock: string): void {
  const holder = pidIn(lock);
  if (holder === undefined || isAlive(holder)) return; // gone already, or held by a live runner
  const aside = `${lock}.stale.${process.pid}`;
  try {
    renameSync(lock, aside);
  } catch {
    return; // someone else cleared it
  }
  if (pidIn(aside) !== holder) {
    // We moved a fresh lock taken meanwhile: put it back (fails only if a third runner took the free slot).
    try {
      linkSync(aside, lock);
    } catch {
      // the slot is taken again either way
    }
  }
  rmSync(aside, { force: true });
}

/** Records this runner as a user of the shared Azurite. */
export const addLease = (folder: RunnerFolder): void => writeFileSync(join(folder.dir, leaseFile(process.pid)), String(process.pid));

export const dropLease = (folder: RunnerFolder): void => rmSync(join(folder.dir, leaseFile(process.pid)), { force: true });

/** The pids of live runners holding a lease; leases of dead pids are removed on the way. */
export function liveLeases(folder: RunnerFolder): number[] {
  return readdirSync(folder.dir).flatMap((name) => {
    const pid = Number(LEASE.exec(name)?.[1] ?? NaN);
    if (!Number.isSafeInteger(pid)) return [];
    if (isAlive(pid)) return [pid];
    try {
      unlinkSync(join(folder.dir, name));
    } catch {
      // cleared by another runner
    }
    return [];
  });
}
