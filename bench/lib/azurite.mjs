import { appModule } from './app.mjs';

// One in-memory Azurite (table service) on a free port for the whole bench, started through the app's own
// devtools (src/devtools/azurite.ts) the first time a scenario needs it, so the cold-load scenario, which runs
// first, runs without it. Each scenario writes to tables of its own.

let running;

/** The running Azurite ({ connectionString, tablePort }), started on first use. */
export async function benchAzurite() {
  running ??= appModule('src/devtools/azurite.js').then(({ startAzuriteTable }) => startAzuriteTable());
  return running;
}

/** Stops it if it was started; safe to call more than once. */
export async function stopBenchAzurite() {
  const started = running;
  running = undefined;
  if (started) await (await started.catch(() => undefined))?.stop();
}

let tables = 0;
/** A table name no other scenario (or earlier bench run in the same Azurite) uses. */
export const freshTableName = (purpose) => `Bench${purpose}${process.pid}x${++tables}`;
