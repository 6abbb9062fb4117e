// The pacing arithmetic of rateLimit(), alone: a token bucket per origin that refills at `rate`
// tokens a second up to `burst`, where a caller takes a token or reserves the next one. A
// reservation is taken at once, so callers that arrive together are spaced out in arrival order
// rather than all waking at the same instant. A server's hint (0 left until a reset) closes
// the bucket until then.

/** One origin's bucket. Times are in milliseconds on one clock (the middleware's `clock.now()`). */
export interface TokenBucket {
  /** Takes a token, or reserves the next one: how long the caller must wait first (0 = go now). */
  reserve(now: number): number;
  /** Gives back a reservation whose caller gave up (an abort), so later callers wait less. */
  cancel(now: number): void;
  /** The server says nothing more goes until `until`: every reservation waits at least that long. */
  closeUntil(until: number): void;
  /** Tokens available at `now` (negative: reservations queued). */
  available(now: number): number;
}

/**
 * A bucket that starts full. `rate` is tokens a second (Infinity: no client-side pacing, only
 * the server's hints); `burst` is how many go at once from full. Both are validated by rateLimit().
 */
export function tokenBucket(rate: number, burst: number): TokenBucket {
  let tokens = burst;
  let updated: number | undefined;
  let closedUntil = -Infinity;

  const refill = (now: number) => {
    if (updated !== undefined && now > updated && rate !== Infinity) tokens = Math.min(burst, tokens + ((now - updated) * rate) / 1000);
    if (rate === Infinity) tokens = burst;
    if (updated === undefined || now > updated) updated = now;
  };

  return {
    reserve(now) {
      refill(now);
      // Waiting for the server's reset comes first; the bucket paces what follows it.
      const start = Math.max(now, closedUntil);
      if (start > now) refill(start);
      tokens -= 1;
      const forToken = tokens >= 0 ? 0 : (-tokens * 1000) / rate;
      return start - now + forToken;
    },
    cancel(now) {
      refill(now);
      tokens = Math.min(burst, tokens + 1);
    },
    closeUntil(until) {
      if (until > closedUntil) closedUntil = until;
    },
    available(now) {
      refill(now);
      return tokens;
    },
  };
}
