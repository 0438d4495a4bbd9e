let tables = 0;

/** A table name no other test of this run uses: its prefix, this worker's pid and a counter. */
export const uniqueTableName = (prefix: string): string => `${prefix}${process.pid}x${++tables}`;
