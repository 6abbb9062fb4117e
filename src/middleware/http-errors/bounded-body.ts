// Reads at most a bounded prefix of an error response's body, so that the HTTPError can keep
// the text while the connection (and a pool() slot) is freed: a body left unread pins its
// socket for as long as the error lives (issue #14 §4).
import { withFields } from '../../core/response.ts';

/** The most of an error body an `HTTPError` keeps: enough for any error message, bounded for memory. */
export const MAX_ERROR_BODY_BYTES = 1024 * 1024;

const ignore = () => {};

/**
 * A copy of `response` whose body is the first `limit` bytes of the original, read now. The
 * original body is read to its end when it is shorter (so its connection can be reused) and
 * cancelled when it is longer. An abort of `signal` cancels the body and rejects with its
 * reason; a body that fails midway keeps what arrived.
 */
export async function bufferErrorBody(response: Response, signal: AbortSignal | null, limit = MAX_ERROR_BODY_BYTES): Promise<Response> {
  const source = response.body;
  if (signal?.aborted) {
    source?.cancel(signal.reason).catch(ignore);
    throw signal.reason;
  }
  const bytes = source === null ? null : await readPrefix(source, limit, signal);
  const copy = new Response(bytes, { status: response.status, statusText: response.statusText, headers: response.headers });
  return withFields(copy, { url: response.url, redirected: response.redirected, type: response.type });
}

async function readPrefix(source: ReadableStream<Uint8Array>, limit: number, signal: AbortSignal | null): Promise<Uint8Array<ArrayBuffer>> {
  const reader = source.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let onAbort = ignore;
  const aborted =
    signal === null
      ? undefined
      : new Promise<never>((_, reject) => {
          onAbort = () => reject(signal.reason);
          signal.addEventListener('abort', onAbort, { once: true });
        });
  try {
    for (;;) {
      const chunk = await (aborted ? Promise.race([reader.read(), aborted]) : reader.read());
      if (chunk.done) break;
      const room = limit - size;
      chunks.push(chunk.value.byteLength > room ? chunk.value.subarray(0, room) : chunk.value);
      size += Math.min(chunk.value.byteLength, room);
      if (size >= limit) {
        reader.cancel().catch(ignore);
        break;
      }
    }
  } catch (error) {
    reader.cancel(error).catch(ignore);
    if (signal?.aborted) throw signal.reason;
    // The connection broke inside the error body: the status is still the news, with what arrived.
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
