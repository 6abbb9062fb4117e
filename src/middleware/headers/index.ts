// headers(): default headers for every call. A header the call gives itself wins, and so
// do credentials from authHeaders(), in whichever order the two stand.
import { applyHeaders, defineMiddleware, memoizeHeaders, parseHeaderInit, type HeadersInput, type Middleware } from '../../kit/index.ts';

export type { HeadersInput };

/**
 * Adds default headers where the call did not give them; `authHeaders()` values replace them.
 * @example
 * const client = createClient([headers({ Accept: 'application/json' }), baseUrl('https://api.example.com/')]);
 */
export function headers(init: HeadersInput): Middleware {
  // 1. Config, once: the options are validated and resolved when the factory is called.
  const pairs = parseHeaderInit('headers', init, false);
  // A call with no headers of its own gets the same precomputed read-only Headers every time.
  const layer = memoizeHeaders((incoming) => applyHeaders(incoming, pairs, 'default'));
  // 2. Per client: nothing; the handler keeps no state, so one serves every client.
  // 3. Per request:
  return defineMiddleware(
    function headers(request, next) {
      return next({ ...request, headers: layer(request.headers) });
    },
    { name: 'headers', options: { init: Object.fromEntries(pairs) } },
  );
}
