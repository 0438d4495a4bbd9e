import { readFileSync } from 'node:fs';

/** A documented provider response from test/fixtures, fresh on every call so tests may change it. */
export const fixture = <T extends object = Record<string, unknown>>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8')) as T;
