// fetchpipe's error family, mirroring requests' taxonomy, and open to other middlewares. Every
// class has a stable `name`, the original error as `cause`, the request it concerns with its
// URL already masked, and says itself whether `retry()` may retry it (`retryable`). The family
// is recognised by a brand that subclasses inherit (a `Symbol.for` key, the same in every realm
// and every copy of the package) and by name, which an error keeps through JSON (its toJSON).
// structuredClone keeps no custom name on any runtime (it becomes 'Error'), so a clone is not recognised.

import { FETCHPIPE_ERROR, type Retryable } from './guards.ts';

// The guards live in guards.ts, apart from the classes: importing a guard alone costs the guard.
export {
  FETCHPIPE_ERROR,
  isAbortError,
  isConfigError,
  isConnectionError,
  isConnectTimeoutError,
  isFetchpipeError,
  isHTTPError,
  isInvalidHeaderError,
  isInvalidURLError,
  isMaskedError,
  isMaxRetryError,
  isPoolTimeoutError,
  isReadTimeoutError,
  isRedirectBlockedError,
  isResponseError,
  isSSLError,
  isTooManyRedirectsError,
  isTotalTimeoutError,
  retryableOf,
  type Guard,
  type Retryable,
} from './guards.ts';

/** The method and masked URL an error concerns. */
export interface RequestSummary {
  readonly method: string;
  readonly url: string;
}

export interface FetchpipeErrorOptions {
  cause?: unknown;
  request?: RequestSummary | undefined;
}

// The key Node, Deno and Bun look up to print an object; from the global registry, not
// `node:util`, so that this file stays platform-neutral.
const INSPECT: unique symbol = /* @__PURE__ */ Symbol.for('nodejs.util.inspect.custom') as never;

/**
 * Base class of every error fetchpipe creates, and of the errors of other middlewares: a
 * subclass is recognised by `isFetchpipeError()` and, unless it overrides `retryable`, never retried.
 */
export class FetchpipeError extends Error {
  override name = 'FetchpipeError';
  /** The request this error concerns (URL masked), when there is one. */
  declare readonly request: RequestSummary | undefined;
  /** Whether and how `retry()` may retry this error; override it in a subclass. @default false */
  readonly retryable: Retryable = false;

  /** The brand `isFetchpipeError()` looks for; inherited, never an own property. */
  get [FETCHPIPE_ERROR](): true {
    return true;
  }

  constructor(message: string, options: FetchpipeErrorOptions = {}) {
    // Error reads only `cause` from its options, and only when the key is present.
    super(message, options);
    this.request = options.request;
  }

  /**
   * What Node, Deno and Bun print for the error (`console.log`, an uncaught rejection): the stack,
   * then the error as JSON (masked; errors it carries by name and message only). Without it,
   * inspection walks `cause` and every history entry's error, so a MaxRetryError printed the
   * whole cause chain once per attempt. On the prototype, like the brand: never an own property.
   */
  [INSPECT](): string {
    return `${this.stack}\n${JSON.stringify(this, null, 2)}`;
  }

  /**
   * What `JSON.stringify` shows: name, message, the masked request and every other field of the
   * error (`retryable` aside: it says what the class does, not what happened), with each error it
   * carries (`cause`, `reason`, a history entry's `error`) as its name and message only.
   */
  toJSON(): Record<string, unknown> {
    const { retryable, ...fields } = this;
    return brief({ ...fields, name: this.name, message: this.message, cause: this.cause }) as Record<string, unknown>;
  }
}

/** A value as JSON shows it inside an error: errors reduced to name and message, at any depth. */
function brief(value: unknown): unknown {
  return value instanceof Error
    ? { name: value.name, message: value.message }
    : value && typeof value === 'object'
      ? Array.isArray(value)
        ? value.map(brief)
        : Object.fromEntries(Object.entries(value).map(([key, item]) => [key, brief(item)]))
      : value;
}

export type ConnectionPhase = 'connect' | 'read';

/**
 * A network failure. `phase` is `'connect'` when the request never reached the server
 * (refused, DNS, connect timeout, TLS) and `'read'` when the connection failed after the
 * request was sent (reset, closed) or when the platform cannot tell.
 */
export class ConnectionError extends FetchpipeError {
  override name = 'ConnectionError';
  declare readonly phase: ConnectionPhase;
  /** Its phase: a connect failure is retried for any method, a read failure for allowed methods only. */
  declare readonly retryable: Retryable;

  constructor(message: string, options: FetchpipeErrorOptions & { phase: ConnectionPhase }) {
    super(message, options);
    this.phase = options.phase;
    this.retryable = options.phase;
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
  /** How long another middleware held the attempt back before sending it (`rateLimit.wait`), in ms. */
  readonly waitMs?: number;
}

/** Retries ran out. `reason` is the last real error, or a ResponseError-like message for statuses. */
export class MaxRetryError extends FetchpipeError {
  override name = 'MaxRetryError';
  declare readonly reason: unknown;
  declare readonly history: readonly AttemptRecord[];

  constructor(
    message: string,
    options: FetchpipeErrorOptions & { reason: unknown; history: readonly AttemptRecord[] },
  ) {
    super(message, { ...options, cause: options.reason });
    this.reason = options.reason;
    this.history = options.history;
  }
}

/** urllib3's ResponseError: the reason of a MaxRetryError that ran out on statuses or redirects. */
export class ResponseError extends FetchpipeError {
  override name = 'ResponseError';
}

/** An error status, raised by `httpErrors()` (requests' `raise_for_status`). */
export class HTTPError extends FetchpipeError {
  override name = 'HTTPError';
  declare readonly status: number;
  declare readonly response: Response;

  constructor(message: string, options: FetchpipeErrorOptions & { response: Response }) {
    super(message, options);
    // Not enumerable: a logger walking the error must not print the response's unmasked url.
    // (defineProperty makes a new property non-enumerable and read-only unless told otherwise.)
    Object.defineProperty(this, 'response', { value: options.response });
    this.status = options.response.status;
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
  declare readonly option: string | undefined;

  constructor(message: string, options: FetchpipeErrorOptions & { option?: string } = {}) {
    super(message, options);
    this.option = options.option;
  }
}

