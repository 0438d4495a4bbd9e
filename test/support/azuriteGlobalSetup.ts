import type { TestProject } from 'vitest/node';
import { startAzuriteTable } from '../../src/devtools/azurite.js';

declare module 'vitest' {
  export interface ProvidedContext {
    azuriteConnectionString: string;
  }
}

/** One real Azurite table service (in memory, free port) for the whole run; tests use their own tables. */
export default async function setup(project: TestProject) {
  const azurite = await startAzuriteTable();
  project.provide('azuriteConnectionString', azurite.connectionString);
  return () => azurite.stop();
}
