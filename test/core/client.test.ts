import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  ConnectionError,
  InvalidURLError,
  createClient,
  defineMiddleware,
  isConnectionError,
  toRequest,
  type FetchpipeRequest,
  type Middleware,
} from '../../src/index.ts';
import { closedPort, resettingServer, startServer } from '../support/server.ts';

const ok = async () => new Response('ok');

function recorder() {
  const seen: Array<{ url: string; init: RequestInit }> = [];
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    seen.push({ url: String(url), init: init ?? {} });
    return new Response('ok');
  };
  return { seen, fetch };
}

describe('createClient', () => {
  it('runs middlewares in array order, first outermost', async () => {
    const order: string[] = [];
    const mark = (name: string): Middleware => async (request, next) => {
      order.push(`${name} in`);
      const response = await next(request);
      order.push(`${name} out`);
      return response;
    };
    const client = createClient([mark('a'), mark('b'), mark('c')], { fetch: ok });
    await client('http://h/x');
    expect(order).toEqual(['a in', 'b in', 'c in', 'c out', 'b out', 'a out']);
  });

  it('builds the chain once: per-client setup runs once per client, not per request', async () => {
    let setups = 0;
    let calls = 0;
    const counted = defineMiddleware(
      async (request, next) => next(request),
      { name: 'counted' },
      () => {
        setups++;
        return (request, next) => {
          calls++;
          return next(request);
        };
      },
    );
    const one = createClient([counted], { fetch: ok });
    const two = createClient([counted], { fetch: ok });
    for (let i = 0; i < 5; i++) await one('http://h/x');
    await two('http://h/x');
    expect(setups).toBe(2);
    expect(calls).toBe(6);
  });

  it('hands a relative URL to a downstream custom middleware unchanged', async () => {
    let seen = '';
    const peek: Middleware = async (request) => {
      seen = request.url;
      return new Response('peeked');
    };
    const client = createClient([async (r, next) => next(r), peek]);
    const response = await client('/users/1?x=1');
    expect(seen).toBe('/users/1?x=1');
    expect(await response.text()).toBe('peeked');
  });

  it('throws InvalidURLError suggesting baseUrl() when a relative URL reaches fetch', async () => {
    const client = createClient([], { fetch: ok });
    const error = await client('users/1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidURLError);
    expect((error as Error).message).toContain('baseUrl()');
  });

  it('normalises the method to upper case and gives every middleware a frozen request', async () => {
    let request: FetchpipeRequest | undefined;
    const client = createClient([async (r, next) => ((request = r), next(r))], { fetch: ok });
    await client('http://h/x', { method: 'patch' });
    expect(request!.method).toBe('PATCH');
    expect(Object.isFrozen(request)).toBe(true);
    expect(request!.attempt).toBe(1);
    expect(request!.context.history).toEqual([]);
    expect(() => request!.headers.set('x', 'y')).toThrow(/read-only/);
  });

  it('keeps a middleware change from being seen upstream', async () => {
    const { seen, fetch } = recorder();
    let outerAfter: FetchpipeRequest | undefined;
    const outer: Middleware = async (request, next) => {
      const response = await next(request);
      outerAfter = request;
      return response;
    };
    const inner: Middleware = (request, next) =>
      next({ ...request, url: 'http://other/y', headers: new Headers([...request.headers, ['x-inner', '1']]) });
    const client = createClient([outer, inner], { fetch });
    await client('http://h/x', { headers: { a: '1' } });
    expect(outerAfter!.url).toBe('http://h/x');
    expect(outerAfter!.headers.has('x-inner')).toBe(false);
    expect(seen[0]!.url).toBe('http://other/y');
    expect(new Headers(seen[0]!.init.headers).get('x-inner')).toBe('1');
  });

  it('accepts a URL object and passes other init options through untouched', async () => {
    const { seen, fetch } = recorder();
    const client = createClient([], { fetch });
    await client(new URL('http://h/x?q=1'), { cache: 'no-store', credentials: 'include' });
    expect(seen[0]!.url).toBe('http://h/x?q=1');
    expect(seen[0]!.init.cache).toBe('no-store');
    expect(seen[0]!.init.credentials).toBe('include');
  });

  it('takes a Request with a body and its own signal, merged the way fetch merges init', async () => {
    const server = await startServer((_req, res) => void res.end('ok'));
    try {
      const controller = new AbortController();
      const input = new Request(server.url + 'submit', {
        method: 'POST',
        body: JSON.stringify({ a: 1 }),
        headers: { 'content-type': 'application/json', 'x-from-request': 'yes' },
        signal: controller.signal,
      });
      let request: FetchpipeRequest | undefined;
      const client = createClient([async (r, next) => ((request = r), next(r))]);
      const response = await client(input, { headers: { 'x-from-init': 'wins' } });
      expect(await response.text()).toBe('ok');
      expect(request!.method).toBe('POST');
      // init.headers replaces the Request's headers, as in fetch.
      expect(server.requests[0]!.headers['x-from-init']).toBe('wins');
      expect(server.requests[0]!.headers['x-from-request']).toBeUndefined();
      expect(server.requests[0]!.body.toString()).toBe('{"a":1}');
      expect(request!.signal!.aborted).toBe(false);
      controller.abort();
      expect(request!.signal!.aborted).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('moves URL credentials into a Basic Authorization header and masks them', async () => {
    const { seen, fetch } = recorder();
    const client = createClient([], { fetch });
    await client('http://alice:s3cr%40t@h/x');
    expect(seen[0]!.url).toBe('http://h/x');
    expect(new Headers(seen[0]!.init.headers).get('authorization')).toBe(`Basic ${btoa('alice:s3cr@t')}`);
  });

  it('never lets URL credentials reach an error, not even fetch’s own', async () => {
    const client = createClient([], {
      fetch: async (url, init) => {
        throw new TypeError(`boom ${String(url)} ${new Headers(init?.headers).get('authorization')}`);
      },
    });
    const error = await client('http://alice:hunter2hunter2@h/x').catch((e: unknown) => e);
    const text = `${(error as Error).message} ${(error as Error).stack} ${JSON.stringify(error)} ${String(error)}`;
    expect(text).not.toContain('hunter2hunter2');
    expect(text).not.toContain(btoa('alice:hunter2hunter2'));
  });

  it('builds a native Request from the request value for middleware that needs one', async () => {
    let native: Request | undefined;
    const client = createClient(
      [
        async (request, next) => {
          native = toRequest({ ...request, url: 'http://h/x' });
          return next({ ...request, url: 'http://h/x' });
        },
      ],
      { fetch: ok },
    );
    await client('/x', { method: 'PUT', body: 'hello', headers: { a: 'b' } });
    expect(native!.method).toBe('PUT');
    expect(native!.headers.get('a')).toBe('b');
    expect(await native!.text()).toBe('hello');
  });
});

describe('lazy fetch lookup', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  it('sees an msw handler installed after the client was created', async () => {
    const client = createClient([]);
    server.use(http.get('http://api.test/late', () => HttpResponse.text('from msw')));
    const response = await client('http://api.test/late');
    expect(await response.text()).toBe('from msw');
  });
});

describe('error mapping against real local servers', () => {
  it('maps a closed port to ConnectionError with phase connect', async () => {
    const port = await closedPort();
    const client = createClient([]);
    const error = await client(`http://127.0.0.1:${port}/x`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(isConnectionError(error)).toBe(true);
    expect((error as ConnectionError).phase).toBe('connect');
    expect((error as ConnectionError).request).toEqual({ method: 'GET', url: `http://127.0.0.1:${port}/x` });
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });

  it('maps a server that accepts then destroys the socket to ConnectionError with phase read', async () => {
    const server = await resettingServer();
    try {
      const client = createClient([]);
      const error = await client(`${server.origin}/x`, { method: 'POST', body: 'x' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as ConnectionError).phase).toBe('read');
    } finally {
      await server.close();
    }
  });

  it('leaves a user abort as the platform AbortError', async () => {
    const server = await startServer(() => {});
    try {
      const client = createClient([]);
      const controller = new AbortController();
      const pending = client(server.url, { signal: controller.signal });
      setTimeout(() => controller.abort(), 20);
      const error = await pending.catch((e: unknown) => e);
      expect((error as Error).name).toBe('AbortError');
    } finally {
      await server.close();
    }
  });
});

describe('ConfigError', () => {
  it('names createClient and the option for a wrong type', () => {
    const error = (() => {
      try {
        createClient([], { fetch: 'nope' as never });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe('createClient: fetch: expected a fetch function, received "nope"');
    expect((error as ConfigError).option).toBe('fetch');
  });

  it('rejects unknown options by name', () => {
    expect(() => createClient([], { fetsh: fetch } as never)).toThrow('createClient: fetsh: unknown option');
  });

  it('rejects a middleware that is not a function', () => {
    expect(() => createClient([42 as never])).toThrow('createClient: middlewares.0: expected a middleware function, received number');
  });
});
