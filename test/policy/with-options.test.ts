import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ky from 'ky';
import { ConfigError, MaxRetryError, ReadTimeoutError, backoff, createClient, retry, timeout, type FetchFunction } from '../../src/index.ts';
import { withOptions } from '../../src/policy/index.ts';
import { recordingClock, sequence } from '../../src/testing/index.ts';
import { startServer, type LocalServer } from '../support/server.ts';

describe('withOptions validation', () => {
  const client = createClient([retry()]);
  it('refuses bad overrides at once, naming the middleware and the option', () => {
    expect(() => withOptions(client, { retry: { total: -1 } })).toThrow('withOptions: retry.total: expected a non-negative integer, false or null, received -1');
    expect(() => withOptions(client, { retry: { totl: 0 } as never })).toThrow('withOptions: retry.totl: unknown option');
    expect(() => withOptions(client, { timeout: { read: 0 } })).toThrow(ConfigError);
    expect(() => withOptions(client, { pool: {} } as never)).toThrow('withOptions: pool: unknown option');
    expect(() => withOptions(client, { retry: 3 } as never)).toThrow('withOptions: retry: expected an object of retry() options, received 3');
    expect(() => withOptions(null as never, {})).toThrow('withOptions: client: expected a client (a fetch function), received null');
    try {
      withOptions(client, { backoff: { factor: -5 } });
    } catch (error) {
      expect(error).toMatchObject({ name: 'ConfigError', option: 'backoff.factor' });
    }
  });
});

describe('withOptions on a real socket', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startServer(async (req, res) => {
      if (req.url === '/slow') await new Promise((r) => setTimeout(r, 150));
      res.statusCode = req.url === '/down' ? 503 : 200;
      res.end('x');
    });
  });
  afterAll(() => server.close());

  it('turns retries off for one non-idempotent call, and leaves the client as it was', async () => {
    const client = createClient([retry({ total: 3, statusForcelist: [503], allowedMethods: null })]);
    const once = withOptions(client, { retry: { total: 0 } });
    let before = server.requests.length;
    await expect(once(`${server.origin}/down`, { method: 'POST' })).rejects.toBeInstanceOf(MaxRetryError);
    expect(server.requests.length - before).toBe(1);
    before = server.requests.length;
    await expect(client(`${server.origin}/down`, { method: 'POST' })).rejects.toBeInstanceOf(MaxRetryError);
    expect(server.requests.length - before).toBe(4);
  });

  it('gives one upload a longer read timeout', async () => {
    const client = createClient([timeout({ read: 50 })]);
    await expect(client(`${server.origin}/slow`)).rejects.toBeInstanceOf(ReadTimeoutError);
    const upload = withOptions(client, { timeout: { read: 2_000 } });
    expect((await upload(`${server.origin}/slow`, { method: 'PUT', body: 'big' })).status).toBe(200);
  });

  it('adds a limit to a client whose timeout() has none', async () => {
    const client = createClient([timeout(null)]);
    await expect(withOptions(client, { timeout: { read: 30 } })(`${server.origin}/slow`)).rejects.toBeInstanceOf(ReadTimeoutError);
  });

  it('works under ky, which takes it as its fetch', async () => {
    const client = createClient([retry({ total: 3, statusForcelist: [503] })]);
    const before = server.requests.length;
    const api = ky.create({ fetch: withOptions(client, { retry: { total: 1 } }), retry: 0, throwHttpErrors: false });
    await api.get(`${server.origin}/down`).catch(() => {});
    expect(server.requests.length - before).toBe(2);
  });
});

describe('withOptions semantics', () => {
  it('merges nested policies, the outer wrapper winning, field by field', async () => {
    const clock = recordingClock();
    const client = createClient([retry({ total: 5, statusForcelist: [503] }), backoff({ factor: 100, clock })], { fetch: sequence([503]) });
    const outer = withOptions(withOptions(client, { retry: { total: 1 }, backoff: { factor: 10 } }), { retry: { total: 3 } });
    await outer('https://api.test/x').catch(() => {});
    expect(clock.waits).toEqual([0, 20, 40]);
  });

  it('keeps fetch\'s signature, so it types and runs wherever a fetch goes', async () => {
    const f: FetchFunction = withOptions(createClient([retry()], { fetch: sequence([200]) }), { retry: { total: 0 } });
    expect((await f(new URL('https://api.test/x'))).status).toBe(200);
    expect((await f(new Request('https://api.test/x', { method: 'POST', body: 'b' }))).status).toBe(200);
  });

  it('makes exactly total + 1 attempts for any override of total, while the client keeps its own', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), async (own, override) => {
        const backend = sequence([503]);
        const client = createClient([retry({ total: own, statusForcelist: [503], raiseOnStatus: false })], { fetch: backend });
        await withOptions(client, { retry: { total: override } })('https://api.test/x');
        expect(backend.calls).toBe(override + 1);
        await client('https://api.test/x');
        expect(backend.calls).toBe(override + 1 + own + 1);
      }),
    );
  });
});
