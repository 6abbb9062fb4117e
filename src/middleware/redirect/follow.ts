// The hop-by-hop following of redirect(): where the platform shows a 3xx (Node, Deno, Bun, a
// custom fetch), each hop is rebuilt with requests' rules (method, body, credentials stripped
// when the origin changes), recorded in the call's history and sent through the rest of the
// chain. A page's fetch never shows one (`redirect: 'manual'` gives an opaque response there),
// so the package's browser build uses follow.browser.ts instead, which leaves all this out.
import {
  InvalidURLError,
  TooManyRedirectsError,
  currentHopSlot,
  discard,
  emit,
  isAbsoluteUrl,
  isStream,
  maskText,
  recordAttempt,
  summarize,
  withFields,
  type FetchpipeRequest,
  type Next,
  type RedirectPolicy,
} from '../../kit/index.ts';
import { REDIRECT_STATUSES, hopHeaders, keepsBody, rebuildMethod } from './rebuild.ts';

/**
 * Follows the hops of a visible 3xx, one by one through the rest of the chain. Entered only with
 * a 3xx in hand: the usual response costs redirect() one `.then`, not an async loop. `current`
 * and `response` move on to each hop's request and response. `policy` is the one a retry() in
 * front of this redirect() set; one an inner retry() sets is for its own attempts.
 */
export async function followHops(
  request: FetchpipeRequest,
  current: FetchpipeRequest,
  response: Response,
  next: Next,
  policy: RedirectPolicy | undefined,
  max: number,
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
