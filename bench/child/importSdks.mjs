// The baseline: the same child (same preloads) importing only the six SDK packages the app is built on.
import '@azure/functions';
import 'durable-functions';
import '@azure/data-tables';
import '@azure/identity';
import 'node-fetch';
import 'zod';
