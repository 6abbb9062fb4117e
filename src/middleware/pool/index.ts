// pool(): urllib3's connection-pool limits as a per-origin cap on requests in flight. A request
// holds its slot until its response body is read to the end, cancelled or fails, as a
// urllib3 connection goes back to its pool only once the response is released.
import {
  NULL_BODY_STATUSES,
  PoolTimeoutError,
  TotalTimeoutError,
  deadlineSlot,
  defineMiddleware,
  emit,
  flag,
  is,
  originOf,
  isCount,
  milliseconds,
  nullable,
  optional,
  parseOptions,
  startTimer,
  strictObject,
  summarize,
  withBody,
  type FetchpipeRequest,
  type Handler,
  type Input,
  type Middleware,
  type Same,
} from '../../kit/index.ts';
import { SlotQueue } from './queue.ts';

const schema = optional(
  strictObject(
    {
      maxsize: optional(is<number>('a positive integer', (v) => isCount(v) && v >= 1)),
      block: optional(flag()),
      poolTimeout: optional(nullable(milliseconds('a non-negative number of milliseconds or null'))),
    },
    { error: 'expected an options object' },
  ),
);

export interface PoolOptions {
  /** Requests in flight per origin when `block` is true (urllib3's `pool_maxsize`). @default 10 */
  maxsize?: number;
  /** Whether to cap at all. urllib3's default, false, opens extra connections: no limit. @default false */
  block?: boolean;
  /** How long a request waits for a slot, in ms, before `PoolTimeoutError` (any finite length); null waits for ever. @default null */
  poolTimeout?: number | null;
}
true satisfies Same<Input<typeof schema>, PoolOptions | undefined>;

// urllib3's EmptyPoolError text, kept word for word.
const EMPTY_POOL = "Pool is empty and a new connection can't be opened due to blocking mode.";


/**
 * Limits requests in flight per origin, as urllib3's pool does with `block=True`: at most
 * `maxsize`, the rest wait in order. A slot is freed when the body is read, cancelled or
 * fails, so read or cancel every body. Place it last, after `retry()`, `redirect()` and
 * `timeout()`, so each attempt and hop holds a slot only while it is on the wire; time queued
 * then counts toward timeout()'s read window, and its timers and the caller's abort end the wait.
 * @example
 * createClient([retry(), pool({ maxsize: 4, block: true, poolTimeout: 5_000 })]);
 */
export function pool(options: PoolOptions = {}): Middleware {
  // 1. Config, once.
  const { maxsize = 10, block = false, poolTimeout = null } = parseOptions('pool', schema, options) ?? {};
  const resolved = { maxsize, block, poolTimeout };
  if (!block) return defineMiddleware(function pool(request, next) { return next(request); }, { name: 'pool', options: resolved });
  // A slot is held while a request is on the wire: in front of retry(), backoff() or redirect() it
  // would be held across every attempt, wait and hop; in front of timeout(), queueing would escape its timers.
  const meta = { name: 'pool', options: resolved, after: ['retry', 'backoff', 'redirect', 'timeout'] };

  // 2. Per client: createClient() calls setup() once, so two clients never share queues.
  const setup = (): Handler => {
    const queue = new SlotQueue(maxsize);

    const wait = (request: FetchpipeRequest, key: string) =>
      new Promise<void>((resolve, reject) => {
        const { signal } = request;
        if (signal?.aborted) return reject(signal.reason);
        // A total deadline of timeout() also bounds the wait, once a first attempt has set it.
        const deadline = request.context.get(deadlineSlot);
        const left = deadline === undefined ? null : Math.max(0, deadline - Date.now());
        const byDeadline = left !== null && (poolTimeout === null || left < poolTimeout);
        const limit = byDeadline ? left : poolTimeout;
        let cancelTimer = (): void => {};
        const settle = () => {
          cancelTimer();
          signal?.removeEventListener('abort', onAbort);
        };
        const admit = () => {
          settle();
          resolve();
        };
        const leave = (error: unknown) => {
          settle();
          queue.leave(key, admit);
          reject(error);
        };
        const onAbort = () => leave(signal!.reason);
        const expire = () => leave(byDeadline ? deadlineError(request) : poolError(request, key, limit!));
        if (limit === 0) return expire();
        const queued = queue.enqueue(key, admit);
        // A chain of timers past setTimeout's 24.8-day limit: a long poolTimeout is kept, not cut to 1 ms.
        if (limit !== null) cancelTimer = startTimer(limit, expire);
        signal?.addEventListener('abort', onAbort, { once: true });
        emit(request, 'pool-wait', { origin: key, queued });
      });

    // 3. Per request.
    return async function pool(request, next) {
      const key = originOf(request.url);
      if (!queue.tryTake(key)) await wait(request, key);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        queue.free(key);
      };
      let response: Response;
      try {
        response = await next(request);
      } catch (error) {
        release();
        throw error;
      }
      return releaseAtEnd(response, release);
    };
  };
  return defineMiddleware(setup(), meta, setup);
}

function poolError(request: FetchpipeRequest, origin: string, waited: number): PoolTimeoutError {
  const summary = summarize(request);
  return new PoolTimeoutError(`${EMPTY_POOL} (${origin || 'relative URLs'}: ${summary.method} ${summary.url} waited ${waited} ms)`, {
    request: summary,
  });
}

function deadlineError(request: FetchpipeRequest): TotalTimeoutError {
  const summary = summarize(request);
  return new TotalTimeoutError(`Total timeout passed while ${summary.method} ${summary.url} waited for a pool slot`, { request: summary });
}

// Re-wraps the body to see its end; a response without a body frees its slot at once.
function releaseAtEnd(response: Response, release: () => void): Response {
  const source = response.body;
  const { status } = response;
  if (source === null || status < 200 || status > 599 || NULL_BODY_STATUSES.has(status)) {
    release();
    return response;
  }
  const reader = source.getReader();
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(out) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          release();
          throw error;
        }
        if (chunk.done) {
          release();
          out.close();
        } else out.enqueue(chunk.value);
      },
      cancel(reason) {
        release();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return withBody(response, body);
}
