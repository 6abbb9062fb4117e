// backoff(): how long to wait before a retry. It reads the call's history, which retry()
// (placed before it) writes, and never decides whether to retry.
import { defineMiddleware, summarize, type FetchpipeRequest, type Middleware, type Next } from '../../core/request.ts';
import { flag, fn, type Input, type Same, is, milliseconds, optional, parseOptions, strictObject } from '../../core/config.ts';
import { TotalTimeoutError, type AttemptRecord } from '../../errors/index.ts';
import { emit } from '../../core/events.ts';
import { startTimer } from '../../core/timer.ts';
import { overridable } from '../../core/policy.ts';

/** Time as backoff sees it. Inject one to run schedules without waiting. All values in milliseconds. */
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

/** Options of `backoff()`. Durations in milliseconds: `factor: 100` is urllib3's `backoff_factor=0.1`. */
export interface BackoffOptions {
  /** The wait before retry n is `factor · 2^(n−1)`, none before the first. @default 0 */
  factor?: number;
  /** The longest wait. @default 120_000 */
  max?: number;
  /** A random extra in `[0, jitter)`, added before the cap. @default 0 */
  jitter?: number;
  /** A usable Retry-After replaces the backoff, even when shorter. @default true */
  respectRetryAfterHeader?: boolean;
  /** Time to wait on; members left out stay real. @default realClock */
  clock?: Partial<Clock>;
}

const schema = strictObject({
  factor: optional(milliseconds()),
  max: optional(milliseconds()),
  jitter: optional(milliseconds()),
  respectRetryAfterHeader: optional(flag()),
  // Any object with these methods (a recording clock carries more); members left out stay real.
  clock: optional(
    is<Partial<Clock>>(
      'a clock object { sleep, now, random } whose members are functions',
      (v) =>
        typeof v === 'object' &&
        v !== null &&
        (['sleep', 'now', 'random'] as const).every((k) => (v as Partial<Clock>)[k] === undefined || typeof (v as Partial<Clock>)[k] === 'function'),
    ),
  ),
});

true satisfies Same<Input<typeof schema>, BackoffOptions>;

/** One planned wait and why it is that long. */
export interface Wait {
  readonly delayMs: number;
  readonly reason: 'retry-after' | 'backoff' | 'jitter' | 'immediate';
  readonly backoffMs: number;
  readonly jitterMs: number;
}

/** Failed attempts in a row, counted back from the latest and stopping at the last redirect. */
function consecutiveFailures(history: readonly AttemptRecord[]): number {
  let n = 0;
  for (let i = history.length - 1; i >= 0 && history[i]!.kind !== 'redirect'; i--) n++;
  return n;
}

/** urllib3's get_backoff_time: 0 for the first retry, then `factor · 2^(n−1)` plus jitter, capped at `max`. */
export function backoffDelay(n: number, factor: number, max: number, jitterMs: number): Wait {
  if (n <= 1) return { delayMs: 0, reason: 'immediate', backoffMs: 0, jitterMs: 0 };
  const backoffMs = factor * 2 ** (n - 1);
  const delayMs = Math.max(0, Math.min(max, backoffMs + jitterMs));
  return { delayMs, reason: backoffMs > 0 ? 'backoff' : jitterMs > 0 ? 'jitter' : 'immediate', backoffMs, jitterMs };
}

/**
 * Waits before each retry: nothing before the first, then `factor · 2^(n−1)` ms plus up to
 * `jitter` ms, capped at `max`; a usable Retry-After replaces it. The wait ends at once,
 * with the signal's reason, when the caller aborts.
 * @example
 * createClient([retry({ total: 5 }), backoff({ factor: 100, max: 120_000, jitter: 50 })]);
 */
export function backoff(options: BackoffOptions = {}): Middleware {
  const o = parseOptions('backoff', schema, options);
  const factor = o.factor ?? 0;
  const max = o.max ?? 120_000;
  const jitter = o.jitter ?? 0;
  const respectRetryAfter = o.respectRetryAfterHeader ?? true;
  // Members are called on the given clock, so they keep their `this`. Backoff itself never asks
  // the clock for the time, so only `sleep` and `random` are resolved.
  const given = o.clock ?? {};
  const sleep: Clock['sleep'] = given.sleep ? (ms, signal) => given.sleep!(ms, signal) : realClock.sleep;
  const random = given.random ? () => given.random!() : realClock.random;

  async function waitThenSend(request: FetchpipeRequest, next: Next, last: AttemptRecord): Promise<Response> {
    const { history, deadline } = request.context;
    const wait: Wait =
      respectRetryAfter && last.retryAfter !== undefined && last.retryAfter > 0
        ? { delayMs: last.retryAfter, reason: 'retry-after', backoffMs: 0, jitterMs: 0 }
        : backoffDelay(consecutiveFailures(history), factor, max, jitter > 0 ? jitter * random() : 0);
    if (deadline !== undefined && Date.now() + wait.delayMs > deadline) {
      // Waiting would only end in the deadline: fail now rather than sleep into it.
      throw new TotalTimeoutError(`The total deadline leaves no time for a ${wait.delayMs} ms wait before retrying`, {
        request: summarize(request),
      });
    }
    emit(request, 'wait', wait);
    // Every wait goes through the clock, 0 included, so a recording clock sees the whole schedule.
    await sleep(wait.delayMs, request.signal ?? undefined);
    return next(request);
  }

  return defineMiddleware(
    // A call's policy (withOptions) may override these options: backoff() again, merged over them.
    overridable<BackoffOptions>('backoff', function backoff(request, next) {
      const { history } = request.context;
      const last = history[history.length - 1];
      // The first attempt, and the hop after a redirect, go at once.
      if (last === undefined || last.kind === 'redirect') return next(request);
      return waitThenSend(request, next, last);
    }, (override) => backoff({ ...options, ...override })),
    { name: 'backoff', options: { factor, max, jitter, respectRetryAfterHeader: respectRetryAfter, customClock: o.clock !== undefined } },
  );
}
