import { z } from 'zod';
import { BusinessDateSchema, type BusinessDate } from '../domain/businessDate.js';
import { AcceptableGateSchema } from '../quality/gate.js';

/** A run's input: the business date, and the quality gates the operator vouched for (`acceptQuality`). */
export const RunInputSchema = z.object({ date: BusinessDateSchema, acceptQuality: z.array(AcceptableGateSchema).default([]) });
export type RunInput = z.input<typeof RunInputSchema>;

/** One instance per business date, so a second start for the same day finds the first. */
export const instanceIdFor = (date: BusinessDate): string => `fxgold-${date}`;

/** The business date an instance id names, or undefined when it names none (another instance, or a date that is none). */
export function dateOfInstanceId(instanceId: string): BusinessDate | undefined {
  const date = BusinessDateSchema.safeParse(/^fxgold-(.*)$/.exec(instanceId)?.[1]);
  return date.success ? date.data : undefined;
}

export const RunStageSchema = z.enum(['fetching', 'transforming', 'persisting', 'completed']);
export type RunStage = z.infer<typeof RunStageSchema>;
