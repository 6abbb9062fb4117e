// Secrets never leave fetchpipe unmasked. A Masker knows the secret values (auth header
// values, URL credentials) and the query parameters to hide; it rewrites text and errors.
import { maskStack } from './lazy-stack.ts';

/** qBraid's mask: an exact whole-value replacement. */
export const MASK = '...';

// The userinfo of any URL in a text: everything between `//` and the last `@` of the authority.
const URL_CREDENTIALS = /(\/\/)[^/?#\s\\]*@/g;

export function maskUrlCredentials(text: string): string {
  return text.includes('@') ? text.replace(URL_CREDENTIALS, `$1${MASK}@`) : text;
}

export interface Masker {
  /** Secret values, longest first, so that a secret containing another is masked whole. */
  readonly values: readonly string[];
  /** Query parameter names whose values are masked in URLs. */
  readonly queryParams: readonly string[];
}

export const NO_SECRETS: Masker = Object.freeze({ values: Object.freeze([]), queryParams: Object.freeze([]) });

export function createMasker(values: Iterable<string>, queryParams: Iterable<string> = []): Masker {
  const all = new Set<string>();
  for (const value of values) {
    // A value made only of dots would survive its own mask, and an empty one matches everywhere.
    if (value.length === 0 || /^\.+$/.test(value)) continue;
    // Secrets also travel percent-encoded (in URLs) and JSON-escaped (a server echoing headers);
    // the set keeps one copy when a form is the value itself.
    for (const form of [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]) all.add(form);
  }
  return {
    values: [...all].sort((a, b) => b.length - a.length),
    queryParams: [...new Set(queryParams)],
  };
}

export function mergeMaskers(a: Masker, b: Masker): Masker {
  if (b === NO_SECRETS) return a;
  if (a === NO_SECRETS) return b;
  return createMasker([...a.values, ...b.values], [...a.queryParams, ...b.queryParams]);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function maskText(text: string, masker: Masker): string {
  let out = maskUrlCredentials(text);
  for (const name of masker.queryParams) {
    out = out.replace(new RegExp(`([?&;]${escapeRegExp(encodeURIComponent(name))}=)[^&#\\s]*`, 'g'), `$1${MASK}`);
  }
  // Masking one value can join text into another secret, so repeat until nothing is left.
  for (let pass = 0; pass < 4; pass++) {
    const before = out;
    for (const value of masker.values) if (out.includes(value)) out = out.split(value).join(MASK);
    if (out === before) break;
  }
  return out;
}

/**
 * Rewrites an error and its whole `cause` chain (and AggregateError members) in place:
 * message, stack and every own string property. Errors here are the ones this call
 * created or received from fetch for this call, so rewriting them hides nothing of the caller's.
 */
export function maskError(error: unknown, masker: Masker, seen = new Set<unknown>()): void {
  if (error === null || typeof error !== 'object' || seen.has(error)) return;
  seen.add(error);
  for (const key of Reflect.ownKeys(error)) {
    const descriptor = Object.getOwnPropertyDescriptor(error, key);
    if (!descriptor || !('value' in descriptor)) continue;
    const value: unknown = descriptor.value;
    if (typeof value === 'string') {
      const masked = maskText(value, masker);
      if (masked !== value) redefine(error, key, { ...descriptor, value: masked });
    } else if (CARRIERS.includes(key)) {
      if (Array.isArray(value)) for (const item of value) maskError(item, masker, seen);
      else maskError(value, masker, seen);
    } else if (key === 'error') {
      maskError(value, masker, seen);
    }
  }
  // V8's stack accessor formats on first read: it is masked then (lazy-stack.ts).
  if (error instanceof Error) maskStack(error, masker);
}

// The keys under which an error carries other errors (or lists of them, or of attempts) to mask too.
const CARRIERS: readonly PropertyKey[] = ['cause', 'errors', 'reason', 'history', 'request'];

// Writes a masked text (a string property or the stack) back onto the error.
function redefine(error: object, key: PropertyKey, descriptor: PropertyDescriptor): void {
  try {
    Object.defineProperty(error, key, descriptor);
  } catch {
    // A frozen foreign object keeps its texts and stack: nothing can be rewritten, and the caller's copy is theirs.
  }
}
