// fetchpipe as the benchmarks configure it, from the built-in middlewares and the caveclient preset.
import {
  authHeaders,
  backoff,
  baseUrl,
  createClient,
  headers,
  retry,
  userAgent,
  type ClientOptions,
  type FetchFunction,
  type Middleware,
  type RetryOptions,
} from '../src/index.ts';
import { caveclient } from '../src/presets/index.ts';
import { AUTH_HEADER, DEFAULT_HEADER, RETRY_LIMIT, USER_AGENT } from './config.ts';

/** The statuses fetchpipe retries in the benchmarks; 503 is the one the retry path answers. */
const FORCELIST = [502, 503, 504];

export const FETCHPIPE_SETUP = `\`createClient([retry({ total: ${RETRY_LIMIT}, statusForcelist: [${FORCELIST.join(', ')}] }), backoff({ factor: 0 }), baseUrl(base), headers({ accept }), authHeaders({ authorization }), userAgent(ua)], { fetch })\`; \`authHeaders()\` brings \`redirect()\` in, innermost (the chain \`explain()\` shows)`;

export const CAVECLIENT_SETUP =
  '`createClient([...caveclient(), baseUrl(base), headers({ accept }), authHeaders({ authorization }), userAgent(ua)], { fetch })`: retry (total 3, GET and POST on 502/503/504), backoff 0.1 s, pool (maxsize 10, not blocking)';

function sameRequestAsPeers(base: string): Middleware[] {
  return [
    baseUrl(base),
    headers([[DEFAULT_HEADER[0], DEFAULT_HEADER[1]]]),
    authHeaders([[AUTH_HEADER[0], AUTH_HEADER[1]]]),
    userAgent(USER_AGENT),
  ];
}

/**
 * The typical client of the benchmarks: retry, backoff, baseUrl, headers, authHeaders, userAgent.
 * `retryOptions` replace some of retry's (the failure benchmark turns connect retries off);
 * `clientOptions` are createClient's (onEvent).
 */
export function fetchpipeClient(
  fetch: FetchFunction | undefined,
  base: string,
  clientOptions: Omit<ClientOptions, 'fetch'> = {},
  retryOptions: RetryOptions = {},
): FetchFunction {
  return createClient(
    [retry({ total: RETRY_LIMIT, statusForcelist: FORCELIST, ...retryOptions }), backoff({ factor: 0 }), ...sameRequestAsPeers(base)],
    { ...clientOptions, ...(fetch === undefined ? {} : { fetch }) },
  );
}

export function caveclientClient(fetch: FetchFunction, base: string): FetchFunction {
  return createClient([...caveclient(), ...sameRequestAsPeers(base)], { fetch });
}

/** A middleware that does nothing but call the next one, as a user would write it. */
const passThrough: Middleware = (request, next) => next(request);

/** `layers` pass-through middlewares and nothing else, for the cost of one layer. */
export function passThroughClient(fetch: FetchFunction, layers: number): FetchFunction {
  return createClient(Array.from({ length: layers }, () => passThrough), { fetch });
}
