// authHeaders(): credentials for every call. They replace defaults from headers(), yield to
// a header the call gives itself, are masked in everything the client reports, and stay
// with the origin they were meant for.
import {
  applyHeaders,
  defineMiddleware,
  isString,
  listOf,
  memoizeHeaders,
  optional,
  parseHeaderInit,
  parseOptions,
  shouldStripAuth,
  strictObject,
  type FetchpipeRequest,
  type Input,
  type Middleware,
  type HeadersInput,
  type Same,
} from '../../kit/index.ts';
import { redirect } from '../redirect/index.ts';

const optionsSchema = strictObject(
  {
    maskQueryParams: optional(
      listOf<string>('an array of query parameter names', (v) =>
        !isString(v) ? 'a query parameter name' : v === '' ? 'a non-empty query parameter name' : undefined,
      ),
    ),
  },
  { error: 'expected an options object' },
);

export interface AuthHeadersOptions {
  /** Query parameters whose values are masked in every URL the client reports, e.g. `['api_key']`. @default [] */
  maskQueryParams?: readonly string[];
}
true satisfies Same<Input<typeof optionsSchema>, AuthHeadersOptions>;

/**
 * Adds credential headers: they win over `headers()` defaults, a header given on the call wins
 * over them, their values are masked as `...` in errors and events, and they are not added on
 * a redirect hop that has left the origin.
 * @example
 * const client = createClient([baseUrl('https://api.example.com/'), authHeaders({ 'X-API-Key': key }, { maskQueryParams: ['api_key'] })]);
 */
export function authHeaders(init: HeadersInput, options: AuthHeadersOptions = {}): Middleware {
  // 1. Config, once: the options are validated and resolved when the factory is called.
  const pairs = parseHeaderInit('authHeaders', init, true);
  const { maskQueryParams = [] } = parseOptions('authHeaders', optionsSchema, options);
  // Mask what was given as well as what is sent (fetch trims values and joins repeated names);
  // the client masks every form of each (encoded, JSON-escaped, without its auth scheme).
  const given = init instanceof Headers ? [] : Array.isArray(init) ? init.map(([, value]) => value) : Object.values(init);
  const values = [...new Set([...pairs.map(([, value]) => value), ...given].flatMap(withoutScheme))];
  const names = pairs.map(([name]) => name);
  const layer = memoizeHeaders((incoming) => applyHeaders(incoming, pairs, 'auth'));
  // 2. Per client: nothing; the handler keeps no state, so one serves every client.
  // 3. Per request:
  return defineMiddleware(
    function authHeaders(request, next) {
      if (request.context.history.length > 0 && leftOrigin(request)) return next(request);
      return next({ ...request, headers: layer(request.headers) });
    },
    {
      name: 'authHeaders',
      options: { names, maskQueryParams },
      secrets: { values, queryParams: maskQueryParams },
      authHeaderNames: names,
      // A platform that follows redirects itself forwards custom auth headers (X-API-Key…) to
      // any origin: credentials need redirect(), which strips them hop by hop. Added when the
      // chain has none, as deep inside as the order allows.
      needs: ['redirect'],
      fills: { redirect: () => redirect() },
    },
  );
}

// A credential alone as well as whole (`Bearer <token>`: a server may echo the token alone),
// at any length: `Token Q7z` hides `Q7z` too.
const SCHEME = /^[A-Za-z][\w!#$%&'*+.^`|~-]*\s+(\S.*)$/;
function withoutScheme(value: string): string[] {
  const credential = SCHEME.exec(value)?.[1];
  return credential === undefined ? [value] : [value, credential];
}

// requests strips credentials on a redirect that changes origin; an authHeaders() inside
// redirect() sees every hop, so it must not put them back once any hop of this call left.
function leftOrigin(request: FetchpipeRequest): boolean {
  return request.context.history.some(
    (record) => record.kind === 'redirect' && record.location !== undefined && shouldStripAuth(record.url, resolve(record.location, record.url)),
  );
}

// A relative Location stays on the origin it came from; an unparsable one strips (see shouldStripAuth).
function resolve(location: string, from: string): string {
  try {
    return new URL(location, from).href;
  } catch {
    return location;
  }
}
