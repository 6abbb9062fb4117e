// What the platform does with redirects, read from the response itself (issue #14 §5). Under
// the Fetch standard, `redirect: 'manual'` gives an opaque-redirect filtered response (status
// 0, no Location) in a page and in a worker; Node, Deno and Bun hand back the real 3xx. A
// global such as `document` says nothing: jsdom gives Node one, and a worker has none.

/** Whether the platform answered a `manual` request with a redirect it will not show. */
export function isHiddenRedirect(response: Response): boolean {
  return response.type === 'opaqueredirect';
}

// RFC 9110 §9.2.1: sending one of these again has no effect the first did not have.
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** Whether a request may be sent a second time to learn what a hidden redirect was. */
export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method);
}

// The platform strips Authorization itself on a cross-origin hop (Fetch, "HTTP-redirect fetch"
// step 13), and page scripts cannot set Cookie or Proxy-Authorization (forbidden header names).
const STRIPPED_BY_PLATFORM = new Set(['authorization', 'cookie', 'proxy-authorization']);

/**
 * The credential headers the platform would forward to another origin if it followed: the
 * names declared for this client (`authHeaders()` names and `sensitiveHeaders`; they may be
 * added after this point of the chain), and `X-API-Key` already on the request.
 */
export function credentialsPlatformForwards(headers: Headers, authHeaderNames: ReadonlySet<string>): string[] {
  const names = new Set<string>();
  for (const name of authHeaderNames) if (!STRIPPED_BY_PLATFORM.has(name)) names.add(name);
  if (headers.has('x-api-key')) names.add('x-api-key');
  return [...names].sort();
}

