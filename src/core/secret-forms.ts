// The forms one secret takes in text: as given, in each of the WHATWG URL percent-encode sets
// (a URL serializer, a server or a Location header may have encoded it), form-encoded,
// JSON-escaped, without its auth scheme, and, for a Basic token, decoded.

// The WHATWG URL standard's percent-encode sets (https://url.spec.whatwg.org/#percent-encoded-bytes),
// each as the ASCII characters it adds to the C0 control set (C0 controls, DEL and non-ASCII).
const FRAGMENT = ' "<>`';
const QUERY = ' "#<>';
const SPECIAL_QUERY = `${QUERY}'`;
const PATH = `${QUERY}?^\`{}`;
const USERINFO = `${PATH}/:;=@[\\]|`;
const COMPONENT = `${USERINFO}$%&+,`;
const FORM = `${COMPONENT}!'()~`;
const SETS = [FRAGMENT, QUERY, SPECIAL_QUERY, PATH, USERINFO, COMPONENT] as const;

const utf8 = new TextEncoder();

/** Percent-encodes `value` with one of the sets above, as the URL standard does (UTF-8, upper-case hex). */
export function percentEncode(value: string, set: string, spaceAsPlus = false): string {
  let out = '';
  for (const byte of utf8.encode(value)) {
    const char = String.fromCharCode(byte);
    if (spaceAsPlus && byte === 0x20) out += '+';
    else if (byte < 0x20 || byte > 0x7e || set.includes(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += char;
  }
  return out;
}

// `Bearer <token>`, `Token Q7z`: an auth scheme (an RFC 9110 token), whitespace, the credential.
const SCHEME = /^([A-Za-z][\w!#$%&'*+.^`|~-]*)\s+(\S.*)$/s;

/**
 * The texts a secret is masked as, longest first not guaranteed. Empty texts and texts made only
 * of dots (they would survive their own mask `...`) are left out.
 */
export function secretForms(value: string): string[] {
  const bases = new Set([value, value.trim()]);
  const scheme = SCHEME.exec(value.trim());
  if (scheme) {
    const credential = scheme[2]!.trim();
    bases.add(credential);
    // A Basic credential is base64 of `user:password`: a server may echo either half decoded.
    if (scheme[1]!.toLowerCase() === 'basic') for (const part of decodeBasic(credential)) bases.add(part);
  }
  const forms = new Set<string>();
  for (const base of bases) for (const form of encodings(base)) forms.add(form);
  return [...forms].filter(isMaskable);
}

// Set-Cookie attributes: their values (`Path=/`) are not secrets, and masking `/` would hide every URL.
const COOKIE_ATTRIBUTES = new Set(['path', 'domain', 'expires', 'max-age', 'samesite', 'secure', 'httponly', 'priority', 'partitioned']);
/** Cookie values of 4 characters or more and shorter ones would mask digits and words everywhere. */
export const MIN_COOKIE_PART = 4;

/**
 * The values inside a `Cookie` or `Set-Cookie` header (`a=1; sid=XYZ…`), to hide when a server
 * echoes one alone; the whole header value is a secret anyway. Parts shorter than
 * MIN_COOKIE_PART are left to the whole-value mask.
 */
export function cookieValues(header: string): string[] {
  const out: string[] = [];
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=');
    if (equals === -1 || COOKIE_ATTRIBUTES.has(pair.slice(0, equals).trim().toLowerCase())) continue;
    const value = pair.slice(equals + 1).trim();
    if (value.length >= MIN_COOKIE_PART) out.push(value);
  }
  return out;
}

/** The base64 of `user:password`, as an `Authorization: Basic` header carries URL credentials. */
export function basicToken(user: string, password: string): string {
  let binary = '';
  for (const byte of utf8.encode(`${user}:${password}`)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function decodeBasic(token: string): string[] {
  try {
    const bytes = Uint8Array.from(atob(token), (char) => char.charCodeAt(0));
    const decoded = new TextDecoder().decode(bytes);
    const colon = decoded.indexOf(':');
    return colon === -1 ? [decoded] : [decoded, decoded.slice(0, colon), decoded.slice(colon + 1)];
  } catch {
    return [];
  }
}

function encodings(base: string): string[] {
  const out = [base, ...SETS.map((set) => percentEncode(base, set)), percentEncode(base, FORM, true)];
  // Lower-case hex (`%2f`), which some servers and encoders write, decodes the same.
  const component = out[SETS.indexOf(COMPONENT) + 1]!;
  out.push(component.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
  // JSON, as JavaScript writes it, and with every non-ASCII character escaped (Python's json.dumps).
  const json = JSON.stringify(base).slice(1, -1);
  out.push(json, json.replace(/[^\x00-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`));
  return out;
}

/** Whether a text can be masked: not empty, and not made only of dots. */
export function isMaskable(text: string): boolean {
  return text.length > 0 && !/^\.+$/.test(text);
}
