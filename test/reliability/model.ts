// An independent model of urllib3 2.x `Retry` (util/retry.py: __init__, is_retry, increment,
// is_exhausted; connectionpool.urlopen and poolmanager.urlopen's use of them) with requests'
// method rewrite on redirects, written from their sources rather than from
// src/middleware/retry/index.ts, so the budget property compares two independent readings.

export type Counter = number | false | null;

export interface RetryConfig {
  total: Counter;
  connect: Counter;
  read: Counter;
  status: Counter;
  redirect: Counter;
  other: Counter;
  statusForcelist: readonly number[];
  allowedMethods: readonly string[] | null;
  postForcelist: boolean;
  respectRetryAfterHeader: boolean;
  raiseOnStatus: boolean;
  raiseOnRedirect: boolean;
}

/** What one attempt meets: a refused connection, a reset after sending, a redirect (to the same origin), or a status. */
export type Step =
  | { readonly kind: 'refuse' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'redirect'; readonly status: 301 | 302 | 303 | 307 | 308 }
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string };

/** How a call ends, after how many attempts (redirect hops included), and how many of them were followed redirects. */
export type Expected = { readonly attempts: number; readonly redirects: number } & (
  | { readonly status: number }
  | { readonly error: 'ConnectionError'; readonly phase: 'connect' | 'read' }
  | { readonly error: 'MaxRetryError'; readonly reason: 'ConnectionError' | 'ResponseError' }
);

const RETRY_AFTER_STATUS_CODES = [413, 429, 503];
export const URLLIB3_DEFAULT_METHODS = ['HEAD', 'GET', 'PUT', 'DELETE', 'OPTIONS', 'TRACE'];

// urllib3's Retry.DEFAULT, with the options fetchpipe adds at their defaults.
export const URLLIB3_DEFAULT: RetryConfig = {
  total: 3,
  connect: null,
  read: null,
  status: null,
  redirect: null,
  other: null,
  statusForcelist: [],
  allowedMethods: URLLIB3_DEFAULT_METHODS,
  postForcelist: false,
  respectRetryAfterHeader: true,
  raiseOnStatus: true,
  raiseOnRedirect: true,
};

// Python arithmetic on counters: False - 1 == -1, None stays None.
const spend = (value: Counter): Counter => (value === null ? null : Number(value) - 1);
// Python truthiness: None, False and 0 are ignored by is_exhausted.
const isExhausted = (counters: readonly Counter[]): boolean => counters.some((value) => value !== null && value !== false && value !== 0 && value < 0);

export function expectedOutcome(config: RetryConfig, method: string, steps: readonly Step[]): Expected {
  let { total, connect, read, status, redirect, other } = config;
  let raiseOnRedirect = config.raiseOnRedirect;
  // Retry.__init__: redirect=False or total=False means redirects are returned, not raised.
  if (redirect === false || total === false) {
    redirect = 0;
    raiseOnRedirect = false;
  }
  let redirects = 0;
  // SPEC §1: matching is case-insensitive on both sides (urllib3 upper-cases only the method).
  const allowed = (m: string): boolean => config.allowedMethods === null || config.allowedMethods.some((a) => a.toUpperCase() === m.toUpperCase());
  const exhausted = (): boolean => isExhausted([total, connect, read, status, redirect, other]);
  for (let attempt = 1; ; attempt++) {
    if (attempt > 100) throw new Error('model: this configuration never gives up on this schedule');
    const step = steps[Math.min(attempt - 1, steps.length - 1)]!;
    if (step.kind === 'redirect') {
      total = spend(total);
      redirect = spend(redirect);
      if (exhausted()) {
        return raiseOnRedirect
          ? { attempts: attempt, redirects, error: 'MaxRetryError', reason: 'ResponseError' }
          : { attempts: attempt, redirects, status: step.status };
      }
      redirects++;
      // requests' rebuild_method: 302 and 303 turn anything but HEAD into GET, 301 only POST.
      if ((step.status === 302 || step.status === 303) && method !== 'HEAD') method = 'GET';
      if (step.status === 301 && method === 'POST') method = 'GET';
      continue;
    }
    if (step.kind === 'refuse' || step.kind === 'reset') {
      const phase = step.kind === 'refuse' ? 'connect' : 'read';
      const original = { attempts: attempt, redirects, error: 'ConnectionError', phase } as const;
      if (total === false) return original;
      if (phase === 'connect') {
        if (connect === false) return original;
        connect = spend(connect);
      } else {
        if (read === false || !allowed(method)) return original;
        read = spend(read);
      }
      total = spend(total);
      if (exhausted()) return { attempts: attempt, redirects, error: 'MaxRetryError', reason: 'ConnectionError' };
      continue;
    }
    const forced = config.statusForcelist.includes(step.status);
    const isRetry =
      (config.postForcelist && method === 'POST' && forced) ||
      (allowed(method) &&
        (forced ||
          // `self.total` is what is left of the budget, not what was configured.
          (total !== null && total !== false && total !== 0 &&
            config.respectRetryAfterHeader &&
            Boolean(step.retryAfter) &&
            RETRY_AFTER_STATUS_CODES.includes(step.status))));
    if (!isRetry) return { attempts: attempt, redirects, status: step.status };
    total = spend(total);
    status = spend(status);
    if (exhausted()) {
      return config.raiseOnStatus
        ? { attempts: attempt, redirects, error: 'MaxRetryError', reason: 'ResponseError' }
        : { attempts: attempt, redirects, status: step.status };
    }
  }
}
