import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

const LocalSettingsSchema = z.object({ Values: z.record(z.string(), z.string()).default({}) });

/**
 * The `Values` of a local.settings.json (the file `func start` reads), so the host-free tools see the
 * same settings. A missing file is no settings; a broken one is an error naming the file.
 */
function readLocalSettingsValues(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new Error(`${path} is not valid JSON`);
  }
  const parsed = LocalSettingsSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${path}: "Values" must be an object of string settings`);
  return parsed.data.Values;
}

/**
 * Settings for a run on a developer machine: local.settings.json, overridden by the process environment (where not
 * blank: blank is unset), over the one default `func start` would also have: host storage in the local emulator.
 */
export function withLocalSettings(path: string, env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const setInEnvironment = Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== '');
  return { AzureWebJobsStorage: 'UseDevelopmentStorage=true', ...readLocalSettingsValues(path), ...Object.fromEntries(setInEnvironment) };
}
