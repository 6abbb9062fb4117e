// fetchpipe/testing: a scripted backend and an instant clock, for retry tests that never wait.
// Nothing here touches a timer (no setTimeout, setImmediate or queueMicrotask), so both work
// under fake timers: the traps of msw #448 and p-retry #49 were waits scheduled on a timer
// that a faked clock never fires.
import { parseOptions } from '../core/config.ts';
import * as z from '../core/zod.ts';
import type { FetchFunction } from '../core/request.ts';
import type { Clock } from '../core/clock.ts';
import { withFields } from '../core/response.ts';

/** A step of `sequence()`: a status, a response, or a network failure. */
export type Step = number | ResponseStep | 'network-error' | 'connection-refused';

/** A response to play. */
export interface ResponseStep {
  /** @default 200 */
  status?: number;
  /** @default '' */
  statusText?: string;
  headers?: Record<string, string>;
  /** The body as text. */
  body?: string;
  /** A body to send as JSON, with `content-type: application/json`. */
  json?: unknown;
}

export interface SequenceOptions {
  /** Play the last step again once all are used; with `false`, a call past the end fails. @default true */
  repeatLast?: boolean;
}

/** A request as the sequence saw it. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body read as text, or null when there was none. */
  readonly body: string | null;
}

/** A fetch that plays scripted steps, with what it was asked. */
export interface Sequence extends FetchFunction {
  /** How many requests arrived so far. */
  readonly calls: number;
  /** Every request, in order of arrival. */
  readonly requests: readonly RecordedRequest[];
  /** Answers a `Request` with the next step; a network failure is `Response.error()`, as msw expects. */
  respond(request: Request): Promise<Response>;
}

const status = z.int({ error: 'expected an HTTP status from 200 to 599' }).check(
  z.gte(200, { error: 'expected an HTTP status from 200 to 599' }),
  z.lte(599, { error: 'expected an HTTP status from 200 to 599' }),
);
const stepSchema = z.union(
  [
    status,
    z.literal(['network-error', 'connection-refused']),
    z.strictObject({
      status: z.optional(status),
      statusText: z.optional(z.string({ error: 'expected a string' })),
      headers: z.optional(z.record(z.string(), z.string(), { error: 'expected an object of header names to strings' })),
      body: z.optional(z.string({ error: 'expected a string' })),
      json: z.optional(z.unknown()),
    }),
  ],
  { error: "expected a status, a response object, 'network-error' or 'connection-refused'" },
);
const stepsSchema = z.array(stepSchema, { error: 'expected a non-empty array of steps' }).check(
  z.minLength(1, { error: 'expected a non-empty array of steps' }),
);
const optionsSchema = z.strictObject({ repeatLast: z.optional(z.boolean({ error: 'expected true or false' })) });

// Statuses whose responses may not carry a body (the Response constructor refuses one).
const NULL_BODY = new Set([204, 205, 304]);

interface Reply {
  kind: 'response';
  init: ResponseInit;
  body: string | null;
}
type Played = Reply | { kind: 'network-error' } | { kind: 'connection-refused' };

function prepare(step: Step): Played {
  if (step === 'network-error' || step === 'connection-refused') return { kind: step };
  const { status = 200, statusText = '', headers = {}, body, json } = typeof step === 'number' ? { status: step } : step;
  const own = new Headers(headers);
  let text = body ?? null;
  if (json !== undefined) {
    text = JSON.stringify(json);
    if (!own.has('content-type')) own.set('content-type', 'application/json');
  }
  return { kind: 'response', init: { status, statusText, headers: [...own] }, body: NULL_BODY.has(status) ? null : text };
}

/**
 * A fetch that answers each call with the next step: `[503, 503, 200]` fails twice, then succeeds.
 * Once the steps are used up, the last one repeats (unless `repeatLast: false`). It counts calls
 * and records each request's method, URL, headers and body text. `'network-error'` fails like a
 * browser's "Failed to fetch" (a read-phase ConnectionError); `'connection-refused'` like Node's
 * refused connection (a connect-phase one). Responses never wait on a timer.
 * @example
 * const backend = sequence([{ status: 503, headers: { 'retry-after': '1' } }, 'network-error', { status: 200, body: 'ok' }]);
 * const client = createClient([retry({ total: 3, statusForcelist: [503] })], { fetch: backend });
 * await client('https://api.example.com/x'); // backend.calls === 3
 */
export function sequence(steps: readonly Step[], options: SequenceOptions = {}): Sequence {
  const played = parseOptions('sequence', stepsSchema, steps).map((step) => prepare(step as Step));
  const { repeatLast = true } = parseOptions('sequence', optionsSchema, options);
  const requests: RecordedRequest[] = [];
  let calls = 0;

  // The step is chosen when the call arrives, so concurrent calls get steps in arrival order.
  function next(): { index: number; step: Played } {
    const index = calls++;
    const step = played[index] ?? (repeatLast ? played[played.length - 1] : undefined);
    if (step === undefined) {
      throw new Error(`sequence: call ${index + 1} arrived after all ${played.length} steps were played (repeatLast: false)`);
    }
    return { index, step };
  }

  function answer(step: Reply, url: string): Response {
    // A constructed Response has an empty url; a fetched one has the request's. (Configurable:
    // msw's web FetchInterceptor, used in Deno and Bun, sets it again on a mocked response.)
    return withFields(new Response(step.body, step.init), { url });
  }

  const fetchSequence = async function sequence(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const { index, step } = next();
    const request = input instanceof Request ? input : undefined;
    const signal = init?.signal ?? request?.signal;
    if (signal?.aborted) throw signal.reason;
    const url = absolute(request ? request.url : String(input));
    const body = init?.body !== undefined ? init.body : (request?.body ?? null);
    requests[index] = Object.freeze({
      method: (init?.method ?? request?.method ?? 'GET').toUpperCase(),
      url,
      headers: Object.freeze(Object.fromEntries(new Headers(init?.headers ?? request?.headers))),
      body: body === null ? null : await new Response(body).text(),
    });
    if (signal?.aborted) throw signal.reason;
    if (step.kind === 'network-error') throw new TypeError('Failed to fetch');
    if (step.kind === 'connection-refused') {
      // What undici throws: a TypeError whose cause carries the system error code.
      const cause = Object.assign(new Error(`connect ECONNREFUSED ${hostOf(url)}`), { code: 'ECONNREFUSED' });
      throw new TypeError('fetch failed', { cause });
    }
    return answer(step, url);
  };

  async function respond(request: Request): Promise<Response> {
    const { index, step } = next();
    requests[index] = Object.freeze({
      method: request.method,
      url: request.url,
      headers: Object.freeze(Object.fromEntries(request.headers)),
      body: request.body === null ? null : await request.text(),
    });
    return step.kind === 'response' ? answer(step, request.url) : Response.error();
  }

  return Object.defineProperties(fetchSequence, {
    calls: { get: () => calls, enumerable: true },
    requests: { value: requests, enumerable: true },
    respond: { value: respond, enumerable: true },
  }) as Sequence;
}

function absolute(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

function hostOf(url: string): string {
  try {
    const { hostname, port } = new URL(url);
    return `${hostname}:${port || '80'}`;
  } catch {
    return url;
  }
}

export interface RecordingClockOptions {
  /** What `random()` returns: a number in [0, 1), or a function giving one. @default 0 */
  random?: number | (() => number);
  /** What `now()` returns before any wait, in milliseconds since the epoch. @default `Date.now()` at creation */
  start?: number;
}

/** A clock for `backoff({ clock })` and the presets that sleeps instantly and remembers every wait. */
export interface RecordingClock extends Clock {
  /** Every completed wait, in milliseconds, oldest first. */
  readonly waits: readonly number[];
  /** Resolves at once, through a resolved promise, and records `ms`; rejects with `signal.reason` if aborted. */
  sleep(ms: number, signal?: AbortSignal | null): Promise<void>;
  /** `start` plus every recorded wait, in milliseconds. */
  now(): number;
  random(): number;
}

const unit = z.number({ error: 'expected a number from 0 to 1 (exclusive)' }).check(
  z.gte(0, { error: 'expected a number from 0 to 1 (exclusive)' }),
  z.lt(1, { error: 'expected a number from 0 to 1 (exclusive)' }),
);
const clockSchema = z.strictObject({
  random: z.optional(z.union([unit, z.custom<() => number>((v) => typeof v === 'function')], {
    error: 'expected a number from 0 to 1 (exclusive) or a function returning one',
  })),
  start: z.optional(z.number({ error: 'expected a number of milliseconds since the epoch' }).check(
    z.refine(Number.isFinite, { error: 'expected a number of milliseconds since the epoch' }),
  )),
});

/**
 * A clock whose `sleep` never waits on a timer, so schedules run instantly, fake timers or not.
 * `waits` holds each wait in milliseconds (the presets' seconds × 1000); `now()` moves with them.
 * @example
 * const clock = recordingClock();
 * const client = createClient([retry({ total: 3, statusForcelist: [503] }), backoff({ factor: 100, clock })], { fetch: sequence([503]) });
 * await client('https://api.example.com/x').catch(() => {}); // clock.waits: [0, 200, 400]
 */
export function recordingClock(options: RecordingClockOptions = {}): RecordingClock {
  const { random = 0, start = Date.now() } = parseOptions('recordingClock', clockSchema, options);
  const waits: number[] = [];
  let elapsed = 0;
  const clock: Omit<RecordingClock, 'waits'> = {
    sleep(ms, signal) {
      if (typeof ms !== 'number' || !(ms >= 0) || !Number.isFinite(ms)) {
        return Promise.reject(new RangeError(`recordingClock: sleep: expected a non-negative number of milliseconds, received ${String(ms)}`));
      }
      if (signal?.aborted) return Promise.reject(signal.reason);
      // One microtask, as a real sleep of 0 would yield: an abort raised meanwhile still wins.
      return Promise.resolve().then(() => {
        if (signal?.aborted) throw signal.reason;
        waits.push(ms);
        elapsed += ms;
      });
    },
    now: () => start + elapsed,
    random: typeof random === 'function' ? random : () => random,
  };
  // Not enumerable: a clock is validated as exactly { sleep, now, random } where it is passed in.
  return Object.defineProperty(clock, 'waits', { value: waits, enumerable: false }) as RecordingClock;
}
