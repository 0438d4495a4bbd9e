// ESLint flat config: `npm run lint` (also run by `npm test`); `npm run lint -- --fix` fixes what it can.
// TypeScript (src/, test/, web/, vitest.config.ts) gets typescript-eslint's recommended type-checked rules, each file
// checked against a tsconfig that compiles it; the plain JavaScript (.mjs/.cjs: the build script, test helpers run in
// child processes, bench/) gets ESLint's recommended rules without type information.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'coverage/', '.azurite/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        // The first project that includes a file wins: src/, test/ and vitest.config.ts (tsconfig.test.json, which
        // extends tsconfig.json: one program for all three, not src/ built twice), the dashboard page
        // (web/tsconfig.json, browser types).
        project: ['./tsconfig.test.json', './web/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // As with tsc's noUnusedLocals/noUnusedParameters: a leading underscore, or a rest sibling, marks a binding left out on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // vitest types its asymmetric matchers (expect.stringMatching, expect.any, ...) as `any` by design, to nest them in
      // expected objects; every finding of this rule in test/ was such a matcher. The other no-unsafe-* rules stay on.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
