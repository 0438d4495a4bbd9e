import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

// The layer rules of `npm run lint`, run on planted trees outside src/: a wrong-way import and a cycle between two
// folders must each fail, and a tree that keeps the order must pass (so the rules do not refuse everything).
const config = createRequire(import.meta.url)('../../.dependency-cruiser.cjs') as { forbidden: unknown; options: object };

async function violations(tree: string, roots = ['src']): Promise<string[]> {
  const baseDir = fileURLToPath(new URL(`../fixtures/layers/${tree}/`, import.meta.url));
  // ES module imports name the compiled .js file; the planted trees have only the .ts sources, as src/ has.
  const resolve = { extensionAlias: { '.js': ['.ts', '.js'] } };
  const options = { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } as never, baseDir, tsConfig: undefined };
  const result = await cruise(roots, options, resolve);
  const output = result.output as ICruiseResult;
  return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}

describe('layer rules (.dependency-cruiser.cjs)', () => {
  it('pass a tree that imports only downwards', async () => {
    expect(await violations('clean')).toEqual([]);
  });

  it('refuse an import against the order', async () => {
    expect(await violations('wrong-way')).toEqual(['layer-domain: src/domain/value.ts → src/config/setting.ts']);
  });

  it('refuse two folders that import each other, even within one layer', async () => {
    const found = await violations('cycle');
    expect(found).toContain('layer-backfill: src/backfill/chunk.ts → src/reading/view.ts');
    expect(found).toContain('layer-reading: src/reading/view.ts → src/backfill/chunk.ts');
    expect(found.some((v) => v.startsWith('no-cycle:'))).toBe(true);
  });

  it('let the dashboard page import src/contract/ and nothing else of src/', async () => {
    expect(await violations('web', ['src', 'web'])).toEqual(['web-only-contract: web/dashboard/page.ts → src/domain/value.ts']);
  });
});
