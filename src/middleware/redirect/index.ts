// redirect(): follows redirects hop by hop with requests' rules (method changes, body drops,
// credentials stripped when the origin changes), so that every hop passes through the
// middlewares inside it and appears in the call's history. Where the platform hides
// redirects (a page or a worker), it says so from the response and never forwards custom
// credentials to an unseen origin unless told to.
import {
  InvalidURLError,
  RedirectBlockedError,
  TooManyRedirectsError,
  count,
  currentHopSlot,
  defineMiddleware,
  discard,
  emit,
  is,
  isAbsoluteUrl,
  isConnectionError,
  isStream,
  markFollowedByPlatform,
  maskText,
  optional,
  parseOptions,
  recordAttempt,
  redirectPolicySlot,
  strictObject,
  summarize,
  withFields,
  type FetchpipeRequest,
  type Handler,
  type Input,
  type Middleware,
  type Next,
  type RedirectPolicy,
  type Same,
} from '../../kit/index.ts';
import { credentialsPlatformForwards, isHiddenRedirect, isSafeMethod } from './platform.ts';
import { REDIRECT_STATUSES, hopHeaders, keepsBody, rebuildMethod } from './rebuild.ts';

type Hidden = 'refuse' | 'follow';

const schema = strictObject(
  {
    max: optional(count()),
    hidden: optional(is<Hidden>("'refuse' or 'follow'", (v) => v === 'refuse' || v === 'follow')),
  },
  { error: 'expected an options object' },
);

export interface RedirectOptions {
  /** Redirects followed before `TooManyRedirectsError` (requests' `max_redirects`); ignored when `retry()` stands in front. @default 30 */
  max?: number;
  /**
   * Where the platform hides redirects (a page or a worker: `redirect: 'manual'` gives an opaque
   * response), only the platform can follow, by sending a safe request (GET, HEAD, OPTIONS, TRACE)
   * again, and it forwards every custom header to wherever it goes. `'refuse'`: a call that may
   * carry custom credentials (an `authHeaders()` or `sensitiveHeaders` name other than
   * `Authorization`, or `X-API-Key`) fails with `RedirectBlockedError` instead. `'follow'`: the
   * platform follows those calls too, forwarding the headers. An unsafe method's hidden redirect
   * is never followed.
   * @default 'refuse'
   */
  hidden?: Hidden;
}
true satisfies Same<Input<typeof schema>, RedirectOptions>;

/**
 * Follows 301/302/303/307/308 with requests' rules: 302/303 become GET (except HEAD), 301 turns
 * POST into GET, only 307/308 keep the body, and `Authorization`, `Proxy-Authorization`,
 * `Cookie` and every `authHeaders()` name are dropped once a hop leaves the origin. Where the
 * platform hides redirects (the response is an `opaqueredirect`), see `hidden`.
 * @example
 * createClient([redirect(), retry({ total: 3 }), authHeaders({ 'X-API-Key': key })]); // requests: a fresh budget per hop
 * createClient([retry({ redirect: 5 }), redirect(), authHeaders({ 'X-API-Key': key })]); // urllib3: hops spend the budget
 */
export function redirect(options: RedirectOptions = {}): Middleware {
  // 1. Config, once: the options are validated and resolved when the factory is called.
  const { max = 30, hidden = 'refuse' } = parseOptions('redirect', schema, options);
  // 2. Per client: nothing; the handler keeps no state, so one serves every client.
  // 3. Per request: the handler redirectHandler() builds.
  return defineMiddleware(redirectHandler(max, hidden), { name: 'redirect', options: { max, followedBy: 'redirect()', hidden } });
}

function redirectHandler(max: number, hidden: Hidden): Handler {
  // The init of most calls is one shared object: its manual twin is built once.
  let lastInit: Readonly<RequestInit> | undefined;
  let lastManual: Readonly<RequestInit> | undefined;
  const manual = (init: Readonly<RequestInit>): Readonly<RequestInit> => {
    if (init !== lastInit) {
      lastInit = init;
      lastManual = { ...init, redirect: 'manual' };
    }
    return lastManual!;
  };

  // Entered only with a 3xx in hand: the usual response costs one `.then`, not an async loop.
  // `current` and `response` move on to each hop's request and response. `policy` is the one a
  // retry() in front of this redirect() set; one an inner retry() sets is for its own attempts.
  async function follow(
    request: FetchpipeRequest,
    current: FetchpipeRequest,
    response: Response,
    next: Next,
    policy: RedirectPolicy | undefined,
  ): Promise<Response> {
    for (let hops = 0; ; response = await next(current)) {
      const { status } = response;
      // The hops were sent one by one, so fetch could not mark the final response: do it as fetch would.
      if (!REDIRECT_STATUSES.has(status)) return response.redirected ? response : withFields(response, { redirected: true });
      const raw = response.headers.get('location');
      // requests and urllib3 return a 3xx whose Location is missing or empty.
      if (raw === null || raw.trim() === '') return response;
      const from = isAbsoluteUrl(current.url) ? current.url : response.url || documentBase();
      let to: string;
      // A 3xx that is not handed back is never read: its body is cancelled, whether the hop is followed or fails.
      try {
        to = target(current, decodeLocation(raw), from);
        // A stream cannot be sent twice: the caller gets the 307/308 to handle.
        if (keepsBody(status) && isStream(current.body)) return response;
        if (policy === undefined) {
          // requests' resolve_redirects: `Exceeded 30 redirects.` once 30 were followed.
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

      const { headers, stripped } = hopHeaders(current.headers, { status, from, to, authHeaderNames: request.context.authHeaderNames });
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
        method: rebuildMethod(status, current.method),
        headers,
        body: keepsBody(status) ? current.body : null,
        attempt: current.attempt + 1,
      };
      // A retry() in front re-sends the hop that failed, not the request that started the chain,
      // with the caller's own init: 'manual' is this middleware's, not a choice of the caller.
      // A retry() behind re-sends what it was given, which is this hop.
      current.context.set(currentHopSlot, { ...current, init: request.init });
    }
  }

  function refuse(request: FetchpipeRequest, why: string): RedirectBlockedError {
    const { method, url } = summarize(request);
    return new RedirectBlockedError(`Redirect not followed for ${method} ${url}: the platform hides its target, ${why}`, { request: summarize(request) });
  }

  // The platform answered with a redirect it hides (a page, a worker): no status, no Location.
  // Only the platform can follow, by sending the request again with the caller's redirect mode,
  // and it would forward every custom header to wherever the chain goes.
  function hiddenRedirect(request: FetchpipeRequest, next: Next): Promise<Response> {
    const forwarded = credentialsPlatformForwards(request.headers, request.context.authHeaderNames);
    if (forwarded.length > 0 && hidden === 'refuse') {
      return Promise.reject(refuse(request, `and would forward ${forwarded.join(', ')} to it; redirect({ hidden: 'follow' }) allows that`));
    }
    // The server has answered this request once already: sending it again is harmless only for a safe method.
    if (!isSafeMethod(request.method)) return Promise.reject(refuse(request, `and ${request.method} is not sent again for it to follow`));
    // A failure of the chain the platform follows is its redirect limit or a later hop: a page's
    // fetch says "Failed to fetch" for both, as for a network failure. Never retried (the mark
    // tells retry()), and reported for what it most likely is.
    return next(markFollowedByPlatform({ ...request })).then(undefined, (error: unknown) => {
      if (!isConnectionError(error)) throw error;
      const { method, url } = summarize(request);
      throw new TooManyRedirectsError(`Too many redirects for ${method} ${url}, or a later hop failed (the platform followed them and does not say which)`, {
        request: summarize(request),
        cause: error,
      });
    });
  }

  return function redirect(request, next) {
    const { init } = request;
    // A call that asks for 'manual' or 'error' itself gets exactly that.
    if (init.redirect === 'manual' || init.redirect === 'error') return next(request);
    const policy = request.context.get(redirectPolicySlot);
    const first: FetchpipeRequest = { ...request, init: manual(init) };
    return next(first).then((response) => {
      if (REDIRECT_STATUSES.has(response.status)) return follow(request, first, response, next, policy);
      return isHiddenRedirect(response) ? hiddenRedirect(request, next) : response;
    });
  };
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
