// Times the job's ports from the outside: the dependencies handed to the app are wrapped in proxies that record
// when each call started and settled, so phases are measured without touching src/.

/** Wraps `target` so each method call is recorded in `calls` as `{ port, method, start, end }` (performance.now()). */
export function timedPort(port, target, calls) {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args) => {
        const call = { port, method: String(key), start: performance.now(), end: NaN };
        calls.push(call);
        const settle = () => (call.end = performance.now());
        const result = value.apply(object, args);
        if (result && typeof result.then === 'function') result.then(settle, settle);
        else settle();
        return result;
      };
    },
  });
}

const isPort = (value) =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && Object.values(value).some((v) => typeof v === 'function');

/**
 * The job's dependencies with every port timed: each provider of the chains (port `rates <name>`, `gold <name>`)
 * and every other member that is an object with methods (the store, the usage ledger, whatever the job grows),
 * named by its key. Plain values and functions (the clock) are passed through.
 */
export function timedDependencies(deps, calls) {
  const timed = {};
  for (const [key, value] of Object.entries(deps)) {
    if (key === 'ratesChain' || key === 'goldChain')
      timed[key] = value.map((provider) => timedPort(`${key === 'ratesChain' ? 'rates' : 'gold'} ${provider.name}`, provider, calls));
    else timed[key] = isPort(value) ? timedPort(key, value, calls) : value;
  }
  return timed;
}
