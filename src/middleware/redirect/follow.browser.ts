// followHops in the package's browser build. A page's fetch answers `redirect: 'manual'` with an
// opaque response (status 0, no Location), which redirect() hands to the platform to follow
// (see index.ts): a visible 3xx never reaches redirect() there, so the hop-by-hop machinery of
// follow.ts (Location parsing, requests' rebuild rules, credential stripping) is left out. A
// visible 3xx from a custom fetch in a page is handed back as it is, as fetch's own
// `redirect: 'manual'` would.
import type { FetchpipeRequest, Next, RedirectPolicy } from '../../kit/index.ts';

/** Hands back the 3xx: nothing in a page shows one to follow. */
export function followHops(
  _request: FetchpipeRequest,
  _current: FetchpipeRequest,
  response: Response,
  _next: Next,
  _policy: RedirectPolicy | undefined,
  _max: number,
): Promise<Response> {
  return Promise.resolve(response);
}
