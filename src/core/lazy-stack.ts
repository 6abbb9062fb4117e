// A masked stack that is formatted only when someone reads it. V8 (Node, Deno, Chromium) keeps
// `stack` as an own accessor that formats the trace on first read, and formatting costs more
// than building the error: masking used to read every stack of a failed call's error chain, so
// a failure cost six times bare fetch's own. Here V8's accessor is swapped for one that, on
// first read, formats, applies every mask registered for the error and pins the text: no one
// sees the stack unmasked, frames included, and a stack nobody reads is never formatted.
// Shared getter and setter functions, with the state in a WeakMap, keep the swap cheap (a
// closure per error makes defineProperty several times slower).

import { maskText, type Masker } from './mask.ts';

interface Pending {
  /** V8's own accessor, called on the error when the stack is first read. */
  readonly format: () => unknown;
  /** The maskers to apply, in the order they were registered. */
  readonly maskers: Masker[];
}

const pending = new WeakMap<object, Pending>();

function pin(error: object, value: unknown): void {
  pending.delete(error);
  Object.defineProperty(error, 'stack', { value, writable: true, configurable: true });
}

const LAZY_STACK: PropertyDescriptor = {
  get(this: object): unknown {
    const state = pending.get(this);
    if (state === undefined) return undefined;
    const raw = state.format.call(this);
    const text = typeof raw === 'string' ? state.maskers.reduce(maskText, raw) : raw;
    pin(this, text);
    return text;
  },
  set(this: object, value: unknown): void {
    pin(this, value);
  },
  configurable: true,
};

/**
 * Makes `error.stack` read masked by `masker`, formatted only when it is read. False when the
 * engine keeps no own accessor that can be swapped (JavaScriptCore's stack is a string
 * property; a frozen error's is not configurable): the caller masks that stack at once.
 */
export function maskStackWhenRead(error: Error, masker: Masker): boolean {
  const state = pending.get(error);
  if (state !== undefined) {
    if (!state.maskers.includes(masker)) state.maskers.push(masker);
    return true;
  }
  const descriptor = Object.getOwnPropertyDescriptor(error, 'stack');
  if (!descriptor?.get || !descriptor.configurable) return false;
  Object.defineProperty(error, 'stack', LAZY_STACK);
  pending.set(error, { format: descriptor.get, maskers: [masker] });
  return true;
}
