// fetchpipe/kit: everything a middleware is written with. The built-in middlewares import
// only this file (and their own folder), so a user's middleware is their peer: it can do
// nothing they cannot, and they can do nothing it cannot.

// The chain: the request value, middlewares and their declarations.
export {
  defineMiddleware,
  isAbsoluteUrl,
  isStream,
  originOf,
  recordAttempt,
  summarize,
  type FetchFunction,
  type FetchpipeRequest,
  type Handler,
  type Middleware,
  type MiddlewareMeta,
  type Next,
} from '../core/request.ts';
export { nameOf, resolveChain } from '../core/order.ts';

// Per-call state: the context and its typed slots.
export { callKey, type CallContext, type CallKey } from '../core/context.ts';
// The slots the built-ins share, declared beside their writers.
export { deadlineSlot } from '../middleware/timeout/deadline.ts';
export {
  currentHopSlot,
  isFollowedByPlatform,
  markFollowedByPlatform,
  redirectPolicySlot,
  type RedirectPolicy,
} from '../middleware/redirect/slots.ts';
// The resilience middlewares' slots, read by retry(): retryBudget()'s veto, idempotencyKey()'s mark.
export { retryVetoSlot, type RetryVeto, type RetryVetoInfo } from '../middleware/retry-budget/slots.ts';
export { idempotentSlot } from '../middleware/idempotency-key/slots.ts';
// Per-call options (withOptions): a middleware's handler that a call's policy may reconfigure.
export { overridable } from '../core/policy.ts';
// Retry-After as retry() reads it; rateLimit() reads it too.
export { parseHttpDate, parseRetryAfter, type RetryAfter } from '../middleware/retry/retry-after.ts';

// Option validation, on zod: one strict schema per factory, checked once.
export {
  count,
  flag,
  fn,
  headerNameProblem,
  headerPairs,
  headerRecord,
  headerValueProblem,
  is,
  isCount,
  isString,
  listOf,
  milliseconds,
  nullable,
  objectLike,
  optional,
  parseOptions,
  rule,
  seconds,
  secondsMistake,
  secondsToMilliseconds,
  statusList,
  strictObject,
  text,
  type Input,
  type Problem,
  type Rule,
  type Same,
} from '../core/config.ts';

// Headers and bodies.
export { applyHeaders, isExplicit, memoizeHeaders, ReadonlyHeaders, withoutHeaders, type HeaderLayer } from '../core/headers.ts';
export { parseHeaderInit, type HeadersInput } from '../core/header-init.ts';
export { discard, NULL_BODY_STATUSES, withBody, withFields } from '../core/response.ts';
export { readBytes, untilAborted, type ReadOptions } from '../core/read-body.ts';

// Secrets and masking.
export { MASK, maskText, maskUrlCredentials, type Masker } from '../core/mask.ts';
export { DEFAULT_SENSITIVE_HEADERS, DEFAULT_SENSITIVE_QUERY_PARAMS, type CallSecrets, type SecretScope } from '../core/secrets.ts';
export { registerSecret } from '../core/register-secret.ts';
export { shouldStripAuth } from '../middleware/redirect/strip-auth.ts';

// Events: the built-ins' and custom, namespaced ones.
export { defineEvents, emit, errorName, listening, type EventKit } from '../core/emit.ts';
export { observe } from '../core/observe.ts';
export type {
  BuiltinDetails,
  BuiltinEvent,
  BuiltinEventType,
  CustomEvent,
  CustomEventType,
  EventBase,
  EventDetails,
  EventListener,
  EventMap,
  EventValue,
  FetchpipeEvent,
} from '../core/events.ts';

// The clock.
export { realClock, type Clock } from '../core/clock.ts';
export { MAX_TIMER_MS, startTimer } from '../core/timer.ts';

// The open error family.
export {
  ConfigError,
  FETCHPIPE_ERROR,
  FetchpipeError,
  InvalidHeaderError,
  InvalidURLError,
  MaxRetryError,
  PoolTimeoutError,
  ReadTimeoutError,
  ResponseError,
  TooManyRedirectsError,
  TotalTimeoutError,
  HTTPError,
  RedirectBlockedError,
  isAbortError,
  isConnectionError,
  isFetchpipeError,
  retryableOf,
  type AttemptRecord,
  type FetchpipeErrorOptions,
  type RequestSummary,
  type Retryable,
  type RetryCounter,
} from '../errors/index.ts';
