// qbraid(): qBraid's `Session` (a requests.Session with base_url, auth_headers masked in
// errors, and a Retry that also retries POST on its 5xx list), as a list of middlewares.
import type { FetchlineRequest, Middleware } from '../request.ts';
import { count, headerRecord, type Input, isString, listOf, objectLike, optional, parseOptions, seconds, strictObject, text } from '../config.ts';
import { authHeaders } from '../middleware/auth-headers.ts';
import { backoff, type Clock } from '../middleware/backoff.ts';
import { baseUrl } from '../middleware/base-url.ts';
import { headers } from '../middleware/headers.ts';
import { httpErrors } from '../middleware/http-errors.ts';
import { redirect } from '../middleware/redirect.ts';
import { retry } from '../middleware/retry.ts';
import { userAgent } from '../middleware/user-agent.ts';

/** The statuses qBraid's Session retries. */
export const QBRAID_STATUS_FORCELIST = Object.freeze([500, 502, 503, 504, 520, 522, 524]);

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

/** qBraid's Session parameters, in its own units (seconds). */
export type QbraidOptions = Input<typeof schema>;

/**
 * qBraid's error message: the JSON body's `message`, `error.message` or string `error`, else
 * the raw text, else the HTTP error's own text; ending with exactly one '.'.
 */
export async function qbraidErrorMessage(response: Response, _request: FetchlineRequest, fallback: string): Promise<string> {
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
 * with the server's own message.
 * @example
 * const client = createClient(qbraid({ baseUrl: 'https://api.qbraid.com/api', authHeaders: { 'api-key': key } }));
 */
export function qbraid(options: QbraidOptions = {}): readonly Middleware[] {
  const o = parseOptions('qbraid', schema, options, { secret: true });
  return Object.freeze([
    httpErrors({ message: qbraidErrorMessage }),
    retry({
      total: o.retriesTotal ?? 2,
      connect: o.retriesConnect ?? 1,
      statusForcelist: [...QBRAID_STATUS_FORCELIST],
      postForcelist: true,
    }),
    backoff({ factor: (o.backoffFactor ?? 0.5) * 1000, ...(o.clock ? { clock: o.clock } : {}) }),
    ...(o.baseUrl === undefined ? [] : [baseUrl(o.baseUrl)]),
    ...(o.headers === undefined ? [] : [headers(o.headers)]),
    ...(o.authHeaders === undefined ? [] : [authHeaders(o.authHeaders)]),
    ...(o.userAgents ?? []).map((ua) => userAgent(ua, { mode: 'append' })),
    // requests' Session follows redirects itself, stripping credentials when the origin changes.
    redirect(),
  ]);
}
