/**
 * What a row's QualityFlags column may hold, and /api/rates shows: days carried forward (src/quality/fxAsOf.ts,
 * goldAsOf.ts) and a vouched-for gate. Plain data, no imports: the dashboard bundles the answers that carry them.
 */
export const QUALITY_FLAGS = ['fx-carried-forward', 'gold-carried-forward', 'accepted:plausibility'] as const;
export type QualityFlag = (typeof QUALITY_FLAGS)[number];
