// headers(): default headers for every call. A header the call gives itself wins, and so
// do credentials from authHeaders(), in whichever order the two stand.
import { applyHeaders, defineMiddleware, headerPairs, headerRecord, memoizeHeaders, parseOptions, strictObject, type Middleware } from '../../kit/index.ts';

/** Headers as fetch accepts them: a record, an array of `[name, value]` pairs, or a `Headers`. */
export type HeadersInput = Readonly<Record<string, string>> | ReadonlyArray<readonly [string, string]> | Headers;

const EXPECTED = 'an object of header names to string values, an array of [name, value] pairs or a Headers';

const recordSchema = strictObject({ init: headerRecord(EXPECTED) });
const pairsSchema = strictObject({ init: headerPairs(EXPECTED) });

/**
 * Validates a header init for `owner` and returns it as lower-cased `[name, value]` pairs,
 * combined and trimmed the way fetch sends them. With `secret`, bad values are described by
 * length only. Shared with authHeaders(), which validates the same shapes.
 */
export function parseHeaderInit(owner: string, init: unknown, secret: boolean): Array<[string, string]> {
  if (!(init instanceof Headers)) {
    parseOptions(owner, Array.isArray(init) ? pairsSchema : recordSchema, { init }, { secret });
  }
  return [...new Headers(init as HeadersInit)];
}

/**
 * Adds default headers where the call did not give them; `authHeaders()` values replace them.
 * @example
 * const client = createClient([headers({ Accept: 'application/json' }), baseUrl('https://api.example.com/')]);
 */
export function headers(init: HeadersInput): Middleware {
  const pairs = parseHeaderInit('headers', init, false);
  // A call with no headers of its own gets the same precomputed read-only Headers every time.
  const layer = memoizeHeaders((incoming) => applyHeaders(incoming, pairs, 'default'));
  return defineMiddleware(
    function headers(request, next) {
      return next({ ...request, headers: layer(request.headers) });
    },
    { name: 'headers', options: { init: Object.fromEntries(pairs) } },
  );
}
