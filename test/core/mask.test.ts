// Secrets must never leave fetchpipe unmasked: random auth header values, URL credentials and
// a masked query parameter are checked against every text an error (or an event) can show.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authHeaders,
  baseUrl,
  createClient,
  defineMiddleware,
  httpErrors,
  retry,
  type FetchpipeEvent,
  type Middleware,
} from '../../src/index.ts';
import { redirect } from '../../src/middleware/redirect/index.ts';
import { timeout } from '../../src/middleware/timeout/index.ts';
import { closedPort, startServer, type LocalServer } from '../support/server.ts';

interface Secrets {
  readonly token: string;
  readonly apiKey: string;
  readonly user: string;
  readonly password: string;
  readonly query: string;
}

const METACHARACTERS = [...'.*+?^${}()|[]\\'];
const printable = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code));
const secret = fc
  .string({ unit: fc.oneof(fc.constantFrom(...METACHARACTERS), printable), minLength: 8, maxLength: 24 })
  // Header values lose surrounding spaces on the wire, and a value of dots alone is
  // indistinguishable from the mask `...` itself.
  .filter((s) => s.trim() === s && !/^\.+$/.test(s));
const secrets: fc.Arbitrary<Secrets> = fc.record({ token: secret, apiKey: secret, user: secret, password: secret, query: secret });

const enc = encodeURIComponent;
const credentials = (s: Secrets) => `${enc(s.user)}:${enc(s.password)}@`;
const auth = (s: Secrets): Middleware =>
  authHeaders({ Authorization: `Bearer ${s.token}`, 'X-API-Key': s.apiKey }, { maskQueryParams: ['api_key'] });

/** Every text an error can show: message, stack, String(), JSON, for it and everything it carries. */
function texts(error: unknown, seen = new Set<unknown>()): string[] {
  if (error === null || error === undefined || seen.has(error)) return [];
  if (typeof error !== 'object') return [String(error)];
  seen.add(error);
  const e = error as { message?: unknown; stack?: unknown; cause?: unknown; reason?: unknown; errors?: unknown; history?: unknown };
  const out = [String(e.message), String(e.stack), String(error), JSON.stringify(error) ?? ''];
  for (const inner of [e.cause, e.reason]) out.push(...texts(inner, seen));
  for (const list of [e.errors, e.history]) {
    if (!Array.isArray(list)) continue;
    for (const item of list) out.push(...texts((item as { error?: unknown }).error ?? item, seen));
  }
  return out;
}

function expectNoLeak(error: unknown, events: readonly FetchpipeEvent[], s: Secrets, name: string): void {
  expect((error as Error | undefined)?.name).toBe(name);
  const all = [...texts(error), JSON.stringify(events)].join('\n');
  for (const value of [s.token, s.apiKey, s.user, s.password, s.query]) {
    expect(all).not.toContain(value);
    expect(all).not.toContain(enc(value));
  }
}

/** Runs one call that must fail, and returns the error and the events it emitted. */
async function failingCall(middlewares: Middleware[], url: string, init?: RequestInit, fetch?: typeof globalThis.fetch) {
  const events: FetchpipeEvent[] = [];
  const client = createClient(middlewares, { onEvent: (event) => events.push(event), ...(fetch ? { fetch } : {}) });
  const error = await client(url, init).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, events };
}

// FETCHPIPE_MASKING_RUNS=500 hunts harder (locally); CI keeps the suite quick.
const RUNS = { numRuns: Number(process.env.FETCHPIPE_MASKING_RUNS ?? 25) };

describe('masking (property: random secrets never appear in any error or event)', () => {
  let refused: number;
  let echo: LocalServer;
  let hanging: LocalServer;
  let loop: LocalServer;

  beforeAll(async () => {
    refused = await closedPort();
    // Answers 401 with a JSON body that repeats every header and the URL it received.
    echo = await startServer((req, res) => {
      res.statusCode = 401;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ message: `denied ${req.url} with ${JSON.stringify(req.headers)}` }));
    });
    hanging = await startServer(() => {});
    loop = await startServer((req, res) => {
      res.writeHead(302, { location: req.url ?? '/' }).end();
    });
  });

  afterAll(async () => {
    await Promise.all([echo.close(), hanging.close(), loop.close()]);
  });

  it('on connection refused', async () => {
    await fc.assert(
      fc.asyncProperty(secrets, async (s) => {
        const url = `http://${credentials(s)}127.0.0.1:${refused}/x?api_key=${enc(s.query)}`;
        const { error, events } = await failingCall([auth(s)], url);
        expectNoLeak(error, events, s, 'ConnectionError');
      }),
      RUNS,
    );
  });

  it('on an HTTP error raised by httpErrors placed first, outside authHeaders, with a message from the body', async () => {
    await fc.assert(
      fc.asyncProperty(secrets, async (s) => {
        const message = async (response: Response) => ((await response.json()) as { message: string }).message;
        const chain = [httpErrors({ message }), baseUrl(`http://${credentials(s)}127.0.0.1:${echo.port}/api`), auth(s)];
        const { error, events } = await failingCall(chain, `items?api_key=${enc(s.query)}`);
        expectNoLeak(error, events, s, 'HTTPError');
        expect((error as Error).message).toMatch(/^denied \/api\/items\?api_key=\.\.\. with /);
      }),
      RUNS,
    );
  });

  it('on an error thrown by a custom middleware that echoes the URL and every header value', async () => {
    const echoing = defineMiddleware(async (request) => {
      const values = [...request.headers].map(([name, value]) => `${name}: ${value}`).join(', ');
      throw new Error('custom middleware failed', { cause: new Error(`${request.url} ${values}`) });
    }, { name: 'echoing' });
    await fc.assert(
      fc.asyncProperty(secrets, async (s) => {
        const url = `http://${credentials(s)}127.0.0.1:1/x?api_key=${enc(s.query)}`;
        const { error, events } = await failingCall([auth(s), echoing], url, { headers: { 'X-Trace': 't-1' } });
        expectNoLeak(error, events, s, 'Error');
      }),
      RUNS,
    );
  });

  it('on a TypeError thrown by a custom fetch that echoes its input', async () => {
    const echoingFetch = (async (input: string | URL | Request, init?: RequestInit) => {
      throw new TypeError(`cannot send ${String(input)} ${JSON.stringify([...new Headers(init?.headers)])}`);
    }) as typeof globalThis.fetch;
    await fc.assert(
      fc.asyncProperty(secrets, async (s) => {
        // Without an Authorization from authHeaders, the URL credentials travel as Basic auth.
        const chain = [authHeaders({ 'X-API-Key': s.apiKey, 'X-Token': s.token }, { maskQueryParams: ['api_key'] })];
        const url = `http://${credentials(s)}127.0.0.1:1/x?api_key=${enc(s.query)}`;
        const { error, events } = await failingCall(chain, url, undefined, echoingFetch);
        expectNoLeak(error, events, s, 'TypeError');
      }),
      RUNS,
    );
  });

  it('when retries run out (MaxRetryError with its history)', async () => {
    await fc.assert(
      fc.asyncProperty(secrets, async (s) => {
        const url = `http://${credentials(s)}127.0.0.1:${refused}/x?api_key=${enc(s.query)}`;
        const { error, events } = await failingCall([retry({ total: 2 }), auth(s)], url);
        expectNoLeak(error, events, s, 'MaxRetryError');
        expect((error as { history: unknown[] }).history.length).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });

  it('on a read timeout against a server that never answers', async () => {
    await fc.assert(
      fc.asyncProperty(secrets, async (s) => {
        const url = `http://${credentials(s)}127.0.0.1:${hanging.port}/x?api_key=${enc(s.query)}`;
        const { error, events } = await failingCall([auth(s), timeout({ read: 30 })], url);
        expectNoLeak(error, events, s, 'ReadTimeoutError');
      }),
      RUNS,
    );
  });

  it('on a redirect loop (TooManyRedirectsError)', async () => {
    await fc.assert(
      fc.asyncProperty(secrets, async (s) => {
        const url = `http://${credentials(s)}127.0.0.1:${loop.port}/loop?api_key=${enc(s.query)}`;
        const { error, events } = await failingCall([redirect({ max: 3 }), auth(s)], url);
        expectNoLeak(error, events, s, 'TooManyRedirectsError');
      }),
      RUNS,
    );
  });
});
