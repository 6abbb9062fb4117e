// The per-call context: what every call has (its history, its secrets, its event sink) and
// typed slots through which cooperating middlewares leave state for one another. The core
// declares no slot: each is declared by the middleware that writes it (hono's c.set/c.get).
import { ConfigError, type AttemptRecord } from '../errors/index.ts';
import { observe } from './observe.ts';
import type { EventListener } from './events.ts';
import type { CallSecrets } from './secrets.ts';

/**
 * A typed key of a per-call slot. Two keys are the same slot only if they are the same object,
 * so a slot can be read and written only by code that was handed its key.
 */
export interface CallKey<T> {
  /** `<owner>.<field>`, e.g. `'timeout.deadline'`: for messages and debugging only. */
  readonly name: string;
  /** Carries `T` for the type checker; never set. */
  readonly __value?: T;
}


/**
 * Declares a per-call slot holding a `T`. Declare it once, in the middleware that writes it,
 * with a comment naming its readers, and export it for them.
 * @example
 * // Written by timeout({ total }); read by backoff() and pool().
 * export const deadlineSlot = callKey<number>('timeout.deadline');
 */
export function callKey<T>(name: string): CallKey<T> {
  // `<owner>.<field>`: a dot with something on both sides.
  if (typeof name !== 'string' || !(name.indexOf('.') > 0 && !name.endsWith('.'))) {
    throw new ConfigError(`callKey: name: expected "<owner>.<field>", received ${JSON.stringify(String(name))}`, { option: 'name' });
  }
  return Object.freeze({ name });
}

const EMPTY_HISTORY: readonly AttemptRecord[] = Object.freeze([]);

/**
 * Per-call state, shared by every attempt and hop of one call: the history of attempts, the
 * secrets to mask, who listens to events, and the slots. The client makes one for each call.
 */
export interface CallContext {
  /** Every retried attempt and followed redirect of this call so far, oldest first. Frozen. */
  readonly history: readonly AttemptRecord[];
  /**
   * What must be masked in errors and events of this call: `maskText(text, context.masker)`.
   * Add to it with `registerSecret()`. Its lists are private: it prints as an empty object.
   */
  readonly masker: CallSecrets;
  /** Header names that carry credentials (from `authHeaders()`), stripped on a cross-origin redirect. */
  readonly authHeaderNames: ReadonlySet<string>;
  /** Receives the call's events; undefined when nobody listens. */
  readonly listener: EventListener | undefined;
  /** `Date.now()` when the call started (0 when no one listens to events). */
  readonly startedAt: number;
  /** Appends a record to the history, its texts masked and frozen, and returns the new history. */
  record(attempt: AttemptRecord): readonly AttemptRecord[];
  /** The value in `key`'s slot, or undefined when nobody set it in this call. */
  get<T>(key: CallKey<T>): T | undefined;
  /** Sets `key`'s slot for the rest of this call (every hop and attempt shares it). */
  set<T>(key: CallKey<T>, value: T): void;
  /** Adds a listener of this call's events from now on, after the client's own (fetchpipe/otel builds its spans so). */
  listen(listener: EventListener): void;
}

/**
 * The one implementation of CallContext. Its fields are writable here and read-only through
 * the interface, which is all a middleware sees: no cast is needed on either side.
 */
export class Context implements CallContext {
  history: readonly AttemptRecord[] = EMPTY_HISTORY;
  declare readonly masker: CallSecrets;
  declare readonly authHeaderNames: ReadonlySet<string>;
  declare listener: EventListener | undefined;
  declare startedAt: number;
  // Most calls use no slot or one (retry's redirect policy): the first lives in two fields,
  // so such a call allocates nothing for slots; a Map is made only for a second one.
  #firstKey: CallKey<unknown> | undefined;
  #firstValue: unknown;
  #more: Map<CallKey<unknown>, unknown> | undefined;

  constructor(masker: CallSecrets, authHeaderNames: ReadonlySet<string>, listener: EventListener | undefined) {
    this.masker = masker;
    this.authHeaderNames = authHeaderNames;
    this.listener = listener;
    this.startedAt = listener ? Date.now() : 0;
  }

  record(attempt: AttemptRecord): readonly AttemptRecord[] {
    // A frozen record cannot be masked later: every text it holds (a URL, an invalid Retry-After echoing a secret) is masked now.
    const masked: Record<string, unknown> = { ...attempt };
    for (const [key, value] of Object.entries(masked)) {
      if (typeof value === 'string' && key !== 'kind' && key !== 'method') masked[key] = this.masker.mask(value);
    }
    return (this.history = Object.freeze([...this.history, Object.freeze(masked as unknown as AttemptRecord)]));
  }

  listen(listener: EventListener): void {
    const own = this.listener;
    // Each listener is observed alone: one that throws cannot keep the other from its event.
    this.listener = own === undefined ? listener : (event) => (observe(own, event), observe(listener, event));
    if (this.startedAt === 0) this.startedAt = Date.now();
  }

  get<T>(key: CallKey<T>): T | undefined {
    return (this.#firstKey === key ? this.#firstValue : this.#more?.get(key)) as T | undefined;
  }

  set<T>(key: CallKey<T>, value: T): void {
    if (this.#firstKey === undefined || this.#firstKey === key) {
      this.#firstKey = key;
      this.#firstValue = value;
    } else (this.#more ??= new Map()).set(key, value);
  }
}
