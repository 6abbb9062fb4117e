import { afterEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  authHeaders,
  createClient,
  defineMiddleware,
  headers,
  recordAttempt,
  type Middleware,
} from '../../src/index.ts';
import { startServer, type LocalServer } from '../support/server.ts';
import { through } from '../support/capture.ts';

const TOKEN = 'Bearer s3cr3t.t0k3n+value';
const KEY = 'k3y-(abc)*[def]$';

/** A minimal redirect follower for these tests: records each hop in the call history, as redirect() does. */
const follow = (hops: number): Middleware =>
  defineMiddleware(async function follow(request, next) {
    let current = request;
    for (let hop = 0; ; hop++) {
      const response = await next(current);
      const location = response.headers.get('location');
      if (hop === hops || location === null) return response;
      const target = new URL(location, current.url).href;
      recordAttempt(current, { method: current.method, url: current.url, kind: 'redirect', status: response.status, location: target });
      current = { ...current, url: target, attempt: current.attempt + 1 };
    }
  }, { name: 'follow' });

/** A stub chain end that answers each URL in turn with a redirect to the next, then 200. */
function hopsThrough(urls: string[]) {
  const seen: Array<{ url: string; authorization: string | null; key: string | null }> = [];
  const end = defineMiddleware(async (request) => {
    seen.push({ url: request.url, authorization: request.headers.get('authorization'), key: request.headers.get('x-api-key') });
    const index = urls.indexOf(request.url);
    const next = urls[index + 1];
    return next === undefined ? new Response('ok') : new Response(null, { status: 302, headers: { location: next } });
  }, { name: 'end' });
  return { seen, end };
}

describe('authHeaders', () => {
  it('adds the credentials to every call', async () => {
    const { seen, client } = through([authHeaders({ Authorization: TOKEN, 'X-API-Key': KEY })]);
    await client('http://h/x');
    expect(seen[0]!.get('authorization')).toBe(TOKEN);
    expect(seen[0]!.get('x-api-key')).toBe(KEY);
  });

  it('wins over headers() defaults in either order, and yields to a header given on the call', async () => {
    for (const order of [
      [headers({ 'X-API-Key': 'default' }), authHeaders({ 'X-API-Key': KEY })],
      [authHeaders({ 'X-API-Key': KEY }), headers({ 'X-API-Key': 'default' })],
    ]) {
      const { seen, client } = through(order);
      await client('http://h/x');
      await client('http://h/x', { headers: { 'x-api-key': 'from-the-call' } });
      expect(seen.map((h) => h.get('x-api-key'))).toEqual([KEY, 'from-the-call']);
    }
  });

  it('declares every value as a secret and every name as an auth header name', () => {
    const meta = authHeaders({ Authorization: TOKEN, 'X-API-Key': KEY }, { maskQueryParams: ['api_key'] }).meta!;
    expect(meta.secrets).toEqual({ values: [TOKEN, 's3cr3t.t0k3n+value', KEY], queryParams: ['api_key'] });
    expect(meta.authHeaderNames).toEqual(['authorization', 'x-api-key']);
    expect(JSON.stringify(meta.options)).not.toContain('s3cr3t');
  });

  it('masks its values as ... in an error thrown inside it that echoes the headers', async () => {
    const echo = defineMiddleware(async (request) => {
      throw new Error(`refused: ${[...request.headers].map(([n, v]) => `${n}=${v}`).join(' ')}`);
    }, { name: 'echo' });
    const error: Error = await createClient([authHeaders({ Authorization: TOKEN, 'X-API-Key': KEY }), echo])('http://h/x').catch((e) => e);
    expect(error.message).toBe('refused: authorization=... x-api-key=...');
    expect(error.stack).not.toContain('s3cr3t');
  });

  it('also masks the token without its auth scheme, and the JSON-escaped form a server may echo', async () => {
    const token = 'a\\b"c-d\te-f';
    const echo = defineMiddleware(async (request) => {
      throw new Error(`token ${token}; echoed ${JSON.stringify(Object.fromEntries(request.headers))}`);
    }, { name: 'echo' });
    const error: Error = await createClient([authHeaders({ Authorization: `Token ${token}` }), echo])('http://h/x').catch((e) => e);
    expect(error.message).toBe('token ...; echoed {"authorization":"..."}');
  });

  it('masks its values in an error made by a middleware outside it, whatever the order', async () => {
    const outer = defineMiddleware(async (request, next) => {
      await next(request);
      throw new Error(`the key ${KEY} leaked`);
    }, { name: 'outer' });
    const error: Error = await createClient([outer, authHeaders({ 'X-API-Key': KEY })], { fetch: async () => new Response('ok') })(
      'http://h/x',
    ).catch((e) => e);
    expect(error.message).toBe('the key ... leaked');
  });

  it('masks the configured query parameters in URLs', async () => {
    const echo = defineMiddleware(async (request) => {
      throw new Error(`failed ${request.url}`);
    }, { name: 'echo' });
    const client = createClient([authHeaders({ 'X-API-Key': KEY }, { maskQueryParams: ['api_key'] }), echo]);
    const error: Error = await client('http://h/x?page=2&api_key=abc%20def&q=1').catch((e) => e);
    expect(error.message).toBe('failed http://h/x?page=2&api_key=...&q=1');
  });

  it('does not add credentials on a hop that left their origin (inside a redirect follower)', async () => {
    const { seen, end } = hopsThrough(['http://a.example/x', 'http://b.example/y']);
    await createClient([follow(5), authHeaders({ Authorization: TOKEN, 'X-API-Key': KEY }), end])('http://a.example/x');
    expect(seen).toEqual([
      { url: 'http://a.example/x', authorization: TOKEN, key: KEY },
      { url: 'http://b.example/y', authorization: null, key: null },
    ]);
  });

  it('keeps credentials off for the rest of the call once any hop left, even back on the origin', async () => {
    const { seen, end } = hopsThrough(['http://a.example/x', 'http://a.example:8080/y', 'http://a.example/z']);
    await createClient([follow(5), authHeaders({ 'X-API-Key': KEY }), end])('http://a.example/x');
    expect(seen.map((s) => s.key)).toEqual([KEY, null, null]);
  });

  it('keeps credentials on a same-origin hop and on the http→https upgrade of the same host', async () => {
    const { seen, end } = hopsThrough(['http://a.example/x', 'http://a.example/y', 'https://a.example/z']);
    await createClient([follow(5), authHeaders({ 'X-API-Key': KEY }), end])('http://a.example/x');
    expect(seen.map((s) => s.key)).toEqual([KEY, KEY, KEY]);
  });

  it('treats a relative Location as the same origin', async () => {
    const scoped = authHeaders({ 'X-API-Key': KEY });
    const hop = defineMiddleware(async (request, next) => {
      recordAttempt(request, { method: 'GET', url: 'http://a.example/x', kind: 'redirect', status: 302, location: '/y' });
      return next({ ...request, url: 'http://a.example/y', attempt: 2 });
    }, { name: 'hop' });
    const { seen, client } = through([hop, scoped]);
    await client('http://a.example/x');
    expect(seen[0]!.get('x-api-key')).toBe(KEY);
  });

  describe('against two real local servers', () => {
    let servers: LocalServer[] = [];
    afterEach(async () => {
      await Promise.all(servers.map((s) => s.close()));
      servers = [];
    });

    it('never sends the credentials to the second origin, and keeps them on a same-origin redirect', async () => {
      const other = await startServer((_req, res) => void res.end('other'));
      const first = await startServer((req, res) => {
        const location = req.url === '/cross' ? `${other.origin}/landed` : req.url === '/same' ? '/landed' : null;
        if (location === null) return void res.end('landed');
        res.writeHead(302, { location }).end();
      });
      servers = [first, other];
      const client = createClient([follow(5), authHeaders({ Authorization: TOKEN, 'X-API-Key': KEY })]);

      expect(await (await client(`${first.origin}/cross`, { redirect: 'manual' })).text()).toBe('other');
      expect(other.requests).toHaveLength(1);
      expect(other.requests[0]!.headers.authorization).toBeUndefined();
      expect(other.requests[0]!.headers['x-api-key']).toBeUndefined();

      expect(await (await client(`${first.origin}/same`, { redirect: 'manual' })).text()).toBe('landed');
      const landed = first.requests.find((r) => r.url === '/landed')!;
      expect(landed.headers.authorization).toBe(TOKEN);
      expect(landed.headers['x-api-key']).toBe(KEY);
    });
  });

  it('never prints a secret value in its ConfigError', () => {
    const call = () => authHeaders({ Authorization: 'Bearer hunter2-secret\r\nX-Evil: 1' });
    expect(call).toThrow(ConfigError);
    expect(call).toThrow('authHeaders: init.Authorization: expected a header value without CR, LF or NUL, received a string of 32 characters');
    expect(call).not.toThrow(/hunter2/);
    expect(() => authHeaders([['X-API-Key', 'hunter2-secret\n']])).toThrow('authHeaders: init.0.1: expected a header value without CR, LF or NUL, received a string of 15 characters');
  });

  it.each([
    [{ maskQueryParams: 'api_key' }, 'authHeaders: maskQueryParams: expected an array of query parameter names, received "api_key"'],
    [{ maskQueryParams: [1] }, 'authHeaders: maskQueryParams.0: expected a query parameter name, received 1'],
    [{ maskQueryParams: [''] }, 'authHeaders: maskQueryParams.0: expected a non-empty query parameter name, received ""'],
    [{ maskQuery: ['api_key'] }, 'authHeaders: maskQuery: unknown option'],
    ['api_key', 'authHeaders: options: expected an options object, received "api_key"'],
  ])('refuses the options %j with a ConfigError naming authHeaders and the option', (options, message) => {
    expect(() => authHeaders({ 'X-API-Key': KEY }, options as never)).toThrow(ConfigError);
    expect(() => authHeaders({ 'X-API-Key': KEY }, options as never)).toThrow(message);
  });

  it.each([
    [42, 'authHeaders: init: expected an object of header names to string values, an array of [name, value] pairs or a Headers, received 42'],
    [{ 'X-API-Key': 7 }, 'authHeaders: init.X-API-Key: expected a string, received 7'],
    [{ 'bad name': 'x' }, 'authHeaders: init.bad name: expected the key to be a valid header name (RFC 9110 token)'],
  ])('refuses the credentials %j with a ConfigError naming authHeaders and init', (init, message) => {
    expect(() => authHeaders(init as never)).toThrow(message);
  });
});
