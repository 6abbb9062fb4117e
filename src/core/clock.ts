// Time as the middlewares see it. Inject a clock to run schedules without waiting.
import { startTimer } from './timer.ts';
/** Time as the middlewares see it (backoff's waits, jitter). Inject one to run schedules without waiting. All values in milliseconds. */
export interface Clock {
  /** Resolves after `ms` milliseconds; rejects with `signal.reason` as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * The current time in milliseconds. fetchpipe itself does not read it: Retry-After dates and the
   * total deadline count on `Date.now()`, which fake timers control, because a clock's `now` may
   * have any origin (a test clock often starts at 0). `recordingClock().now()` moves with its waits.
   */
  now(): number;
  /** A number in [0, 1), for jitter. */
  random(): number;
}

/**
 * The real clock: timers that are cleared, and listeners that are removed, however the wait
 * ends. A wait longer than setTimeout's limit (2^31−1 ms) is a chain of timers, so it lasts as long as asked.
 */
export const realClock: Clock = Object.freeze({
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    // No wait needs no timer: the first retry goes at once.
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        cancel();
        reject(signal!.reason);
      };
      // Chained past setTimeout's 24.8-day limit: a 30-day Retry-After waits 30 days.
      const cancel = startTimer(ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
  now: () => Date.now(),
  random: () => Math.random(),
});
