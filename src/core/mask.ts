// Secrets never leave fetchpipe unmasked. This file rewrites text: known secret values (in
// every form secret-forms.ts lists), the values of sensitive query parameters in every
// spelling a server decodes, and any URL userinfo. What the secrets are is secrets.ts's job;
// making thrown values safe to print is mask-error.ts's.

/** qBraid's mask: an exact whole-value replacement. */
export const MASK = '...';

/** Anything that masks text: the call's secrets (`request.context.masker`) are one. */
export interface Masker {
  /** `text` with every secret this masker knows replaced by `...`. */
  mask(text: string): string;
}

/** Masks `text` with `masker`: `maskText(message, request.context.masker)`. */
export function maskText(text: string, masker: Masker): string {
  return masker.mask(text);
}

// The userinfo of a URL in a text: everything between `//` and the last `@` of the authority.
// Only a fallback for URLs nobody told fetchpipe about (a Location, a server's message): the
// credentials of the call's own URLs are found by parsing them with URL (secrets.ts).
const URL_CREDENTIALS = /(\/\/)[^/?#\s\\]*@/g;

export function maskUrlCredentials(text: string): string {
  return text.includes('@') ? text.replace(URL_CREDENTIALS, `$1${MASK}@`) : text;
}

// A `name=value` pair after `?`, `&`, `;` or `#` (OAuth puts tokens in fragments). The value
// ends where a URL in prose or JSON would: a separator, whitespace, a quote or a bracket.
const PARAMETER = /([?&;#])([^=&#;?\s"'<>]+)=([^&#;\s"'<>]*)/g;

/**
 * The name of a query parameter as a server reads it: percent-decoded, `+` as space, without
 * a trailing `[]` or `[key]` (PHP and Rails arrays), lower-cased (some servers ignore case).
 */
export function parameterKey(name: string): string {
  let decoded = name.replace(/\+/g, ' ');
  try {
    decoded = decodeURIComponent(decoded);
  } catch {
    // A malformed escape stays as it is, as URLSearchParams leaves it.
  }
  const bracket = decoded.indexOf('[');
  return (bracket > 0 ? decoded.slice(0, bracket) : decoded).trim().toLowerCase();
}

/** Masks the value of every parameter whose key (see parameterKey) is in `keys`. */
export function maskParameters(text: string, keys: ReadonlySet<string>): string {
  if (keys.size === 0 || !text.includes('=')) return text;
  return text.replace(PARAMETER, (whole, start: string, name: string, value: string) =>
    value !== '' && value !== MASK && keys.has(parameterKey(name)) ? `${start}${name}=${MASK}` : whole,
  );
}

/** Replaces each of `values` (longest first) in `text`, repeating while a pass joins text into another secret. */
export function maskValues(text: string, values: readonly string[]): string {
  let out = text;
  for (let pass = 0; pass < 4; pass++) {
    const before = out;
    for (const value of values) if (out.includes(value)) out = out.split(value).join(MASK);
    if (out === before) break;
  }
  return out;
}

/** Sorts secret forms longest first, so that a secret containing another is masked whole. */
export function longestFirst(values: Iterable<string>): string[] {
  return [...values].sort((a, b) => b.length - a.length);
}
