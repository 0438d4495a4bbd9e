import { join } from 'node:path';
import { success, type Result } from '../domain/result.js';
import type { StorageTarget } from '../storage/tableClient.js';
import { isDevelopmentStorage } from '../storage/connectionString.js';
import { useSharedAzurite, type AzuriteLease, type SharedAzuriteFailure } from './sharedAzurite.js';

/**
 * For a local tool that reads or writes rows: when they go to `UseDevelopmentStorage=true`, a lease on the shared
 * local Azurite's table service (sharedAzurite.ts: used if running, started otherwise, data in `<cwd>/.azurite`);
 * for any other storage, nothing to start (undefined).
 */
export async function useAzuriteForRows(
  storage: StorageTarget,
  cwd: string,
  say: (line: string) => void,
  signal: AbortSignal,
): Promise<Result<AzuriteLease | undefined, SharedAzuriteFailure>> {
  if (storage.kind !== 'connectionString' || !isDevelopmentStorage(storage.connectionString)) return success(undefined);
  return useSharedAzurite({ needs: ['table'], location: join(cwd, '.azurite'), settingHint: 'FXGOLD_STORAGE_CONNECTION', say, signal });
}
