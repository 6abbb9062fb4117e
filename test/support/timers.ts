// Live-timer accounting for tests that must leave no timer behind.

/** Counts timers created and not yet cleared or fired, by patching the globals the middleware calls. */
export function trackTimers() {
  const live = new Set<unknown>();
  const { setTimeout: realSet, clearTimeout: realClear } = globalThis;
  globalThis.setTimeout = ((fn: () => void, ms?: number) => {
    const id = realSet(() => {
      live.delete(id);
      fn();
    }, ms);
    live.add(id);
    return id;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((id: ReturnType<typeof setTimeout>) => {
    live.delete(id);
    realClear(id);
  }) as typeof clearTimeout;
  return { live, restore: () => Object.assign(globalThis, { setTimeout: realSet, clearTimeout: realClear }) };
}
