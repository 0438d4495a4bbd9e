import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The bench measures the compiled app as it is when the bench runs (dist/, built by `npm run bench` first), never
// the sources: whatever the other scenarios' code paths become (bundle, lazy loading), this is what ships.

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Imports a compiled module of the app, e.g. `src/pipeline/runDailyJob.js`, saying clearly when it is missing. */
export async function appModule(path) {
  const file = `${ROOT}dist/${path}`;
  if (!existsSync(file)) throw new Error(`dist/${path} is missing: run npm run build (npm run bench does)`);
  return import(pathToFileURL(file).href);
}

/** The process environment without any of the app's settings, so the host's own configuration cannot leak into a run. */
export function cleanEnvironment() {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(FXGOLD_|GOLDAPI_|FRANKFURTER_|EXCHANGERATE_HOST_|CURRENCYAPI_|AZURE_|AzureWebJobs)/i.test(name)) delete env[name];
  }
  return env;
}

/** Weekdays from `start` on, `count` of them: business dates the job accepts (the app's own date module). */
export async function weekdaysFrom(start, count) {
  const { addDays, weekdaysIn } = await appModule('src/domain/businessDate.js');
  return weekdaysIn(start, addDays(start, Math.ceil(count / 5) * 7 + 2)).slice(0, count);
}
