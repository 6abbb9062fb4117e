// Helpers for middleware that hands back a response other than the one fetch gave it.

/** Statuses whose responses never have a body (the Response constructor refuses one). */
export const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);

/**
 * The same response with another body stream. `new Response` forgets where a response came
 * from, so `url`, `redirected` and `type` are carried over, configurable so that an outer
 * middleware (redirect(), say) may set them again.
 */
export function withBody(response: Response, body: ReadableStream<Uint8Array>): Response {
  return withFields(
    new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers }),
    { url: response.url, redirected: response.redirected, type: response.type },
  );
}

/** Cancels the body of a response that will never be read, so its connection is freed; never rejects. */
export function discard(response: Response): Promise<void> {
  return response.body === null ? Promise.resolve() : response.body.cancel().catch(() => {});
}

/** Sets read-only fields of a response (`url`, `redirected`, `type`) as fetch would have. */
export function withFields(response: Response, fields: Partial<Pick<Response, 'url' | 'redirected' | 'type'>>): Response {
  for (const [key, value] of Object.entries(fields)) {
    Object.defineProperty(response, key, { value, configurable: true, enumerable: false });
  }
  return response;
}
