// Reads at most a bounded prefix of an error response's body, so that the HTTPError can keep
// the text while the connection (and a pool() slot) is freed: a body left unread pins its
// socket for as long as the error lives (issue #14 §4).
import { readBytes, withFields } from '../../kit/index.ts';

/** The most of an error body an `HTTPError` keeps: enough for any error message, bounded for memory. */
export const MAX_ERROR_BODY_BYTES = 1024 * 1024;

/**
 * A copy of `response` whose body is the first `limit` bytes of the original, read now. The
 * original body is read to its end when it is shorter (so its connection can be reused) and
 * cancelled when it is longer. An abort of `signal` cancels the body and rejects with its
 * reason; a body that fails midway keeps what arrived: the status is still the news.
 */
export async function bufferErrorBody(response: Response, signal: AbortSignal | null, limit = MAX_ERROR_BODY_BYTES): Promise<Response> {
  const bytes = response.body && (await readBytes(response.body, { limit, signal, keepOnError: true }));
  if (signal?.aborted) throw signal.reason;
  const copy = new Response(bytes, { status: response.status, statusText: response.statusText, headers: response.headers });
  return withFields(copy, { url: response.url, redirected: response.redirected, type: response.type });
}
