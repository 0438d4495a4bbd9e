// Run with --expose-gc by the 25-year read scenario: the heap the read model holds for one partition, measured as heap
// used (not resident memory) after a forced GC before and after loading it, in a process doing nothing else.
import { pathToFileURL } from 'node:url';

const [root, connectionString, table] = process.argv.slice(2);
const app = (path) => import(pathToFileURL(`${root}dist/${path}`).href);
const [{ rowCache }, { tableRowChanges }, { tableClientFor }] = await Promise.all([
  app('src/reading/rowCache.js'),
  app('src/storage/fxGoldRowChanges.js'),
  app('src/storage/tableClient.js'),
]);
const client = tableClientFor({ kind: 'connectionString', connectionString }, table, () => {
  throw new Error('a connection string needs no credential');
});
const cache = rowCache(tableRowChanges(client));
// One check first, on an empty base, so the SDK's own lazily built state is not counted as the rows'.
await cache.snapshot('NONE');
globalThis.gc();
const before = process.memoryUsage().heapUsed;
const snapshot = await cache.snapshot('USD');
if (!snapshot.ok) throw new Error(snapshot.error.message);
globalThis.gc();
const after = process.memoryUsage().heapUsed;
const rows = snapshot.value.between('0000-01-01', '9999-12-31');
process.stdout.write(JSON.stringify({ bytes: after - before, rows: rows.ok ? rows.value.length : -1 }));
