// qbraid(): qBraid's `Session` (a requests.Session with base_url, auth_headers masked in
// errors, and a Retry that also retries POST on its 5xx list), as a list of middlewares.
import type { FetchpipeRequest, Middleware } from '../core/request.ts';
import { count, headerRecord, type Input, type Same, isString, listOf, objectLike, optional, parseOptions, seconds, strictObject, text } from '../core/config.ts';
import { authHeaders } from '../middleware/auth-headers/index.ts';
import type { Clock } from '../core/clock.ts';
import { backoff } from '../middleware/backoff/index.ts';
import { baseUrl } from '../middleware/base-url/index.ts';
import { headers } from '../middleware/headers/index.ts';
import { httpErrors } from '../middleware/http-errors/index.ts';
import { redirect } from '../middleware/redirect/index.ts';
import { retry } from '../middleware/retry/index.ts';
import { userAgent } from '../middleware/user-agent/index.ts';

/** The statuses qBraid's Session retries. */
export const QBRAID_STATUS_FORCELIST: readonly number[] = Object.freeze([500, 502, 503, 504, 520, 522, 524]);

/** qBraid's Session parameters, in its own units (seconds). */
export interface QbraidOptions {
  /** Joined with relative request URLs. @default undefined (absolute URLs only) */
  baseUrl?: string;
  /** Default headers. @default {} */
  headers?: Record<string, string>;
  /** Credentials, masked as `...` everywhere. @default {} */
  authHeaders?: Record<string, string>;
  /** Retries of any kind. @default 2 */
  retriesTotal?: number;
  /** Retries after connection errors. @default 1 */
  retriesConnect?: number;
  /** Seconds; waits are 0, 2·f, 4·f, … @default 0.5 */
  backoffFactor?: number;
  /** Appended to the User-Agent, each once. @default [] */
  userAgents?: readonly string[];
  /** Time to wait on, e.g. `recordingClock()`. @default real timers */
  clock?: Partial<Clock>;
}

const schema = strictObject({
  baseUrl: optional(text('an absolute URL string')),
  headers: optional(headerRecord()),
  authHeaders: optional(headerRecord()),
  retriesTotal: optional(count()),
  retriesConnect: optional(count()),
  backoffFactor: optional(seconds()),
  userAgents: optional(listOf<string>('an array of user agent strings', (v) => (isString(v) ? undefined : 'a string'))),
  clock: optional(objectLike<Partial<Clock>>('a clock object')),
});

true satisfies Same<Input<typeof schema>, QbraidOptions>;

/**
 * qBraid's error message: the JSON body's `message`, `error.message` or string `error`, else
 * the raw text, else the HTTP error's own text; ending with exactly one '.'.
 */
export async function qbraidErrorMessage(response: Response, _request: FetchpipeRequest, fallback: string): Promise<string> {
  const text = await response.text().catch(() => '');
  let message = '';
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json === 'object' && json !== null) {
      const { message: own, error } = json as { message?: unknown; error?: unknown };
      if (typeof own === 'string') message = own;
      else if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
        message = (error as { message: string }).message;
      } else if (typeof error === 'string') message = error;
    }
  } catch {
    // Not JSON: the raw text stands.
  }
  message = (message || text).trim() || fallback;
  return `${message.replace(/\.+$/, '')}.`;
}

/**
 * qBraid's Session: `retriesTotal` 2 and `retriesConnect` 1 with backoff 0, 1 s…, POST retried
 * on its 5xx list, auth headers masked with '...' in every error, and error statuses raised
 * with the server's own message. Redirects are followed as requests' Session follows them:
 * outside the retry budget (each hop gets its own), at most 30, with requests' method
 * rewriting; unlike qBraid, the auth headers are stripped when a hop leaves the origin. An
 * invalid Retry-After throws `InvalidHeaderError`, as urllib3 raises `InvalidHeader`.
 * @example
 * const client = createClient(qbraid({ baseUrl: 'https://api.qbraid.com/api', authHeaders: { 'api-key': key } }));
 */
export function qbraid(options: QbraidOptions = {}): readonly Middleware[] {
  const o = parseOptions('qbraid', schema, options, { secret: true });
  return Object.freeze([
    // qBraid raises on the final response, after requests followed the redirects.
    httpErrors({ message: qbraidErrorMessage }),
    // qBraid joins the URL, and requests merges the session's headers, once, before sending and
    // following: so every hop is absolute, and a header stripped on a hop is never added again.
    ...(o.baseUrl === undefined ? [] : [baseUrl(o.baseUrl)]),
    ...(o.headers === undefined ? [] : [headers(o.headers)]),
    ...(o.authHeaders === undefined ? [] : [authHeaders(o.authHeaders)]),
    ...(o.userAgents ?? []).map((ua) => userAgent(ua, { mode: 'append' })),
    // requests' Session.resolve_redirects, outside HTTPAdapter.send (which calls urlopen with
    // redirect=False): redirect() in front of retry() gives every hop a fresh Retry budget.
    redirect(),
    retry({
      total: o.retriesTotal ?? 2,
      connect: o.retriesConnect ?? 1,
      statusForcelist: [...QBRAID_STATUS_FORCELIST],
      postForcelist: true,
      strictRetryAfter: true,
    }),
    backoff({ factor: (o.backoffFactor ?? 0.5) * 1000, ...(o.clock ? { clock: o.clock } : {}) }),
  ]);
}
