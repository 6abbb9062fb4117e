// MaxRetryError names the URL actually attempted, absolute and masked, in urllib3's words,
// whatever the order of retry() and baseUrl() (issue #15).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MaxRetryError, authHeaders, baseUrl, createClient, retry } from '../../src/index.ts';
import { sequence } from '../../src/testing/index.ts';
import { maxRetriesMessage } from '../../src/middleware/retry/attempted-url.ts';
import { closedPort, startServer, type LocalServer } from '../support/server.ts';

let server: LocalServer;
beforeAll(async () => {
  server = await startServer((_req, res) => void res.writeHead(503).end());
});
afterAll(() => server.close());

describe('MaxRetryError names the attempted URL', () => {
  it.each([
    ['retry() outside baseUrl()', () => [retry({ total: 1, statusForcelist: [503] }), baseUrl(`${server.origin}/api`)]],
    ['baseUrl() outside retry()', () => [baseUrl(`${server.origin}/api`), retry({ total: 1, statusForcelist: [503] })]],
  ])('on statuses, %s', async (_order, middlewares) => {
    const error = (await createClient(middlewares())('jobs?page=2').catch((e: unknown) => e)) as MaxRetryError;
    expect(error).toBeInstanceOf(MaxRetryError);
    expect(error.message).toBe(
      `HTTPConnectionPool(host='127.0.0.1', port=${server.port}): Max retries exceeded with url: /api/jobs?page=2 (Caused by ResponseError('too many 503 error responses'))`,
    );
    expect(error.request).toEqual({ method: 'GET', url: `${server.origin}/api/jobs?page=2` });
  });

  it.each(['retry() outside baseUrl()', 'baseUrl() outside retry()'])('on connection errors, %s', async (order) => {
    const port = await closedPort();
    const base = baseUrl(`http://127.0.0.1:${port}/api/`);
    const policy = retry({ total: 1 });
    const error = (await createClient(order.startsWith('retry') ? [policy, base] : [base, policy])('/devices').catch((e: unknown) => e)) as MaxRetryError;
    expect(error).toBeInstanceOf(MaxRetryError);
    expect(error.message).toMatch(new RegExp(`^HTTPConnectionPool\\(host='127\\.0\\.0\\.1', port=${port}\\): Max retries exceeded with url: /api/devices \\(Caused by ConnectionError\\('Cannot connect for GET http://127\\.0\\.0\\.1:${port}/api/devices \\(ECONNREFUSED\\)'\\)\\)$`));
    expect(error.request!.url).toBe(`http://127.0.0.1:${port}/api/devices`);
  });

  it('masks what is secret in it, for any path and masked query value', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[a-z0-9/-]{0,12}$/), fc.stringMatching(/^[A-Za-z0-9]{6,16}$/), async (path, secret) => {
        const client = createClient(
          [retry({ total: 0, statusForcelist: [503] }), baseUrl('https://api.example.test/v1'), authHeaders({ 'X-API-Key': `key-${secret}` }, { maskQueryParams: ['token'] })],
          { fetch: sequence([503]) },
        );
        const error = (await client(`${path}?token=${secret}`).catch((e: unknown) => e)) as MaxRetryError;
        expect(error.message.startsWith("HTTPSConnectionPool(host='api.example.test', port=443): Max retries exceeded with url: /v1/")).toBe(true);
        expect(error.message).toContain('token=...');
        expect(error.message).not.toContain(secret);
        expect(error.request!.url).toBe(`https://api.example.test/v1/${path.replace(/^\/+/, '')}?token=...`);
      }),
      { numRuns: 100 },
    );
  });

  it('names an explicit port, IPv6 hosts without brackets, and a URL it cannot parse as it is', () => {
    const reason = new Error('x');
    expect(maxRetriesMessage('https://h:8443/a?b#c', reason)).toBe("HTTPSConnectionPool(host='h', port=8443): Max retries exceeded with url: /a?b (Caused by Error('x'))");
    expect(maxRetriesMessage('http://[::1]/', reason)).toBe("HTTPConnectionPool(host='::1', port=80): Max retries exceeded with url: / (Caused by Error('x'))");
    expect(maxRetriesMessage('jobs', 'gone')).toBe("Max retries exceeded with url: jobs (Caused by 'gone')");
  });
});
