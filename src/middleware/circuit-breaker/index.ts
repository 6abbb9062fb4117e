// circuitBreaker(): fail fast while an origin is down. One circuit per origin, each a state
// machine (state.ts) on the middleware's clock. Its place is inside retry(), so that every
// attempt is one sample and an open circuit's error ends the call at once.
import {
  ConfigError,
  defineEvents,
  type EventKit,
  defineMiddleware,
  fn,
  is,
  isAbortError,
  originOf,
  isCount,
  milliseconds,
  nullable,
  objectLike,
  optional,
  parseOptions,
  strictObject,
  recordAttempt,
  summarize,
  type FetchpipeRequest,
  type Input,
  type Middleware,
  type Same,
} from '../../kit/index.ts';
import { CircuitOpenError } from './errors.ts';

export { CircuitOpenError };
import { breaker, type Breaker, type CircuitState, type Transition } from './state.ts';

export type { CircuitState } from './state.ts';

/** What `isFailure` is shown: the response of an attempt, or its error. */
export interface AttemptOutcome {
  readonly request: FetchpipeRequest;
  readonly response?: Response;
  readonly error?: unknown;
}

/** Options of `circuitBreaker()`. Durations in milliseconds. */
export interface CircuitBreakerOptions {
  /** Failures in a row that open an origin's circuit; null: not counted. @default 5 */
  consecutiveFailures?: number | null;
  /** Share of failed attempts over `window` that opens the circuit, in (0, 1]; null: not counted. @default null */
  failureRatio?: number | null;
  /** The sliding window of `failureRatio`, in ms. @default 10_000 */
  window?: number;
  /** Attempts needed in the window before `failureRatio` counts. @default 10 */
  minimumCalls?: number;
  /** How long a circuit stays open before it lets one probe through, in ms. @default 30_000 */
  coolDown?: number;
  /** Whether an attempt failed. @default an error other than an abort, or a status of 500 or more */
  isFailure?: (outcome: AttemptOutcome) => boolean;
  /** The clock the circuits run on; only `now()` is read. @default `Date.now` */
  clock?: { now(): number };
}

const schema = strictObject({
  consecutiveFailures: optional(nullable(is<number>('a positive integer or null', (v) => isCount(v) && v >= 1))),
  failureRatio: optional(nullable(is<number>('a number above 0 and at most 1, or null', (v) => typeof v === 'number' && v > 0 && v <= 1))),
  window: optional(is<number>('a positive number of milliseconds', (v) => typeof v === 'number' && v > 0 && Number.isFinite(v))),
  minimumCalls: optional(is<number>('a positive integer', (v) => isCount(v) && v >= 1)),
  coolDown: optional(milliseconds()),
  isFailure: optional(fn<(outcome: AttemptOutcome) => boolean>()),
  clock: optional(objectLike<{ now(): number }>('a clock object with a now() function').check((payload) => {
    if (typeof (payload.value as { now?: unknown }).now !== 'function') {
      payload.issues.push({ code: 'custom', message: 'expected a clock object with a now() function', input: payload.value, path: [] });
    }
  })),
});
true satisfies Same<Input<typeof schema>, CircuitBreakerOptions>;


/** What `circuits()` shows of one origin's circuit. */
export interface CircuitSnapshot {
  readonly state: CircuitState;
  /** When an open circuit lets a probe through; undefined otherwise. */
  readonly openUntil: number | undefined;
  readonly consecutiveFailures: number;
  /** Attempts and failures in the ratio's window. */
  readonly window: { readonly calls: number; readonly failures: number };
}

/** The breaker middleware, with its circuits open to inspection. */
export interface CircuitBreaker extends Middleware {
  /** Every origin's circuit, by origin, as it stands now. */
  circuits(): ReadonlyMap<string, CircuitSnapshot>;
}

/** The custom events of `circuitBreaker()`: one per change of an origin's circuit. */
export type CircuitBreakerEvents = { 'circuitBreaker.state': { origin: string; from: CircuitState; to: CircuitState; reason: string } };
/** Emits and recognises `circuitBreaker()`'s events: `circuitBreakerEvents.is(event, 'circuitBreaker.state')`. */
export const circuitBreakerEvents: EventKit<CircuitBreakerEvents> = defineEvents<CircuitBreakerEvents>();

const defaultIsFailure = ({ response, error }: AttemptOutcome) => (response === undefined ? !isAbortError(error) : response.status >= 500);

/**
 * Opens an origin's circuit after `consecutiveFailures` failed attempts in a row (or a
 * `failureRatio` over `window`), fails fast with `CircuitOpenError` while open, and after
 * `coolDown` lets one probe through (half-open) whose outcome closes or reopens it. Place it
 * inside `retry()`: each attempt is one sample, and retry() does not retry its error.
 * @example
 * const breaker = circuitBreaker({ consecutiveFailures: 5, coolDown: 30_000 });
 * createClient([retry(), backoff({ factor: 100 }), breaker]);
 * breaker.circuits().get('https://api.example.com')?.state; // 'closed'
 */
export function circuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  const o = parseOptions('circuitBreaker', schema, options);
  const rules = {
    consecutiveFailures: o.consecutiveFailures === undefined ? 5 : o.consecutiveFailures,
    failureRatio: o.failureRatio ?? null,
    window: o.window ?? 10_000,
    minimumCalls: o.minimumCalls ?? 10,
    coolDown: o.coolDown ?? 30_000,
  };
  if (rules.consecutiveFailures === null && rules.failureRatio === null) {
    throw new ConfigError('circuitBreaker: consecutiveFailures: with failureRatio null too, nothing would ever open the circuit', {
      option: 'consecutiveFailures',
    });
  }
  const isFailure = o.isFailure ?? defaultIsFailure;
  const clock = o.clock;
  const now = clock ? () => clock.now() : () => Date.now();
  // Per middleware value, so that circuits() can show them: clients given the same breaker share
  // its circuits, which is what an origin's health is.
  const circuits = new Map<string, Breaker>();

  const announce = (request: FetchpipeRequest, origin: string, transitions: readonly Transition[]) => {
    for (const { from, to, reason } of transitions) circuitBreakerEvents.emit(request, 'circuitBreaker.state', { origin, from, to, reason });
  };

  const middleware = defineMiddleware(
    async function circuitBreaker(request, next) {
      const origin = originOf(request.url);
      let circuit = circuits.get(origin);
      if (circuit === undefined) circuits.set(origin, (circuit = breaker(rules)));
      const admission = circuit.admit(now());
      announce(request, origin, circuit.drain());
      if (!admission.admitted) {
        const summary = summarize(request);
        const error = new CircuitOpenError(
          `Circuit open for ${origin || 'relative URLs'}: ${summary.method} ${summary.url} not sent (next probe in ${Math.max(0, Math.ceil(admission.retryAt - now()))} ms)`,
          { request: summary, origin, retryAt: admission.retryAt },
        );
        recordAttempt(request, { method: summary.method, url: summary.url, kind: 'circuitBreaker.open', error });
        throw error;
      }
      const settle = (outcome: AttemptOutcome) => {
        // A caller's abort says nothing about the origin: the sample, or the probe, is given back.
        if (outcome.error !== undefined && request.signal?.aborted) return circuit.release(admission.probe);
        let failed: boolean;
        try {
          failed = isFailure(outcome);
        } catch {
          failed = true;
        }
        circuit.record(now(), failed, admission.probe);
        announce(request, origin, circuit.drain());
      };
      let response: Response;
      try {
        response = await next(request);
      } catch (error) {
        settle({ request, error });
        throw error;
      }
      settle({ request, response });
      return response;
    },
    {
      name: 'circuitBreaker',
      options: { ...rules, customIsFailure: o.isFailure !== undefined, customClock: clock !== undefined },
      // Inside retry(): each attempt is one sample, and retry() ends the call on its error.
      after: ['retry'],
    },
  );
  return Object.assign(middleware, {
    circuits: (): ReadonlyMap<string, CircuitSnapshot> =>
      new Map(
        [...circuits].map(([origin, c]) => [
          origin,
          Object.freeze({ state: c.state, openUntil: c.openUntil, consecutiveFailures: c.consecutive, window: c.window }),
        ]),
      ),
  });
}
