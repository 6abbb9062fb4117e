// requests' rules for the request a redirect hop sends: `Session.rebuild_method`, the body and
// content headers that `resolve_redirects` purges, and the credentials `rebuild_auth` drops.
// Pure functions of the hop, unit-tested alone (test/middleware/redirect-rules.test.ts).
import { withoutHeaders } from '../../kit/index.ts';
import { shouldStripAuth } from './strip-auth.ts';

/** requests' REDIRECT_STATI; 300 and 304 are returned as they are. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** What requests strips on a cross-origin hop, before any name `authHeaders()` declares. */
export const CREDENTIAL_HEADERS: readonly string[] = Object.freeze(['authorization', 'proxy-authorization', 'cookie']);

/**
 * Stripped on a cross-origin hop too, wherever it was set (on the call, by a hook): a credential
 * by name, as the secrets model says (docs/SECURITY.md). A deliberate extension: requests and the
 * platforms' own redirect following forward it.
 */
export const CUSTOM_CREDENTIAL_HEADERS: readonly string[] = Object.freeze(['x-api-key']);

// `resolve_redirects` pops these unless the status is 307 or 308.
const BODY_HEADERS = ['content-type', 'content-length', 'transfer-encoding'];

/** requests' rebuild_method: 303 and 302 turn anything but HEAD into GET, 301 turns POST into GET. */
export function rebuildMethod(status: number, method: string): string {
  if ((status === 303 || status === 302) && method !== 'HEAD') return 'GET';
  if (status === 301 && method === 'POST') return 'GET';
  return method;
}

/** Whether the hop keeps the body and its headers: only 307 and 308 do. */
export function keepsBody(status: number): boolean {
  return status === 307 || status === 308;
}

/** The headers of the next hop, and the credential names removed because it leaves the origin. */
export function hopHeaders(
  headers: Headers,
  hop: { status: number; from: string | undefined; to: string; authHeaderNames: Iterable<string> },
): { headers: Headers; stripped: string[] } {
  let out = headers;
  let stripped: string[] = [];
  // An origin that cannot be known (no absolute URL, no response URL) is treated as left.
  if (hop.from === undefined || shouldStripAuth(hop.from, hop.to)) {
    ({ headers: out, removed: stripped } = withoutHeaders(out, [...CREDENTIAL_HEADERS, ...CUSTOM_CREDENTIAL_HEADERS, ...hop.authHeaderNames]));
  }
  if (!keepsBody(hop.status)) out = withoutHeaders(out, BODY_HEADERS).headers;
  return { headers: out, stripped };
}
