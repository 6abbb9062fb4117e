// A masked stack that is formatted only when someone reads it. V8 (Node, Deno, Chromium) keeps
// `stack` as an own accessor that formats the trace on first read, and formatting costs more
// than building the error: masking used to read every stack of a failed call's error chain.
// Here V8's accessor is swapped for one that, on first read, formats, applies every masker
// registered for the error and pins the text: no one sees the stack unmasked, frames included,
// and a stack nobody reads is never formatted. Shared getter and setter functions, with the
// state in a WeakMap, keep the swap cheap (a closure per error makes defineProperty several
// times slower).
import type { Masker } from './mask.ts';

/** Per error: V8's own accessor, and the maskers to apply in the order they were registered. */
const pending = new WeakMap<object, [format: () => unknown, maskers: Masker[]]>();

function pin(error: object, value: unknown): unknown {
  pending.delete(error);
  Object.defineProperty(error, 'stack', { value, writable: true, configurable: true });
  return value;
}

const LAZY_STACK: PropertyDescriptor = {
  get(this: object): unknown {
    const [format, maskers] = pending.get(this) ?? [];
    const raw = format?.call(this);
    return pin(this, typeof raw === 'string' ? maskers!.reduce((text, masker) => masker.mask(text), raw) : raw);
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
  const maskers = pending.get(error)?.[1];
  if (maskers) return maskers.includes(masker) || maskers.push(masker) > 0;
  const descriptor = Object.getOwnPropertyDescriptor(error, 'stack');
  if (!descriptor?.get || !descriptor.configurable) return false;
  Object.defineProperty(error, 'stack', LAZY_STACK);
  pending.set(error, [descriptor.get, [masker]]);
  return true;
}
