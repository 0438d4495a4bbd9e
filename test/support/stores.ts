import { tableRowStore, type FxGoldRowStore } from '../../src/storage/fxGoldTable.js';
import { tableClientFor, type StoreTableClient } from '../../src/storage/tableClient.js';

const noCredential = (): never => {
  throw new Error('a connection string needs no token credential');
};

/** A table client for a connection string (the tests' Azurite), built as the app builds its own. */
export const connectionClient = (connectionString: string, table: string): StoreTableClient =>
  tableClientFor({ kind: 'connectionString', connectionString }, table, noCredential);

/** The project's own row store over that table: tests seed and read rows with what the app writes them with. */
export const connectionStore = (connectionString: string, table: string): FxGoldRowStore =>
  tableRowStore(connectionClient(connectionString, table));
