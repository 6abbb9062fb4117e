// Observers (event listeners, a logger's sink, context.listen()) are called through one function.
// A file of its own: context.ts and emit.ts both use it, and emit.ts needs the request's type.

const ignore = () => {};

/**
 * Calls an observer (an event listener, a logger's sink) so that it cannot fail, lose or delay
 * the call it observes: what it throws is dropped, and so is a rejection of the promise an
 * async observer returns, which would otherwise be an unhandled rejection after a good call.
 */
export function observe<T>(observer: (value: T) => unknown, value: T): void {
  try {
    const result = observer(value);
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') (result as PromiseLike<unknown>).then(undefined, ignore);
  } catch {
    // Dropped: see above.
  }
}
