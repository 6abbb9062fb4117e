// Hostile input: odd URLs from the caller, odd Retry-After values and odd Location headers
// from the server. Each case has one documented outcome (docs/RELIABILITY.md), pinned here
// through the full stack: retry, backoff (on a recording clock), redirect, timeout, authHeaders.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authHeaders,
  backoff,
  createClient,
  redirect,
  retry,
  timeout,
  type FetchFunction,
  type FetchpipeEvent,
  type Middleware,
} from '../../src/index.ts';
import { startFaultServer, type FaultServer } from './fault-server.ts';
import { leaks, outcome, type Outcome } from './support.ts';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());

const API_KEY = 'k3y-Of-The-Caller';

/** A client over the full stack, with what it did: fetch calls, backoff waits (ms) and events. */
function harness(extra: { strictRetryAfter?: boolean } = {}) {
  const seen = { fetches: 0, waits: [] as number[], events: [] as FetchpipeEvent[] };
  const counting: FetchFunction = (input, init) => {
    seen.fetches++;
    return fetch(input, init);
  };
  const middlewares: Middleware[] = [
    retry({ total: 2, statusForcelist: [503], ...extra }),
    backoff({ factor: 100, clock: { sleep: async (ms: number) => void seen.waits.push(ms) } }),
    redirect(),
    timeout({ read: 2_000 }),
    authHeaders({ 'X-API-Key': API_KEY }),
  ];
  const client = createClient(middlewares, { fetch: counting, onEvent: (event) => seen.events.push(event) });
  return { client, seen };
}

async function call(input: string, init?: RequestInit, extra?: { strictRetryAfter?: boolean }) {
  const { client, seen } = harness(extra);
  const result: Outcome = await outcome(() => client(input, init));
  if (result.kind === 'response') await result.response.arrayBuffer().catch(() => {});
  return { result, ...seen };
}

const redirectTo = (location: string, key: string): string => server.url(`/redirect?location=${encodeURIComponent(location)}&key=${key}`);

describe('hostile URLs', () => {
  it('sends a NUL byte in the path or query percent-encoded', async () => {
    const { result } = await call(`${server.origin}/ok?key=nul&x=a\0b`);
    expect(result).toMatchObject({ kind: 'response', status: 200 });
    expect(server.attempts('nul')[0]!.url).toBe('/ok?key=nul&x=a%00b');
  });

  it('refuses a NUL byte in the host with InvalidURLError, sending nothing and not retrying', async () => {
    const { result, fetches } = await call(`http://127.0.0\0.1:${server.port}/ok`);
    expect(result).toMatchObject({ kind: 'error', name: 'InvalidURLError' });
    expect(fetches).toBe(1);
  });

  it('refuses CR/LF in a header value of the call with the platform TypeError, before anything is sent', async () => {
    const { result, fetches } = await call(server.url('/ok?key=crlf-header'), { headers: { 'x-note': 'a\r\nInjected: 1' } });
    expect(result).toMatchObject({ kind: 'error', name: 'TypeError' });
    expect(fetches).toBe(0);
    expect(server.attempts('crlf-header')).toHaveLength(0);
  });

  it('drops CR/LF from a URL (the URL parser removes them): no header can be injected', async () => {
    const { result } = await call(`${server.origin}/ok?key=crlf-url&x=1\r\nInjected: 1`);
    expect(result).toMatchObject({ kind: 'response', status: 200 });
    const [received] = server.attempts('crlf-url');
    expect(received!.headers.injected).toBeUndefined();
    expect(received!.url).toBe('/ok?key=crlf-url&x=1Injected:%201');
  });

  for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'about:blank', 'ftp://127.0.0.1/x', 'ws://127.0.0.1/x']) {
    it(`refuses ${url.split(':')[0]}: with InvalidURLError at once, never retried`, async () => {
      const { result, fetches, waits } = await call(url);
      expect(result).toMatchObject({ kind: 'error', name: 'InvalidURLError' });
      expect(fetches).toBe(1);
      expect(waits).toEqual([]);
    });
  }

  it('lets the platform answer a data: URL itself; no server is involved', async () => {
    const { result } = await call('data:text/plain,hello');
    expect(result).toMatchObject({ kind: 'response', status: 200 });
  });

  it('moves URL credentials into Authorization: Basic and keeps them out of the URL, errors and events', async () => {
    const { result, events } = await call(`http://us%40er:p%3Ass@127.0.0.1:${server.port}/ok?key=creds`);
    expect(result).toMatchObject({ kind: 'response', status: 200 });
    const [received] = server.attempts('creds');
    expect(received!.headers.authorization).toBe(`Basic ${btoa('us@er:p:ss')}`);
    expect(received!.url).toBe('/ok?key=creds');
    expect(leaks(events, ['p:ss', 'p%3Ass', btoa('us@er:p:ss')])).toEqual([]);
    const refused = await call(`http://us%40er:p%3Ass@${server.refusedOrigin.slice('http://'.length)}/x`);
    expect(refused.result).toMatchObject({ kind: 'error', name: 'MaxRetryError' });
    if (refused.result.kind === 'error') expect(leaks(refused.result.error, ['p:ss', 'p%3Ass', btoa('us@er:p:ss')])).toEqual([]);
  });

  it('connects to an IPv6 literal (refused here: the server listens on 127.0.0.1 only) and to an IPv4-mapped one', async () => {
    const v6 = await call(`http://[::1]:${server.port}/ok`);
    expect(v6.result).toMatchObject({ kind: 'error', name: 'MaxRetryError', error: { reason: { name: 'ConnectionError', phase: 'connect' } } });
    expect(v6.fetches).toBe(3);
    const mapped = await call(`http://[::ffff:127.0.0.1]:${server.port}/ok?key=mapped`);
    expect(mapped.result).toMatchObject({ kind: 'response', status: 200 });
  });

  it('sends a 100 kB URL as it is; Node\'s server refuses its 16 KiB of headers by closing, a read error retried to MaxRetryError', async () => {
    const { result, fetches } = await call(`${server.origin}/ok?key=long&x=${'a'.repeat(100_000)}`);
    expect(result).toMatchObject({ kind: 'error', name: 'MaxRetryError', error: { reason: { name: 'ConnectionError', phase: 'read' } } });
    expect(fetches).toBe(3);
  });
});

describe('hostile Retry-After', () => {
  const cases: Array<[label: string, value: string, waits: number[]]> = [
    // Not digits, not a date: invalid, treated as absent, recorded; the backoff applies (0, then 200 ms).
    ['1e309', '1e309', [0, 200]],
    ['-1', '-1', [0, 200]],
    // A date in year 9999: capped at retryAfterMax (6 h); a caller's abort or total timeout ends it.
    ['a date in year 9999', 'Fri, 31 Dec 9999 23:59:59 GMT', [21_600_000, 21_600_000]],
    // A date in year 0000 is in the past: 0, "no usable header", so the backoff applies.
    ['a date in year 0000', 'Sat, 01 Jan 0000 00:00:00 GMT', [0, 200]],
    ['20 digits', '99999999999999999999', [21_600_000, 21_600_000]],
  ];
  for (const [label, value, waits] of cases) {
    it(`waits ${waits.join(', ')} ms for a Retry-After of ${label}`, async () => {
      const result = await call(server.url(`/503?retry-after=${encodeURIComponent(value)}`));
      expect(result.result).toMatchObject({ kind: 'error', name: 'MaxRetryError' });
      expect(result.waits).toEqual(waits);
    });
  }

  it('waits until an HTTP-date in the future, in each of the three date forms', async () => {
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3_000);
    const day = at.toUTCString().slice(0, 3);
    const [, dd, mon, yyyy, time] = at.toUTCString().split(' ');
    const longDay = at.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
    const forms = [
      at.toUTCString(),
      `${longDay}, ${dd}-${mon}-${yyyy!.slice(2)} ${time} GMT`,
      `${day} ${mon} ${String(Number(dd)).padStart(2, ' ')} ${time} ${yyyy}`,
    ];
    for (const form of forms) {
      const { waits } = await call(server.url(`/503?retry-after=${encodeURIComponent(form)}`));
      expect(waits, form).toHaveLength(2);
      expect(waits[0], form).toBeGreaterThan(1_000);
      expect(waits[0], form).toBeLessThanOrEqual(4_000);
    }
  });

  it('records an invalid Retry-After in the history, and refuses it with InvalidHeaderError when strictRetryAfter is set', async () => {
    const lax = await call(server.url('/503?retry-after=1e309'));
    expect(lax.result).toMatchObject({ kind: 'error', name: 'MaxRetryError' });
    const history = lax.result.kind === 'error' ? (lax.result.error as { history: Array<{ invalidRetryAfter?: string }> }).history : [];
    expect(history.map((entry) => entry.invalidRetryAfter)).toEqual(['1e309', '1e309', '1e309']);
    const strict = await call(server.url('/503?retry-after=-1'), undefined, { strictRetryAfter: true });
    expect(strict.result).toMatchObject({ kind: 'error', name: 'InvalidHeaderError' });
  });
});

describe('hostile Location', () => {
  for (const location of ['http://[::1', 'http://exa mple.com/', 'http://127.0.0.1:99999/']) {
    it(`refuses a malformed Location ${JSON.stringify(location)} with InvalidURLError, never retried`, async () => {
      const { result, fetches } = await call(redirectTo(location, 'malformed'));
      expect(result).toMatchObject({ kind: 'error', name: 'InvalidURLError' });
      expect(fetches).toBe(1);
    });
  }

  for (const location of ['ftp://127.0.0.1/x', 'javascript:alert(1)', 'file:///etc/passwd', 'data:text/plain,hi']) {
    it(`refuses a Location to another scheme (${location.split(':')[0]}:) with InvalidURLError, never followed`, async () => {
      const { result, fetches } = await call(redirectTo(location, 'scheme'));
      expect(result).toMatchObject({ kind: 'error', name: 'InvalidURLError' });
      expect(fetches).toBe(1);
    });
  }

  for (const [location, landing] of [
    ['/ok?key=rel-abs', '/ok?key=rel-abs'],
    ['ok?key=rel-path', '/ok?key=rel-path'],
    ['../ok?key=rel-dots', '/ok?key=rel-dots'],
    ['ok?key=rel-utf8&q=é', '/ok?key=rel-utf8&q=%C3%A9'],
  ] as const) {
    it(`follows a relative Location ${JSON.stringify(location)} against the URL of the hop`, async () => {
      const { result } = await call(redirectTo(location, 'relative'));
      expect(result).toMatchObject({ kind: 'response', status: 200 });
      if (result.kind === 'response') {
        const landed = new URL(result.response.url);
        expect(landed.pathname + landed.search).toBe(landing);
      }
    });
  }

  it('follows a protocol-relative Location to another origin, and strips the auth header there', async () => {
    const { result } = await call(redirectTo(`//127.0.0.1:${server.peer.port}/ok?key=proto-rel`, 'proto-rel-from'));
    expect(result).toMatchObject({ kind: 'response', status: 200 });
    expect(server.peer.attempts('proto-rel')[0]!.headers['x-api-key']).toBeUndefined();
  });

  it('returns the 3xx as it is when Location is empty, as requests and urllib3 do (no redirect target)', async () => {
    const { result, fetches } = await call(redirectTo('', 'empty'));
    expect(result).toMatchObject({ kind: 'response', status: 302 });
    expect(fetches).toBe(1);
  });

  it('sends the credentials of a Location as Basic auth to its origin, never the caller\'s own auth header', async () => {
    const { result, events } = await call(redirectTo(`http://evil:pw@127.0.0.1:${server.peer.port}/ok?key=cred-loc`, 'cred-loc-from'));
    expect(result).toMatchObject({ kind: 'response', status: 200 });
    const [landed] = server.peer.attempts('cred-loc');
    expect(landed!.headers.authorization).toBe(`Basic ${btoa('evil:pw')}`);
    expect(landed!.headers['x-api-key']).toBeUndefined();
    expect(leaks(events, [btoa('evil:pw'), ':pw@'])).toEqual([]);
  });
});
