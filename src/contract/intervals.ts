/** The sampling intervals of /api/analysis (`interval=`): a part of its answer, so declared with it; plain data, no imports. */
export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];
