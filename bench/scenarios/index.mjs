import analysisApi from './analysisApi.mjs';
import backfill from './backfill.mjs';
import coldLoad from './coldLoad.mjs';
import dailyJob from './dailyJob.mjs';
import keylessBackfill from './keylessBackfill.mjs';
import listRuns from './listRuns.mjs';
import onceCommand from './onceCommand.mjs';
import readApi from './readApi.mjs';

/**
 * Every scenario `npm run bench` runs, in this order. A scenario is `{ id, title, how, run({ quick }) }`: `how` says
 * in a few lines what is measured and how (it goes into docs/benchmarks.md); `run` answers `{ rows, notes }` (rows
 * from lib/figures.mjs), or `{ skipped: 'why' }`, and throws when it crashes. Cold load runs first, before the
 * shared Azurite is started (lib/azurite.mjs starts it on first use).
 *
 * REGISTRATION POINT: a new scenario is a file in this folder and one entry here (issue 9's backfill: backfill.mjs).
 */
export const SCENARIOS = [coldLoad, dailyJob, onceCommand, readApi, analysisApi, listRuns, backfill, keylessBackfill];
