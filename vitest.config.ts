import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/azuriteGlobalSetup.ts'],
    setupFiles: ['test/support/installFakeFunctionsCore.ts'],
    // Three test files at once on our 2-core machines: most of the suite waits on Azurite, loopback servers, child
    // processes and Chromium rather than on the CPU (vitest's default is one fewer than the cores: one here).
    maxWorkers: 3,
    minWorkers: 1,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
