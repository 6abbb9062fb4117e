import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, createClient, explain, retry, type FetchpipeEvent } from '../../../src/index.ts';
import { AuthRefreshError, authRefresh } from '../../../src/middleware/auth-refresh/index.ts';
import { sequence } from '../../../src/testing/index.ts';
import { startServer, type LocalServer } from '../../support/server.ts';

describe('authRefresh options', () => {
  it('refuses bad options, naming each, and never prints a token', () => {
    const refresh = async () => 't';
    expect(() => authRefresh({} as never)).toThrow('authRefresh: refresh: expected a function returning a promise of the new token, received undefined');
    expect(() => authRefresh({ refresh, isExpired: 401 as never })).toThrow('authRefresh: isExpired: expected a function, received 401');
    expect(() => authRefresh({ refresh, header: 'bad header' })).toThrow('authRefresh: header: expected a valid header name (RFC 9110 token), received a string of 10 characters');
    expect(() => authRefresh({ refresh, token: 42 as never })).toThrow('authRefresh: token: expected a non-empty string that is a header value, received 42');
    expect(() => authRefresh({ refresh, token: 'a\r\nx: y' })).toThrow('authRefresh: token: expected a non-empty string that is a header value, received a string of 7 characters');
    expect(() => authRefresh({ refresh, token: '' })).toThrow(ConfigError);
    expect(() => authRefresh({ refresh, format: 'Bearer' as never })).toThrow('authRefresh: format: expected a function, received a string of 6 characters');
    expect(() => authRefresh({ refresh, onRefresh: () => {} } as never)).toThrow('authRefresh: onRefresh: unknown option');
  });

  it('shows itself in explain(), without the token', () => {
    expect(explain([authRefresh({ refresh: async () => 't', token: 'secret-token' })]).order[0]).toEqual({
      name: 'authRefresh',
      options: { header: 'authorization', customIsExpired: false, customFormat: false, initialToken: true },
    });
  });
});

describe('authRefresh on a real socket', () => {
  let server: LocalServer;
  let valid = 'token-1';
  // /slow answers only once the test lets it: a 401 that arrives late, by construction.
  let letSlowGo: () => void = () => {};
  let slowArrived = false;
  beforeAll(async () => {
    server = await startServer(async (req, res) => {
      const sent = req.headers.authorization;
      if (req.url === '/slow' && sent !== `Bearer ${valid}`) {
        slowArrived = true;
        await new Promise<void>((resolve) => (letSlowGo = resolve));
      }
      if (sent !== `Bearer ${valid}`) {
        res.statusCode = 401;
        return void res.end(`rejected ${sent}`);
      }
      res.end(`hello ${req.url}`);
    });
  });
  afterAll(() => server.close());

  it('shares one refresh between 10 concurrent calls that got a 401, and replays each once', async () => {
    valid = 'token-2';
    let refreshes = 0;
    const client = createClient([authRefresh({ token: 'token-1', refresh: async () => (await new Promise((r) => setTimeout(r, 20)), `token-${++refreshes + 1}`) })]);
    const before = server.requests.length;
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => client(`${server.origin}/item/${i}`)));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(refreshes).toBe(1);
    const seen = server.requests.slice(before).map((r) => r.headers.authorization);
    expect(seen.filter((a) => a === 'Bearer token-1')).toHaveLength(10);
    expect(seen.filter((a) => a === 'Bearer token-2')).toHaveLength(10);
  });

  it('replays a late 401 sent with the old token with the new one, without a second refresh', async () => {
    valid = 'token-1';
    let refreshes = 0;
    const mw = authRefresh({ token: 'token-0', refresh: async () => `token-${++refreshes}` });
    const client = createClient([mw]);
    // The slow one is sent with token-0 and answers 401 only after the fast one refreshed.
    const slow = client(`${server.origin}/slow`);
    while (!slowArrived) await new Promise((r) => setTimeout(r, 5));
    const fast = await client(`${server.origin}/fast`);
    expect(fast.status).toBe(200);
    expect(refreshes).toBe(1);
    letSlowGo();
    expect((await slow).status).toBe(200);
    expect(refreshes).toBe(1);
    expect(server.requests.filter((r) => r.url === '/slow').map((r) => r.headers.authorization)).toEqual(['Bearer token-0', 'Bearer token-1']);
  });

  it('refreshes before the first call when it has no token yet', async () => {
    valid = 'first';
    let refreshes = 0;
    const client = createClient([authRefresh({ refresh: async () => (++refreshes, 'first') })]);
    const before = server.requests.length;
    expect((await client(`${server.origin}/a`)).status).toBe(200);
    expect(server.requests.length - before).toBe(1);
    expect(refreshes).toBe(1);
  });

  it('fails every waiting call with AuthRefreshError when the refresh fails, once, and retry() does not loop on it', async () => {
    valid = 'never';
    let refreshes = 0;
    const events: FetchpipeEvent[] = [];
    const client = createClient([authRefresh({ token: 'old', refresh: async () => (++refreshes, Promise.reject(new Error('auth server down'))) }), retry({ total: 3 })], {
      onEvent: (e) => events.push(e),
    });
    const results = await Promise.allSettled([client(`${server.origin}/a`), client(`${server.origin}/b`)]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason as AuthRefreshError;
      expect(error).toBeInstanceOf(AuthRefreshError);
      expect(error.message).toMatch(/^Token refresh failed for GET http:\/\/127\.0\.0\.1:\d+\/[ab] \(Error: auth server down\)$/);
      expect((error.cause as Error).message).toBe('auth server down');
    }
    expect(refreshes).toBe(1);
  });

  it('masks every token it sends, in errors and events, even one obtained at run time', async () => {
    valid = 'never';
    const events: FetchpipeEvent[] = [];
    const client = createClient([authRefresh({ token: 'tok-initial-4242', refresh: async () => 'tok-refreshed-9999' })], {
      onEvent: (e) => events.push(e),
      fetch: async (input, init) => {
        const auth = new Headers(init?.headers).get('authorization');
        if (auth === 'Bearer tok-refreshed-9999') throw new TypeError(`fetch failed for ${auth} at ${String(input)}`);
        return new Response(`bad ${auth}`, { status: 401 });
      },
    });
    const error = (await client(`${server.origin}/x`).catch((e: unknown) => e)) as Error;
    const everything = [error.message, error.stack, JSON.stringify(error), String((error.cause as Error | undefined)?.message), JSON.stringify(events)].join('\n');
    expect(everything).not.toContain('tok-refreshed-9999');
    expect(everything).not.toContain('tok-initial-4242');
  });

  it('honours an abort while waiting for the refresh, and the refresh goes on for the others', async () => {
    valid = 'later';
    let finish!: (token: string) => void;
    const client = createClient([authRefresh({ token: 'stale', refresh: () => new Promise<string>((r) => (finish = r)) })]);
    const controller = new AbortController();
    const aborted = client(`${server.origin}/a`, { signal: controller.signal });
    const patient = client(`${server.origin}/b`);
    // Both calls got their 401 and wait for the one refresh (polled: the machine may be busy).
    while (finish === undefined) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
    const reason = new DOMException('user left', 'AbortError');
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    finish('later');
    expect((await patient).status).toBe(200);
  });

  it('does not replay a one-shot stream body: the 401 comes back, and the token is refreshed for the next call', async () => {
    valid = 'fresh';
    const client = createClient([authRefresh({ token: 'stale', refresh: async () => 'fresh' })]);
    const body = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('once')), c.close()) });
    const before = server.requests.length;
    expect((await client(`${server.origin}/upload`, { method: 'POST', body })).status).toBe(401);
    expect(server.requests.length - before).toBe(1);
    expect((await client(`${server.origin}/upload`, { method: 'POST', body: 'again' })).status).toBe(200);
  });

  it('fails with AuthRefreshError for a refreshed token that cannot go in a header, and with ConfigError for a bad format', async () => {
    const injected = createClient([authRefresh({ refresh: async () => 'tok\r\nx-evil: 1' })], { fetch: sequence([200]) });
    const error = await injected('https://api.test/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthRefreshError);
    expect((error as Error).message).toContain('refresh() resolved to a token that cannot be sent in a header');
    const badFormat = createClient([authRefresh({ token: 'tok-123456', refresh: async () => 'tok-654321', format: () => 42 as never })], { fetch: sequence([200]) });
    await expect(badFormat('https://api.test/x')).rejects.toThrow('authRefresh: format: expected it to return a string');
  });

  it('replays a replayable body intact, and a user rule can say what expired', async () => {
    const backend = sequence([{ status: 403, body: 'token expired' }, 200]);
    const client = createClient(
      [authRefresh({ token: 'a', refresh: async () => 'b', isExpired: (r) => r.status === 403, format: (t) => `Token ${t}` })],
      { fetch: backend },
    );
    expect((await client('https://api.test/x', { method: 'PUT', body: '{"n":1}' })).status).toBe(200);
    expect(backend.requests.map((r) => [r.headers.authorization, r.body])).toEqual([
      ['Token a', '{"n":1}'],
      ['Token b', '{"n":1}'],
    ]);
  });
});
