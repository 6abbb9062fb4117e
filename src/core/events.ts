// One structured event per step of a call, for logs, plots and the demo. Events are built
// only when a listener exists, so a client without `onEvent` pays nothing for them.
import type { FetchpipeRequest } from './request.ts';
import { maskText } from './mask.ts';

interface Base {
  /** Milliseconds since the call started. */
  readonly elapsedMs: number;
  readonly method: string;
  /** The URL, masked like every URL in an error. */
  readonly url: string;
  readonly attempt: number;
}

export type FetchpipeEvent =
  | (Base & { readonly type: 'start' })
  | (Base & { readonly type: 'attempt'; readonly status?: number; readonly error?: string; readonly durationMs: number })
  | (Base & { readonly type: 'retry'; readonly kind: string; readonly reason: string })
  | (Base & {
      readonly type: 'wait';
      readonly delayMs: number;
      /** Why this long: the server's Retry-After, the exponential backoff, jitter alone, or no wait (first retry). */
      readonly reason: 'retry-after' | 'backoff' | 'jitter' | 'immediate';
      readonly backoffMs: number;
      readonly jitterMs: number;
    })
  | (Base & { readonly type: 'redirect'; readonly status: number; readonly location: string; readonly stripped: readonly string[] })
  | (Base & { readonly type: 'pool-wait'; readonly origin: string; readonly queued: number })
  | (Base & { readonly type: 'give-up'; readonly reason: string })
  | (Base & { readonly type: 'done'; readonly status?: number; readonly error?: string });

/** Receives events; may be async. What it throws, or a rejection of the promise it returns, never affects the call. */
export type EventListener = (event: FetchpipeEvent) => void;

type Extra<T extends FetchpipeEvent['type']> = Omit<Extract<FetchpipeEvent, { type: T }>, keyof Base | 'type'>;

/** Emits an event about `request` if anyone listens. URLs are masked here, once, for every event. */
export function emit<T extends FetchpipeEvent['type']>(request: FetchpipeRequest, type: T, extra: Extra<T>): void {
  const { context } = request;
  const listener = context.listener;
  if (listener === undefined) return;
  const event: Record<string, unknown> = {
    type,
    elapsedMs: Date.now() - context.startedAt,
    method: request.method,
    url: request.url,
    attempt: request.attempt,
    ...extra,
  };
  // Every field that can hold a URL, or a message quoting one, is masked.
  for (const key of ['url', 'location', 'reason', 'error'] as const) {
    const value = event[key];
    if (typeof value === 'string') event[key] = maskText(value, context.masker);
  }
  observe(listener, Object.freeze(event) as unknown as FetchpipeEvent);
}

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

/** Whether anyone listens: lets callers skip building an event's details. */
export function listening(request: FetchpipeRequest): boolean {
  return request.context.listener !== undefined;
}

/** What an event says of an error: its name, or its type when it is not an Error. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
