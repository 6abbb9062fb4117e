// backoff(): how long to wait before a retry. It reads the call's history, which retry()
// (placed before it) writes, and never decides whether to retry.
import {
  TotalTimeoutError,
  deadlineSlot,
  defineMiddleware,
  emit,
  flag,
  is,
  milliseconds,
  optional,
  parseOptions,
  realClock,
  strictObject,
  summarize,
  type AttemptRecord,
  type Clock,
  type FetchpipeRequest,
  type Input,
  type Middleware,
  type Next,
  type Same,
  overridable,
} from '../../kit/index.ts';

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

/**
 * Failed attempts in a row, counted back from the latest and stopping at the last redirect.
 * Records of other middlewares (namespaced kinds such as `authRefresh.replay`) are no failures.
 */
function consecutiveFailures(history: readonly AttemptRecord[]): number {
  let n = 0;
  for (let i = history.length - 1; i >= 0 && history[i]!.kind !== 'redirect'; i--) if (!history[i]!.kind.includes('.')) n++;
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
  // 1. Config, once: the options are validated and resolved when the factory is called.
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
    const { history } = request.context;
    const deadline = request.context.get(deadlineSlot);
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

  // 2. Per client: nothing; the handler keeps no state, so one serves every client.
  // 3. Per request:
  return defineMiddleware(
    // A call's policy (withOptions) may override these options: backoff() again, merged over them.
    overridable<BackoffOptions>('backoff', function backoff(request, next) {
      const { history } = request.context;
      // The first attempt goes at once: its history is empty, and reading past the end of an
      // array is a slow path in V8, so the length is checked first.
      if (history.length === 0) return next(request);
      const last = history[history.length - 1]!;
      // So does the hop after a redirect, and a replay of another middleware (a namespaced
      // record): only retry's records call for a wait.
      if (last.kind === 'redirect' || last.kind.includes('.')) return next(request);
      return waitThenSend(request, next, last);
    }, (override) => backoff({ ...options, ...override })),
    {
      name: 'backoff',
      options: { factor, max, jitter, respectRetryAfterHeader: respectRetryAfter, customClock: o.clock !== undefined },
      // In front of retry() there is nothing to wait between: every wait would be dropped.
      after: ['retry'],
    },
  );
}
