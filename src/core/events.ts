// The types of the events a call emits: one per step of the built-in middlewares, and custom
// events that any middleware may add under its own namespace (`circuit.open`). Types only:
// emitting lives in emit.ts, so these types depend on nothing.

/** What every event carries. */
export interface EventBase {
  /** Milliseconds since the call started. */
  readonly elapsedMs: number;
  readonly method: string;
  /** The URL, masked like every URL in an error. */
  readonly url: string;
  readonly attempt: number;
}

/** The events of the built-in middlewares and of the client itself. */
export type BuiltinEvent =
  | (EventBase & { readonly type: 'start' })
  | (EventBase & { readonly type: 'attempt'; readonly status?: number; readonly error?: string; readonly durationMs: number })
  | (EventBase & { readonly type: 'retry'; readonly kind: string; readonly reason: string })
  | (EventBase & {
      readonly type: 'wait';
      readonly delayMs: number;
      /** Why this long: the server's Retry-After, the exponential backoff, jitter alone, or no wait (first retry). */
      readonly reason: 'retry-after' | 'backoff' | 'jitter' | 'immediate';
      readonly backoffMs: number;
      readonly jitterMs: number;
    })
  | (EventBase & { readonly type: 'redirect'; readonly status: number; readonly location: string; readonly stripped: readonly string[] })
  | (EventBase & { readonly type: 'pool-wait'; readonly origin: string; readonly queued: number })
  | (EventBase & { readonly type: 'give-up'; readonly reason: string })
  | (EventBase & { readonly type: 'done'; readonly status?: number; readonly error?: string });

/** The type of a built-in event. */
export type BuiltinEventType = BuiltinEvent['type'];

/**
 * The type of a custom event: `<namespace>.<name>`, the namespace being the middleware's name
 * (`circuit.open`, `authRefresh.refreshed`). Built-in types never contain a dot.
 */
export type CustomEventType = `${string}.${string}`;

/** A value a custom event may carry: flat, so that every string in it can be masked. */
export type EventValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];

/** The fields a custom event adds to `EventBase`. Strings (and strings in arrays) are masked before any listener sees them. */
export type EventDetails = { readonly [field: string]: EventValue };

/** A custom event as listeners receive it: the base fields, its type, and its details. */
export type CustomEvent<T extends CustomEventType = CustomEventType, D extends EventDetails = EventDetails> = EventBase & {
  readonly type: T;
} & Readonly<Omit<D, keyof EventBase | 'type'>>;

/** Every event: a built-in one, or a custom one of some middleware. */
export type FetchpipeEvent = BuiltinEvent | CustomEvent;

/** Receives events; may be async. What it throws, or a rejection of the promise it returns, never affects the call. */
export type EventListener = (event: FetchpipeEvent) => void;

/** The fields a built-in event of type `T` adds to `EventBase`. */
export type BuiltinDetails<T extends BuiltinEventType> = Omit<Extract<BuiltinEvent, { type: T }>, keyof EventBase | 'type'>;

/** A middleware's map of custom event types to their details, for `defineEvents()`. */
export type EventMap = { readonly [type: CustomEventType]: EventDetails };
