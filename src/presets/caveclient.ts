// caveclient(): CAVEclient's `set_session_defaults`, as a list of middlewares. The session
// defaults are module state by nature (CAVEclient keeps them global); they live here only,
// are read when caveclient() is called, and setSessionDefaults() resets what it is not given.
import type { Middleware } from '../core/request.ts';
import { count, flag, type Input, type Same, is, isCount, nullable, objectLike, optional, parseOptions, type Rule, seconds, statusList, strictObject } from '../core/config.ts';
import type { Clock } from '../core/clock.ts';
import { backoff } from '../middleware/backoff/index.ts';
import { pool } from '../middleware/pool/index.ts';
import { redirect } from '../middleware/redirect/index.ts';
import { retry } from '../middleware/retry/index.ts';

/** CAVEclient's session defaults, in its own units (seconds). */
export interface SessionDefaults {
  /** Retries of any kind (urllib3 `total`). @default 3 */
  readonly maxRetries: number;
  /** Whether requests wait for a free connection. @default false */
  readonly poolBlock: boolean;
  /** Connections kept per host (in flight per origin when `poolBlock`). @default 10 */
  readonly poolMaxsize: number;
  /** Seconds; waits are 0, 2·f, 4·f, … @default 0.1 */
  readonly backoffFactor: number;
  /** Seconds: the longest wait. @default 120 */
  readonly backoffMax: number;
  /** Statuses always retried (for GET and POST); `null` (the seed's `Optional[Collection]`): none. @default [502, 503, 504] */
  readonly statusForcelist: readonly number[] | null;
}

const DEFAULTS = Object.freeze({
  maxRetries: 3,
  poolBlock: false,
  poolMaxsize: 10,
  backoffFactor: 0.1,
  backoffMax: 120,
  statusForcelist: Object.freeze([502, 503, 504]),
}) satisfies SessionDefaults;

const positive = (): Rule<number> => is<number>('a positive integer', (v) => isCount(v) && v >= 1);

const defaultsSchema = strictObject({
  maxRetries: optional(count()),
  poolBlock: optional(flag()),
  poolMaxsize: optional(positive()),
  backoffFactor: optional(seconds()),
  backoffMax: optional(seconds()),
  statusForcelist: optional(nullable(statusList())),
});

/** Per-client overrides: only these three exist in CAVEclient. An explicit 0 or false is honoured. */
export interface CaveclientOverrides {
  /** Retries of any kind. @default the session default */
  maxRetries?: number;
  /** Whether requests wait for a free connection. @default the session default */
  poolBlock?: boolean;
  /** Connections kept per host. @default the session default */
  poolMaxsize?: number;
  /** Time to wait on, e.g. `recordingClock()`. @default real timers */
  clock?: Partial<Clock>;
}

const overridesSchema = strictObject({
  maxRetries: optional(count()),
  poolBlock: optional(flag()),
  poolMaxsize: optional(positive()),
  clock: optional(objectLike<Partial<Clock>>('a clock object')),
});

true satisfies Same<Input<typeof overridesSchema>, CaveclientOverrides>;

let current: SessionDefaults = DEFAULTS;

/**
 * Sets the defaults for presets created after the call; every option left out goes back to
 * its default, and `setSessionDefaults()` restores them all. Bad input changes nothing.
 * @example
 * setSessionDefaults({ maxRetries: 5, backoffFactor: 0.5, backoffMax: 240, statusForcelist: [502, 503, 504, 505] });
 */
export function setSessionDefaults(options: Partial<SessionDefaults> = {}): void {
  const given = parseOptions('setSessionDefaults', defaultsSchema, options);
  current = Object.freeze({
    ...DEFAULTS,
    ...Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)),
    // `null` is kept as given: CAVEclient's Retry gets None, which forces no status.
    statusForcelist: given.statusForcelist === null ? null : Object.freeze([...(given.statusForcelist ?? DEFAULTS.statusForcelist)]),
  });
}

/** A copy of the current session defaults: changing it changes nothing. */
export function getSessionDefaults(): SessionDefaults {
  return { ...current, statusForcelist: current.statusForcelist === null ? null : [...current.statusForcelist] };
}

/**
 * CAVEclient's session: retry GET and POST on 502/503/504 up to `maxRetries` times with
 * backoff 0, 0.2, 0.4 s…, returning the last response when retries run out, behind its pool.
 * Redirects are followed as requests' Session follows them: outside the retry budget (each hop
 * gets its own), at most 30, with requests' method rewriting. An invalid Retry-After throws
 * `InvalidHeaderError`, as urllib3 raises `InvalidHeader`.
 * @example
 * const client = createClient([...caveclient({ maxRetries: 5 }), baseUrl('https://cave.example.org/')]);
 */
export function caveclient(overrides: CaveclientOverrides = {}): readonly Middleware[] {
  const o = parseOptions('caveclient', overridesSchema, overrides);
  const d = current;
  return Object.freeze([
    // requests' Session.resolve_redirects, outside HTTPAdapter.send (which calls urlopen with
    // redirect=False): redirect() in front of retry() gives every hop a fresh Retry budget.
    redirect(),
    retry({
      total: o.maxRetries ?? d.maxRetries,
      statusForcelist: [...(d.statusForcelist ?? [])],
      allowedMethods: ['GET', 'POST'],
      raiseOnStatus: false,
      strictRetryAfter: true,
    }),
    backoff({ factor: d.backoffFactor * 1000, max: d.backoffMax * 1000, ...(o.clock ? { clock: o.clock } : {}) }),
    pool({ maxsize: o.poolMaxsize ?? d.poolMaxsize, block: o.poolBlock ?? d.poolBlock }),
  ]);
}
