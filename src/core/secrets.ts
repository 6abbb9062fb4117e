// What is secret in a client and in each of its calls. Learning costs the hot path almost
// nothing: the chain only notes each distinct request value a middleware receives (one
// comparison, and a push when it changed); the headers, URLs and query strings of the noted
// requests are read when something is reported (an error, an event, a log line).
//
// The lists live in private fields: nothing a user can hold (a request value, its context,
// an error carrying them) enumerates a secret.
import { MASK, longestFirst, maskParameters, maskUrlCredentials, maskValues, parameterKey, type Masker } from './mask.ts';
import { basicToken, cookieValues, isMaskable, secretForms } from './secret-forms.ts';
import { ReadonlyHeaders } from './headers.ts';

/**
 * What the secrets read of a request value: its URL and headers. Structural, so that this file
 * needs nothing of request.ts, whose context holds these secrets (no circle of types).
 */
export interface CarriesSecrets {
  readonly url: string;
  readonly headers: Headers;
}

/** Headers whose values are secrets whoever set them. Every `authHeaders()` name and `sensitiveHeaders` option adds to these. */
export const DEFAULT_SENSITIVE_HEADERS: readonly string[] = Object.freeze(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);

/**
 * Query parameters whose values are masked in every URL fetchpipe reports. OpenTelemetry's
 * sensitive URL query keys (semantic conventions, `url.query`), AWS SigV4 presigned URLs, and
 * the OAuth 2.0 and API-key names in common use.
 */
export const DEFAULT_SENSITIVE_QUERY_PARAMS: readonly string[] = Object.freeze([
  'AWSAccessKeyId', 'Signature', 'sig', 'X-Goog-Signature',
  'X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Security-Token',
  'access_token', 'refresh_token', 'id_token', 'client_secret', 'api_key', 'apikey', 'password',
]);

/** The secrets one client knows: configured, and registered with scope 'client' at run time. */
export class ClientSecrets {
  readonly #headerNames: ReadonlySet<string>;
  readonly #queryKeys: ReadonlySet<string>;
  readonly #forms = new Set<string>();
  // The values as given: a value seen again on a request needs no forms computed again.
  readonly #values = new Set<string>();
  // The sensitive values found in each read-only Headers (they cannot change, and the header
  // layers hand every call the same ones), so that a call does not iterate them again.
  readonly #scanned = new WeakMap<Headers, readonly string[]>();
  #sorted: readonly string[] = [];
  #version = 0;

  constructor(values: Iterable<string>, headerNames: Iterable<string>, queryParams: Iterable<string>) {
    this.#headerNames = new Set([...DEFAULT_SENSITIVE_HEADERS, ...headerNames].map((name) => name.toLowerCase()));
    this.#queryKeys = new Set([...DEFAULT_SENSITIVE_QUERY_PARAMS, ...queryParams].map(parameterKey));
    for (const value of values) this.add(value);
  }

  /** Adds a secret for every later report of this client. */
  add(value: string): void {
    this.#values.add(value);
    const before = this.#forms.size;
    for (const form of secretForms(value)) this.#forms.add(form);
    if (this.#forms.size === before) return;
    this.#sorted = longestFirst(this.#forms);
    this.#version++;
  }

  /** The values of sensitive headers (cookies split too) in `headers`. */
  sensitiveValues(headers: Headers): readonly string[] {
    const known = this.#scanned.get(headers);
    if (known !== undefined) return known;
    const found: string[] = [];
    for (const [name, value] of headers) {
      if (!this.#headerNames.has(name)) continue;
      found.push(value);
      if (name === 'cookie' || name === 'set-cookie') found.push(...cookieValues(value));
    }
    if (headers instanceof ReadonlyHeaders) this.#scanned.set(headers, found);
    return found;
  }

  /** Whether `value` was added as it is, so that every form of it is known already. */
  knows(value: string): boolean {
    return this.#values.has(value);
  }

  /** Bumped on each new secret, so that a call knows when to merge again. */
  get version(): number {
    return this.#version;
  }

  /** The client's secret forms, longest first. Reachable only from CallSecrets (private fields all the way). */
  forms(): readonly string[] {
    return this.#sorted;
  }

  get queryKeys(): ReadonlySet<string> {
    return this.#queryKeys;
  }
}

/** Where a secret registered at run time applies: this call only, or every later call of the client too. */
export type SecretScope = 'call' | 'client';

/** The secrets of one call: the client's, what its requests carry, and what was registered for it. */
export class CallSecrets implements Masker {
  readonly #client: ClientSecrets;
  // The URLs and headers of the request values noted and not read yet, in pairs: the only parts
  // of a request value that carry secrets (its init holds no headers). Room for a typical chain
  // (six distinct values) is made once per call, so that noting never grows an array.
  #pending: Array<string | Headers> | undefined;
  #count = 0;
  #lastNoted: CarriesSecrets | undefined;
  #own: Set<string> | undefined;
  // The values this call's requests were seen to carry, as they are: their forms are in #own.
  #learned: Set<string> | undefined;
  #sorted: readonly string[] | undefined;
  #clientVersion = -1;
  // Texts masked so far, with the secrets they were masked with: every event of a call masks
  // its URL, method and type again, and nothing changes in between unless a secret was learned.
  readonly #memo = new Map<string, string>();
  #memoValues: readonly string[] | undefined;

  constructor(client: ClientSecrets) {
    this.#client = client;
  }

  /** Notes a request value of this call; its headers and URL are read only when something is masked. */
  note(request: CarriesSecrets): void {
    // Every layer notes what it receives, and most pass on what they were given: one comparison.
    if (request === this.#lastNoted) return;
    this.#lastNoted = request;
    const { url, headers } = request;
    const count = this.#count;
    // A copy that changed neither URL nor headers (redirect()'s manual init, say) carries nothing new.
    if (count > 0 && this.#pending![count - 2] === url && this.#pending![count - 1] === headers) return;
    this.#pending ??= new Array<string | Headers>(12);
    this.#pending[count] = url;
    this.#pending[count + 1] = headers;
    this.#count = count + 2;
  }

  /** Adds a secret to this call, or (scope 'client') to the client for this and every later call. */
  register(value: string, scope: SecretScope): void {
    if (scope === 'client') this.#client.add(value);
    else this.#addOwn(secretForms(value));
  }

  mask(text: string): string {
    if (text === '') return text;
    const values = this.#values();
    // A new secret, or many texts (a long call): start again.
    if (values !== this.#memoValues || this.#memo.size > 32) {
      this.#memo.clear();
      this.#memoValues = values;
    }
    let masked = this.#memo.get(text);
    if (masked === undefined) {
      masked = maskValues(maskParameters(maskUrlCredentials(text), this.#client.queryKeys), values);
      this.#memo.set(text, masked);
    }
    return masked;
  }

  #addOwn(forms: Iterable<string>): void {
    this.#own ??= new Set();
    for (const form of forms) this.#own.add(form);
    this.#sorted = undefined;
  }

  #values(): readonly string[] {
    if (this.#count > 0) {
      const pending = this.#pending!;
      const count = this.#count;
      this.#pending = undefined;
      this.#count = 0;
      // Each request value of the call is noted, and most carry the same secrets (the auth
      // header every layer passes on): each distinct value's forms are computed once, and not
      // at all for one the client was configured with.
      const found = new Set<string>();
      for (let index = 0; index < count; index += 2) learnFrom(pending[index] as string, pending[index + 1] as Headers, this.#client, found);
      const forms: string[] = [];
      for (const value of found) {
        if (this.#client.knows(value) || this.#learned?.has(value)) continue;
        (this.#learned ??= new Set()).add(value);
        forms.push(...secretForms(value));
      }
      if (forms.length > 0) this.#addOwn(forms);
    }
    if (this.#own === undefined) return this.#client.forms();
    if (this.#sorted === undefined || this.#clientVersion !== this.#client.version) {
      this.#clientVersion = this.#client.version;
      this.#sorted = longestFirst(new Set([...this.#own, ...this.#client.forms()]));
    }
    return this.#sorted;
  }
}

// The secrets a request value carries, as they are (their forms are computed by the caller):
// sensitive headers by name, URL credentials, sensitive query values.
function learnFrom(url: string, headers: Headers, client: ClientSecrets, out: Set<string>): void {
  for (const value of client.sensitiveValues(headers)) out.add(value);
  if (url.includes('@')) for (const value of credentialValues(url)) out.add(value);
  if (url.includes('=')) for (const value of queryValues(url, client.queryKeys)) out.add(value);
}

// A relative URL (before baseUrl) is parsed against a placeholder: its own userinfo and query
// still show. An absolute one is parsed alone, as send() parses it: against a base of the same
// scheme, `http:user:pw@h` would be a relative path.
const PLACEHOLDER_BASE = 'http://fetchpipe.invalid/';

function parse(url: string): URL | undefined {
  for (const base of [undefined, PLACEHOLDER_BASE]) {
    try {
      return new URL(url, base);
    } catch {
      // Relative: try again against the placeholder.
    }
  }
  return undefined;
}

/**
 * The credentials of a URL, found by the URL parser in every form fetch accepts (`http:u:p@h`,
 * `http:/u:p@h`, backslashes, a space or tab in the userinfo), as the parser decodes and
 * encodes them, as they were typed, and as the Basic token send() makes of them.
 */
function credentialValues(url: string): string[] {
  const parsed = parse(url);
  if (parsed === undefined || (parsed.username === '' && parsed.password === '')) return [];
  const user = safeDecode(parsed.username);
  const password = safeDecode(parsed.password);
  const forms = [parsed.username, parsed.password, user, password, basicToken(user, password), `${user}:${password}`];
  // The userinfo as typed: the parser drops tabs and newlines and encodes spaces, so the
  // input's own spelling is another form of the same secret.
  const typed = typedUserinfo(url);
  if (typed !== undefined) {
    const colon = typed.indexOf(':');
    forms.push(typed, ...(colon === -1 ? [] : [typed.slice(0, colon), typed.slice(colon + 1)]));
  }
  return forms.filter(isMaskable);
}

/**
 * The userinfo as it stands in the input: after `scheme:` and any slashes or backslashes, up
 * to the last `@` before the authority ends (at `/`, `\`, `?` or `#`), as the URL standard's
 * authority state reads it. Used only to know what to mask; the URL parser decides what is sent.
 */
function typedUserinfo(url: string): string | undefined {
  const colon = url.indexOf(':');
  if (colon === -1) return undefined;
  let start = colon + 1;
  while (start < url.length && '/\\\t\n\r '.includes(url[start]!)) start++;
  let at = -1;
  for (let index = start; index < url.length && !'/\\?#'.includes(url[index]!); index++) if (url[index] === '@') at = index;
  return at === -1 ? undefined : url.slice(start, at);
}

// The values of sensitive query (and fragment) parameters, as URLSearchParams decodes them.
function queryValues(url: string, keys: ReadonlySet<string>): string[] {
  const parsed = parse(url);
  if (parsed === undefined) return [];
  const out: string[] = [];
  for (const part of [parsed.search, parsed.hash]) {
    if (part.length < 2) continue;
    for (const [name, value] of new URLSearchParams(part.slice(1))) {
      if (value !== '' && value !== MASK && keys.has(parameterKey(name))) out.push(value);
    }
  }
  return out.filter(isMaskable);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
