// The one configuration every client in the benchmarks gets: a base URL, one default header,
// one auth header, a user agent, and retry with a limit of 2 (no wait between attempts).
// Change it here and every client, the floor, the verification and the wire check follow.

/** Base URL of the stub benchmarks; nothing listens there, the stub fetch answers. */
export const STUB_BASE = 'http://api.bench.test/v1/';
/** The relative path every call GETs. */
export const PATH = 'users/42';
/** The default header. `accept` because ky's `.text()` sets one when none is given, and every client must send the same. */
export const DEFAULT_HEADER = ['accept', 'text/plain'] as const;
/** The auth header (a fake token). */
export const AUTH_HEADER = ['authorization', 'Bearer bench-token-0123456789'] as const;
/** The user agent. */
export const USER_AGENT = 'fetchpipe-bench/1.0';
/** Retries allowed after the first attempt (urllib3's `total`): up to 3 attempts. */
export const RETRY_LIMIT = 2;
/** The body every stub or server answers with a 200. */
export const OK_BODY = 'ok';

/** The request every client must send: what fetch itself would put on the wire, headers lower-cased. */
export interface ExpectedRequest {
  readonly url: string;
  readonly method: 'GET';
  readonly headers: Readonly<Record<string, string>>;
}

export function expectedRequest(base: string): ExpectedRequest {
  return {
    url: new URL(PATH, base).href,
    method: 'GET',
    headers: {
      [DEFAULT_HEADER[0]]: DEFAULT_HEADER[1],
      [AUTH_HEADER[0]]: AUTH_HEADER[1],
      'user-agent': USER_AGENT,
    },
  };
}

/** What the markdown report says each client was configured with. */
export const CONFIG_SUMMARY = `base URL \`${STUB_BASE}\` (the server's origin + \`/v1/\` for throughput), GET \`${PATH}\`, default header \`${DEFAULT_HEADER[0]}: ${DEFAULT_HEADER[1]}\`, auth header \`${AUTH_HEADER[0]}: Bearer …\`, user agent \`${USER_AGENT}\`, retry limit ${RETRY_LIMIT} with no wait, body read with \`.text()\``;
