import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, createClient, explain, redirect, retry } from '../../../src/index.ts';
import { idempotencyKey } from '../../../src/middleware/idempotency-key/index.ts';
import { sequence } from '../../../src/testing/index.ts';
import { resettingServer, startServer, type LocalServer } from '../../support/server.ts';

describe('idempotencyKey options', () => {
  it('refuses bad options, naming each', () => {
    expect(() => idempotencyKey({ header: 'bad header' })).toThrow('idempotencyKey: header: expected a valid header name (RFC 9110 token), received "bad header"');
    expect(() => idempotencyKey({ methods: ['POST', 1 as never] })).toThrow('idempotencyKey: methods.1: expected a method name, received 1');
    expect(() => idempotencyKey({ generate: 'x' as never })).toThrow('idempotencyKey: generate: expected a function, received "x"');
    expect(() => idempotencyKey({ retryKeyed: 1 as never })).toThrow('idempotencyKey: retryKeyed: expected true or false, received 1');
    expect(() => idempotencyKey({ key: 'x' } as never)).toThrow('idempotencyKey: key: unknown option');
  });

  it('fails the call with a ConfigError naming generate when it makes an unusable key', async () => {
    const client = createClient([idempotencyKey({ generate: () => 'two words' })], { fetch: sequence([200]) });
    const error = await client('https://api.test/x', { method: 'POST' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe('idempotencyKey: generate: expected it to return printable ASCII with no spaces (a header value)');
  });

  it('shows itself in explain()', () => {
    expect(explain([idempotencyKey()]).order[0]).toEqual({
      name: 'idempotencyKey',
      options: { header: 'Idempotency-Key', methods: ['POST', 'PATCH'], retryKeyed: false, customGenerate: false },
    });
  });
});

describe('idempotencyKey on a real socket', () => {
  let server: LocalServer;
  let failuresLeft = 0;
  beforeAll(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/moved') {
        res.writeHead(307, { location: '/landed' });
        return void res.end();
      }
      if (failuresLeft > 0) {
        failuresLeft--;
        res.statusCode = 503;
        return void res.end();
      }
      res.end('ok');
    });
  });
  afterAll(() => server.close());

  it('sends the same key on every attempt and redirect hop of a call, and a new key per call', async () => {
    failuresLeft = 2;
    const client = createClient([idempotencyKey({ retryKeyed: true }), retry({ total: 3, statusForcelist: [503] }), redirect()]);
    const before = server.requests.length;
    expect((await client(`${server.origin}/moved`, { method: 'POST', body: 'charge' })).status).toBe(200);
    const first = server.requests.slice(before).map((r) => r.headers['idempotency-key']);
    // The 307, then the landing page: 503, 503 (retry() re-sends the last hop), 200. Four requests, one key.
    expect(server.requests.slice(before).map((r) => r.url)).toEqual(['/moved', '/landed', '/landed', '/landed']);
    expect(new Set(first).size).toBe(1);
    expect(first[0]).toMatch(/^[0-9a-f-]{36}$/);
    await client(`${server.origin}/again`, { method: 'POST' });
    expect(server.requests.at(-1)!.headers['idempotency-key']).not.toBe(first[0]);
  });

  it('leaves a POST unretried on a 503 unless retryKeyed is set, as retry() treats POST', async () => {
    failuresLeft = 1;
    const plain = createClient([idempotencyKey(), retry({ total: 3, statusForcelist: [503] })]);
    expect((await plain(`${server.origin}/x`, { method: 'POST' }).catch((e: unknown) => e))).toBeDefined();
    const before = server.requests.length;
    failuresLeft = 1;
    const keyed = createClient([idempotencyKey({ retryKeyed: true }), retry({ total: 3, statusForcelist: [503] })]);
    expect((await keyed(`${server.origin}/x`, { method: 'POST' })).status).toBe(200);
    expect(server.requests.length - before).toBe(2);
  });

  it('makes a keyed POST retryable after a read error (a reset after sending) when opted in', async () => {
    const resetting = await resettingServer();
    try {
      const plain = createClient([idempotencyKey(), retry({ total: 2 })]);
      await plain(`${resetting.origin}/x`, { method: 'POST', body: 'a' }).catch(() => {});
      expect(resetting.connections()).toBe(1);
      const keyed = createClient([idempotencyKey({ retryKeyed: true }), retry({ total: 2 })]);
      await keyed(`${resetting.origin}/x`, { method: 'POST', body: 'a' }).catch(() => {});
      expect(resetting.connections()).toBe(4);
    } finally {
      await resetting.close();
    }
  });

  it('keys only the listed methods, and keeps a key the caller set', async () => {
    const backend = sequence([200]);
    const client = createClient([idempotencyKey()], { fetch: backend });
    await client('https://api.test/x');
    await client('https://api.test/x', { method: 'PUT' });
    await client('https://api.test/x', { method: 'post', headers: { 'Idempotency-Key': 'mine-1' } });
    expect(backend.requests.map((r) => r.headers['idempotency-key'])).toEqual([undefined, undefined, 'mine-1']);
  });

  it('gives every call its own key, for any number of calls and methods', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('POST', 'PATCH', 'patch', 'GET'), { minLength: 1, maxLength: 20 }), async (methods) => {
        const backend = sequence([200]);
        const client = createClient([idempotencyKey()], { fetch: backend });
        await Promise.all(methods.map((method) => client('https://api.test/x', { method })));
        const keys = backend.requests.map((r) => r.headers['idempotency-key']).filter((k) => k !== undefined);
        expect(keys).toHaveLength(methods.filter((m) => m.toUpperCase() !== 'GET').length);
        expect(new Set(keys).size).toBe(keys.length);
      }),
    );
  });
});
