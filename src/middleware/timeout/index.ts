// timeout(): requests' (connect, read) timeouts for each attempt, and a total deadline per call.
// Every invocation gets its own AbortController and timers, so an attempt that timed out never
// hands an aborted signal to the next one (ofetch's bug).
import {
  NULL_BODY_STATUSES,
  ReadTimeoutError,
  TotalTimeoutError,
  deadlineSlot,
  defineMiddleware,
  nullable,
  optional,
  parseOptions,
  rule,
  secondsMistake,
  strictObject,
  summarize,
  withBody,
  type FetchpipeRequest,
  type Middleware,
  type Problem,
  overridable,
} from '../../kit/index.ts';

// setTimeout fires at once for anything longer (about 24.8 days).
const MAX_DELAY = 2_147_483_647;
const DURATION = `a positive number of milliseconds (at most ${MAX_DELAY})`;
const isDuration = (value: unknown): value is number => typeof value === 'number' && value > 0 && value <= MAX_DELAY;

// A duration below 1 ms is seconds passed by mistake (`timeout({ read: 0.5 })`): said so, with the ms meant.
const durationRule = (expected: string) => rule<number>((v) => (isDuration(v) ? secondsMistake(v) : expected));
const duration = () => nullable(durationRule(`${DURATION} or null`));
// Both places read by index, so that a hole in a sparse array counts as the missing number it is.
const pairSchema = rule<readonly [number, number]>((v) => {
  if (!Array.isArray(v) || v.length !== 2 || !isDuration(v[0]) || !isDuration(v[1])) {
    return `a (connect, read) pair or a single number (positive milliseconds, at most ${MAX_DELAY})`;
  }
  for (const index of [0, 1]) {
    const problem = secondsMistake(v[index] as number);
    if (problem !== undefined) return [[index], problem] as Problem;
  }
  return undefined;
});
const objectSchema = strictObject({ connect: optional(duration()), read: optional(duration()), total: optional(duration()) });
const singleSchema = nullable(
  durationRule(`a (connect, read) pair or a single number (positive milliseconds, at most ${MAX_DELAY}), { connect, read, total }, or null`),
);

/** `timeout()`'s options, in milliseconds: one number for connect and read, a `[connect, read]` pair, an object, or `null` for none. */
export type TimeoutOptions =
  | number
  | readonly [connect: number, read: number]
  | {
      /** Connection set-up, in ms. The core cannot see it (see `timeout()`); `connectTimeout()` from `fetchpipe/node` enforces it. @default null */
      connect?: number | null;
      /** From sending until the response headers, then each idle gap in the body, in ms. @default null */
      read?: number | null;
      /** A deadline for the whole call, in ms: every attempt and every backoff wait, up to the final response's headers. @default null */
      total?: number | null;
    }
  | null;

/** What a call's policy may override in `timeout()`: any of its limits, in ms (null: none). */
export interface TimeoutOverride {
  connect?: number | null;
  read?: number | null;
  total?: number | null;
}

/** The milliseconds `timeout()` resolved its options to (null: not bounded). */
export type ResolvedTimeout = { readonly connect: number | null; readonly read: number | null; readonly total: number | null };

function resolve(options: unknown): ResolvedTimeout {
  if (Array.isArray(options)) {
    const [connect, read] = parseOptions('timeout', pairSchema, options);
    return { connect, read, total: null };
  }
  if (typeof options === 'object' && options !== null) {
    const { connect = null, read = null, total = null } = parseOptions('timeout', objectSchema, options);
    return { connect, read, total };
  }
  const both = parseOptions('timeout', singleSchema, options);
  return { connect: both, read: both, total: null };
}

/**
 * Per-attempt timeouts with requests' meaning, and a `total` deadline. Place it after `retry()`,
 * `backoff()` and `redirect()`, so that every attempt and every hop gets a fresh timer.
 * - `read` (ms) runs from handing the request to fetch until the response headers, then bounds
 *   each idle gap while the body is read: `ReadTimeoutError`. fetch cannot tell when the
 *   connection is up, so on every runtime connection set-up (DNS, TCP, TLS) counts inside it.
 * - `connect` (ms) is not enforced here, for the same reason; on Node, `connectTimeout()` or
 *   `nodeTimeout()` from `fetchpipe/node` bound set-up itself (`ConnectTimeoutError`).
 * - `total` (ms) starts at the first attempt and ends at the final response's headers:
 *   `TotalTimeoutError`. backoff() refuses a wait that would pass it; the body is bounded by `read` alone.
 * A caller's abort still rejects with the caller's reason.
 * @example
 * createClient([retry(), backoff({ factor: 100 }), timeout({ connect: 3_000, read: 27_000, total: 60_000 })]);
 */
export function timeout(options: TimeoutOptions): Middleware {
  // 1. Config, once: the options are validated and resolved when the factory is called.
  const resolved = resolve(options);
  const { read, total } = resolved;
  // A call's policy (withOptions) may override these limits: timeout() again, merged over them.
  const reconfigure = (override: TimeoutOverride) => timeout({ ...resolved, ...override });
  if (read === null && total === null) {
    return defineMiddleware(overridable('timeout', function timeout(request, next) { return next(request); }, reconfigure), { name: 'timeout', options: resolved });
  }
  // Inside retry(), backoff() and redirect(), every attempt and hop gets a fresh timer and no
  // timer runs during a backoff wait; in front of them, one timer would bound them all.
  const meta = { name: 'timeout', options: resolved, after: ['retry', 'backoff', 'redirect'] };

  // 2. Per client: nothing; the handler keeps no state, so one serves every client.
  // 3. Per request:
  return defineMiddleware(overridable('timeout', async function timeout(request, next) {
    let limit = read;
    let byDeadline = false;
    if (total !== null) {
      const now = Date.now();
      let deadline = request.context.get(deadlineSlot);
      if (deadline === undefined) {
        deadline = now + total;
        request.context.set(deadlineSlot, deadline);
      }
      const left = deadline - now;
      if (left <= 0) throw totalError(request, total);
      if (limit === null || left < limit) {
        limit = left;
        byDeadline = true;
      }
    }
    const callerSignal = request.signal;
    if (callerSignal?.aborted) throw callerSignal.reason;
    const controller = new AbortController();
    const signal = callerSignal ? AbortSignal.any([callerSignal, controller.signal]) : controller.signal;
    const timer = setTimeout(() => controller.abort(byDeadline ? totalError(request, total!) : readError(request, read!, 'headers')), limit!);
    let response: Response;
    try {
      response = await next({ ...request, signal });
    } catch (error) {
      // A stand-in fetch may reject with a plain AbortError: the timeout's own reason says more.
      if (controller.signal.aborted && !callerSignal?.aborted) throw controller.signal.reason;
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return read === null ? response : watchBody(response, read, controller, request);
  }, reconfigure), meta);
}

function readError(request: FetchpipeRequest, read: number, phase: 'headers' | 'body'): ReadTimeoutError {
  const summary = summarize(request);
  const what = phase === 'headers' ? 'waiting for the response headers' : 'between two chunks of the body';
  return new ReadTimeoutError(`Read timed out ${what} (read timeout=${read} ms) for ${summary.method} ${summary.url}`, { request: summary });
}

function totalError(request: FetchpipeRequest, total: number): TotalTimeoutError {
  const summary = summarize(request);
  return new TotalTimeoutError(`Total timeout of ${total} ms passed for ${summary.method} ${summary.url}`, { request: summary });
}

const ignore = () => {};

// Re-wraps the body so that each read waits at most `read` ms for the next chunk. The timer runs
// only while a read is pending (highWaterMark 0), as a socket read timeout does.
function watchBody(response: Response, read: number, controller: AbortController, request: FetchpipeRequest): Response {
  const source = response.body;
  const { status } = response;
  if (source === null || status < 200 || status > 599 || NULL_BODY_STATUSES.has(status)) return response;
  const reader = source.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Set once the wrapper is cancelled or timed out: a read that lands afterwards is dropped.
  let stopped = false;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(out) {
        return new Promise<void>((resolve, reject) => {
          timer = setTimeout(() => {
            stopped = true;
            const error = readError(request, read, 'body');
            controller.abort(error);
            reader.cancel(error).catch(ignore);
            reject(error);
          }, read);
          reader.read().then(
            (chunk) => {
              clearTimeout(timer);
              if (stopped) return resolve();
              if (chunk.done) out.close();
              else out.enqueue(chunk.value);
              resolve();
            },
            (error: unknown) => {
              clearTimeout(timer);
              reject(error);
            },
          );
        });
      },
      cancel(reason) {
        stopped = true;
        clearTimeout(timer);
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return withBody(response, body);
}
