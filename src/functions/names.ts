/**
 * The registered function names and the app settings the host itself resolves: the contract with the host,
 * operators and dashboards. The one module of src/functions/ that other layers import (the orchestrators call
 * their activities by name), so it imports nothing (.dependency-cruiser.cjs).
 */

export const FunctionNames = {
  dailyStarter: 'fxGoldDailyStarter',
  orchestrator: 'fxGoldOrchestrator',
  fetchCurrencyRates: 'fetchCurrencyRates',
  fetchGoldPrice: 'fetchGoldPrice',
  transformRecord: 'transformRecord',
  persistRecord: 'persistRecord',
  startRun: 'startRun',
  getRun: 'getRun',
  listRuns: 'listRuns',
  getRates: 'getRates',
  getAnalysis: 'getAnalysis',
  dashboard: 'dashboard',
  backfillOrchestrator: 'fxGoldBackfillOrchestrator',
  planBackfill: 'planBackfill',
  runBackfillChunk: 'runBackfillChunk',
  settleBackfill: 'settleBackfill',
  startBackfill: 'startBackfill',
  getBackfill: 'getBackfill',
  getUsage: 'getUsage',
  getStatus: 'getStatus',
} as const;

/** App settings the host itself resolves: the timer's schedule (`%FXGOLD_SCHEDULE%`) and host.json's task hub. */
export const HOST_SETTING_NAMES = { schedule: 'FXGOLD_SCHEDULE', taskHub: 'FXGOLD_TASK_HUB' } as const;
