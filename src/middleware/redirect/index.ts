// redirect(): follows redirects hop by hop with requests' rules (method changes, body drops,
// credentials stripped when the origin changes), so that every hop passes through the
// middlewares inside it and appears in the call's history.
import {
  InvalidURLError,
  TooManyRedirectsError,
  count,
  currentHopSlot,
  defineMiddleware,
  discard,
  emit,
  isAbsoluteUrl,
  isStream,
  maskText,
  optional,
  parseOptions,
  recordAttempt,
  redirectPolicySlot,
  strictObject,
  summarize,
  withFields,
  withoutHeaders,
  type FetchpipeRequest,
  type Input,
  type Middleware,
  type Next,
  type Same,
} from '../../kit/index.ts';
import { shouldStripAuth } from './strip-auth.ts';

const schema = strictObject({ max: optional(count()) }, { error: 'expected an options object' });

export interface RedirectOptions {
  /** Redirects followed before `TooManyRedirectsError` (requests' `max_redirects`); ignored when `retry()` stands in front. @default 30 */
  max?: number;
}
true satisfies Same<Input<typeof schema>, RedirectOptions>;

// requests' REDIRECT_STATI; 300 and 304 are returned as they are.
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const CREDENTIALS = ['authorization', 'proxy-authorization', 'cookie'];
const BODY_HEADERS = ['content-type', 'content-length', 'transfer-encoding'];

// requests' rebuild_method: 303 and 302 turn anything but HEAD into GET, 301 only POST.
function nextMethod(status: number, method: string): string {
  if ((status === 303 || status === 302) && method !== 'HEAD') return 'GET';
  if (status === 301 && method === 'POST') return 'GET';
  return method;
}

/**
 * Follows 301/302/303/307/308 with requests' rules: 302/303 become GET (except HEAD), 301 turns
 * POST into GET, only 307/308 keep the body, and `Authorization`, `Proxy-Authorization`,
 * `Cookie` and every `authHeaders()` name are dropped once a hop leaves the origin. In browsers
 * (`document` exists) `redirect: 'manual'` yields an opaque response, so the platform follows:
 * hops are then invisible (no history, no `max`), and only what the Fetch standard strips is stripped.
 * @example
 * createClient([retry({ redirect: 5 }), redirect(), authHeaders({ Authorization: `Bearer ${token}` })]);
 */
export function redirect(options: RedirectOptions = {}): Middleware {
  const { max = 30 } = parseOptions('redirect', schema, options);
  const platform = typeof (globalThis as { document?: unknown }).document === 'object';
  const meta = { name: 'redirect', options: { max, followedBy: platform ? 'platform' : 'redirect()' } };
  if (platform) return defineMiddleware(function redirect(request, next) { return next(request); }, meta);

  // The init of most calls is one shared object: its manual twin is built once.
  let lastInit: Readonly<RequestInit> | undefined;
  let lastManual: Readonly<RequestInit> | undefined;

  // Entered only with a 3xx in hand: the usual response costs one `.then`, not an async loop.
  // `current` and `response` move on to each hop's request and response.
  async function follow(request: FetchpipeRequest, current: FetchpipeRequest, response: Response, next: Next): Promise<Response> {
    for (let hops = 0; ; response = await next(current)) {
      const { status } = response;
      // The hops were sent one by one, so fetch could not mark the final response: do it as fetch would.
      if (!REDIRECT_STATUSES.has(status)) return response.redirected ? response : withFields(response, { redirected: true });
      const raw = response.headers.get('location');
      // requests and urllib3 return a 3xx whose Location is missing or empty.
      if (raw === null || raw.trim() === '') return response;
      const from = isAbsoluteUrl(current.url) ? current.url : response.url || documentBase();
      const keepsBody = status === 307 || status === 308;
      let to: string;
      // A 3xx that is not handed back is never read: its body is cancelled, whether the hop is followed or fails.
      try {
        to = target(current, decodeLocation(raw), from);
        // A stream cannot be sent twice: the caller gets the 307/308 to handle.
        if (keepsBody && isStream(current.body)) return response;
        const policy = request.context.get(redirectPolicySlot);
        if (policy === undefined) {
          if (hops >= max) throw new TooManyRedirectsError(`Exceeded ${max} redirects.`, { request: summarize(request) });
        } else if (policy(current, response, to) === 'return') {
          return response;
        }
      } catch (error) {
        discard(response);
        throw error;
      }
      discard(response);
      hops++;

      let headers = current.headers;
      let stripped: string[] = [];
      if (from === undefined || shouldStripAuth(from, to)) {
        ({ headers, removed: stripped } = withoutHeaders(headers, [...CREDENTIALS, ...request.context.authHeaderNames]));
      }
      if (!keepsBody) headers = withoutHeaders(headers, BODY_HEADERS).headers;
      const { masker } = request.context;
      recordAttempt(current, {
        method: current.method,
        url: maskText(from ?? current.url, masker),
        kind: 'redirect',
        status,
        location: maskText(to, masker),
      });
      emit(current, 'redirect', { status, location: to, stripped });
      current = {
        ...current,
        url: to,
        method: nextMethod(status, current.method),
        headers,
        body: keepsBody ? current.body : null,
        attempt: current.attempt + 1,
      };
      // A retry() in front re-sends the hop that failed, not the request that started the chain,
      // with the caller's own init: 'manual' is this middleware's, not a choice of the caller.
      current.context.set(currentHopSlot, { ...current, init: request.init });
    }
  }

  return defineMiddleware(function redirect(request, next) {
    const { init } = request;
    // A call that asks for 'manual' or 'error' itself gets exactly that.
    if (init.redirect === 'manual' || init.redirect === 'error') return next(request);
    if (init !== lastInit) {
      lastInit = init;
      lastManual = { ...init, redirect: 'manual' };
    }
    const first: FetchpipeRequest = { ...request, init: lastManual! };
    return next(first).then((response) => (REDIRECT_STATUSES.has(response.status) ? follow(request, first, response, next) : response));
  }, meta);
}

// Header values arrive as bytes read as Latin-1; requests decodes a Location's bytes as UTF-8.
function decodeLocation(raw: string): string {
  if (!/[\x80-\xff]/.test(raw) || /[^\x00-\xff]/.test(raw)) return raw;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(raw, (c) => c.charCodeAt(0)));
  } catch {
    return raw;
  }
}

function documentBase(): string | undefined {
  const href = (globalThis as { location?: { href?: unknown } }).location?.href;
  return typeof href === 'string' ? href : undefined;
}

// Resolves Location against the hop's URL. Only http(s) may follow: a server must not send the
// client to javascript:, data: or file: (requests would fail on them with InvalidSchema).
function target(request: FetchpipeRequest, location: string, from: string | undefined): string {
  const { masker } = request.context;
  const where = `${request.method} ${maskText(from ?? request.url, masker)}`;
  let url: URL;
  try {
    url = new URL(location, from);
  } catch (cause) {
    throw new InvalidURLError(`Redirect from ${where} to an invalid location "${maskText(location, masker)}"`, { request: summarize(request), cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidURLError(`Redirect from ${where} to a location of unsupported scheme "${maskText(location, masker)}"`, {
      request: summarize(request),
    });
  }
  // RFC 9110 §10.2.2: a Location without a fragment inherits the one of the request.
  if (url.hash === '' && from !== undefined) {
    const hash = from.indexOf('#');
    if (hash !== -1) url.hash = from.slice(hash);
  }
  return url.href;
}
