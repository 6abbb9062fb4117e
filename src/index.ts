export { createClient, type ClientOptions } from './client.ts';
export {
  defineMiddleware,
  recordAttempt,
  setCallState,
  summarize,
  type CallContext,
  type FetchFunction,
  type FetchlineRequest,
  type Handler,
  type Middleware,
  type MiddlewareMeta,
  type Next,
  type RedirectPolicy,
} from './request.ts';
export { toRequest } from './send.ts';
export {
  ConfigError,
  ConnectionError,
  ConnectTimeoutError,
  FetchlineError,
  HTTPError,
  InvalidHeaderError,
  InvalidURLError,
  MaxRetryError,
  PoolTimeoutError,
  ReadTimeoutError,
  ResponseError,
  SSLError,
  TooManyRedirectsError,
  TotalTimeoutError,
  isAbortError,
  isConfigError,
  isConnectionError,
  isConnectTimeoutError,
  isFetchlineError,
  isHTTPError,
  isInvalidHeaderError,
  isInvalidURLError,
  isMaxRetryError,
  isPoolTimeoutError,
  isReadTimeoutError,
  isResponseError,
  isSSLError,
  isTooManyRedirectsError,
  isTotalTimeoutError,
  type AttemptRecord,
  type ConnectionPhase,
  type FetchlineErrorOptions,
  type RequestSummary,
} from './errors.ts';
export { emit, listening, type EventListener, type FetchlineEvent } from './events.ts';
export { mapFetchFailure } from './fetch-failure.ts';
export { MASK, maskText, type Masker } from './mask.ts';
export { baseUrl } from './middleware/base-url.ts';
export { headers, type HeadersInput } from './middleware/headers.ts';
export { authHeaders, type AuthHeadersOptions } from './middleware/auth-headers.ts';
export { userAgent, type UserAgentOptions } from './middleware/user-agent.ts';
export { httpErrors, type HTTPErrorMessage, type HTTPErrorsOptions } from './middleware/http-errors.ts';
export { DEFAULT_ALLOWED_METHODS, retry, type RetryInfo, type RetryOptions } from './middleware/retry.ts';
export { backoff, backoffDelay, realClock, type BackoffOptions, type Clock, type Wait } from './middleware/backoff.ts';
export { parseHttpDate, parseRetryAfter, type RetryAfter } from './retry-after.ts';
export { timeout, type ResolvedTimeout, type TimeoutOptions } from './middleware/timeout.ts';
export { redirect, type RedirectOptions } from './middleware/redirect.ts';
export { pool, type PoolOptions } from './middleware/pool.ts';
export { explain, renderPlan, type Plan, type PlannedWait, type RetryPlan } from './explain.ts';
export { formatEvent, logger, type LoggerOptions } from './middleware/logger.ts';
