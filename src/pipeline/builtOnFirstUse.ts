import { success, type Result } from '../domain/result.js';

/**
 * Dependencies built from the process environment on first use, never at import (a throw while the host loads the
 * entry point would stop every function), then kept. A settings problem comes back as a value and is not kept, so a
 * fixed setting takes effect on the next call.
 */
export function builtOnFirstUse<S, D>(
  load: (env: NodeJS.ProcessEnv) => Result<S, string>,
  create: (settings: S) => D,
): () => Result<D, string> {
  let built: D | undefined;
  return () => {
    if (built !== undefined) return success(built);
    const settings = load(process.env);
    return settings.ok ? success((built = create(settings.value))) : settings;
  };
}
