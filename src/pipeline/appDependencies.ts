import { loadSettings, SettingsError } from '../config/settings.js';
import { createJobDependencies, type JobDependencies } from './jobDependencies.js';

let cached: JobDependencies | undefined;

/**
 * The app's dependencies, built from the process environment on first use (never at import: a throw
 * while the host loads the entry point would stop every function). A settings error is not cached.
 */
export function appDependencies(): JobDependencies {
  if (cached) return cached;
  const settings = loadSettings(process.env);
  if (!settings.ok) throw new SettingsError(settings.error);
  return (cached = createJobDependencies(settings.value));
}
