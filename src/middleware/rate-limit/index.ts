// rateLimit(): paces requests per origin on the client (a token bucket, token-bucket.ts) and
// follows the server's hints (hints.ts): when it says nothing is left until a reset, the next
// requests wait for the reset instead of failing. Place it inside retry() and backoff(), so that
// every attempt is paced, and after timeout({ total }) so that the deadline bounds the waits.
import {
  TotalTimeoutError,
  deadlineSlot,
  defineEvents,
  type EventKit,
  defineMiddleware,
  flag,
  is,
  originOf,
  milliseconds,
  nullable,
  optional,
  parseOptions,
  parseRetryAfter,
  realClock,
  strictObject,
  recordAttempt,
  summarize,
  type Clock,
  type FetchpipeRequest,
  type Input,
  type Middleware,
  type Same,
} from '../../kit/index.ts';
import { RateLimitError } from './errors.ts';

export { RateLimitError };
import { readHint, type RateLimitHint } from './hints.ts';
import { tokenBucket, type TokenBucket } from './token-bucket.ts';

/** Options of `rateLimit()`. */
export interface RateLimitOptions {
  /** Requests a second per origin, paced on the client; null: no pacing of its own, only the server's hints. @default null */
  rate?: number | null;
  /** Requests that may go at once from a full bucket. @default `rate` rounded up (one second's worth), at least 1 */
  burst?: number;
  /** Follow the server's rate-limit headers (IETF RateLimit, X-RateLimit-*, retry-after-ms, Retry-After on 429/503). @default true */
  respectHints?: boolean;
  /** The longest a request waits, in ms; a longer wait fails at once with `RateLimitError`. @default 60_000 */
  maxWait?: number;
  /** Time to pace on: `now()` and `sleep(ms, signal)`. @default real timers */
  clock?: Partial<Pick<Clock, 'now' | 'sleep'>>;
}

const schema = strictObject({
  rate: optional(nullable(is<number>('a positive number of requests a second, or null', (v) => typeof v === 'number' && v > 0 && Number.isFinite(v)))),
  burst: optional(is<number>('a positive integer', (v) => Number.isSafeInteger(v) && (v as number) >= 1)),
  respectHints: optional(flag()),
  maxWait: optional(milliseconds()),
  clock: optional(
    is<Partial<Pick<Clock, 'now' | 'sleep'>>>(
      'a clock object { now, sleep } whose members are functions',
      (v) => typeof v === 'object' && v !== null && (['now', 'sleep'] as const).every((k) => (v as Partial<Clock>)[k] === undefined || typeof (v as Partial<Clock>)[k] === 'function'),
    ),
  ),
});
true satisfies Same<Input<typeof schema>, RateLimitOptions>;


/** The custom events of `rateLimit()`: a wait before sending, and a server saying nothing is left. */
export type RateLimitEvents = {
  'rateLimit.wait': { origin: string; delayMs: number };
  'rateLimit.hint': { origin: string; source: RateLimitHint['source']; resetMs: number | null };
};
/** Emits and recognises `rateLimit()`'s events: `rateLimitEvents.is(event, 'rateLimit.wait')`. */
export const rateLimitEvents: EventKit<RateLimitEvents> = defineEvents<RateLimitEvents>();

/**
 * Paces requests per origin with a token bucket of `rate` a second and `burst` at once, and
 * follows the server's rate-limit headers: when none are left, later requests wait until the
 * reset instead of failing. Waits end at once on an abort, never run past `timeout({ total })`,
 * and a wait longer than `maxWait` fails with `RateLimitError`.
 * @example
 * createClient([retry(), backoff({ factor: 100 }), timeout({ total: 30_000 }), rateLimit({ rate: 10, burst: 5 })]);
 */
export function rateLimit(options: RateLimitOptions = {}): Middleware {
  const o = parseOptions('rateLimit', schema, options);
  const rate = o.rate ?? null;
  const burst = o.burst ?? (rate === null ? 1 : Math.max(1, Math.ceil(rate)));
  const respectHints = o.respectHints ?? true;
  const maxWait = o.maxWait ?? 60_000;
  const given = o.clock ?? {};
  const now = given.now ? () => given.now!() : realClock.now;
  const sleep: Clock['sleep'] = given.sleep ? (ms, signal) => given.sleep!(ms, signal) : realClock.sleep;
  // Per middleware value: clients given the same rateLimit() share an origin's pace, as they share its quota.
  const buckets = new Map<string, TokenBucket>();

  const wait = async (request: FetchpipeRequest, origin: string, bucket: TokenBucket, delayMs: number) => {
    const summary = summarize(request);
    if (delayMs > maxWait) {
      bucket.cancel(now());
      throw new RateLimitError(`Rate limit of ${origin || 'relative URLs'}: ${summary.method} ${summary.url} would wait ${Math.ceil(delayMs)} ms (maxWait ${maxWait} ms)`, {
        request: summary,
        waitMs: delayMs,
      });
    }
    const deadline = request.context.get(deadlineSlot);
    if (deadline !== undefined && Date.now() + delayMs > deadline) {
      bucket.cancel(now());
      throw new TotalTimeoutError(`The total deadline leaves no time for a ${Math.ceil(delayMs)} ms rate-limit wait before ${summary.method} ${summary.url}`, {
        request: summary,
      });
    }
    recordAttempt(request, { method: summary.method, url: summary.url, kind: 'rateLimit.wait', waitMs: delayMs });
    rateLimitEvents.emit(request, 'rateLimit.wait', { origin, delayMs });
    try {
      await sleep(delayMs, request.signal ?? undefined);
    } catch (error) {
      bucket.cancel(now());
      throw error;
    }
  };

  const learn = (origin: string, bucket: TokenBucket, response: Response) => {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'), Date.now(), 21_600_000);
    const hint = readHint(response.headers, response.status, Date.now(), retryAfter.kind === 'delay' && retryAfter.ms > 0 ? retryAfter.ms : undefined);
    if (hint?.remaining === 0 && hint.resetMs !== undefined && hint.resetMs > 0) bucket.closeUntil(now() + hint.resetMs);
    return hint;
  };

  return defineMiddleware(
    async function rateLimit(request, next) {
      const origin = originOf(request.url);
      let bucket = buckets.get(origin);
      if (bucket === undefined) buckets.set(origin, (bucket = tokenBucket(rate ?? Infinity, burst)));
      const delayMs = bucket.reserve(now());
      if (delayMs > 0) await wait(request, origin, bucket, delayMs);
      const response = await next(request);
      if (respectHints) {
        const hint = learn(origin, bucket, response);
        if (hint?.remaining === 0) rateLimitEvents.emit(request, 'rateLimit.hint', { origin, source: hint.source, resetMs: hint.resetMs ?? null });
      }
      return response;
    },
    {
      name: 'rateLimit',
      options: { rate, burst, respectHints, maxWait, customClock: o.clock !== undefined },
      // Inside retry(), backoff() and timeout(): every attempt is paced, and the deadline bounds the waits.
      after: ['retry', 'backoff', 'timeout'],
    },
  );
}
