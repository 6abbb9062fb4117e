// What MaxRetryError says about where it failed: the URL actually attempted, absolute and
// masked, in urllib3's words. The request retry() holds may still be relative (baseUrl() can
// stand inside retry()); the attempt itself knows better: the terminal's error names the URL it
// sent, and a response knows the URL it came from.
import { isAbsoluteUrl, isFetchpipeError, maskText, type FetchpipeRequest } from '../../kit/index.ts';

/** The masked, absolute URL of the attempt that gave `reason` (or `response`), else the request's own. */
export function attemptedUrl(request: FetchpipeRequest, reason: unknown, response?: Response): string {
  const { masker } = request.context;
  // Errors made by fetchpipe carry a summary whose URL is already masked.
  const fromError = isFetchpipeError(reason) ? reason.request?.url : undefined;
  if (fromError !== undefined && isAbsoluteUrl(fromError)) return fromError;
  // A stub fetch may answer with a Response whose url is empty: then the request is all there is.
  if (response !== undefined && response.url !== '' && isAbsoluteUrl(response.url)) return maskText(response.url, masker);
  const fromLastError = lastErrorUrl(request);
  if (!isAbsoluteUrl(request.url) && fromLastError !== undefined) return fromLastError;
  return maskText(request.url, masker);
}

// A status exhaustion has no error of its own; an earlier attempt's error of this call may name the URL.
function lastErrorUrl(request: FetchpipeRequest): string | undefined {
  const { history } = request.context;
  for (let i = history.length - 1; i >= 0; i--) {
    const url = isFetchpipeError(history[i]!.error) ? (history[i]!.error as { request?: { url?: string } }).request?.url : undefined;
    if (url !== undefined && isAbsoluteUrl(url)) return url;
  }
  return undefined;
}

// Scheme and authority of an absolute URL, with whatever userinfo (masked) it has.
const AUTHORITY = /^[a-z][a-z\d+.-]*:\/*[^/?#]*/i;

/**
 * urllib3's MaxRetryError message: `HTTPConnectionPool(host='h', port=80): Max retries exceeded
 * with url: /path?query (Caused by ResponseError('too many 503 error responses'))`. `url` is
 * already masked; a URL that is not absolute (nothing better was known) is named as it is.
 */
export function maxRetriesMessage(url: string, reason: unknown): string {
  const cause = reason instanceof Error ? `${reason.name}('${reason.message}')` : `'${String(reason)}'`;
  let parsed: URL | undefined;
  try {
    parsed = isAbsoluteUrl(url) ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    return `Max retries exceeded with url: ${url} (Caused by ${cause})`;
  }
  const secure = parsed.protocol === 'https:';
  const port = parsed.port === '' ? (secure ? 443 : 80) : Number(parsed.port);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  // The path as it was masked: URL would percent-encode a mask or a character it moved.
  const path = url.replace(AUTHORITY, '').replace(/#.*$/, '') || '/';
  return `${secure ? 'HTTPS' : 'HTTP'}ConnectionPool(host='${host}', port=${port}): Max retries exceeded with url: ${path} (Caused by ${cause})`;
}
