import { z } from 'zod';
import type { BusinessDate } from '../domain/businessDate.js';
import { QuoteModeSchema } from '../domain/quotes.js';
import type { FxGoldRow, QualityFlag } from '../domain/fxGoldRow.js';
import type { Result } from '../domain/result.js';
import type { QualityLimits } from './limits.js';

export const GateSchema = z.enum(['completeness', 'fx-as-of', 'gold-as-of', 'plausibility']);
export type Gate = z.infer<typeof GateSchema>;

/**
 * The gates an operator may accept (`acceptQuality`). Only plausibility: a real but extreme move can be vouched for,
 * while missing currencies or data from the wrong day are never right for the business date.
 */
export const AcceptableGateSchema = GateSchema.extract(['plausibility']);
export type AcceptableGate = z.infer<typeof AcceptableGateSchema>;

/** A failed gate: permanent, the row must not be written. `message` names the gate, the column and the values. */
export const QualityFailureSchema = z.object({ gate: GateSchema, column: z.string(), message: z.string() });
export type QualityFailure = z.infer<typeof QualityFailureSchema>;

/**
 * Where the gold quote's data comes from in time. goldapi's live `timestamp` is the time of the request, so
 * `sessionStart` (its `open_time`) is what dates a live quote; null when the provider does not say.
 */
export const GoldAsOfSchema = z.object({
  mode: QuoteModeSchema,
  sessionStart: z.iso.datetime().nullable(),
  timestamp: z.iso.datetime(),
});
export type GoldAsOf = z.infer<typeof GoldAsOfSchema>;

export interface QualityInput {
  readonly businessDate: BusinessDate;
  /** The configured quote currencies (FXGOLD_CURRENCIES without the base). */
  readonly currencies: readonly string[];
  readonly row: FxGoldRow;
  readonly gold: GoldAsOf;
  /** The most recent stored row within the 7 calendar days before the business date, when there is one. */
  readonly previous?: FxGoldRow;
  readonly now: Date;
  readonly accepted: readonly AcceptableGate[];
}

/** What one gate lets through: the row (a gate may correct a provenance column) and the flags it raised. */
export interface GatePass {
  readonly row: FxGoldRow;
  readonly flags: readonly QualityFlag[];
}

export type GateCheck = (input: QualityInput, limits: QualityLimits) => Result<GatePass, QualityFailure>;

/** The one shape of a failure, so every message starts with the gate it came from. */
export const gateFailure = (gate: Gate, column: string, text: string): QualityFailure => ({
  gate,
  column,
  message: `${gate} gate: ${column} ${text}`,
});
