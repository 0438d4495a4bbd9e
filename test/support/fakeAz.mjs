#!/usr/bin/env node
// A stand-in for the Azure CLI's `az functionapp function keys list|set`, put first on PATH by the hook's test: the
// keys live in the JSON file FAKE_AZ_STATE ({ "<function>": { "<key name>": "<value>" } }), each call is appended to
// FAKE_AZ_CALLS. A function named in FAKE_AZ_FAIL answers like az does for a missing function.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const option = (name) => args[args.indexOf(name) + 1];
appendFileSync(process.env.FAKE_AZ_CALLS, `${JSON.stringify(args)}\n`);
const state = JSON.parse(readFileSync(process.env.FAKE_AZ_STATE, 'utf8'));
const name = option('--function-name');
if (name === process.env.FAKE_AZ_FAIL) {
  process.stderr.write(`ERROR: Operation returned an invalid status 'Not Found'\n`);
  process.exit(1);
}
const [command] = args.slice(3, 4);
if (command === 'list') {
  process.stdout.write(JSON.stringify(state[name] ?? {}));
} else if (command === 'set') {
  state[name] = { ...state[name], [option('--key-name')]: option('--key-value') };
  writeFileSync(process.env.FAKE_AZ_STATE, JSON.stringify(state));
  process.stdout.write(JSON.stringify({ name: option('--key-name'), value: option('--key-value') }));
} else {
  process.stderr.write(`fake az: unexpected ${args.join(' ')}\n`);
  process.exit(2);
}
