// Reading a whole body (or a bounded prefix of one) in a way the caller's abort can end at
// once: `arrayBuffer()` cannot be interrupted, and its stream cannot be cancelled while locked.
// With the one helper that races any work against an abort.

const ignore = () => {};

export interface ReadOptions {
  /** Read at most this many bytes; the rest of the stream is cancelled. @default Infinity */
  readonly limit?: number;
  /** Cancels the stream and rejects with its reason as soon as it aborts. */
  readonly signal?: AbortSignal | null;
  /** When the stream fails midway, resolve with what arrived instead of rejecting. @default false */
  readonly keepOnError?: boolean;
}

/**
 * A promise that rejects with `signal.reason` once it aborts (at once if it has), to race work
 * against, and the function that stops listening. It never rejects unobserved.
 */
export function abortion(signal: AbortSignal | null): { readonly aborted: Promise<never>; stop(): void } {
  let onAbort = ignore;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal!.reason);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(ignore);
  return { aborted, stop: () => signal?.removeEventListener('abort', onAbort) };
}

/** `work`, or a rejection with the signal's reason as soon as it aborts. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | null): Promise<T> {
  if (signal === null) return work;
  const { aborted, stop } = abortion(signal);
  return Promise.race([work, aborted]).finally(stop);
}

/** The bytes of `stream`, read to its end or to `limit`. An abort of `signal` always rejects, with its reason. */
export async function readBytes(stream: ReadableStream<Uint8Array>, options: ReadOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  const { limit = Infinity, signal = null, keepOnError = false } = options;
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  // One listener for the whole read, raced against every chunk.
  const { aborted, stop } = abortion(signal);
  try {
    while (size < limit) {
      const chunk = await Promise.race([reader.read(), aborted]);
      if (chunk.done) break;
      const part = chunk.value.subarray(0, limit - size);
      chunks.push(part);
      size += part.byteLength;
    }
    if (size >= limit) reader.cancel().catch(ignore);
  } catch (error) {
    reader.cancel(error).catch(ignore);
    if (signal?.aborted) throw signal.reason;
    if (!keepOnError) throw error;
  } finally {
    stop();
  }
  return new Uint8Array(await new Blob(chunks as BlobPart[]).arrayBuffer());
}
