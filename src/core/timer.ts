// Timers for waits of any length. setTimeout holds at most 2^31−1 ms (about 24.8 days) on
// every runtime; a longer delay fires after 1 ms instead, which turned a Retry-After of 30
// days into an immediate retry. A long wait is therefore a chain of timers.

/** The longest delay one `setTimeout` holds. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Calls `callback` once after `ms` milliseconds, however long that is; returns the function
 * that cancels it.
 */
export function startTimer(ms: number, callback: () => void): () => void {
  let left = ms;
  let timer: ReturnType<typeof setTimeout>;
  const arm = (): void => {
    const step = Math.min(left, MAX_TIMER_MS);
    left -= step;
    timer = setTimeout(left > 0 ? arm : callback, step);
  };
  arm();
  return () => clearTimeout(timer);
}
