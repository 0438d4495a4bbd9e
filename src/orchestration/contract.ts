import { z } from 'zod';
import { IsoDateSchema } from '../domain/businessDate.js';
import { AcceptableGateSchema } from '../quality/gate.js';

/** Registered function names: part of the contract with the host, operators and dashboards. */
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
  startBackfill: 'startBackfill',
  getBackfill: 'getBackfill',
  getUsage: 'getUsage',
  getStatus: 'getStatus',
} as const;

/** App settings the host itself resolves: the timer's schedule (`%FXGOLD_SCHEDULE%`) and host.json's task hub. */
export const HOST_SETTING_NAMES = { schedule: 'FXGOLD_SCHEDULE', taskHub: 'FXGOLD_TASK_HUB' } as const;

/** A run's input: the business date, and the quality gates the operator vouched for (`acceptQuality`). */
export const RunInputSchema = z.object({ date: IsoDateSchema, acceptQuality: z.array(AcceptableGateSchema).default([]) });
export type RunInput = z.input<typeof RunInputSchema>;

/** One instance per business date, so a second start for the same day finds the first. */
export const instanceIdFor = (date: string): string => `fxgold-${date}`;

export const dateOfInstanceId = (instanceId: string): string | undefined => /^fxgold-(\d{4}-\d{2}-\d{2})$/.exec(instanceId)?.[1];

export const RunStageSchema = z.enum(['fetching', 'transforming', 'persisting', 'completed']);
export type RunStage = z.infer<typeof RunStageSchema>;
