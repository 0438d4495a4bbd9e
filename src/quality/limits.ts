import { z } from 'zod';

// Up to four weeks of business days: a longer carry-forward would no longer describe the business date at all.
const ageDays = z
  .number()
  .int('must be a whole number of business days')
  .min(0, 'must be at least 0')
  .max(20, 'must be at most 20 business days');
// A day-over-day move beyond 100 % is never real for gold or a G10 currency, so a larger limit would disable the check.
const movePct = z.number().positive('must be more than 0 %').max(100, 'must be at most 100 %');

/** How far the gates let a row's data lag or move; the defaults are the documented ones. */
export const QualityLimitsSchema = z.object({
  maxFxAgeDays: ageDays.default(3),
  maxGoldAgeDays: ageDays.default(3),
  maxGoldMovePct: movePct.default(20),
  maxFxMovePct: movePct.default(15),
});
export type QualityLimits = z.output<typeof QualityLimitsSchema>;

export const DEFAULT_QUALITY_LIMITS: QualityLimits = QualityLimitsSchema.parse({});

/** The app setting behind each limit, for the settings schema and for failure messages that say what to change. */
export const QUALITY_LIMIT_SETTINGS = {
  maxFxAgeDays: 'FXGOLD_MAX_FX_AGE_DAYS',
  maxGoldAgeDays: 'FXGOLD_MAX_GOLD_AGE_DAYS',
  maxGoldMovePct: 'FXGOLD_MAX_GOLD_MOVE_PCT',
  maxFxMovePct: 'FXGOLD_MAX_FX_MOVE_PCT',
} as const satisfies Record<keyof QualityLimits, string>;
