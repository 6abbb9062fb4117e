// The guards of fetchpipe's error family, and the brand they look for. A file of its own, apart
// from the classes: a class with a computed member (the brand's getter) stays in every bundle
// that loads its module, so a guard that lived beside the classes would bring them all along.
import type {
  ConfigError,
  ConnectionError,
  ConnectTimeoutError,
  FetchpipeError,
  HTTPError,
  InvalidHeaderError,
  InvalidURLError,
  MaskedError,
  MaxRetryError,
  PoolTimeoutError,
  ReadTimeoutError,
  RedirectBlockedError,
  ResponseError,
  SSLError,
  TooManyRedirectsError,
  TotalTimeoutError,
} from './index.ts';

/**
 * How `retry()` may retry an error, as the error itself says: as a connect failure (any method),
 * a read failure (allowed methods only), an other failure, or `false`: never.
 */
export type Retryable = 'connect' | 'read' | 'other' | false;

/** The brand of the family: `Symbol.for('fetchpipe.error')`, true on every FetchpipeError, subclasses included. */
export const FETCHPIPE_ERROR: unique symbol = /* @__PURE__ */ Symbol.for('fetchpipe.error') as never;

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
