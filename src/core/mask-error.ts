// Makes whatever a call rejects with safe to print in every way (String, .stack, JSON,
// util.inspect at any depth, structuredClone), whoever threw it.
//
// The decision: an error is rewritten in place where that is possible, so that `instanceof`
// and identity still work for the caller's own error classes. Its texts (message, stack, own
// strings) are masked; an object it carries that holds a secret (a Request, a Headers,
// `config.headers`, a frozen record) is never mutated, since it may be the caller's and still
// in use, but replaced on the error by a masked copy. What cannot be rewritten (a frozen error,
// a non-configurable property) makes the whole value unsafe: it is replaced by a MaskedError
// whose `cause` is a masked copy. A thrown string is masked; other primitives stay as they are.
import { MaskedError, type RequestSummary } from '../errors/index.ts';
import { maskStackWhenRead } from './lazy-stack.ts';
import type { Masker } from './mask.ts';
import { CallSecrets, ClientSecrets } from './secrets.ts';

/** How deep and how wide a walk goes: what lies beyond is cut from copies, as if it held a secret. */
const MAX_DEPTH = 12;
const MAX_NODES = 5_000;
const CUT = '[cut by fetchpipe: nested too deep to check for secrets]';

/** Returns `thrown` masked in place, or a masked stand-in when it cannot be made safe in place. */
export function maskThrown(thrown: unknown, masker: Masker, request?: RequestSummary): unknown {
  if (typeof thrown === 'string') return masker.mask(thrown);
  if (typeof thrown !== 'object' || thrown === null) return thrown;
  try {
    const walk = new Walk(masker);
    if (walk.rewrite(thrown, 0)) return thrown;
    const standIn = new MaskedError(`${masker.mask(describe(thrown))} (could not be masked in place: its masked copy is the cause)`, {
      cause: walk.copy(thrown, 0).value,
      request,
    });
    // Its stack is masked like every other (a secret may equal part of a module URL in a frame).
    walk.rewrite(standIn, 0);
    return standIn;
  } catch {
    // A proxy or an exotic object that throws when looked at: nothing of it can be shown safely.
    return new MaskedError('A thrown value that could not be inspected for secrets', { request });
  }
}

/** Masks `value` where it can be rewritten, and leaves the rest to maskThrown() where the call ends. */
export function maskInPlace(value: unknown, masker: Masker): void {
  if (typeof value !== 'object' || value === null) return;
  try {
    new Walk(masker).rewrite(value, 0);
  } catch {
    // Replaced where the call ends.
  }
}

function describe(value: object): string {
  const name = read(value, 'name');
  const message = read(value, 'message');
  const label = typeof name === 'string' ? name : Object.prototype.toString.call(value).slice(8, -1);
  return typeof message === 'string' ? `${label}: ${message}` : label;
}

// Where an error carries other errors (or lists of them): rewritten in place like the error itself.
// Node's util.inspect shows `cause` and `errors` even though they are not enumerable.
const CARRIERS = new Set<PropertyKey>(['cause', 'errors', 'reason', 'error']);

// Fields of fixed vocabulary, never rewritten: type guards read `name`, retry reads `phase` and
// `code`. A secret short enough to occur in one (`Err`, `GET`) is named as a limit in SECURITY.md.
const STRUCTURAL = new Set<PropertyKey>(['name', 'code', 'phase', 'kind', 'method', 'syscall', 'type']);

const BUILT_IN_ERRORS = [AggregateError, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, Error];

interface Copied {
  /** The masked copy, or the value itself when nothing in it needed masking. */
  value: unknown;
  changed: boolean;
}

class Walk {
  readonly #masker: Masker;
  // inPlace verdicts (`true` while in progress, so that a cycle ends) and copies made so far.
  readonly #rewritten = new Map<object, boolean>();
  readonly #copies = new Map<object, Copied>();
  #nodes = 0;

  constructor(masker: Masker) {
    this.#masker = masker;
  }

  /** Masks `target` in place; false when something in it could not be rewritten. */
  rewrite(target: object, depth: number): boolean {
    const known = this.#rewritten.get(target);
    if (known !== undefined) return known;
    this.#rewritten.set(target, true);
    let safe = depth <= MAX_DEPTH;
    for (const key of safe ? Reflect.ownKeys(target) : []) {
      const descriptor = Reflect.getOwnPropertyDescriptor(target, key)!;
      let value: unknown;
      if ('value' in descriptor) {
        value = descriptor.value;
        if (typeof value === 'string' && STRUCTURAL.has(key)) continue;
        // No print form shows a hidden object (HTTPError's `response` is the caller's to read), except an error's carriers.
        if (typeof value === 'object' && value !== null && !descriptor.enumerable && !CARRIERS.has(key)) continue;
        if (CARRIERS.has(key) && this.#carried(value, depth + 1)) continue;
      } else if (descriptor.enumerable && descriptor.get) {
        // JSON.stringify calls an enumerable own getter: what it gives is pinned, masked. Others print as [Getter].
        value = read(target, key);
      } else {
        continue;
      }
      const copied = this.copy(value, depth + 1);
      if (!copied.changed) continue;
      const writable = 'value' in descriptor ? descriptor : { enumerable: true, configurable: descriptor.configurable, writable: false };
      safe = redefine(target, key, { ...writable, value: copied.value }) && safe;
    }
    if (target instanceof Error) safe = this.#pinStack(target) && safe;
    this.#rewritten.set(target, safe);
    return safe;
  }

  // A carried error is rewritten in place; a list of them keeps its identity when each item can be.
  #carried(value: unknown, depth: number): boolean {
    if (value instanceof Error) return this.rewrite(value, depth);
    if (!Array.isArray(value)) return false;
    let safe = true;
    value.forEach((item, index) => {
      if (item instanceof Error) safe = this.rewrite(item, depth + 1) && safe;
      else {
        const copied = this.copy(item, depth + 1);
        if (copied.changed) safe = redefine(value, index, { value: copied.value, writable: true, enumerable: true, configurable: true }) && safe;
      }
    });
    return safe;
  }

  // Engines keep `stack` as an accessor (own or inherited): read it and pin the masked text.
  #pinStack(error: Error): boolean {
    const descriptor = Reflect.getOwnPropertyDescriptor(error, 'stack');
    if (descriptor !== undefined && 'value' in descriptor) return true;
    // V8's own accessor (Node, Deno, Chromium) is masked when the stack is first read, frames
    // included, so that a stack nobody reads is never formatted (lazy-stack.ts).
    if (maskStackWhenRead(error, this.#masker)) return true;
    const stack = read(error, 'stack');
    if (typeof stack !== 'string') return true;
    const masked = this.#masker.mask(stack);
    return (descriptor === undefined && masked === stack) || redefine(error, 'stack', { value: masked, writable: true, configurable: true });
  }

  /** A masked copy of `value` for display (Requests and Responses as plain summaries, getters left out), and whether it differs. */
  copy(value: unknown, depth: number): Copied {
    if (typeof value === 'string') {
      const masked = this.#masker.mask(value);
      return { value: masked, changed: masked !== value };
    }
    if (typeof value !== 'object' || value === null || value instanceof CallSecrets || value instanceof ClientSecrets) return { value, changed: false };
    const known = this.#copies.get(value);
    if (known !== undefined) return known;
    if (depth > MAX_DEPTH || ++this.#nodes > MAX_NODES) return { value: CUT, changed: true };
    if (value instanceof URL || value instanceof URLSearchParams) return this.#keepOr(value, this.copy(String(value), depth));
    if (value instanceof Headers) {
      const entries = this.copy([...value], depth);
      return this.#keepOr(value, { value: entries.changed ? new Headers(entries.value as [string, string][]) : value, changed: entries.changed });
    }
    if ((typeof Request !== 'undefined' && value instanceof Request) || (typeof Response !== 'undefined' && value instanceof Response)) {
      const { method, status, url, headers } = value as Partial<Request & Response>;
      return this.#keepOr(value, this.copy({ ...(method ? { method } : { status }), url, headers }, depth));
    }
    const error = value instanceof Error;
    const Base = error ? (BUILT_IN_ERRORS.find((Class) => value instanceof Class) ?? Error) : undefined;
    // An error's copy has the nearest built-in class: one of the caller's may print through private fields a copy lacks.
    const target: Record<PropertyKey, unknown> =
      value instanceof Map ? new Map() : value instanceof Set ? new Set() : Array.isArray(value) ? [] : Base ? Object.create(Base.prototype) : {};
    const result: Copied = { value: target, changed: false };
    this.#copies.set(value, result);
    const put = (key: PropertyKey, item: unknown, enumerable = true): void => {
      const copied = typeof item === 'string' && STRUCTURAL.has(key) ? { value: item, changed: false } : this.copy(item, depth + 1);
      result.changed ||= copied.changed;
      Object.defineProperty(target, key, { value: copied.value, writable: true, configurable: true, enumerable });
    };
    if (value instanceof Map || value instanceof Set) {
      const entries = this.copy([...value], depth + 1);
      result.changed = entries.changed;
      const collection = target as unknown as Map<unknown, unknown> & Set<unknown>;
      for (const entry of entries.value as unknown[]) value instanceof Map ? collection.set(...(entry as [unknown, unknown])) : collection.add(entry);
    }
    if (Base) for (const key of ['name', 'message', 'stack', 'cause']) if (key in value) put(key, read(value, key), false);
    for (const key of Reflect.ownKeys(value)) {
      if ((Base && ['name', 'message', 'stack', 'cause'].includes(key as string)) || (key === 'length' && Array.isArray(value))) continue;
      const descriptor = Reflect.getOwnPropertyDescriptor(value, key)!;
      if ('value' in descriptor) put(key, descriptor.value, descriptor.enumerable);
      else result.changed = true;
    }
    return this.#keepOr(value, result);
  }

  // Nothing to mask: the value itself stands, so that identity survives where it can.
  #keepOr(original: object, copied: Copied): Copied {
    const result = copied.changed ? copied : { value: original, changed: false };
    this.#copies.set(original, result);
    return result;
  }
}

function read(target: object, key: PropertyKey): unknown {
  try {
    return Reflect.get(target, key);
  } catch {
    return undefined;
  }
}

// Writes a masked value back; false when the object refuses (frozen, non-configurable).
function redefine(target: object, key: PropertyKey, descriptor: PropertyDescriptor): boolean {
  try {
    return Reflect.defineProperty(target, key, descriptor);
  } catch {
    return false;
  }
}
