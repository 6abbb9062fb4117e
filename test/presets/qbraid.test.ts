import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionError, HTTPError, InvalidURLError, MaxRetryError, createClient } from '../../src/index.ts';
import { qbraid, qbraidErrorMessage } from '../../src/presets/index.ts';
import { recordingClock } from '../../src/testing/index.ts';
import { closedPort, startServer, type LocalServer } from '../support/server.ts';

const KEY = 'qbr-Secret.*+?^${}()|[]\\key-0042';
let server: LocalServer;
beforeEach(async () => {
  server = await startServer((req, res) => {
    const status = Number(req.url!.split('/').pop()!.slice(0, 3)) || 200;
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ message: `failed with key ${KEY}...` }));
  });
});
afterEach(() => server.close());

function client(overrides: Parameters<typeof qbraid>[0] = {}) {
  const clock = recordingClock();
  const fetchpipe = createClient(qbraid({ baseUrl: server.origin + '/api', authHeaders: { 'api-key': KEY }, clock, ...overrides }));
  return { fetchpipe, clock };
}

function leaks(error: unknown): string[] {
  const found: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    for (const text of [e.message, e.stack ?? '', String(e), JSON.stringify(e)]) if (text.includes(KEY)) found.push(text);
  }
  return found;
}

describe('qbraid() traces (SPEC §9), against a real server', () => {
  it.each(['GET', 'POST'])('%s that always gets 503: 3 attempts, waits 0 and 1 s, then an error', async (method) => {
    const { fetchpipe, clock } = client();
    const error = await fetchpipe('jobs/503', method === 'GET' ? {} : { method, body: '{}' }).catch((e: unknown) => e);
    expect(server.requests).toHaveLength(3);
    expect(clock.waits).toEqual([0, 1000]);
    expect(error).toBeInstanceOf(MaxRetryError);
    expect(leaks(error)).toEqual([]);
  });
  it('a closed port: 2 attempts, then an error whose message holds no auth value', async () => {
    const port = await closedPort();
    let attempts = 0;
    const fetchpipe = createClient(
      qbraid({ baseUrl: `http://127.0.0.1:${port}/api`, authHeaders: { 'api-key': KEY }, clock: recordingClock() }),
      { fetch: (input, init) => (attempts++, fetch(input, init)) },
    );
    const error = await fetchpipe('devices').catch((e: unknown) => e);
    expect(attempts).toBe(2);
    expect(error).toBeInstanceOf(MaxRetryError);
    expect((error as MaxRetryError).reason).toBeInstanceOf(ConnectionError);
    expect(leaks(error)).toEqual([]);
  });
  it('PATCH 502: 1 attempt, raised with the server’s message, masked', async () => {
    const { fetchpipe } = client();
    const error = await fetchpipe('jobs/502', { method: 'PATCH', body: '{}' }).catch((e: unknown) => e);
    expect(server.requests).toHaveLength(1);
    expect(error).toBeInstanceOf(HTTPError);
    expect((error as HTTPError).message).toBe('failed with key ....');
    expect(leaks(error)).toEqual([]);
  });
  it('joins paths onto base_url as qBraid does (SPEC §5)', async () => {
    const { fetchpipe } = client();
    await fetchpipe('/users?x=1');
    // Climbing out of base_url is refused (issue #14: the path stays under the base's path).
    expect(await fetchpipe('../other').catch((e: unknown) => e)).toBeInstanceOf(InvalidURLError);
    await fetchpipe('//evil.example/x');
    expect(server.requests.map((r) => r.url)).toEqual(['/api/users?x=1', '/api/evil.example/x']);
  });
  it('sends headers and auth headers, auth winning a clash, and appends user agents', async () => {
    const { fetchpipe } = client({ headers: { 'api-key': 'default', accept: 'application/json' }, userAgents: ['qbraid-sdk/1.0', 'qbraid-sdk/1.0', 'extra/2'] });
    await fetchpipe('me', { headers: { 'user-agent': 'base/0' } });
    const sent = server.requests[0]!.headers;
    expect(sent['api-key']).toBe(KEY);
    expect(sent.accept).toBe('application/json');
    expect(sent['user-agent']).toBe('base/0 qbraid-sdk/1.0 extra/2');
  });
});

describe('qbraidErrorMessage', () => {
  const message = (body: string) => qbraidErrorMessage(new Response(body), undefined as never, '404 Client Error: Not Found for url: http://h/x');
  it.each([
    ['{"message":"Job not found"}', 'Job not found.'],
    ['{"error":{"message":"Quota exceeded."}}', 'Quota exceeded.'],
    ['{"error":"bad device..."}', 'bad device.'],
    ['{"message":42,"error":"fallback"}', 'fallback.'],
    ['plain text body', 'plain text body.'],
    ['', '404 Client Error: Not Found for url: http://h/x.'],
  ])('turns %j into %j', async (body, expected) => {
    expect(await message(body)).toBe(expected);
  });
});

describe('qbraid() options', () => {
  it.each([
    [{ retriesTotal: -1 }, 'qbraid: retriesTotal: expected a non-negative integer, received -1'],
    [{ retriesConnect: 'x' }, 'qbraid: retriesConnect: expected a non-negative integer, received a string of 1 character'],
    [{ backoffFactor: -0.5 }, 'qbraid: backoffFactor: expected a non-negative number of seconds, received -0.5'],
    [{ baseUrl: 5 }, 'qbraid: baseUrl: expected an absolute URL string, received 5'],
    [{ userAgents: 'ua' }, 'qbraid: userAgents: expected an array of user agent strings, received a string of 2 characters'],
    [{ authHeaders: { k: 'v\n' } }, 'qbraid: authHeaders.k: expected a header value without CR, LF or NUL, received a string of 2 characters'],
    [{ retries_total: 2 }, 'qbraid: retries_total: unknown option'],
  ])('names the option for %j', (options, expected) => {
    expect(() => qbraid(options as never)).toThrow(expected);
  });
});

describe('qbraid() follows redirects as requests does (issue #15), against real servers', () => {
  let api: LocalServer;
  let other: LocalServer;
  let answered = new Map<string, number>();
  beforeEach(async () => {
    answered = new Map();
    other = await startServer((req, res) => {
      const n = (answered.get(`other ${req.url}`) ?? 0) + 1;
      answered.set(`other ${req.url}`, n);
      res.writeHead(n === 1 ? 503 : 200).end('{}');
    });
    api = await startServer((req, res) => {
      const path = req.url!;
      const hop = /^\/api\/hop(\d)$/.exec(path);
      if (hop) return void res.writeHead(302, { location: Number(hop[1]) < 3 ? `/api/hop${Number(hop[1]) + 1}` : '/api/done' }).end();
      if (path === '/api/away') return void res.writeHead(307, { location: `${other.origin}/landed` }).end();
      res.end('{}');
    });
  });
  afterEach(async () => {
    await api.close();
    await other.close();
  });

  const client = () => createClient(qbraid({ baseUrl: `${api.origin}/api`, authHeaders: { 'api-key': KEY }, clock: recordingClock() }));

  it('three redirects with retriesTotal 2 end in the 200, as Python does', async () => {
    const response = await client()('hop0');
    expect(response.status).toBe(200);
    expect(api.requests.map((r) => r.url)).toEqual(['/api/hop0', '/api/hop1', '/api/hop2', '/api/hop3', '/api/done']);
  });

  it('after a 307 to another origin, the retry there re-sends the hop without api-key, with the body', async () => {
    const response = await client()('away', { method: 'POST', body: '{"job":1}', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(200);
    expect(other.requests.map((r) => [r.method, r.url, r.body.toString(), r.headers['api-key']])).toEqual([
      ['POST', '/landed', '{"job":1}', undefined],
      ['POST', '/landed', '{"job":1}', undefined],
    ]);
    expect(api.requests[0]!.headers['api-key']).toBe(KEY);
  });

  it('an Authorization among the default headers is stripped there too, and a retry does not add it back', async () => {
    const fetchpipe = createClient(
      qbraid({ baseUrl: `${api.origin}/api`, headers: { Authorization: 'Bearer default-t0ken' }, authHeaders: { 'api-key': KEY }, clock: recordingClock() }),
    );
    expect((await fetchpipe('away')).status).toBe(200);
    expect(api.requests[0]!.headers.authorization).toBe('Bearer default-t0ken');
    expect(other.requests.map((r) => [r.headers.authorization, r.headers['api-key']])).toEqual([
      [undefined, undefined],
      [undefined, undefined],
    ]);
  });

  it('MaxRetryError names the absolute URL attempted, for a path relative to the base', async () => {
    const port = await closedPort();
    const error = (await createClient(qbraid({ baseUrl: `http://127.0.0.1:${port}/api`, clock: recordingClock() }))('jobs').catch((e: unknown) => e)) as MaxRetryError;
    expect(error).toBeInstanceOf(MaxRetryError);
    expect(error.message.startsWith(`HTTPConnectionPool(host='127.0.0.1', port=${port}): Max retries exceeded with url: /api/jobs (Caused by ConnectionError(`)).toBe(true);
    expect(error.request!.url).toBe(`http://127.0.0.1:${port}/api/jobs`);
  });
});
