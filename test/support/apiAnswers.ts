import { expect } from 'vitest';
import type * as z from 'zod/mini';

/**
 * The answer checked by the schema the dashboard checks it with (src/contract/apiAnswers.ts): it must pass, and
 * nothing may be stripped (zod drops keys a schema does not name), so the contract names every field the handler
 * sends, with its type: the run-time half of what the type check proves. Returns the parsed answer.
 */
export function expectContractAnswer<T>(schema: z.ZodMiniType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  expect(parsed.error?.issues ?? []).toEqual([]);
  expect(parsed.data).toEqual(body);
  return parsed.data!;
}
