import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  InvalidURLError,
  MaxRetryError,
  RedirectBlockedError,
  TooManyRedirectsError,
  authHeaders,
  createClient,
  defineMiddleware,
  isRedirectBlockedError,
  redirect,
  redirectPolicySlot,
  retry,
  type FetchFunction,
  type FetchpipeEvent,
  type Middleware,
  type RedirectPolicy,
} from '../../src/index.ts';
import { shouldStripAuth } from '../../src/middleware/redirect/strip-auth.ts';
import { startServer, type LocalServer } from '../support/server.ts';

interface Seen {
  url: string;
  method: string;
  body: string | null;
  headers: Headers;
  redirect: RequestRedirect | undefined;
}

/** A fetch that answers each call with the next entry of `answers` (the last repeats), recording what was sent. */
function scripted(answers: Array<{ status: number; location?: string }>) {
  const seen: Seen[] = [];
  let cancelled = 0;
  const fetch: FetchFunction = async (input, init = {}) => {
    const body = init.body == null ? null : await new Response(init.body).text();
    seen.push({ url: String(input), method: init.method ?? 'GET', body, headers: new Headers(init.headers), redirect: init.redirect });
    const { status, location } = answers[Math.min(seen.length - 1, answers.length - 1)]!;
    const stream = new ReadableStream({ cancel: () => void cancelled++ });
    const response = new Response(status === 304 ? null : stream, { status, headers: location === undefined ? {} : { location } });
    Object.defineProperty(response, 'url', { value: String(input) });
    return response;
  };
  return { fetch, seen, cancelled: () => cancelled };
}

const to = (location: string, status = 302) => ({ status, location });

/** Stands in for authHeaders(): declares `x-api-key` as an auth header name without adding it. */
const declaresApiKey: Middleware = defineMiddleware(async (request, next) => next(request), {
  name: 'declaresApiKey',
  authHeaderNames: ['x-api-key'],
});

describe('shouldStripAuth (requests\' should_strip_auth)', () => {
  it.each([
    ['http://example.com/foo', 'http://another.example.com/'],
    ['https://example.com/foo', 'http://example.com/bar'],
    ['http://example.com:8080/foo', 'https://example.com/bar'],
    ['http://example.com:1234/foo', 'https://example.com:4321/bar'],
    ['https://example.com/', 'https://example.com:8443/'],
    ['http://example.com/', 'not a url'],
  ])('strips from %s to %s', (from, target) => {
    expect(shouldStripAuth(from, target)).toBe(true);
  });

  it.each([
    ['http://example.com/foo', 'https://example.com/bar'],
    ['http://example.com:80/foo', 'https://example.com/bar'],
    ['https://example.com:443/foo', 'https://example.com/bar'],
    ['http://example.com/foo', 'http://EXAMPLE.com/bar'],
    ['https://example.com/a', 'https://example.com:443/b'],
  ])('keeps from %s to %s', (from, target) => {
    expect(shouldStripAuth(from, target)).toBe(false);
  });
});

describe('redirect options', () => {
  it('refuses a max that is not a non-negative integer, unknown keys and a non-object', () => {
    expect(() => redirect({ max: -1 })).toThrow('redirect: max: expected a non-negative integer, received -1');
    expect(() => redirect({ max: '3' as never })).toThrow('redirect: max: expected a non-negative integer, received "3"');
    expect(() => redirect({ max: 1.5 })).toThrow(ConfigError);
    expect(() => redirect({ maxRedirects: 3 } as never)).toThrow('redirect: maxRedirects: unknown option');
    expect(() => redirect(null as never)).toThrow('redirect: options: expected an options object, received null');
  });

  it("refuses a hidden that is not 'refuse' or 'follow'", () => {
    expect(() => redirect({ hidden: 'allow' as never })).toThrow(`redirect: hidden: expected 'refuse' or 'follow', received "allow"`);
    expect(() => redirect({ hidden: true as never })).toThrow(ConfigError);
    expect(redirect({ hidden: 'follow' }).meta!.options).toEqual({ max: 30, followedBy: 'redirect()', hidden: 'follow' });
  });

  it('defaults to 30 hops', () => {
    expect(redirect().meta!.options).toEqual({ max: 30, followedBy: 'redirect()', hidden: 'refuse' });
  });
});

describe('redirect with a stub fetch', () => {
  it.each([
    [301, 'POST', 'GET', false],
    [301, 'PUT', 'PUT', false],
    [301, 'GET', 'GET', false],
    [302, 'POST', 'GET', false],
    [302, 'PUT', 'GET', false],
    [302, 'HEAD', 'HEAD', false],
    [303, 'POST', 'GET', false],
    [303, 'DELETE', 'GET', false],
    [303, 'HEAD', 'HEAD', false],
    [307, 'POST', 'POST', true],
    [307, 'PUT', 'PUT', true],
    [308, 'POST', 'POST', true],
  ] as const)('follows a %i after %s with %s, keeping the body: %s', async (status, method, expected, keepsBody) => {
    const { fetch, seen } = scripted([to('/next', status), { status: 200 }]);
    const body = method === 'HEAD' ? undefined : '{"a":1}';
    const headers = { 'content-type': 'application/json', 'x-other': 'kept' };
    await createClient([redirect()], { fetch })('http://h/start', { method, body, headers });
    expect(seen).toHaveLength(2);
    const hop = seen[1]!;
    expect(hop.url).toBe('http://h/next');
    expect(hop.method).toBe(expected);
    expect(hop.headers.get('x-other')).toBe('kept');
    if (keepsBody) {
      expect(hop.body).toBe('{"a":1}');
      expect(hop.headers.get('content-type')).toBe('application/json');
    } else {
      expect(hop.body).toBeNull();
      expect(hop.headers.get('content-type')).toBeNull();
    }
  });

  it('sends every hop with redirect: manual, counts attempts, marks the final response redirected and cancels the 3xx bodies', async () => {
    const { fetch, seen, cancelled } = scripted([to('/b'), to('c', 301), { status: 200 }]);
    const attempts: number[] = [];
    const spy = defineMiddleware(async (request, next) => {
      attempts.push(request.attempt);
      return next(request);
    }, { name: 'spy' });
    const response = await createClient([redirect(), spy], { fetch })('http://h/a/x#frag');
    expect(seen.map((s) => [s.url, s.redirect])).toEqual([
      ['http://h/a/x#frag', 'manual'],
      ['http://h/b#frag', 'manual'],
      ['http://h/c#frag', 'manual'],
    ]);
    expect(attempts).toEqual([1, 2, 3]);
    expect(response.redirected).toBe(true);
    expect(cancelled()).toBe(2);
  });

  it('returns a 3xx without Location, a 300 and a 304 as they are', async () => {
    for (const answer of [{ status: 302 }, to('/x', 300), to('/x', 304)]) {
      const { fetch, seen } = scripted([answer]);
      const response = await createClient([redirect()], { fetch })('http://h/');
      expect(response.status).toBe(answer.status);
      expect(seen).toHaveLength(1);
    }
  });

  it('returns a 307 or 308 whose body is a one-shot stream, since it cannot be sent again', async () => {
    for (const status of [307, 308]) {
      const { fetch, seen } = scripted([to('/again', status), { status: 200 }]);
      const body = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('once')), c.close()) });
      const response = await createClient([redirect()], { fetch })('http://h/', { method: 'POST', body });
      expect(response.status).toBe(status);
      expect(seen).toHaveLength(1);
    }
  });

  it('follows a 303 after a stream body, since the body is dropped anyway', async () => {
    const { fetch, seen } = scripted([to('/done', 303), { status: 200 }]);
    const body = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('once')), c.close()) });
    const response = await createClient([redirect()], { fetch })('http://h/', { method: 'POST', body });
    expect(response.status).toBe(200);
    expect(seen.map((s) => s.method)).toEqual(['POST', 'GET']);
  });

  it('throws TooManyRedirectsError on the 31st redirect of a loop, cancelling every body', async () => {
    const { fetch, seen, cancelled } = scripted([to('/loop')]);
    const error = await createClient([redirect()], { fetch })('http://h/loop').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooManyRedirectsError);
    expect((error as Error).message).toBe('Exceeded 30 redirects.');
    expect((error as TooManyRedirectsError).request).toEqual({ method: 'GET', url: 'http://h/loop' });
    expect(seen).toHaveLength(31);
    expect(cancelled()).toBe(31);
  });

  it('honours a smaller max, and max 0 refuses the first redirect', async () => {
    const two = scripted([to('/loop')]);
    await expect(createClient([redirect({ max: 2 })], { fetch: two.fetch })('http://h/')).rejects.toThrow('Exceeded 2 redirects.');
    expect(two.seen).toHaveLength(3);
    const none = scripted([to('/loop')]);
    await expect(createClient([redirect({ max: 0 })], { fetch: none.fetch })('http://h/')).rejects.toBeInstanceOf(TooManyRedirectsError);
    expect(none.seen).toHaveLength(1);
  });

  it('records each hop in the call history with masked URLs, and emits a redirect event', async () => {
    const { fetch } = scripted([to('https://other.example/next?key=s3cret'), { status: 200 }]);
    const secret = defineMiddleware(async (request, next) => next(request), {
      name: 'secret',
      secrets: { values: ['s3cret'] },
      authHeaderNames: ['x-api-key'],
    });
    const events: FetchpipeEvent[] = [];
    let history: unknown;
    const end = defineMiddleware(async (request, next) => {
      history = request.context.history;
      return next(request);
    }, { name: 'end' });
    await createClient([secret, redirect(), end], { fetch, onEvent: (e) => events.push(e) })('http://h/start?key=s3cret', {
      headers: { 'x-api-key': 's3cret', authorization: 'Basic s3cret' },
    });
    expect(history).toEqual([
      { method: 'GET', url: 'http://h/start?key=...', kind: 'redirect', status: 302, location: 'https://other.example/next?key=...' },
    ]);
    const event = events.find((e) => e.type === 'redirect');
    expect(event).toMatchObject({ type: 'redirect', status: 302, location: 'https://other.example/next?key=...', attempt: 1 });
    expect(event).toMatchObject({ stripped: ['authorization', 'x-api-key'] });
    expect(JSON.stringify(events)).not.toContain('s3cret');
  });

  it('strips Authorization, Proxy-Authorization, Cookie and declared auth headers when the origin changes, and never puts them back', async () => {
    const { fetch, seen } = scripted([to('http://other:8080/x'), to('http://h/back'), { status: 200 }]);
    const headers = { authorization: 'a', 'proxy-authorization': 'p', cookie: 'c', 'x-api-key': 'k', accept: 'text/plain' };
    await createClient([declaresApiKey, redirect()], { fetch })('http://h/start', { headers });
    const names = seen.map((s) => [...s.headers.keys()].sort());
    expect(names[0]).toEqual(['accept', 'authorization', 'cookie', 'proxy-authorization', 'x-api-key']);
    expect(names[1]).toEqual(['accept']);
    expect(names[2]).toEqual(['accept']);
  });

  it('keeps credentials on a same-origin hop and on the http to https upgrade of the same host', async () => {
    const { fetch, seen } = scripted([to('/same'), to('https://h/secure'), { status: 200 }]);
    await createClient([declaresApiKey, redirect()], { fetch })('http://h/start', { headers: { authorization: 'a', 'x-api-key': 'k' } });
    expect(seen.map((s) => [s.headers.get('authorization'), s.headers.get('x-api-key')])).toEqual([
      ['a', 'k'],
      ['a', 'k'],
      ['a', 'k'],
    ]);
  });

  it('refuses a malformed Location, or one of a scheme other than http(s), with InvalidURLError naming it masked', async () => {
    for (const location of ['http://[::1', 'javascript:alert(1)', 'file:///etc/passwd', 'data:text/plain,hi', 'ftp://user:pw@h/x']) {
      const { fetch, cancelled } = scripted([to(location)]);
      const error = await createClient([redirect()], { fetch })('http://h/').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidURLError);
      expect((error as Error).message).toContain('Redirect from GET http://h/ to');
      expect((error as Error).message).not.toContain('pw@');
      expect(cancelled()).toBe(1);
    }
  });

  it('lets a redirect policy from retry() decide instead of max: follow, return, or throw', async () => {
    const withPolicy = (policy: RedirectPolicy): Middleware =>
      defineMiddleware(async (request, next) => {
        request.context.set(redirectPolicySlot, policy);
        return next(request);
      }, { name: 'policy' });

    const follow = scripted([to('/1'), to('/2'), to('/3'), { status: 200 }]);
    const locations: string[] = [];
    const followed = await createClient([withPolicy((_r, _res, location) => (locations.push(location), 'follow')), redirect({ max: 1 })], {
      fetch: follow.fetch,
    })('http://h/');
    expect(followed.status).toBe(200);
    expect(locations).toEqual(['http://h/1', 'http://h/2', 'http://h/3']);

    const back = scripted([to('/1')]);
    const returned = await createClient([withPolicy(() => 'return'), redirect()], { fetch: back.fetch })('http://h/');
    expect(returned.status).toBe(302);
    expect(back.seen).toHaveLength(1);

    const refusal = new Error('budget spent');
    const thrown = scripted([to('/1')]);
    const throwing = createClient([withPolicy(() => { throw refusal; }), redirect()], { fetch: thrown.fetch });
    await expect(throwing('http://h/')).rejects.toBe(refusal);
    expect(thrown.cancelled()).toBe(1);
  });

  it('steps aside for a call that asks for redirect: manual or error itself', async () => {
    for (const mode of ['manual', 'error'] as const) {
      const { fetch, seen } = scripted([to('/elsewhere'), { status: 200 }]);
      const response = await createClient([redirect()], { fetch })('http://h/', { redirect: mode });
      expect(response.status).toBe(302);
      expect(seen.map((s) => s.redirect)).toEqual([mode]);
    }
  });

  // Issue #14 §5: `typeof document` decided "browser" before, so a jsdom or SSR shim made Node's
  // fetch follow and forward X-API-Key. What the platform does is read from the response now.
  it('follows by hand where a document global exists, since the responses show the redirects', async () => {
    const global = globalThis as { document?: unknown };
    global.document = {};
    try {
      const middleware = redirect();
      expect(middleware.meta!.options).toEqual({ max: 30, followedBy: 'redirect()', hidden: 'refuse' });
      const { fetch, seen } = scripted([to('http://other/elsewhere'), { status: 200 }]);
      const response = await createClient([declaresApiKey, middleware], { fetch })('http://h/', { headers: { 'x-api-key': 'k' } });
      expect(response.status).toBe(200);
      expect(seen.map((s) => [s.url, s.redirect, s.headers.get('x-api-key')])).toEqual([
        ['http://h/', 'manual', 'k'],
        ['http://other/elsewhere', 'manual', null],
      ]);
    } finally {
      delete global.document;
    }
  });
});

/** A fetch that behaves like a page's: `manual` gives an opaque redirect, anything else is followed to a 200. */
function hidingPlatform(options: { loops?: boolean } = {}) {
  const seen: Seen[] = [];
  const fetch: FetchFunction = async (input, init = {}) => {
    const body = init.body == null ? null : await new Response(init.body).text();
    seen.push({ url: String(input), method: init.method ?? 'GET', body, headers: new Headers(init.headers), redirect: init.redirect });
    if (init.redirect === 'manual') return withType(new Response(null, { status: 200 }), 'opaqueredirect', 0);
    // Chromium's words for its own redirect limit, the same as for a network failure.
    if (options.loops) throw new TypeError('Failed to fetch');
    const response = new Response('landed', { status: 200 });
    Object.defineProperty(response, 'redirected', { value: true });
    return response;
  };
  return { fetch, seen };
}

// An opaque-redirect filtered response, as a page's fetch gives for `redirect: 'manual'`.
function withType(response: Response, type: ResponseType, status: number): Response {
  Object.defineProperty(response, 'type', { value: type });
  Object.defineProperty(response, 'status', { value: status });
  return response;
}

describe('redirect where the platform hides redirects (opaqueredirect)', () => {
  it('lets the platform follow a GET without custom credentials, by sending it again', async () => {
    const { fetch, seen } = hidingPlatform();
    const client = createClient([redirect()], { fetch });
    expect(await (await client('http://h/a')).text()).toBe('landed');
    expect(await (await client('http://h/b')).text()).toBe('landed');
    // Each call is asked manual first: an answer that is no redirect comes back at the cost of one request.
    expect(seen.map((s) => [s.url, s.redirect])).toEqual([
      ['http://h/a', 'manual'],
      ['http://h/a', undefined],
      ['http://h/b', 'manual'],
      ['http://h/b', undefined],
    ]);
  });

  it('refuses, by default, to let the platform forward custom credentials, and never sends them on', async () => {
    const { fetch, seen } = hidingPlatform();
    const client = createClient([redirect(), authHeaders({ 'X-API-Key': 'k3y-secret', Authorization: 'Bearer t0k' })], { fetch });
    for (const path of ['a', 'b']) {
      const error = await client(`http://h/${path}`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedirectBlockedError);
      expect(isRedirectBlockedError(error)).toBe(true);
      expect((error as Error).message).toBe(
        `Redirect not followed for GET http://h/${path}: the platform hides its target, and would forward x-api-key to it; redirect({ hidden: 'follow' }) allows that`,
      );
      expect((error as Error).message).not.toContain('k3y-secret');
    }
    // Only manual requests: nothing the platform could have followed.
    expect(seen.map((s) => s.redirect)).toEqual(['manual', 'manual']);
  });

  it('refuses an X-API-Key given on the call too, and never retries the refusal', async () => {
    const { fetch, seen } = hidingPlatform();
    const error = await createClient([retry({ total: 3 }), redirect()], { fetch })('http://h/', { headers: { 'x-api-key': 'k' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectBlockedError);
    expect(seen).toHaveLength(1);
  });

  it('counts a sensitiveHeaders name as a credential too', async () => {
    const { fetch, seen } = hidingPlatform();
    const client = createClient([redirect()], { fetch, sensitiveHeaders: ['X-Session'] });
    const error = await client('http://h/', { headers: { 'x-session': 's3ss' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectBlockedError);
    expect((error as Error).message).toContain('would forward x-session to it');
    expect(seen).toHaveLength(1);
  });

  it("with hidden: 'follow', lets the platform follow and forward them, as the opt-out says", async () => {
    const { fetch, seen } = hidingPlatform();
    const client = createClient([redirect({ hidden: 'follow' }), authHeaders({ 'X-API-Key': 'k' })], { fetch });
    expect((await client('http://h/a')).status).toBe(200);
    expect(seen.map((s) => [s.redirect, s.headers.get('x-api-key')])).toEqual([
      ['manual', 'k'],
      [undefined, 'k'],
    ]);
  });

  it('never sends an unsafe method again for the platform to follow, whatever hidden says', async () => {
    for (const hidden of ['refuse', 'follow'] as const) {
      const { fetch, seen } = hidingPlatform();
      const error = await createClient([redirect({ hidden })], { fetch })('http://h/form', { method: 'POST', body: 'a=1' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedirectBlockedError);
      expect((error as Error).message).toBe('Redirect not followed for POST http://h/form: the platform hides its target, and POST is not sent again for it to follow');
      expect(seen.map((s) => [s.method, s.redirect])).toEqual([['POST', 'manual']]);
    }
  });

  it("reports a failure of the chain the platform followed as TooManyRedirectsError, never retried, in either order", async () => {
    for (const order of ['requests', 'urllib3'] as const) {
      const { fetch, seen } = hidingPlatform({ loops: true });
      const policy = retry({ total: 3 });
      const client = createClient(order === 'requests' ? [redirect(), policy] : [policy, redirect()], { fetch });
      const error = await client('http://h/loop').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TooManyRedirectsError);
      expect((error as Error).message).toBe('Too many redirects for GET http://h/loop, or a later hop failed (the platform followed them and does not say which)');
      expect(seen.map((s) => s.redirect)).toEqual(['manual', undefined]);
    }
  });

  it('retries a network failure of the manual request as any other, since no redirect was involved', async () => {
    let calls = 0;
    const fetch: FetchFunction = async () => {
      if (++calls === 1) throw new TypeError('Failed to fetch');
      return new Response('ok');
    };
    const response = await createClient([redirect(), retry({ total: 1 })], { fetch })('http://h/');
    expect(await response.text()).toBe('ok');
    expect(calls).toBe(2);
  });
});

describe('redirect() and retry() in either order (SPEC §7)', () => {
  const redirects = (n: number, status = 302) => [...Array.from({ length: n }, (_, i) => to(`/hop${i + 1}`, status)), { status: 200 }];

  it("requests' order, redirect() in front: redirects do not spend the retry budget", async () => {
    const { fetch, seen } = scripted(redirects(3));
    const response = await createClient([redirect(), retry({ total: 2 })], { fetch })('http://h/');
    expect(response.status).toBe(200);
    expect(seen).toHaveLength(4);
  });

  it("urllib3's order, retry() in front: the same redirects spend it, MaxRetryError 'too many redirects'", async () => {
    const { fetch } = scripted(redirects(3));
    const error = await createClient([retry({ total: 2 }), redirect()], { fetch })('http://h/').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MaxRetryError);
    expect((error as MaxRetryError).message).toContain("(Caused by ResponseError('too many redirects'))");
  });

  it("requests' order gives every hop a fresh budget: a target answering 503, 503, 200 succeeds", async () => {
    const answers = [to('/a'), to('/b'), { status: 503 }, { status: 503 }, { status: 200 }];
    const { fetch, seen } = scripted(answers);
    const response = await createClient([redirect(), retry({ total: 2, statusForcelist: [503] })], { fetch })('http://h/');
    expect(response.status).toBe(200);
    expect(seen.map((s) => s.url)).toEqual(['http://h/', 'http://h/a', 'http://h/b', 'http://h/b', 'http://h/b']);

    const urllib3 = scripted(answers);
    const error = await createClient([retry({ total: 2, statusForcelist: [503] }), redirect()], { fetch: urllib3.fetch })('http://h/').catch((e: unknown) => e);
    // Two redirects leave nothing of total 2: the first 503 exhausts it.
    expect(error).toBeInstanceOf(MaxRetryError);
    expect(urllib3.seen).toHaveLength(3);
  });

  it('a retry after a cross-origin hop re-sends the hop, stripped, in either order', async () => {
    for (const order of ['requests', 'urllib3'] as const) {
      const { fetch, seen } = scripted([to('http://other/x', 307), { status: 503 }, { status: 200 }]);
      const auth = authHeaders({ 'X-API-Key': 'k' });
      const policy = retry({ total: 3, statusForcelist: [503] });
      const chain = order === 'requests' ? [redirect(), policy, auth] : [policy, redirect(), auth];
      const response = await createClient(chain, { fetch })('http://h/', { method: 'PUT', body: 'b', headers: { authorization: 'Bearer t' } });
      expect(response.status).toBe(200);
      expect(seen.map((s) => [s.url, s.method, s.body, s.headers.get('x-api-key'), s.headers.get('authorization'), s.redirect])).toEqual([
        ['http://h/', 'PUT', 'b', 'k', 'Bearer t', 'manual'],
        ['http://other/x', 'PUT', 'b', null, null, 'manual'],
        ['http://other/x', 'PUT', 'b', null, null, 'manual'],
      ]);
    }
  });

  it('a 302 after a PUT with a body is sent on as a GET without it, as rebuild_method says', async () => {
    const { fetch, seen } = scripted([to('/next'), { status: 200 }]);
    await createClient([redirect(), retry()], { fetch })('http://h/', { method: 'PUT', body: 'payload', headers: { 'content-type': 'text/plain' } });
    expect(seen.map((s) => [s.method, s.body, s.headers.get('content-type')])).toEqual([
      ['PUT', 'payload', 'text/plain'],
      ['GET', null, null],
    ]);
  });
});

describe('redirect against two real servers', () => {
  let first: LocalServer;
  let second: LocalServer;
  const KEY = 'k3y-value';
  const TOKEN = 'Bearer t0ken';

  beforeAll(async () => {
    second = await startServer((_req, res) => void res.end('second'));
    first = await startServer((req, res) => {
      const redirectTo = (location: string, status = 302) => void res.writeHead(status, { location }).end();
      if (req.url === '/away') return redirectTo(`${second.origin}/landed`);
      if (req.url === '/stay') return redirectTo('/landed');
      if (req.url === '/loop') return redirectTo('/loop');
      if (req.url === '/form') return redirectTo('/landed', 303);
      res.end('first');
    });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  const credentials = { authorization: TOKEN, cookie: 'session=abc', 'x-api-key': KEY };

  it('never lets the second origin see Authorization, Cookie or an authHeaders name, in either order', async () => {
    for (const order of [
      [authHeaders({ 'X-API-Key': KEY }), redirect()],
      [redirect(), authHeaders({ 'X-API-Key': KEY })],
    ]) {
      const before = second.requests.length;
      const response = await createClient(order)(`${first.origin}/away`, {
        headers: { authorization: TOKEN, cookie: 'session=abc' },
      });
      expect(await response.text()).toBe('second');
      expect(response.url).toBe(`${second.origin}/landed`);
      const landed = second.requests.slice(before);
      expect(landed).toHaveLength(1);
      expect(landed[0]!.headers.authorization).toBeUndefined();
      expect(landed[0]!.headers.cookie).toBeUndefined();
      expect(landed[0]!.headers['x-api-key']).toBeUndefined();
    }
  });

  it('never lets the second origin see an X-API-Key set on the call that the client was not told about', async () => {
    const before = second.requests.length;
    const response = await createClient([redirect()])(`${first.origin}/away`, { headers: { 'x-api-key': KEY } });
    expect(await response.text()).toBe('second');
    const landed = second.requests.slice(before);
    expect(landed).toHaveLength(1);
    expect(landed[0]!.headers['x-api-key']).toBeUndefined();
  });

  it('keeps the credentials on a same-origin redirect', async () => {
    const response = await createClient([declaresApiKey, redirect()])(`${first.origin}/stay`, { headers: credentials });
    expect(await response.text()).toBe('first');
    const landed = first.requests.at(-1)!;
    expect(landed.url).toBe('/landed');
    expect([landed.headers.authorization, landed.headers.cookie, landed.headers['x-api-key']]).toEqual([TOKEN, 'session=abc', KEY]);
  });

  it('turns a POST answered with 303 into a GET without body or Content-Type', async () => {
    await createClient([redirect()])(`${first.origin}/form`, { method: 'POST', body: 'a=1', headers: { 'content-type': 'text/plain' } });
    const landed = first.requests.at(-1)!;
    expect([landed.method, landed.url, landed.body.length, landed.headers['content-type']]).toEqual(['GET', '/landed', 0, undefined]);
  });

  it('gives up on a real 302 loop after 30 redirects', async () => {
    const before = first.requests.length;
    await expect(createClient([redirect()])(`${first.origin}/loop`)).rejects.toThrow(TooManyRedirectsError);
    expect(first.requests.length - before).toBe(31);
  });
});
