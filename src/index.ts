export { createClient, type ClientOptions } from './core/client.ts';
export {
  defineMiddleware,
  recordAttempt,
  summarize,
  type FetchFunction,
  type FetchpipeRequest,
  type Handler,
  type Middleware,
  type MiddlewareMeta,
  type Next,
} from './core/request.ts';
export { callKey, type CallContext, type CallKey } from './core/context.ts';
export { toRequest } from './core/send.ts';
export {
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
  RedirectBlockedError,
  ReadTimeoutError,
  ResponseError,
  SSLError,
  TooManyRedirectsError,
  TotalTimeoutError,
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
  isRedirectBlockedError,
  isReadTimeoutError,
  isResponseError,
  isSSLError,
  isTooManyRedirectsError,
  isTotalTimeoutError,
  type AttemptRecord,
  type ConnectionPhase,
  type FetchpipeErrorOptions,
  type RequestSummary,
  type Retryable,
} from './errors/index.ts';
export { defineEvents, emit, listening } from './core/emit.ts';
export type { CustomEvent, CustomEventType, EventDetails, EventListener, FetchpipeEvent } from './core/events.ts';
export { mapFetchFailure } from './errors/fetch-failure.ts';
export { MASK, maskText, type Masker } from './core/mask.ts';
export { DEFAULT_SENSITIVE_HEADERS, DEFAULT_SENSITIVE_QUERY_PARAMS, type CallSecrets, type SecretScope } from './core/secrets.ts';
export { registerSecret } from './core/register-secret.ts';
export { baseUrl } from './middleware/base-url/index.ts';
export { headers, type HeadersInput } from './middleware/headers/index.ts';
export { authHeaders, type AuthHeadersOptions } from './middleware/auth-headers/index.ts';
export { userAgent, type UserAgentOptions } from './middleware/user-agent/index.ts';
export { httpErrors, type HTTPErrorMessage, type HTTPErrorsOptions } from './middleware/http-errors/index.ts';
export { DEFAULT_ALLOWED_METHODS, retry, type RetryInfo, type RetryOptions } from './middleware/retry/index.ts';
export { backoff, backoffDelay, type BackoffOptions, type Wait } from './middleware/backoff/index.ts';
export { realClock, type Clock } from './core/clock.ts';
export { parseHttpDate, parseRetryAfter, type RetryAfter } from './middleware/retry/retry-after.ts';
export { timeout, type ResolvedTimeout, type TimeoutOptions } from './middleware/timeout/index.ts';
export { redirect, type RedirectOptions } from './middleware/redirect/index.ts';
export { currentHopSlot, redirectPolicySlot, type RedirectPolicy } from './middleware/redirect/slots.ts';
export { deadlineSlot } from './middleware/timeout/deadline.ts';
export { pool, type PoolOptions } from './middleware/pool/index.ts';
export { explain, renderPlan, type Plan, type PlannedWait, type RetryPlan } from './explain.ts';
export { formatEvent, logger, type LoggerOptions } from './middleware/logger/index.ts';
export { createRetryBudget, retryBudget, retryBudgetEvents, type RetryBudgetEvents, type RetryBudget, type RetryBudgetModel, type RetryBudgetOptions } from './middleware/retry-budget/index.ts';
export { AuthRefreshError, authRefresh, authRefreshEvents, type AuthRefreshEvents, type AuthRefreshOptions } from './middleware/auth-refresh/index.ts';
export { RateLimitError, rateLimit, rateLimitEvents, type RateLimitEvents, type RateLimitOptions } from './middleware/rate-limit/index.ts';
export { CircuitOpenError, circuitBreaker, circuitBreakerEvents, type CircuitBreakerEvents, type AttemptOutcome, type CircuitBreaker, type CircuitBreakerOptions, type CircuitSnapshot, type CircuitState } from './middleware/circuit-breaker/index.ts';
export { idempotencyKey, idempotencyKeyEvents, type IdempotencyKeyEvents, type IdempotencyKeyOptions } from './middleware/idempotency-key/index.ts';
export { withOptions, type CallPolicy } from './policy/index.ts';
