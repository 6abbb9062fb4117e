// ky on top, fetchpipe underneath: ky's ergonomics (prefix, json, hooks) with fetchpipe's
// retry, headers and masking. ky's own retry is turned off so that only one layer retries.
import fc from 'fast-check';
import ky from 'ky';
import { afterEach, describe, expect, it } from 'vitest';
import {
  authHeaders,
  backoff,
  createClient,
  headers,
  httpErrors,
  isConnectionError,
  isHTTPError,
  isInvalidURLError,
  isMaxRetryError,
  retry,
  userAgent,
} from '../src/index.ts';
import { recordingClock, sequence } from '../src/testing/index.ts';
import { closedPort, startServer, type LocalServer } from './support/server.ts';

const SECRET = 'Bearer s3cret-ky-token';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server that answers the given statuses in turn, then repeats the last one. */
async function statuses(...codes: number[]): Promise<LocalServer> {
  let call = 0;
  server = await startServer((_req, res) => {
    const code = codes[Math.min(call++, codes.length - 1)]!;
    res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify({ code }));
  });
  return server;
}

function everything(error: unknown): string {
  const parts: string[] = [];
  for (let e = error, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth++) {
    parts.push(e.message, e.stack ?? '', String(e), JSON.stringify(e));
  }
  return parts.join('\n');
}

describe('ky.create({ fetch: client })', () => {
  it("retries with fetchpipe's budget and backoff while ky's retry is off", async () => {
    const local = await statuses(503, 503, 200);
    const clock = recordingClock();
    const client = createClient([retry({ total: 3, statusForcelist: [503] }), backoff({ factor: 100, clock })]);
    const api = ky.create({ fetch: client, retry: 0 });
    expect(await api.get(local.url).json()).toEqual({ code: 200 });
    expect(local.requests).toHaveLength(3);
    expect(clock.waits).toEqual([0, 200]);
  });

  it('makes exactly the attempts fetchpipe allows, with no extra ones from ky', async () => {
    const local = await statuses(503);
    const client = createClient([retry({ total: 2, statusForcelist: [503] })]);
    const error = await ky.create({ fetch: client, retry: 0 }).get(local.url).catch((e: unknown) => e);
    expect(isMaxRetryError(error)).toBe(true);
    expect((error as Error).message).toContain('too many 503 error responses');
    expect(local.requests).toHaveLength(3);
  });

  it("joins ky's prefix with the input and sends fetchpipe's headers, auth and user agent", async () => {
    const local = await statuses(200);
    const client = createClient([retry(), headers({ 'X-Default': 'd', Accept: 'text/plain' }), authHeaders({ Authorization: SECRET }), userAgent('ky-app/1.0')]);
    const api = ky.create({ fetch: client, retry: 0, prefix: `${local.origin}/api/v1` });
    await api.get('/users/1', { searchParams: { full: 1 } }).json();
    const [seen] = local.requests;
    expect(seen!.url).toBe('/api/v1/users/1?full=1');
    expect(seen!.headers['x-default']).toBe('d');
    expect(seen!.headers.authorization).toBe(SECRET);
    expect(seen!.headers['user-agent']).toBe('ky-app/1.0');
    // ky's .json() sets Accept on the call, and a call's own header wins over defaults.
    expect(seen!.headers.accept).toBe('application/json');
  });

  it("resolves ky's baseUrl option in front of fetchpipe's retry", async () => {
    const local = await statuses(502, 200);
    const client = createClient([retry({ total: 1, statusForcelist: [502] })]);
    const api = ky.create({ fetch: client, retry: 0, baseUrl: `${local.origin}/api/` });
    expect((await api.get('items')).status).toBe(200);
    expect(local.requests.map((r) => r.url)).toEqual(['/api/items', '/api/items']);
  });

  it('replays a ky json body intact on every retry', async () => {
    const local = await statuses(503, 503, 201);
    const payload = { name: 'Zoë', tags: ['a', 'b'], nested: { n: 1.5, ok: true } };
    const client = createClient([retry({ total: 3, statusForcelist: [503], allowedMethods: null })]);
    const response = await ky.create({ fetch: client, retry: 0 }).post(local.url, { json: payload });
    expect(response.status).toBe(201);
    expect(local.requests).toHaveLength(3);
    for (const seen of local.requests) {
      expect(seen.method).toBe('POST');
      expect(seen.headers['content-type']).toBe('application/json');
      expect(JSON.parse(seen.body.toString('utf8'))).toEqual(payload);
    }
  });

  it('sends the same json bytes each time to a sequence() backend', async () => {
    const backend = sequence([503, 'connection-refused', { status: 200, json: { saved: true } }]);
    // qBraid's rule retries a POST on a forcelist status; a refused connection is retried for any method.
    const client = createClient([retry({ total: 3, statusForcelist: [503], postForcelist: true })], { fetch: backend });
    const body = await ky.create({ fetch: client, retry: 0 }).post('https://api.example.test/save', { json: { id: 7 } }).json();
    expect(body).toEqual({ saved: true });
    expect(backend.requests.map((r) => [r.method, r.headers['content-type'], r.body])).toEqual(
      Array.from({ length: 3 }, () => ['POST', 'application/json', '{"id":7}']),
    );
  });

  it('lets fetchpipe connection errors through ky with the auth value masked everywhere', async () => {
    const port = await closedPort();
    const client = createClient([retry({ total: 1 }), authHeaders({ Authorization: SECRET, 'X-Api-Key': 'k3y-v4lue' })]);
    const error = await ky.create({ fetch: client, retry: 0 }).get(`http://127.0.0.1:${port}/private`).catch((e: unknown) => e);
    expect(isMaxRetryError(error)).toBe(true);
    expect(isConnectionError((error as { reason: unknown }).reason)).toBe(true);
    const text = everything(error);
    expect(text).toContain(`127.0.0.1:${port}`);
    expect(text).not.toContain('s3cret-ky-token');
    expect(text).not.toContain('k3y-v4lue');
  });

  it('lets an HTTPError from httpErrors() through ky, masked, with the response kept', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'text/plain' }).end(`token ${SECRET} refused`);
    });
    const client = createClient([httpErrors({ message: (response) => response.text() }), authHeaders({ Authorization: SECRET })]);
    const error = await ky.create({ fetch: client, retry: 0 }).get(`${server.url}me`).catch((e: unknown) => e);
    expect(isHTTPError(error) && error.status).toBe(401);
    expect((error as Error).message).toBe('token ... refused');
    expect(everything(error)).not.toContain('s3cret-ky-token');
  });
});

describe('a relative URL that reaches fetch unresolved', () => {
  it("says to add baseUrl(), or under ky to use ky's prefix, for any relative input", async () => {
    await fc.assert(
      fc.asyncProperty(fc.webPath().filter((path) => path !== '' && !path.startsWith('//')), async (path) => {
        const client = createClient([retry({ total: 0 })], { fetch: sequence([200]) });
        const error = await client(path.replace(/^\/+/, '/')).catch((e: unknown) => e);
        expect(isInvalidURLError(error)).toBe(true);
        expect((error as Error).message).toContain('add baseUrl() to the middlewares');
        expect((error as Error).message).toContain("under ky, which builds a Request before fetchpipe sees the URL, use ky's prefix option");
      }),
      { numRuns: 50 },
    );
  });
});
