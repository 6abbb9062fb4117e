// withOptions(): one call's own options, without a second client. It returns a function with
// fetch's exact signature that hands the client a policy under a symbol of the init (which
// fetch ignores); the middlewares it names read their entry and run with it merged over
// their own options, for that call only.
import { objectLike, optional, parseOptions, strictObject } from '../core/config.ts';
import { POLICY } from '../core/policy.ts';
import type { FetchFunction } from '../core/request.ts';
import { ConfigError, isConfigError } from '../errors/index.ts';
import { backoff, type BackoffOptions } from '../middleware/backoff/index.ts';
import { retry, type RetryOptions } from '../middleware/retry/index.ts';
import { timeout, type TimeoutOverride } from '../middleware/timeout/index.ts';

/**
 * Per-call overrides, by middleware: each is merged over the options that middleware was
 * created with. Middlewares with per-client state (pool, rateLimit, circuitBreaker,
 * retryBudget, authRefresh) take none: one call cannot have a queue or a budget of its own.
 */
export interface CallPolicy {
  /** e.g. `{ total: 0 }` for one non-idempotent call. */
  retry?: RetryOptions;
  backoff?: BackoffOptions;
  /** e.g. `{ read: 300_000 }` for one upload. */
  timeout?: TimeoutOverride;
}

const schema = strictObject({
  retry: optional(objectLike<RetryOptions>('an object of retry() options')),
  backoff: optional(objectLike<BackoffOptions>('an object of backoff() options')),
  timeout: optional(objectLike<TimeoutOverride>('an object of timeout() limits { connect, read, total }')),
});

// Each override is checked alone, by its own factory, so a typo fails here and not at the call.
const CHECKS: Record<keyof CallPolicy, (value: never) => unknown> = {
  retry: (value: RetryOptions) => retry(value),
  backoff: (value: BackoffOptions) => backoff(value),
  timeout: (value: TimeoutOverride) => timeout(value),
};

type WithPolicy = RequestInit & { [POLICY]?: CallPolicy };

/**
 * The same client with `policy` for every call made through it: `withOptions(client, { retry: { total: 0 } })`.
 * The result is a fetch (ky, openapi-fetch and plain code take it as they take the client), and
 * nesting merges, the outer (later) wrapper winning. A name the client has no middleware for changes nothing.
 * @example
 * const client = createClient([retry({ statusForcelist: [503] }), timeout({ read: 10_000 })]);
 * const once = withOptions(client, { retry: { total: 0 } });
 * const upload = withOptions(client, { timeout: { read: 300_000 } });
 * await once('https://api.example.com/payments', { method: 'POST', body });
 */
export function withOptions(client: FetchFunction, policy: CallPolicy): FetchFunction {
  if (typeof client !== 'function') {
    throw new ConfigError(`withOptions: client: expected a client (a fetch function), received ${client === null ? 'null' : typeof client}`, { option: 'client' });
  }
  const given = parseOptions('withOptions', schema, policy);
  for (const name of Object.keys(given) as Array<keyof CallPolicy>) {
    const value = given[name];
    if (value === undefined) continue;
    try {
      CHECKS[name](value as never);
    } catch (error) {
      if (!isConfigError(error)) throw error;
      const option = `${name}.${error.option ?? 'options'}`;
      throw new ConfigError(`withOptions: ${error.message.replace(/^\w+: /, `${name}.`)}`, { option });
    }
  }
  // Frozen copies: the overrides are the keys of each middleware's cache of handlers.
  const own: CallPolicy = Object.freeze(Object.fromEntries(Object.entries(given).map(([k, v]) => [k, Object.freeze({ ...v })])));
  return function withOptions(input, init) {
    // A policy already on the init comes from a withOptions() wrapped around this one: the
    // later, more specific wrapper wins.
    const later = (init as WithPolicy | undefined)?.[POLICY];
    const merged = later === undefined ? own : mergeCached(own, later);
    return client(input, { ...init, [POLICY]: merged } as RequestInit);
  };
}

// Nested withOptions: one merged policy per pair, so that middlewares cache one handler for it.
const merges = new WeakMap<CallPolicy, WeakMap<CallPolicy, CallPolicy>>();
function mergeCached(base: CallPolicy, winner: CallPolicy): CallPolicy {
  let byWinner = merges.get(base);
  if (byWinner === undefined) merges.set(base, (byWinner = new WeakMap()));
  let merged = byWinner.get(winner);
  if (merged === undefined) {
    const names = new Set([...Object.keys(base), ...Object.keys(winner)]) as Set<keyof CallPolicy>;
    merged = Object.freeze(
      Object.fromEntries([...names].map((name) => [name, Object.freeze({ ...base[name], ...winner[name] })])),
    ) as CallPolicy;
    byWinner.set(winner, merged);
  }
  return merged;
}
