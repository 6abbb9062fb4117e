// retry(): urllib3's Retry. It decides *whether* to try again and records why in the call's
// history; backoff(), placed after it, reads that history to decide *how long* to wait.
import {
  InvalidHeaderError,
  MaxRetryError,
  ResponseError,
  currentHopSlot,
  defineMiddleware,
  discard,
  emit,
  flag,
  fn,
  is,
  isCount,
  isFollowedByPlatform,
  isStream,
  isString,
  listOf,
  markFollowedByPlatform,
  maskText,
  milliseconds,
  nullable,
  optional,
  parseOptions,
  recordAttempt,
  redirectPolicySlot,
  retryableOf,
  statusList,
  strictObject,
  summarize,
  type AttemptRecord,
  type FetchpipeRequest,
  type Input,
  type Middleware,
  type Next,
  type RedirectPolicy,
  type RetryCounter,
  type Same,
  idempotentSlot,
  overridable,
  retryVetoSlot,
} from '../../kit/index.ts';
import { budgetOf, exhaustedAfter, spent } from './budget.ts';
import { attemptedUrl, maxRetriesMessage } from './attempted-url.ts';
import { parseRetryAfter } from './retry-after.ts';

type Kind = RetryCounter;

/** What `shouldRetry` is shown before a retry that the rules and the budget allow. */
export interface RetryInfo {
  readonly request: FetchpipeRequest;
  readonly kind: Exclude<Kind, 'redirect'>;
  readonly error?: unknown;
  readonly response?: Response;
  /** Retries already made in this call. */
  readonly retries: number;
}

/** Options of `retry()`: urllib3's Retry parameters, in camelCase and milliseconds. */
export interface RetryOptions {
  /** Retries of any kind. `false`: none (errors rethrown as they are, redirects returned); `null`: no overall cap. @default 3 */
  total?: number | false | null;
  /** Retries after a connection error (the request never reached the server), for any method. @default null */
  connect?: number | false | null;
  /** Retries after an error once sent (reset, read timeout), allowed methods only; `false` rethrows at once. @default null */
  read?: number | false | null;
  /** Retries after a retryable status. @default null */
  status?: number | false | null;
  /** Redirects an inner `redirect()` may follow; `false` returns the 3xx. @default null */
  redirect?: number | false | null;
  /** Retries after any other error. @default null */
  other?: number | false | null;
  /** Methods retried on statuses and read errors, case-insensitive; `null`: any. @default DEFAULT_ALLOWED_METHODS */
  allowedMethods?: readonly string[] | null;
  /** Statuses always retried (for allowed methods). @default [] */
  statusForcelist?: readonly number[];
  /** qBraid's rule: POST is retried on a forcelist status too. @default false */
  postForcelist?: boolean;
  /** Retry 413, 429 and 503 that carry a Retry-After (while `total` has some left). @default true */
  respectRetryAfterHeader?: boolean;
  /** The longest Retry-After honoured, in ms. @default 21_600_000 */
  retryAfterMax?: number;
  /** An invalid Retry-After throws `InvalidHeaderError`, as urllib3 does; otherwise it counts as absent. @default false */
  strictRetryAfter?: boolean;
  /** When retries run out on a status: throw `MaxRetryError`, or return the last response. @default true */
  raiseOnStatus?: boolean;
  /** When redirects run out: throw, or return the last 3xx. @default true */
  raiseOnRedirect?: boolean;
  /** May veto a retry the rules allow; never extends the budget. @default undefined */
  shouldRetry?: (info: RetryInfo) => boolean | Promise<boolean>;
}

const COUNTER = 'a non-negative integer, false or null';
const counter = () => optional(is<number | false | null>(COUNTER, (v) => v === false || v === null || isCount(v)));

const schema = strictObject({
  total: counter(),
  connect: counter(),
  read: counter(),
  status: counter(),
  redirect: counter(),
  other: counter(),
  allowedMethods: optional(
    nullable(listOf<string>('an array of method names or null (any method)', (v) => (isString(v) ? undefined : 'a method name'))),
  ),
  statusForcelist: optional(statusList()),
  postForcelist: optional(flag()),
  respectRetryAfterHeader: optional(flag()),
  retryAfterMax: optional(milliseconds()),
  strictRetryAfter: optional(flag()),
  raiseOnStatus: optional(flag()),
  raiseOnRedirect: optional(flag()),
  shouldRetry: optional(fn<(info: RetryInfo) => boolean | Promise<boolean>>()),
});
true satisfies Same<Input<typeof schema>, RetryOptions>;

/** urllib3's `Retry.DEFAULT_ALLOWED_METHODS`: the idempotent ones. */
export const DEFAULT_ALLOWED_METHODS: readonly string[] = Object.freeze(['HEAD', 'GET', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']);
/** Statuses retried when they carry a Retry-After (urllib3's RETRY_AFTER_STATUS_CODES). */
const RETRY_AFTER_STATUSES = [413, 429, 503];
const DEFAULT_RETRY_AFTER_MAX = 21_600_000;


// Whether and as what an error is retried is the error's own say (its `retryable`), never a
// list of names kept here: a middleware's own error class decides for itself.
function classify(error: unknown): Exclude<Kind, 'status' | 'redirect'> | undefined {
  const retryable = retryableOf(error);
  return retryable === false ? undefined : retryable;
}

// Where a retry() was entered for a call (or a hop): the history length then, from which its
// budget counts, and the hop a redirect() in front had published, which it must not re-send instead.
interface Entry {
  readonly start: number;
  readonly hop: FetchpipeRequest | undefined;
}

/** The history record of an attempt that spent from the `kind` counter. */
function entry(request: FetchpipeRequest, kind: Kind, extra: Partial<AttemptRecord>): AttemptRecord {
  return { method: request.method, url: maskText(request.url, request.context.masker), kind, ...extra };
}

/**
 * Retries failed attempts with urllib3's Retry semantics: separate budgets for connect, read,
 * status, redirect and other failures under a `total`, idempotent methods only for reads and
 * statuses, Retry-After on 413/429/503, and a history of every retry.
 * @example
 * createClient([retry({ total: 3, statusForcelist: [502, 503, 504] }), backoff({ factor: 100 })]);
 */
export function retry(options: RetryOptions = {}): Middleware {
  // 1. Config, once: the options are validated and resolved when the factory is called.
  const o = parseOptions('retry', schema, options);
  const total = o.total === undefined ? 3 : o.total;
  const allowed = o.allowedMethods === undefined ? DEFAULT_ALLOWED_METHODS : o.allowedMethods;
  const allowedSet = allowed === null ? null : new Set(allowed.map((m) => m.toUpperCase()));
  const forcelist = new Set(o.statusForcelist ?? []);
  const postForcelist = o.postForcelist ?? false;
  const respectRetryAfter = o.respectRetryAfterHeader ?? true;
  const retryAfterMax = o.retryAfterMax ?? DEFAULT_RETRY_AFTER_MAX;
  const strictRetryAfter = o.strictRetryAfter ?? false;
  const raiseOnStatus = o.raiseOnStatus ?? true;
  // urllib3: `total=False` or `redirect=False` means redirects are returned, not followed or raised.
  const redirectOff = total === false || o.redirect === false;
  const raiseOnRedirect = redirectOff ? false : (o.raiseOnRedirect ?? true);
  const shouldRetry = o.shouldRetry;

  // A status worth a look at all; anything else returns at the cost of one array read.
  // A flat table over every status a Response can have (0 for opaque ones, up to 599): reading a
  // sparse array at 200 misses into its holes on every call, which V8 serves on a slow path.
  const mayRetry = new Uint8Array(600);
  for (const status of forcelist) mayRetry[status] = 1;
  if (respectRetryAfter && total) for (const status of RETRY_AFTER_STATUSES) mayRetry[status] = 1;

  // A call a middleware marked idempotent (a keyed POST) is retried as an allowed method is.
  const methodAllowed = (method: string, request?: FetchpipeRequest) =>
    allowedSet === null || allowedSet.has(method) || (request !== undefined && request.context.get(idempotentSlot) === true);

  // The counters as configured, for explain(): false stays false, an unset counter is null.
  const counters = {
    total,
    connect: o.connect ?? null,
    read: o.read ?? null,
    status: o.status ?? null,
    redirect: redirectOff ? false : (o.redirect ?? null),
    other: o.other ?? null,
  };
  const budget = budgetOf(counters);
  const exhausted = (history: readonly AttemptRecord[], start: number) => exhaustedAfter(budget, history, start);

  // The policy an inner redirect() asks; it counts from where this retry() was entered.
  const policyFrom = (start: number): RedirectPolicy => (request, response) => {
    if (!exhaustedAfter(budget, [...request.context.history, { kind: 'redirect' }], start)) return 'follow';
    if (!raiseOnRedirect) return 'return';
    throw giveUp(request, new ResponseError('too many redirects'), [
      ...request.context.history,
      entry(request, 'redirect', { status: response.status }),
    ], response);
  };
  const redirectPolicy = policyFrom(0);

  // The request of the error names the URL that was actually attempted (absolute, masked), even
  // when baseUrl() stands inside retry() and the request here is still relative.
  function giveUp(request: FetchpipeRequest, reason: unknown, history: readonly AttemptRecord[], response?: Response, veto?: string): MaxRetryError {
    const summary = { method: request.method, url: attemptedUrl(request, reason, response) };
    const why = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
    emit(request, 'give-up', { reason: veto === undefined ? why : `${why}; ${veto}` });
    return new MaxRetryError(maxRetriesMessage(summary.url, reason), {
      request: summary,
      reason,
      history,
    });
  }

  async function vetoed(info: RetryInfo): Promise<boolean> {
    return shouldRetry !== undefined && !(await shouldRetry(info));
  }

  // The usual call costs one `.then`: only a failure, or a status worth a look, goes further.
  function send(current: FetchpipeRequest, next: Next, at: Entry): Promise<Response> {
    return next(current).then(
      (response) => (mayRetry[response.status] === 1 ? afterStatus(current, next, response, at) : response),
      (error: unknown) => afterError(current, next, error, at),
    );
  }

  function sendAgain(current: FetchpipeRequest, next: Next, kind: Exclude<Kind, 'redirect'>, reason: string, at: Entry): Promise<Response> {
    emit(current, 'retry', { kind, reason });
    const again = { ...current, attempt: current.attempt + 1 };
    return send(isFollowedByPlatform(current) ? markFollowedByPlatform(again) : again, next, at);
  }

  // After an inner redirect() followed hops, the failure belongs to the last hop: that is what a
  // retry re-sends (urllib3 retries the hop). A hop published before this retry() was entered is
  // the one it was given, already in `sent`.
  function lastHop(sent: FetchpipeRequest, at: Entry): FetchpipeRequest {
    const hop = sent.context.get(currentHopSlot);
    return hop !== undefined && hop !== at.hop ? hop : sent;
  }

  async function afterError(sent: FetchpipeRequest, next: Next, error: unknown, at: Entry): Promise<Response> {
    const current = lastHop(sent, at);
    const kind = classify(error);
    // A user's abort surfaces at once, whatever the budget says. A request the platform follows
    // after a hidden redirect failed in its chain (see redirect/slots.ts): redirect() reports it.
    if (kind === undefined || current.signal?.aborted || isFollowedByPlatform(current)) throw error;
    if (total === false) throw error;
    if (kind === 'connect' && o.connect === false) throw error;
    if (kind === 'read' && (o.read === false || !methodAllowed(current.method, current))) throw error;
    // A one-shot stream was (or may have been) consumed: sending it again would send it empty.
    if (isStream(current.body)) throw error;
    // A veto (retryBudget()) hears of every failure counted here, retried or not.
    const veto = current.context.get(retryVetoSlot)?.({ request: current, kind, error });
    const history = recordAttempt(current, entry(current, kind, { error, ...(veto !== undefined && { vetoed: veto }) }));
    if (exhausted(history, at.start) || veto !== undefined) throw giveUp(current, error, history, undefined, veto);
    if (await vetoed({ request: current, kind, error, retries: spent(history, at.start) - 1 })) throw error;
    return sendAgain(current, next, kind, error instanceof Error ? error.name : String(error), at);
  }

  async function afterStatus(sent: FetchpipeRequest, next: Next, response: Response, at: Entry): Promise<Response> {
    const current = lastHop(sent, at);
    const { status } = response;
    const method = current.method;
    const retryAfterHeader = response.headers.get('retry-after');
    // urllib3 asks whether any of `total` is *left*, not whether it was configured.
    const totalLeft = typeof total === 'number' ? total - spent(current.context.history, at.start) : total;
    const isRetry =
      (postForcelist && method === 'POST' && forcelist.has(status)) ||
      (methodAllowed(method, current) &&
        (forcelist.has(status) ||
          (Boolean(totalLeft) && respectRetryAfter && Boolean(retryAfterHeader) && RETRY_AFTER_STATUSES.includes(status))));
    if (!isRetry || isStream(current.body)) return response;

    const parsed = parseRetryAfter(retryAfterHeader, Date.now(), retryAfterMax);
    const veto = current.context.get(retryVetoSlot)?.({ request: current, kind: 'status', response });
    const history = recordAttempt(
      current,
      entry(current, 'status', {
        status,
        ...(veto !== undefined && { vetoed: veto }),
        ...(parsed.kind === 'delay' && parsed.ms > 0 ? { retryAfter: parsed.ms } : {}),
        ...(parsed.kind === 'invalid' ? { invalidRetryAfter: parsed.value } : {}),
      }),
    );
    if (exhausted(history, at.start) || veto !== undefined) {
      if (!raiseOnStatus) return response;
      await discard(response);
      throw giveUp(current, new ResponseError(`too many ${status} error responses`), history, response, veto);
    }
    if (await vetoed({ request: current, kind: 'status', response, retries: spent(history, at.start) - 1 })) return response;
    // From here the response is thrown away, either way: free its connection.
    await discard(response);
    if (strictRetryAfter && respectRetryAfter && parsed.kind === 'invalid') {
      throw new InvalidHeaderError(`Invalid Retry-After header: ${JSON.stringify(parsed.value.slice(0, 64))}`, {
        request: summarize(current),
      });
    }
    return sendAgain(current, next, 'status', `status ${status}`, at);
  }

  // 2. Per client: nothing; the handler keeps no state, so one serves every client.
  // 3. Per request: the handler below; send(), afterError() and afterStatus() above are its steps.
  return defineMiddleware(
    // A call's policy (withOptions) may override these options: retry() again, merged over them.
    overridable<RetryOptions>('retry', function retry(request, next) {
      const { context } = request;
      const at: Entry = { start: context.history.length, hop: context.get(currentHopSlot) };
      context.set(redirectPolicySlot, at.start === 0 ? redirectPolicy : policyFrom(at.start));
      return send(request, next, at);
    }, (override) => retry({ ...options, ...override })),
    {
      name: 'retry',
      options: {
        ...counters,
        allowedMethods: allowed,
        statusForcelist: [...forcelist],
        postForcelist,
        respectRetryAfterHeader: respectRetryAfter,
        retryAfterMax,
        raiseOnStatus,
        raiseOnRedirect,
      },
    },
  );
}
