// baseUrl(): qBraid's join. An input that starts with a scheme is kept; any other input is
// resolved against the base with exactly one slash at the join, and the result is checked:
// it has the base's origin and a path under the base's path, or the call fails.
import {
  InvalidURLError,
  defineMiddleware,
  is,
  isAbsoluteUrl,
  maskUrlCredentials,
  parseOptions,
  strictObject,
  summarize,
  type Middleware,
} from '../../kit/index.ts';
import { isUnder } from './confine.ts';

const EXPECTED = 'an absolute http(s) URL without query or fragment';

/** `value` as a base URL, or undefined when it is not an absolute http(s) URL free of query and fragment. */
function parseBase(value: unknown): URL | undefined {
  if ((typeof value !== 'string' && !(value instanceof URL)) || !URL.canParse(value)) return undefined;
  const url = new URL(value);
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '') return undefined;
  // A bare `?` or `#` reads as empty above but stays in href, where every join would land after it.
  url.search = '';
  url.hash = '';
  return url;
}

const schema = strictObject({ base: is<string | URL>(EXPECTED, (value) => parseBase(value) !== undefined) });

// Plain relative paths: name segments (dots only inside names), optional leading slashes and
// a trailing slash. Joined by concatenation, which equals URL resolution for them (property-tested),
// and which can neither leave the base's path nor its origin: no segment is a dot segment.
const PLAIN = /^\/*(?:[\w~-]+(?:\.[\w~-]+)*(?:\/[\w~-]+(?:\.[\w~-]+)*)*\/?)?$/;
// The URL parser drops leading and trailing C0 controls and spaces, and every tab and newline,
// so they are dropped before the leading slashes: `\t//evil/` must not become a host.
const EDGES = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;
const TAB_OR_NEWLINE = /[\t\n\r]/g;
// Backslashes count as slashes in http(s) URLs: `\\evil\x` would swap the host too.
const LEADING_SLASHES = /^[/\\]+/;

/**
 * Resolves relative request URLs against `base`: `users` and `/users` both become `<base>/users`.
 * @example
 * const client = createClient([baseUrl('https://api.example.com/v1'), authHeaders({ Authorization: `Bearer ${token}` })]);
 * await client('users/1'); // https://api.example.com/v1/users/1
 */
export function baseUrl(base: string | URL): Middleware {
  // 1. Config, once: the options are validated and resolved when the factory is called.
  parseOptions('baseUrl', schema, { base }, { secret: hasCredentials(base) });
  const url = parseBase(base)!;
  url.pathname = url.pathname.replace(/\/+$/, '') + '/';
  const root = url.href;
  const rootUrl = new URL(root);
  const masked = maskUrlCredentials(root);
  const secrets = credentialsOf(url);
  // 2. Per client: nothing; the handler keeps no state, so one serves every client.
  // 3. Per request:
  return defineMiddleware(
    function baseUrl(request, next) {
      const input = request.url;
      if (PLAIN.test(input)) {
        return next({ ...request, url: root + (input.charCodeAt(0) === 47 ? input.replace(LEADING_SLASHES, '') : input) });
      }
      // Only an input whose first character starts a scheme is absolute: ` https://x` or
      // `/ //x` is a path, because the caller did not write a URL there.
      if (isAbsoluteUrl(input)) return next(request);
      // What is left is a path: `./` keeps whatever follows the slashes (a scheme, `//`, more
      // spaces) from being read as anything but a path segment.
      const path = input.replace(EDGES, '').replace(TAB_OR_NEWLINE, '').replace(LEADING_SLASHES, '');
      let resolved: URL | undefined;
      try {
        resolved = new URL(`./${path}`, rootUrl);
      } catch {
        resolved = undefined;
      }
      if (resolved === undefined || !isUnder(resolved, rootUrl)) {
        const { method, url } = summarize(request);
        throw new InvalidURLError(`baseUrl: ${method} ${url} does not stay under the base URL ${masked}`, { request: { method, url } });
      }
      return next({ ...request, url: resolved.href });
    },
    {
      name: 'baseUrl',
      options: { base: masked },
      ...(secrets.length > 0 ? { secrets: { values: secrets } } : {}),
    },
  );
}

function hasCredentials(base: unknown): boolean {
  return typeof base === 'string' ? base.includes('@') : base instanceof URL && (base.username !== '' || base.password !== '');
}

// `user:pass@` in the base: masked in every form they take, as written, decoded and JSON-escaped.
function credentialsOf(url: URL): string[] {
  const out = new Set<string>();
  for (const part of [url.username, url.password]) {
    if (part === '') continue;
    out.add(part);
    try {
      const decoded = decodeURIComponent(part);
      out.add(decoded);
      out.add(JSON.stringify(decoded).slice(1, -1));
    } catch {
      // A stray `%` that is no escape: the part as written is all there is to mask.
    }
  }
  return [...out];
}
