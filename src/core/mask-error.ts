// Makes whatever a call rejects with safe to print in every way (String, .stack, JSON,
// util.inspect at any depth, structuredClone), whoever threw it.
//
// The decision: an error is rewritten in place where that is possible and enough, so that
// `instanceof` and identity still work for the caller's own error classes. Its texts (message,
// stack, own strings) are masked; an object it carries that holds a secret (a Request, a
// Headers, `config.headers`, a frozen record) is never mutated, since it may be the caller's
// and still in use, but replaced on the error by a masked copy. What cannot be rewritten (a
// frozen error, a non-configurable property) makes the whole value unsafe: it is replaced by a
// MaskedError whose `cause` is a masked copy. A thrown string is masked; other primitives stay.
import { MaskedError, type RequestSummary } from '../errors/index.ts';
import type { Masker } from './mask.ts';
import { CallSecrets, ClientSecrets } from './secrets.ts';

/** How deep and how wide a walk goes: what lies beyond counts as holding a secret, and is cut from copies. */
const MAX_DEPTH = 12;
const MAX_NODES = 5_000;
const CUT = '[cut by fetchpipe: nested too deep to check for secrets]';

/** Returns `thrown` masked in place, or a masked stand-in when it cannot be made safe in place. */
export function maskThrown(thrown: unknown, masker: Masker, request?: RequestSummary): unknown {
  if (typeof thrown === 'string') return masker.mask(thrown);
  if (typeof thrown !== 'object' || thrown === null) return thrown;
  try {
    if (new Walk(masker).inPlace(thrown, 0)) return thrown;
    return new MaskedError(`${masker.mask(describe(thrown))} (could not be masked in place: its masked copy is the cause)`, {
      cause: new Walk(masker).copy(thrown, 0),
      request,
    });
  } catch {
    // A proxy or an exotic object that throws when looked at: nothing of it can be shown safely.
    return new MaskedError('A thrown value that could not be inspected for secrets', { request });
  }
}

/** Masks `value` where it can be rewritten, and leaves the rest for maskThrown() at the end of the call. */
export function maskInPlace(value: unknown, masker: Masker): void {
  if (typeof value !== 'object' || value === null) return;
  try {
    new Walk(masker).inPlace(value, 0);
  } catch {
    // Exotic objects are replaced where the call ends.
  }
}

function describe(value: object): string {
  const name = read(value, 'name');
  const message = read(value, 'message');
  const label = typeof name === 'string' ? name : Object.prototype.toString.call(value).slice(8, -1);
  return typeof message === 'string' ? `${label}: ${message}` : label;
}

// The keys under which an error carries other errors (or lists of them): rewritten in place
// like the error itself, rather than copied.
const CARRIERS = new Set<PropertyKey>(['cause', 'errors', 'reason', 'error']);

// Fields of fixed vocabulary, never rewritten: type guards read `name`, retry reads `phase` and
// `code`. A secret short enough to occur in one (`Err`, `GET`) is named as a limit in SECURITY.md.
const STRUCTURAL = new Set<PropertyKey>(['name', 'code', 'phase', 'kind', 'method', 'syscall', 'type']);

const BUILT_IN_ERRORS = [AggregateError, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, Error];

class Walk {
  readonly #masker: Masker;
  // What inPlace() concluded for each object; `true` while in progress, so that a cycle ends.
  readonly #seen = new Map<object, boolean>();
  readonly #copies = new Map<object, unknown>();
  #nodes = 0;

  constructor(masker: Masker) {
    this.#masker = masker;
  }

  /** Masks `target`'s texts in place and swaps what it carries for masked copies; false when something could not be rewritten. */
  inPlace(target: object, depth: number): boolean {
    const known = this.#seen.get(target);
    if (known !== undefined) return known;
    this.#seen.set(target, true);
    const safe = depth <= MAX_DEPTH && this.#rewrite(target, depth);
    this.#seen.set(target, safe);
    return safe;
  }

  #rewrite(target: object, depth: number): boolean {
    let safe = true;
    for (const key of Reflect.ownKeys(target)) {
      const descriptor = Reflect.getOwnPropertyDescriptor(target, key);
      if (descriptor === undefined) continue;
      if (STRUCTURAL.has(key) && 'value' in descriptor && typeof descriptor.value === 'string') continue;
      if (!('value' in descriptor)) {
        // JSON.stringify calls an enumerable own getter: pin what it gives, masked. Others print as [Getter].
        if (descriptor.enumerable && descriptor.get) safe = this.#pin(target, key, descriptor, read(target, key), depth) && safe;
        continue;
      }
      const value: unknown = descriptor.value;
      if (typeof value === 'string') {
        const masked = this.#masker.mask(value);
        if (masked !== value) safe = redefine(target, key, { ...descriptor, value: masked }) && safe;
      } else if (typeof value === 'object' && value !== null) {
        // No print form shows a hidden object (HTTPError's `response` is the caller's to read), except an error's cause and errors.
        if (!descriptor.enumerable && !CARRIERS.has(key)) continue;
        if (CARRIERS.has(key) && (value instanceof Error || Array.isArray(value)) && this.#carried(value, depth + 1)) continue;
        if (this.holds(value, depth + 1, new Set())) {
          safe = redefine(target, key, { ...descriptor, value: this.copy(value, depth + 1) }) && safe;
        }
      }
    }
    if (target instanceof Error) safe = this.#pinStack(target) && safe;
    return safe;
  }

  // An error carried (a cause, AggregateError's errors) is rewritten in place when it can be;
  // an array of them keeps its identity when each item could be.
  #carried(value: object, depth: number): boolean {
    if (!Array.isArray(value)) return this.inPlace(value, depth);
    let safe = true;
    for (const item of value) {
      if (typeof item === 'string') safe = this.#masker.mask(item) === item && safe;
      else if (typeof item === 'object' && item !== null) safe = (item instanceof Error ? this.inPlace(item, depth + 1) : !this.holds(item, depth + 1, new Set())) && safe;
    }
    return safe;
  }

  #pin(target: object, key: PropertyKey, descriptor: PropertyDescriptor, value: unknown, depth: number): boolean {
    if (typeof value === 'string' ? this.#masker.mask(value) === value : !this.holds(value, depth + 1, new Set())) return true;
    return redefine(target, key, { value: this.copy(value, depth + 1), enumerable: true, configurable: descriptor.configurable, writable: false });
  }

  // Engines keep `stack` as an accessor (own or inherited): read it and pin the masked text.
  #pinStack(error: Error): boolean {
    const descriptor = Reflect.getOwnPropertyDescriptor(error, 'stack');
    if (descriptor !== undefined && 'value' in descriptor) return true;
    const stack = read(error, 'stack');
    if (typeof stack !== 'string') return true;
    const masked = this.#masker.mask(stack);
    if (descriptor === undefined && masked === stack) return true;
    return redefine(error, 'stack', { value: masked, writable: true, configurable: true, enumerable: false });
  }

  /** Whether anything printable inside `value` holds a secret (what is too deep to check counts as holding one). */
  holds(value: unknown, depth: number, seen: Set<object>): boolean {
    if (typeof value === 'string') return this.#masker.mask(value) !== value;
    if (typeof value !== 'object' || value === null) return false;
    if (seen.has(value)) return false;
    seen.add(value);
    if (depth > MAX_DEPTH || ++this.#nodes > MAX_NODES) return true;
    if (isSecrets(value)) return false;
    if (value instanceof Headers) return [...value].some(([name, text]) => this.holds(`${name}: ${text}`, depth, seen));
    if (isRequestLike(value)) return this.holds(value.url, depth, seen) || this.holds(value.headers, depth + 1, seen);
    if (value instanceof URL || value instanceof URLSearchParams) return this.holds(String(value), depth, seen);
    if (value instanceof Map) return [...value].some(([k, v]) => this.holds(k, depth + 1, seen) || this.holds(v, depth + 1, seen));
    if (value instanceof Set) return [...value].some((item) => this.holds(item, depth + 1, seen));
    if (value instanceof Error) {
      for (const key of ['message', 'stack', 'cause'] as const) if (this.holds(read(value, key), depth + 1, seen)) return true;
    }
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
      if (descriptor === undefined) continue;
      // An own getter cannot be checked without running it: only copies leave it out.
      // (An error's own `stack` accessor was read above.)
      if (!('value' in descriptor)) {
        if (key === 'stack' && value instanceof Error) continue;
        return true;
      }
      const hidden = !descriptor.enumerable && !CARRIERS.has(key) && typeof descriptor.value !== 'string';
      if (!hidden && this.holds(descriptor.value, depth + 1, seen)) return true;
    }
    return false;
  }

  /** A masked copy of `value`, for display: texts masked, Requests and Responses as plain summaries, getters left out. */
  copy(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.#masker.mask(value);
    if (typeof value !== 'object' || value === null) return value;
    if (this.#copies.has(value)) return this.#copies.get(value);
    if (depth > MAX_DEPTH || ++this.#nodes > MAX_NODES) return CUT;
    if (isSecrets(value)) return value;
    if (value instanceof Headers) {
      const copy = new Headers();
      for (const [name, text] of value) copy.append(name, this.#masker.mask(text));
      return copy;
    }
    if (isRequestLike(value)) {
      const summary: Record<string, unknown> = { url: this.#masker.mask(value.url), headers: this.copy(value.headers, depth + 1) };
      const { method, status } = value as { method?: unknown; status?: unknown };
      if (typeof method === 'string') summary.method = method;
      if (typeof status === 'number') summary.status = status;
      return summary;
    }
    if (value instanceof URL || value instanceof URLSearchParams) return this.#masker.mask(String(value));
    if (value instanceof Map) {
      const copy = new Map();
      this.#copies.set(value, copy);
      for (const [k, v] of value) copy.set(this.copy(k, depth + 1), this.copy(v, depth + 1));
      return copy;
    }
    if (value instanceof Set) {
      const copy = new Set();
      this.#copies.set(value, copy);
      for (const item of value) copy.add(this.copy(item, depth + 1));
      return copy;
    }
    if (Array.isArray(value)) {
      const copy: unknown[] = [];
      this.#copies.set(value, copy);
      for (const item of value) copy.push(this.copy(item, depth + 1));
      return copy;
    }
    if (value instanceof Error) return this.#copyError(value, depth);
    const copy: Record<PropertyKey, unknown> = {};
    this.#copies.set(value, copy);
    this.#copyOwn(value, copy, depth);
    return copy;
  }

  // An error's copy has the nearest built-in error class (a class of the caller's may print
  // through private fields a copy lacks), its name, masked message and stack, and masked copies of the rest.
  #copyError(error: Error, depth: number): Error {
    const Base = BUILT_IN_ERRORS.find((Class) => error instanceof Class) ?? Error;
    const copy: Error = Object.create(Base.prototype);
    this.#copies.set(error, copy);
    const define = (key: string, value: unknown) => Object.defineProperty(copy, key, { value, writable: true, configurable: true, enumerable: false });
    const name = read(error, 'name');
    if (typeof name === 'string' && name !== Base.prototype.name) define('name', name);
    define('message', this.#masker.mask(String(read(error, 'message') ?? '')));
    const stack = read(error, 'stack');
    define('stack', typeof stack === 'string' ? this.#masker.mask(stack) : `${String(name)}: ${copy.message}`);
    if ('cause' in error) define('cause', this.copy(read(error, 'cause'), depth + 1));
    this.#copyOwn(error, copy as unknown as Record<PropertyKey, unknown>, depth, new Set(['name', 'message', 'stack', 'cause']));
    return copy;
  }

  #copyOwn(from: object, to: Record<PropertyKey, unknown>, depth: number, skip: ReadonlySet<PropertyKey> = new Set()): void {
    for (const key of Reflect.ownKeys(from)) {
      if (skip.has(key)) continue;
      const descriptor = Reflect.getOwnPropertyDescriptor(from, key);
      if (descriptor === undefined || !('value' in descriptor)) continue;
      Object.defineProperty(to, key, {
        value: this.copy(descriptor.value, depth + 1),
        enumerable: descriptor.enumerable ?? true,
        writable: true,
        configurable: true,
      });
    }
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

function isRequestLike(value: object): value is { url: string; headers: Headers } {
  return (
    (typeof Request !== 'undefined' && value instanceof Request) || (typeof Response !== 'undefined' && value instanceof Response)
  );
}

// The secrets print as empty class instances (private fields): nothing in them to copy or to check.
function isSecrets(value: object): boolean {
  return value instanceof CallSecrets || value instanceof ClientSecrets;
}
