// openapi-fetch on top, fetchpipe underneath, through openapi-fetch's `fetch` option: it hands the
// client a Request (JSON body included), which fetchpipe retries and replays intact, against a
// real local server. The README's openapi-fetch recipe is this, type-checked and run.
import fc from 'fast-check';
import createFetchClient from 'openapi-fetch';
import { afterEach, describe, expect, it } from 'vitest';
import { authHeaders, backoff, createClient, retry } from '../src/index.ts';
import { recordingClock } from '../src/testing/index.ts';
import { startServer, type LocalServer } from './support/server.ts';

interface paths {
  '/items/{id}': {
    get: {
      parameters: { path: { id: number } };
      responses: { 200: { content: { 'application/json': { id: number } } } };
    };
  };
  '/items': {
    post: {
      requestBody: { content: { 'application/json': { name: string; tags: string[] } } };
      responses: { 201: { content: { 'application/json': { saved: boolean } } } };
    };
  };
}

const servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A server that answers the given statuses in turn (then repeats the last), with a JSON body on success. */
async function statuses(...codes: number[]): Promise<LocalServer> {
  let n = 0;
  const server = await startServer((req, res, body) => {
    const status = codes[Math.min(n++, codes.length - 1)]!;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(status < 300 ? (req.method === 'POST' ? JSON.stringify({ saved: JSON.parse(body.toString()).name !== '' }) : JSON.stringify({ id: Number(req.url!.split('/').pop()) })) : '{}');
  });
  servers.push(server);
  return server;
}

describe("openapi-fetch's fetch option", () => {
  it('retries a GET through fetchpipe and returns the typed data', async () => {
    const local = await statuses(503, 502, 200);
    const clock = recordingClock();
    const api = createFetchClient<paths>({
      baseUrl: `${local.origin}/v1`,
      fetch: createClient([retry({ statusForcelist: [502, 503] }), backoff({ factor: 100, clock }), authHeaders({ 'X-API-Key': 'k-1' })]),
    });
    const { data, response } = await api.GET('/items/{id}', { params: { path: { id: 42 } } });
    expect(response.status).toBe(200);
    expect(data).toEqual({ id: 42 });
    expect(local.requests.map((r) => r.url)).toEqual(['/v1/items/42', '/v1/items/42', '/v1/items/42']);
    expect(local.requests.every((r) => r.headers['x-api-key'] === 'k-1')).toBe(true);
    expect(clock.waits).toEqual([0, 200]);
  });

  it('replays any JSON body of a POST intact on every retry', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }), fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }), fc.integer({ min: 0, max: 3 }), async (name, tags, failures) => {
        const local = await statuses(...Array(failures).fill(503), 201);
        const api = createFetchClient<paths>({
          baseUrl: local.origin,
          fetch: createClient([retry({ total: 3, statusForcelist: [503], postForcelist: true }), backoff({ clock: recordingClock() })]),
        });
        const { data, response } = await api.POST('/items', { body: { name, tags } });
        expect(response.status).toBe(201);
        expect(data).toEqual({ saved: true });
        expect(local.requests).toHaveLength(failures + 1);
        for (const seen of local.requests) {
          expect(seen.headers['content-type']).toBe('application/json');
          expect(JSON.parse(seen.body.toString('utf8'))).toEqual({ name, tags });
        }
      }),
      { numRuns: 15 },
    );
  });
});
