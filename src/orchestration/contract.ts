import { z } from 'zod';
import { IsoDateSchema } from '../domain/businessDate.js';
import { AcceptableGateSchema } from '../quality/gate.js';

/** A run's input: the business date, and the quality gates the operator vouched for (`acceptQuality`). */
export const RunInputSchema = z.object({ date: IsoDateSchema, acceptQuality: z.array(AcceptableGateSchema).default([]) });
export type RunInput = z.input<typeof RunInputSchema>;

/** One instance per business date, so a second start for the same day finds the first. */
export const instanceIdFor = (date: string): string => `fxgold-${date}`;

export const dateOfInstanceId = (instanceId: string): string | undefined => /^fxgold-(\d{4}-\d{2}-\d{2})$/.exec(instanceId)?.[1];

export const RunStageSchema = z.enum(['fetching', 'transforming', 'persisting', 'completed']);
export type RunStage = z.infer<typeof RunStageSchema>;
