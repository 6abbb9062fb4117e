// Headers that cannot change. The request value is immutable, so its headers are too:
// a middleware that wants other headers builds new ones. Because they cannot change, a
// header middleware may answer the same input object with the same precomputed output,
// which keeps `new Headers` off the hot path (it costs about 1 µs, a fifth of a bare call).

function readOnly(): never {
  throw new TypeError(
    'fetchpipe: request.headers is read-only; pass changed headers down with next({ ...request, headers: new Headers(...) })',
  );
}

// Instances whose construction is over. A platform's Headers constructor may fill itself with
// its own append() (happy-dom's does, and happy-dom replaces the global Headers in tests), so
// the methods refuse only once the constructor has returned.
const sealed = new WeakSet<Headers>();

export class ReadonlyHeaders extends Headers {
  /** Names whose values are defaults: auth headers may replace them, a call's own headers may not be. */
  readonly defaulted: ReadonlySet<string>;

  constructor(init?: HeadersInit, defaulted: ReadonlySet<string> = NONE) {
    super(init);
    this.defaulted = defaulted;
    sealed.add(this);
  }

  override append(name: string, value: string): void {
    if (sealed.has(this)) readOnly();
    super.append(name, value);
  }
  override set(name: string, value: string): void {
    if (sealed.has(this)) readOnly();
    super.set(name, value);
  }
  override delete(name: string): void {
    if (sealed.has(this)) readOnly();
    super.delete(name);
  }
}

const NONE: ReadonlySet<string> = new Set();

/** The headers of a call that gave none: shared, since nobody can change them. */
export const EMPTY_HEADERS = new ReadonlyHeaders();

export type HeaderLayer = (incoming: Headers) => Headers;

/**
 * Wraps a header transform so that it runs once per distinct read-only input: the usual
 * call with no headers of its own gets the precomputed result, with no allocation.
 */
export function memoizeHeaders(transform: HeaderLayer): HeaderLayer {
  let lastIn: Headers | undefined;
  let lastOut: Headers | undefined;
  return (incoming) => {
    if (incoming === lastIn) return lastOut!;
    const out = transform(incoming);
    if (incoming instanceof ReadonlyHeaders) {
      lastIn = incoming;
      lastOut = out;
    }
    return out;
  };
}

// Names whose values are defaults; plain Headers (from a custom middleware) have none.
function defaultedOf(headers: Headers): ReadonlySet<string> {
  return headers instanceof ReadonlyHeaders ? headers.defaulted : NONE;
}

/** Whether `name` was given on the call (or by a layer that outranks defaults). */
export function isExplicit(headers: Headers, name: string): boolean {
  return headers.has(name) && !defaultedOf(headers).has(name.toLowerCase());
}

/**
 * Returns `incoming` with `values` applied. `mode` says who wins:
 * - 'default': only where the header is absent; the values stay replaceable by auth.
 * - 'auth': where absent or only defaulted; a header given on the call wins.
 * - 'override': always.
 */
export function applyHeaders(
  incoming: Headers,
  values: ReadonlyArray<readonly [string, string]>,
  mode: 'default' | 'auth' | 'override',
): ReadonlyHeaders {
  // Copied once, on the first value that applies, and set on: a copy from a Headers costs half
  // of one rebuilt from pairs, and a layer whose values all stand aside copies nothing.
  let out: ReadonlyHeaders | undefined;
  let defaulted = defaultedOf(incoming);
  for (const [name, value] of values) {
    const key = name.toLowerCase();
    // A present header stays in 'default' mode, and in 'auth' mode unless it is a default.
    if ((out ?? incoming).has(key) && (mode === 'default' || (mode === 'auth' && !defaulted.has(key)))) continue;
    if (!out) out = new ReadonlyHeaders(incoming, (defaulted = new Set(defaulted)));
    setHeader.call(out, key, value);
    if (mode === 'default') (defaulted as Set<string>).add(key);
    else (defaulted as Set<string>).delete(key);
  }
  return out ?? (incoming instanceof ReadonlyHeaders ? incoming : new ReadonlyHeaders(incoming));
}

// Headers' own set, for the copy applyHeaders is still filling (ReadonlyHeaders' set throws).
const setHeader = Headers.prototype.set;

/** Returns `incoming` without `names`, and the names that were actually removed. */
export function withoutHeaders(incoming: Headers, names: Iterable<string>): { headers: Headers; removed: string[] } {
  const removed = [...new Set([...names].map((n) => n.toLowerCase()))].filter((name) => incoming.has(name));
  if (removed.length === 0) return { headers: incoming, removed };
  // Names from Headers iteration are lower-case, as `removed` is.
  const kept = [...incoming].filter(([name]) => !removed.includes(name));
  return { headers: new ReadonlyHeaders(kept, defaultedOf(incoming)), removed };
}
