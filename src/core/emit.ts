// Emitting events: built only when a listener exists, so a client without `onEvent` pays
// nothing for them; masked here, once, for every event; a failing listener is ignored.
import type { BuiltinDetails, BuiltinEventType, CustomEvent, CustomEventType, EventDetails, EventMap, FetchpipeEvent } from './events.ts';
import { maskText, type Masker } from './mask.ts';
import { observe } from './observe.ts';
import type { FetchpipeRequest } from './request.ts';

/**
 * Emits an event about `request` if anyone listens: a built-in one by its type, or a custom
 * one whose type is namespaced with a dot (`'circuit.open'`). Every string of the event, and
 * every string in an array of it, is masked; its details cannot replace the base fields.
 * @example
 * emit(request, 'circuit.open', { origin: 'https://api.example.com', failures: 5 });
 */
export function emit<T extends BuiltinEventType>(request: FetchpipeRequest, type: T, details: BuiltinDetails<T>): void;
export function emit<T extends CustomEventType>(request: FetchpipeRequest, type: T, details: EventDetails): void;
export function emit(request: FetchpipeRequest, type: string, details: object): void {
  const { context } = request;
  const listener = context.listener;
  if (listener === undefined) return;
  const { masker } = context;
  // One read of the clock per event; the base fields first, and details cannot replace them.
  const event: Record<string, unknown> = {
    type: masker.mask(type),
    elapsedMs: Date.now() - context.startedAt,
    method: masker.mask(request.method),
    url: masker.mask(request.url),
    attempt: request.attempt,
  };
  for (const key of Object.keys(details)) if (!(key in event)) event[key] = masked((details as Record<string, unknown>)[key], masker);
  observe(listener, Object.freeze(event) as unknown as FetchpipeEvent);
}

function masked(value: unknown, masker: Masker): unknown {
  if (typeof value === 'string') return maskText(value, masker);
  if (Array.isArray(value)) return Object.freeze(value.map((item: unknown) => (typeof item === 'string' ? maskText(item, masker) : item)));
  return value;
}

/** Emits and recognises the custom events of one middleware, typed by its map. */
export interface EventKit<M extends EventMap> {
  /** `emit()`, with the types and details of `M` only. */
  emit<K extends keyof M & CustomEventType>(request: FetchpipeRequest, type: K, details: M[K]): void;
  /** Whether `event` is the event `type` of `M`, for listeners. */
  is<K extends keyof M & CustomEventType>(event: FetchpipeEvent, type: K): event is CustomEvent<K, M[K]>;
}

/**
 * Types the custom events of a middleware: declare their map once, emit and recognise them with it.
 * @example
 * const events = defineEvents<{ 'circuit.open': { origin: string; failures: number } }>();
 * events.emit(request, 'circuit.open', { origin, failures });
 * createClient(mws, { onEvent: (e) => events.is(e, 'circuit.open') && console.log(e.origin) });
 */
export function defineEvents<M extends EventMap>(): EventKit<M> {
  return {
    emit: (request, type, details) => emit(request, type, details),
    is: <K extends keyof M & CustomEventType>(event: FetchpipeEvent, type: K): event is CustomEvent<K, M[K]> => event.type === type,
  };
}

/** Whether anyone listens: lets callers skip building an event's details. */
export function listening(request: FetchpipeRequest): boolean {
  return request.context.listener !== undefined;
}

/** What an event says of an error: its name, or its type when it is not an Error. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
