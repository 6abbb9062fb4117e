// Every client under test, built from the one configuration in config.ts. A factory takes the
// fetch to call and the base URL, and returns a call: GET PATH, read the body as text.
import { pipeline, withBaseUrl, withHeaders, withRetry } from 'fetch-extras';
import ky from 'ky';
import { ofetch } from 'ofetch';
import { up } from 'up-fetch';
import wretch from 'wretch';
import { retry as wretchRetry } from 'wretch/middlewares';
import { AUTH_HEADER, DEFAULT_HEADER, PATH, RETRY_LIMIT, USER_AGENT } from './config.ts';
import { fetchpipeClient, FETCHPIPE_SETUP } from './fetchpipe-client.ts';

export type StubFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
export type Call = () => Promise<string>;

export interface ClientSpec {
  readonly name: string;
  /** Whether the client retries (all but the floor): the retry-path benchmark compares these. */
  readonly retries: boolean;
  /** How it was configured, for the report. */
  readonly setup: string;
  readonly create: (fetch: StubFetch, base: string) => Call;
}

const headerObject = (): Record<string, string> => ({
  [DEFAULT_HEADER[0]]: DEFAULT_HEADER[1],
  [AUTH_HEADER[0]]: AUTH_HEADER[1],
  'user-agent': USER_AGENT,
});

/** The floor: fetch with the URL and headers written by hand, no retry. */
export const floor: ClientSpec = {
  name: 'bare fetch (floor)',
  retries: false,
  setup: '`fetch(base + path, { headers })`, headers a constant object literal; no retry',
  create(fetch, base) {
    const url = base + PATH;
    const headers = headerObject();
    return async () => (await fetch(url, { headers })).text();
  },
};

/** A hand-written decorator chain, as in the "naive reference": a yardstick, not a peer. */
export const naive: ClientSpec = {
  name: 'naive decorator chain',
  retries: true,
  setup: 'three hand-written wrappers, retry(baseUrl(headers(fetch))): string concatenation, a headers object spread, a loop over 503',
  create(fetch, base) {
    const defaults = headerObject();
    const withHeadersNaive = (next: StubFetch): StubFetch => (input, init) =>
      next(input, { ...init, headers: init?.headers ? { ...defaults, ...(init.headers as Record<string, string>) } : defaults });
    const withBase = (next: StubFetch): StubFetch => (input, init) => next(base + String(input), init);
    const withRetryNaive = (next: StubFetch): StubFetch => async (input, init) => {
      for (let attempt = 0; ; attempt++) {
        const response = await next(input, init);
        if (response.ok || attempt >= RETRY_LIMIT || ![502, 503, 504].includes(response.status)) return response;
        await response.body?.cancel();
      }
    };
    const client = withRetryNaive(withBase(withHeadersNaive(fetch)));
    return async () => (await client(PATH)).text();
  },
};

export const fetchpipe: ClientSpec = {
  name: 'fetchpipe',
  retries: true,
  setup: FETCHPIPE_SETUP,
  create(fetch, base) {
    const client = fetchpipeClient(fetch, base);
    return async () => (await client(PATH)).text();
  },
};

/**
 * fetchpipe on its default path: no `fetch` option, so the terminal calls `globalThis.fetch`,
 * which the call points at the stub just before it starts (the terminal reads it at call time).
 * A custom `fetch` gets a Headers of its own on every call, which the default path skips.
 * Only in the overhead benchmark: over loopback it would call itself.
 */
export const fetchpipeDefaultFetch: ClientSpec = {
  name: 'fetchpipe, default fetch',
  retries: true,
  setup: 'the same client without the `fetch` option; `globalThis.fetch` is set to the stub before each call',
  create(fetch, base) {
    const client = fetchpipeClient(undefined, base);
    return async () => {
      globalThis.fetch = fetch as typeof globalThis.fetch;
      return (await client(PATH)).text();
    };
  },
};

export const kyClient: ClientSpec = {
  name: 'ky',
  retries: true,
  setup: `\`ky.create({ prefix, headers, retry: { limit: ${RETRY_LIMIT}, delay: () => 0 }, timeout: false, fetch })\`, \`.get(path).text()\`; \`timeout: false\` because no other client runs a timer`,
  create(fetch, base) {
    const api = ky.create({ prefix: base, headers: headerObject(), retry: { limit: RETRY_LIMIT, delay: () => 0 }, timeout: false, fetch });
    return () => api.get(PATH).text();
  },
};

export const ofetchClient: ClientSpec = {
  name: 'ofetch',
  retries: true,
  setup: `\`ofetch.create({ baseURL, headers, retry: ${RETRY_LIMIT}, retryDelay: 0, responseType: 'text' }, { fetch })\``,
  create(fetch, base) {
    const api = ofetch.create(
      { baseURL: base, headers: headerObject(), retry: RETRY_LIMIT, retryDelay: 0, responseType: 'text' },
      { fetch: fetch as typeof globalThis.fetch },
    );
    return () => api<string, 'text'>(PATH);
  },
};

export const wretchClient: ClientSpec = {
  name: 'wretch + retry',
  retries: true,
  setup: `\`wretch(base).fetchPolyfill(fetch).headers({ accept, 'user-agent' }).auth(token).middlewares([retry({ maxAttempts: ${RETRY_LIMIT}, delayTimer: 0 })])\`, \`.get(path).text()\``,
  create(fetch, base) {
    const api = wretch(base)
      .fetchPolyfill(fetch as (url: string, opts: RequestInit) => Promise<Response>)
      .headers({ [DEFAULT_HEADER[0]]: DEFAULT_HEADER[1], 'user-agent': USER_AGENT })
      .auth(AUTH_HEADER[1])
      .middlewares([wretchRetry({ maxAttempts: RETRY_LIMIT, delayTimer: 0 })]);
    return () => api.get(PATH).text();
  },
};

export const upFetchClient: ClientSpec = {
  name: 'up-fetch',
  retries: true,
  setup: `\`up(fetch, () => ({ baseUrl, headers, retry: { attempts: ${RETRY_LIMIT}, delay: 0 }, parseResponse: (r) => r.text() }))\``,
  create(fetch, base) {
    const headers = headerObject();
    const upfetch = up(fetch as typeof globalThis.fetch, () => ({
      baseUrl: base,
      headers,
      retry: { attempts: RETRY_LIMIT, delay: 0 },
      parseResponse: (response: Response) => response.text(),
    }));
    return () => upfetch(PATH);
  },
};

export const fetchExtrasClient: ClientSpec = {
  name: 'fetch-extras',
  retries: true,
  setup: `\`pipeline(fetch, withHeaders(headers), withBaseUrl(base), withRetry({ retries: ${RETRY_LIMIT}, backoff: () => 0 }))\``,
  create(fetch, base) {
    const client = pipeline(
      fetch as typeof globalThis.fetch,
      withHeaders(headerObject()),
      withBaseUrl(base),
      withRetry({ retries: RETRY_LIMIT, backoff: () => 0 }),
    );
    return async () => (await client(PATH)).text();
  },
};

/** Every client, floor first. The overhead and throughput runs rotate this order between rounds. */
export const CLIENTS: readonly ClientSpec[] = [floor, fetchpipe, naive, kyClient, ofetchClient, wretchClient, upFetchClient, fetchExtrasClient];
