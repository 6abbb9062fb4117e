// mapFetchFailure in the package's browser build. A page's fetch reports every failure as a
// bare TypeError ("Failed to fetch", "NetworkError when attempting to fetch resource.", "Load
// failed"): no error code, none of Deno's messages, and its redirect limit and refusals look
// like any network failure. So the server runtimes' tables of fetch-failure.ts are left out,
// and what a page can see maps as it does there. A custom fetch that throws errors with Node's
// codes in a page is mapped by message only (`ConnectionError`, phase 'read').
import { ConnectionError, InvalidURLError, isAbortError, type RequestSummary } from './index.ts';
import { INVALID_URL_MESSAGE, NETWORK_MESSAGE, findCode, hasBadPort, innermost, messages } from './failure-text.ts';

/**
 * Turns a fetch failure into ConnectionError or InvalidURLError, with the original as `cause`.
 * A user's abort, and any error that is not a network failure, is returned unchanged.
 */
export function mapFetchFailure(error: unknown, request: RequestSummary): unknown {
  if (isAbortError(error) || !(error instanceof TypeError)) return error;
  const options = { cause: error, request };
  const code = findCode(error);
  const detail = code === undefined || code === 'ERR_INVALID_URL' ? '' : ` (${code})`;
  const text = messages(error);
  if (INVALID_URL_MESSAGE.test(text)) return new InvalidURLError(`Invalid URL for ${request.method} ${request.url}${detail}`, options);
  // Other TypeErrors (a bad header value, a GET with a body) are the caller's mistakes: left as they are.
  if (!NETWORK_MESSAGE.test(text)) return error;
  // A bare "Failed to fetch" for a port fetch refuses is that refusal, not a network failure.
  if (hasBadPort(request.url)) {
    return new InvalidURLError(`Bad port for ${request.method} ${request.url}: fetch refused it before sending (${innermost(error)})${detail}`, options);
  }
  // "Failed to fetch" hides the phase; treat it as a read error, the conservative choice.
  return new ConnectionError(`Connection failed for ${request.method} ${request.url}${detail}`, { ...options, phase: 'read' });
}
