// redirect(): follows redirects hop by hop with requests' rules (method changes, body drops,
// credentials stripped when the origin changes), so that every hop passes through the
// middlewares inside it and appears in the call's history. Where the platform hides
// redirects (a page or a worker), it says so from the response and never forwards custom
// credentials to an unseen origin unless told to.
import {
  RedirectBlockedError,
  TooManyRedirectsError,
  count,
  defineMiddleware,
  is,
  isConnectionError,
  markFollowedByPlatform,
  optional,
  parseOptions,
  redirectPolicySlot,
  strictObject,
  summarize,
  type FetchpipeRequest,
  type Handler,
  type Input,
  type Middleware,
  type Next,
  type Same,
} from '../../kit/index.ts';
import { credentialsPlatformForwards, isHiddenRedirect, isSafeMethod } from './platform.ts';
import { followHops } from './follow.ts';
import { REDIRECT_STATUSES } from './rebuild.ts';

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
      if (REDIRECT_STATUSES.has(response.status)) return followHops(request, first, response, next, policy, max);
      return isHiddenRedirect(response) ? hiddenRedirect(request, next) : response;
    });
  };
}
