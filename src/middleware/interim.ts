// INTERIM, until the kit of issue #16 lands on main: per-call slots, custom events and run-time
// secrets, reduced to what the resilience middlewares need. Deleted when they move to src/kit/.
import type { FetchpipeRequest } from '../core/request.ts';
import { createMasker, maskText, mergeMaskers, type Masker } from '../core/mask.ts';

export function getSlot<T>(request: FetchpipeRequest, name: string): T | undefined {
  return (request.context as unknown as Record<string, T | undefined>)[name];
}

export function setSlot<T>(request: FetchpipeRequest, name: string, value: T): void {
  (request.context as unknown as Record<string, T>)[name] = value;
}

export function emitCustom(request: FetchpipeRequest, type: string, extra: Record<string, unknown>): void {
  const { listener, masker, startedAt } = request.context;
  if (listener === undefined) return;
  const event: Record<string, unknown> = { type, elapsedMs: Date.now() - startedAt, method: request.method, url: maskText(request.url, masker), attempt: request.attempt, ...extra };
  for (const [key, value] of Object.entries(event)) if (typeof value === 'string') event[key] = maskText(value, masker);
  try {
    listener(Object.freeze(event) as never);
  } catch {}
}

export function registerSecret(request: FetchpipeRequest, value: string): void {
  const context = request.context as { masker: Masker };
  context.masker = mergeMaskers(context.masker, createMasker([value]));
}

export function observeEvents(request: FetchpipeRequest, listener: (event: import('../core/events.ts').FetchpipeEvent) => void): void {
  const context = request.context as { listener: ((event: never) => void) | undefined };
  const original = context.listener;
  context.listener = original === undefined ? (listener as never) : (event: never) => {
    try {
      listener(event);
    } finally {
      original(event);
    }
  };
}
