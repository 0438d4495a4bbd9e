import type { IsoDate } from '../domain/businessDate.js';
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { cleanUpstreamText, describeIssues } from '../domain/failureText.js';
import { FixedColumnsSchema, rateColumn } from '../domain/fxGoldRow.js';
import { permanent, type Outcome } from '../domain/failure.js';
import { success } from '../domain/result.js';
import { PositiveNumberSchema } from '../domain/quotes.js';
import { odata } from './odata.js';
import { withinStorageBudget } from './storageBudget.js';
import { statusOf } from './storageFailure.js';
import { DEFAULT_STORAGE_TIMEOUT_MS } from './storagePolicy.js';

type FixedColumns = z.infer<typeof FixedColumnsSchema>;
/** A fixed column of the stored row, by its SDK name (`rowKey` is always read). */
export type FixedColumn = Exclude<keyof FixedColumns, 'partitionKey' | 'rowKey'>;

export interface RowQuery<C extends FixedColumn> {
  /** The partition: the base currency. */
  readonly base: string;
  /** Business dates, both included. */
  readonly from: IsoDate;
  readonly to: IsoDate;
  /** The fixed columns to read; nothing else comes over the wire. */
  readonly columns: readonly C[];
  /** The `Rate_<CODE>` columns to read. */
  readonly currencies: readonly string[];
}

/** One stored row as read: its date (`rowKey`), the columns asked for, and the rates it has of those asked for. */
export type RowPart<C extends FixedColumn> = Pick<FixedColumns, C | 'rowKey'> & { readonly rates: Readonly<Record<string, number>> };

/** The read side's port to the FxGold table. */
export interface FxGoldRowReader {
  /** The rows of one partition in a date range, oldest first; a storage failure (or a row that is not valid) as a value. */
  queryRows<C extends FixedColumn>(query: RowQuery<C>): Promise<Outcome<Array<RowPart<C>>>>;
}

export type FxGoldReadClient = Pick<TableClient, 'url' | 'tableName' | 'listEntities'>;

export interface ReaderOptions {
  /** One budget per query, every page and the SDK's retries included (storagePolicy.ts). */
  readonly timeoutMs?: number;
  /** Rows per page asked of the service (it sends at most 1000). */
  readonly pageSize?: number;
}

/** The Table service's names for the SDK's key properties. */
const serviceName = (column: string): string => (column === 'rowKey' ? 'RowKey' : column);

/**
 * Reads with one server-side query: the partition and a RowKey range (values escaped by `odata`, as the SDK's template
 * does, so no input can widen the filter) and `$select` of the columns asked for, following every continuation page.
 * Each row is validated: a column asked for must be there when the stored row always has it (QualityFlags, the
 * optional gold columns and rates may be absent). No table yet means no rows.
 */
export function tableRowReader(
  client: FxGoldReadClient,
  { timeoutMs = DEFAULT_STORAGE_TIMEOUT_MS, pageSize = 1000 }: ReaderOptions = {},
): FxGoldRowReader {
  return {
    async queryRows<C extends FixedColumn>({ base, from, to, columns, currencies }: RowQuery<C>) {
      const rates = currencies.map((code) => [code, rateColumn(code)] as const);
      const schema = FixedColumnsSchema.pick({ rowKey: true, ...Object.fromEntries(columns.map((column) => [column, true])) }).extend(
        Object.fromEntries(rates.map(([, column]) => [column, PositiveNumberSchema.optional()])),
      );
      const queryOptions = {
        filter: odata`PartitionKey eq ${base} and RowKey ge ${from} and RowKey le ${to}`,
        select: [...new Set(['rowKey', ...columns, ...rates.map(([, column]) => column)])].map(serviceName),
      };
      const entities = await withinStorageBudget(timeoutMs, client, async (abortSignal) => {
        const read: unknown[] = [];
        try {
          for await (const page of client.listEntities({ queryOptions, abortSignal }).byPage({ maxPageSize: pageSize })) read.push(...page);
        } catch (error) {
          if (statusOf(error) === 404) return []; // no table yet: nothing was ever stored
          throw error;
        }
        return read;
      });
      if (!entities.ok) return entities;

      const rows: Array<RowPart<C>> = [];
      for (const entity of entities.value) {
        const parsed = schema.safeParse(entity);
        if (!parsed.success) {
          const date = (entity as { rowKey?: unknown }).rowKey;
          return permanent(
            'storage',
            `row ${typeof date === 'string' ? cleanUpstreamText(date, 20) : '?'} of table ${client.tableName} is not a valid FxGold row: ${describeIssues(parsed.error, 'row')}`,
          );
        }
        const columnsRead = parsed.data as Record<string, unknown>;
        const ratesRead = Object.fromEntries(
          rates.flatMap(([code, column]) => (typeof columnsRead[column] === 'number' ? [[code, columnsRead[column]]] : [])),
        );
        rows.push({
          ...Object.fromEntries(Object.entries(columnsRead).filter(([key]) => !key.startsWith('Rate_'))),
          rates: ratesRead,
        } as RowPart<C>);
      }
      return success(rows.sort((a, b) => a.rowKey.localeCompare(b.rowKey)));
    },
  };
}
