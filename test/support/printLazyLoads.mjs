// Loads the deployed entry as the host does (printRegistrations.mjs), then runs one activity that writes to the
// table, and prints the modules loaded by each step (recorded by moduleLoads.mjs, preloaded with --import); last,
// what the dashboard function answers (the page is a file the bundle finds next to it).
// Storage is a table endpoint over plain http: the SDK refuses to send a bearer token there, so the write fails at
// once, with no network, after the storage SDK and the identity library had to be loaded.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deployedEntries } from './deployedEntries.mjs';
import { modulesLoaded } from './moduleLoads.mjs';

const root = process.cwd();
const before = new Set(modulesLoaded());
for (const entry of deployedEntries(root)) await import(pathToFileURL(join(root, entry)).href);
const atLoad = modulesLoaded().filter((url) => !before.has(url));

Object.assign(process.env, { GOLDAPI_KEY: 'goldapi-key-1234', FXGOLD_TABLE_SERVICE_URI: 'http://127.0.0.1:9/devstoreaccount1' });
const { registrations } = createRequire(import.meta.url)('@azure/functions-core');
const persistRecord = registrations.find((r) => r.metadata.name === 'persistRecord');
const row = {
  partitionKey: 'USD',
  rowKey: '2025-07-08',
  BaseCurrency: 'USD',
  Rate_EUR: 0.8512,
  GoldPrice: 3301.45,
  GoldSource: 'FOREXCOM',
  GoldTimestamp: '2025-07-08T18:00:12.000Z',
  CurrencyDate: '2025-07-08',
  CurrencyProvider: 'frankfurter',
  GoldProvider: 'goldapi',
  IngestedAt: '2025-07-08T18:00:15.000Z',
  QualityFlags: '',
};
const outcome = await persistRecord.callback(row, {});
const seen = new Set([...before, ...atLoad]);
const afterStorage = modulesLoaded().filter((url) => !seen.has(url));

const errors = [];
const log = { warn: (line) => errors.push(line), error: (line) => errors.push(line) };
const page = await registrations.find((r) => r.metadata.name === 'dashboard').callback({}, log);
const dashboard = { status: page.status, html: /^<!doctype html>/i.test(page.body ?? ''), errors };

console.log(JSON.stringify({ atLoad, afterStorage, outcome, dashboard }));
