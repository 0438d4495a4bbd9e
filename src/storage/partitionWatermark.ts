import type { TableEntity } from '@azure/data-tables';

/**
 * One entity per partition of the FxGold table that every write of rows rewrites in the same transaction (fxGoldTable.ts):
 * its ETag changes exactly when some row of the partition was written, by any path and on any instance. The read
 * model checks it with one point read instead of a query (rowCache.ts).
 *
 * Its RowKey sorts after every date ('~' > '9'), so a RowKey range of dates never includes it; a scan of the whole
 * partition skips it by name.
 */
export const WATERMARK_ROW_KEY = '~written';

export const isWatermark = (rowKey: unknown): boolean => rowKey === WATERMARK_ROW_KEY;

/** The watermark as written with a partition's rows; its content is not read, only its ETag. */
export const watermarkEntity = (partitionKey: string): TableEntity => ({ partitionKey, rowKey: WATERMARK_ROW_KEY });
