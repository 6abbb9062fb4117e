// fetchpipe's error family, mirroring requests' taxonomy, and open to other middlewares. Every
// class has a stable `name`, the original error as `cause`, the request it concerns with its
// URL already masked, and says itself whether `retry()` may retry it (`retryable`). The family
// is recognised by a brand that subclasses inherit (a `Symbol.for` key, the same in every realm
// and every copy of the package) and by name, which an error keeps through JSON (its toJSON).
// structuredClone keeps no custom name on any runtime (it becomes 'Error'), so a clone is not recognised.

/** The method and masked URL an error concerns. */
export interface RequestSummary {
  readonly method: string;
  readonly url: string;
}

export interface FetchpipeErrorOptions {
  cause?: unknown;
  request?: RequestSummary | undefined;
}

/**
 * How `retry()` may retry an error, as the error itself says: as a connect failure (any method),
 * a read failure (allowed methods only), an other failure, or `false`: never.
 */
export type Retryable = 'connect' | 'read' | 'other' | false;

/** The brand of the family: `Symbol.for('fetchpipe.error')`, true on every FetchpipeError, subclasses included. */
export const FETCHPIPE_ERROR: unique symbol = /* @__PURE__ */ Symbol.for('fetchpipe.error') as never;

/**
 * Base class of every error fetchpipe creates, and of the errors of other middlewares: a
 * subclass is recognised by `isFetchpipeError()` and, unless it overrides `retryable`, never retried.
 */
export class FetchpipeError extends Error {
  override name = 'FetchpipeError';
  /** The request this error concerns (URL masked), when there is one. */
  readonly request: RequestSummary | undefined;
  /** Whether and how `retry()` may retry this error; override it in a subclass. @default false */
  readonly retryable: Retryable = false;

  /** The brand `isFetchpipeError()` looks for; inherited, never an own property. */
  get [FETCHPIPE_ERROR](): true {
    return true;
  }

  constructor(message: string, options: FetchpipeErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.request = options.request;
  }

  /** What `JSON.stringify` shows: the masked message and request, and the cause's name and message. */
  toJSON(): Record<string, unknown> {
    const cause = this.cause;
    return {
      name: this.name,
      message: this.message,
      request: this.request,
      ...(cause instanceof Error ? { cause: nameAndMessage(cause) } : {}),
    };
  }
}

/** What JSON shows of an error an error carries: its name and message, never its own fields. */
function nameAndMessage(error: Error): { name: string; message: string } {
  return { name: error.name, message: error.message };
}

export type ConnectionPhase = 'connect' | 'read';

/**
 * A network failure. `phase` is `'connect'` when the request never reached the server
 * (refused, DNS, connect timeout, TLS) and `'read'` when the connection failed after the
 * request was sent (reset, closed) or when the platform cannot tell.
 */
export class ConnectionError extends FetchpipeError {
  override name = 'ConnectionError';
  readonly phase: ConnectionPhase;
  /** Its phase: a connect failure is retried for any method, a read failure for allowed methods only. */
  declare readonly retryable: Retryable;

  constructor(message: string, options: FetchpipeErrorOptions & { phase: ConnectionPhase }) {
    super(message, options);
    this.phase = options.phase;
    this.retryable = options.phase;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), phase: this.phase };
  }
}

/** Connection set-up took too long. Extends ConnectionError, as in requests. */
export class ConnectTimeoutError extends ConnectionError {
  override name = 'ConnectTimeoutError';
  constructor(message: string, options: FetchpipeErrorOptions = {}) {
    super(message, { ...options, phase: 'connect' });
  }
}

/** The TLS handshake or certificate check failed; the request never reached the server. */
export class SSLError extends ConnectionError {
  override name = 'SSLError';
  /** urllib3 retries TLS failures under its `other` counter. */
  override readonly retryable: Retryable = 'other';
  constructor(message: string, options: FetchpipeErrorOptions = {}) {
    super(message, { ...options, phase: 'connect' });
  }
}

/** The server did not send headers, or a body chunk, within the read timeout. */
export class ReadTimeoutError extends FetchpipeError {
  override name = 'ReadTimeoutError';
  override readonly retryable: Retryable = 'read';
}

/** The `total` deadline of `timeout()` passed, across all attempts and waits. */
export class TotalTimeoutError extends FetchpipeError {
  override name = 'TotalTimeoutError';
}

/** The retry counters of urllib3's Retry that an attempt can spend from (besides `total`). */
export type RetryCounter = 'connect' | 'read' | 'other' | 'status' | 'redirect';

/** What happened on one attempt of a call: kept in the per-call history. */
export interface AttemptRecord {
  readonly method: string;
  /** The URL of the attempt, masked. */
  readonly url: string;
  /**
   * Which retry counter the attempt spent, or a namespaced kind of another middleware
   * (`'authRefresh.replay'`), which no retry counter spends and backoff does not count.
   */
  readonly kind: RetryCounter | `${string}.${string}`;
  readonly status?: number;
  readonly error?: unknown;
  /** The usable Retry-After of the response, in milliseconds. */
  readonly retryAfter?: number;
  /** A Retry-After that could not be parsed, kept as received. */
  readonly invalidRetryAfter?: string;
  /** Where a redirect pointed (masked). */
  readonly location?: string;
  /** Why no retry followed although the counters allowed one (a `retryBudget()` veto). */
  readonly vetoed?: string;
}

/** Retries ran out. `reason` is the last real error, or a ResponseError-like message for statuses. */
export class MaxRetryError extends FetchpipeError {
  override name = 'MaxRetryError';
  readonly reason: unknown;
  readonly history: readonly AttemptRecord[];

  constructor(
    message: string,
    options: FetchpipeErrorOptions & { reason: unknown; history: readonly AttemptRecord[] },
  ) {
    super(message, { ...options, cause: options.reason });
    this.reason = options.reason;
    this.history = options.history;
  }

  override toJSON(): Record<string, unknown> {
    const reason = this.reason;
    return {
      ...super.toJSON(),
      reason: reason instanceof Error ? nameAndMessage(reason) : reason,
      history: this.history.map(({ error, ...rest }) => (error instanceof Error ? { ...rest, error: nameAndMessage(error) } : rest)),
    };
  }
}

/** urllib3's ResponseError: the reason of a MaxRetryError that ran out on statuses or redirects. */
export class ResponseError extends FetchpipeError {
  override name = 'ResponseError';
}

/** An error status, raised by `httpErrors()` (requests' `raise_for_status`). */
export class HTTPError extends FetchpipeError {
  override name = 'HTTPError';
  readonly status: number;
  declare readonly response: Response;

  constructor(message: string, options: FetchpipeErrorOptions & { response: Response }) {
    super(message, options);
    // Not enumerable: a logger walking the error must not print the response's unmasked url.
    // (defineProperty makes a new property non-enumerable and read-only unless told otherwise.)
    Object.defineProperty(this, 'response', { value: options.response });
    this.status = options.response.status;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status };
  }
}

/** The URL cannot be sent: relative with no base, unparsable, or of a scheme fetch refuses. */
export class InvalidURLError extends FetchpipeError {
  override name = 'InvalidURLError';
}

/** A header could not be used: a request header fetch refuses to send (`Expect`, `Upgrade`…), or a response header (a strict Retry-After). */
export class InvalidHeaderError extends FetchpipeError {
  override name = 'InvalidHeaderError';
}

/** `pool({ block: true, poolTimeout })` waited too long for a free slot. */
export class PoolTimeoutError extends FetchpipeError {
  override name = 'PoolTimeoutError';
}

/** More redirects than `redirect({ max })` allows. */
export class TooManyRedirectsError extends FetchpipeError {
  override name = 'TooManyRedirectsError';
}

/**
 * What a call rejected with could not be masked in place (a frozen error, a property that
 * cannot be rewritten, an object that throws when read): this error stands in for it, with a
 * masked copy of it as `cause`. Nothing of the original is kept, so nothing of it can leak.
 */
export class MaskedError extends FetchpipeError {
  override name = 'MaskedError';
}

/**
 * A redirect was not followed because the platform hides it (a page or a worker) and following
 * would forward custom credentials to an origin nobody checked, or send a request that is not
 * safe a second time. See `redirect({ hidden })`.
 */
export class RedirectBlockedError extends FetchpipeError {
  override name = 'RedirectBlockedError';
}

/** A factory was given bad options. The message names the middleware and the option. */
export class ConfigError extends FetchpipeError {
  override name = 'ConfigError';
  /** The option path, e.g. `total` or `statusForcelist.0`. */
  readonly option: string | undefined;

  constructor(message: string, options: FetchpipeErrorOptions & { option?: string } = {}) {
    super(message, options);
    this.option = options.option;
  }
}

function hasName(error: unknown, names: readonly string[]): boolean {
  return typeof error === 'object' && error !== null && names.includes((error as { name?: unknown }).name as string);
}

// Each guard is marked pure so that a bundler drops the guards an app never calls (a call
// at module level is otherwise kept, since the bundler cannot tell it has no side effects).
/** A type guard over an error's `name`. */
export type Guard<T> = (error: unknown) => error is T;

const guard =
  <T>(...names: string[]): Guard<T> =>
  (error: unknown): error is T =>
    hasName(error, names);

// The names of fetchpipe's own classes, for errors that lost their brand to structuredClone.
const KNOWN_NAME = /^(?:Fetchpipe|Connection|ConnectTimeout|SSL|ReadTimeout|TotalTimeout|MaxRetry|Response|HTTP|InvalidURL|InvalidHeader|PoolTimeout|TooManyRedirects|RedirectBlocked|Config|Masked)Error$/;

/**
 * Whether `error` belongs to the family: it carries the brand (any subclass, from any copy of
 * fetchpipe or any realm), or has the name of one of fetchpipe's own classes (its JSON form, or
 * an error-like object from elsewhere). A `structuredClone` of an error is named 'Error' by every runtime.
 */
export function isFetchpipeError(error: unknown): error is FetchpipeError {
  if (typeof error !== 'object' || error === null) return false;
  const { name } = error as { name?: unknown };
  return (error as { [FETCHPIPE_ERROR]?: unknown })[FETCHPIPE_ERROR] === true || (typeof name === 'string' && KNOWN_NAME.test(name));
}

/**
 * How `retry()` may retry `error`, as the error says through its `retryable` property. An error
 * that says nothing: never an abort, nor a member of the family (recognised by name only), nor a programming error fetch threw
 * before sending (TypeError, RangeError, SyntaxError, ReferenceError); anything else is urllib3's `other`.
 */
export function retryableOf(error: unknown): Retryable {
  if (isAbortError(error)) return false;
  const declared = typeof error === 'object' && error !== null ? (error as { retryable?: unknown }).retryable : undefined;
  if (declared === false || declared === 'connect' || declared === 'read' || declared === 'other') return declared;
  if (isFetchpipeError(error) || hasName(error, PROGRAMMING_ERRORS)) return false;
  return 'other';
}

// Errors that say the request itself is wrong (a GET with a body, a bad header): fetch throws
// them before sending anything, and sending again would fail the same way.
const PROGRAMMING_ERRORS = ['TypeError', 'RangeError', 'SyntaxError', 'ReferenceError'];
export const isConnectionError: Guard<ConnectionError> = /* @__PURE__ */ guard<ConnectionError>('ConnectionError', 'ConnectTimeoutError', 'SSLError');
export const isConnectTimeoutError: Guard<ConnectTimeoutError> = /* @__PURE__ */ guard<ConnectTimeoutError>('ConnectTimeoutError');
export const isSSLError: Guard<SSLError> = /* @__PURE__ */ guard<SSLError>('SSLError');
export const isReadTimeoutError: Guard<ReadTimeoutError> = /* @__PURE__ */ guard<ReadTimeoutError>('ReadTimeoutError');
export const isTotalTimeoutError: Guard<TotalTimeoutError> = /* @__PURE__ */ guard<TotalTimeoutError>('TotalTimeoutError');
export const isMaxRetryError: Guard<MaxRetryError> = /* @__PURE__ */ guard<MaxRetryError>('MaxRetryError');
export const isResponseError: Guard<ResponseError> = /* @__PURE__ */ guard<ResponseError>('ResponseError');
export const isHTTPError: Guard<HTTPError> = /* @__PURE__ */ guard<HTTPError>('HTTPError');
export const isInvalidURLError: Guard<InvalidURLError> = /* @__PURE__ */ guard<InvalidURLError>('InvalidURLError');
export const isInvalidHeaderError: Guard<InvalidHeaderError> = /* @__PURE__ */ guard<InvalidHeaderError>('InvalidHeaderError');
export const isPoolTimeoutError: Guard<PoolTimeoutError> = /* @__PURE__ */ guard<PoolTimeoutError>('PoolTimeoutError');
export const isTooManyRedirectsError: Guard<TooManyRedirectsError> = /* @__PURE__ */ guard<TooManyRedirectsError>('TooManyRedirectsError');
export const isRedirectBlockedError: Guard<RedirectBlockedError> = /* @__PURE__ */ guard<RedirectBlockedError>('RedirectBlockedError');
export const isConfigError: Guard<ConfigError> = /* @__PURE__ */ guard<ConfigError>('ConfigError');
export const isMaskedError: Guard<MaskedError> = /* @__PURE__ */ guard<MaskedError>('MaskedError');

/** A user's abort (or an AbortSignal.timeout of theirs): never mapped, never retried. */
export function isAbortError(error: unknown): boolean {
  return hasName(error, ['AbortError', 'TimeoutError']);
}
