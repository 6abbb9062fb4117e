// Connections: the body of every response retry() or redirect() throws away is cancelled or
// drained, never left open holding a socket; under repeated 503s the server sees keep-alive
// connections reused rather than a new one per attempt.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { backoff, createClient, pool, redirect, retry, timeout } from '../../src/index.ts';
import { LARGE_BODY_BYTES, startFaultServer, type FaultServer } from './fault-server.ts';
import { outcome, pause } from './support.ts';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());

const instant = { sleep: async () => {} };

describe('connections', () => {
  it('reuses keep-alive connections under repeated 503s instead of opening one per attempt', async () => {
    const client = createClient([retry({ total: 9, statusForcelist: [503], raiseOnStatus: false }), backoff({ clock: instant })]);
    const before = server.connections();
    for (let call = 0; call < 5; call++) {
      const response = await client(server.url(`/503?key=reuse-${call}`));
      expect(response.status).toBe(503);
      await response.arrayBuffer();
    }
    const requests = [0, 1, 2, 3, 4].flatMap((call) => server.attempts(`reuse-${call}`));
    expect(requests).toHaveLength(50);
    const opened = server.connections() - before;
    expect(new Set(requests.map((r) => r.connection)).size).toBe(opened);
    // One connection carries them all when calls run one after the other; a little slack for a closed idle one.
    expect(opened).toBeLessThanOrEqual(2);
  });

  it('keeps the connections bounded by the concurrency, not by the attempts, when calls run in parallel', async () => {
    const client = createClient([retry({ total: 5, statusForcelist: [503], raiseOnStatus: false }), backoff({ clock: instant })]);
    const round = async (name: string): Promise<number> => {
      const before = server.connections();
      await Promise.all(
        Array.from({ length: 8 }, async (_, call) => {
          const response = await client(server.url(`/503?key=${name}-${call}`));
          await response.arrayBuffer();
        }),
      );
      return server.connections() - before;
    };
    // 48 attempts a round. undici hands a socket back a moment after a body ends, so a retry
    // sent at once may open another: the pool grows to about twice the concurrency over the
    // first rounds (the same with plain fetch, and whether bodies are cancelled or drained), then stops.
    const opened = [];
    for (let i = 0; i < 4; i++) opened.push(await round(`parallel-${i}`));
    expect(opened.reduce((a, b) => a + b)).toBeLessThanOrEqual(16);
    expect(opened.slice(2)).toEqual([0, 0]);
  });

  it('cancels the large body of every 503 it retries, so no response stays open on the server', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.constantFrom(256 * 1024, 2 * 1024 * 1024), async (failures, size) => {
        server.reset();
        const steps = [...Array.from({ length: failures }, () => `503~size=${size}`), 'ok'].join(',');
        const client = createClient([retry({ total: 5, statusForcelist: [503] }), backoff({ clock: instant })]);
        const response = await client(server.url(`/seq?key=cancel&steps=${steps}`));
        expect(response.status).toBe(200);
        await response.arrayBuffer();
        await pause(30);
        const fates = server.attempts('cancel').map((r) => server.fates.get(r.seq));
        expect(fates.slice(0, failures)).not.toContain('open');
        expect(fates.at(-1)).toBe('finished');
      }),
      { numRuns: 8 },
    );
  });

  it('cancels the large body of the last 503 when retries run out and it throws MaxRetryError', async () => {
    const client = createClient([retry({ total: 2, statusForcelist: [503] }), backoff({ clock: instant })]);
    const result = await outcome(() => client(server.url(`/503?key=exhaust&size=${2 * 1024 * 1024}`)));
    expect(result).toMatchObject({ kind: 'error', name: 'MaxRetryError' });
    await pause(30);
    expect(server.attempts('exhaust').map((r) => server.fates.get(r.seq))).not.toContain('open');
  });

  it('cancels the large body of every redirect it follows', async () => {
    const client = createClient([redirect()]);
    const response = await client(server.url(`/status?code=307&size=1048576&location=${encodeURIComponent('/ok?key=landed')}&key=hops`));
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    await pause(30);
    expect(server.attempts('landed')).toHaveLength(1);
    expect(server.fates.get(server.attempts('hops')[0]!.seq)).not.toBe('open');
  });

  it('frees the pool slot of each discarded 503, so a pool of one never deadlocks on retries', async () => {
    const client = createClient([
      retry({ total: 3, statusForcelist: [503] }),
      backoff({ clock: instant }),
      pool({ block: true, maxsize: 1, poolTimeout: 2_000 }),
    ]);
    // Each caller reads its own body, which frees its slot, as pool() asks.
    const statuses = await Promise.all(
      Array.from({ length: 4 }, async (_, call) => {
        const response = await client(server.url(`/seq?key=slot-${call}&steps=503~size=262144,503,ok`));
        await response.arrayBuffer();
        return response.status;
      }),
    );
    expect(statuses).toEqual([200, 200, 200, 200]);
  });

  it('delivers a 16 MiB body and a chunked body intact through the timeout() and pool() body wrappers', async () => {
    const client = createClient([retry(), timeout({ read: 5_000 }), pool({ block: true, maxsize: 1 })]);
    const plain = await (await fetch(server.url('/large'))).arrayBuffer();
    const wrapped = await (await client(server.url('/large'))).arrayBuffer();
    expect(wrapped.byteLength).toBe(LARGE_BODY_BYTES);
    const digest = (bytes: ArrayBuffer): string => createHash('sha256').update(new Uint8Array(bytes)).digest('hex');
    expect(digest(wrapped)).toBe(digest(plain));
    const chunked = await (await client(server.url('/chunked?chunks=64&size=4096'))).arrayBuffer();
    expect(chunked.byteLength).toBe(64 * 4096);
  });

  it('frees the pool slot of a body that breaks mid-way (a reset, a short Content-Length), and fails its read', async () => {
    const client = createClient([retry(), timeout({ read: 2_000 }), pool({ block: true, maxsize: 1, poolTimeout: 1_000 })]);
    for (const path of ['/reset-mid-body', '/bad-length']) {
      const response = await client(server.url(path));
      expect(response.status).toBe(200);
      await expect(response.arrayBuffer()).rejects.toThrow(TypeError);
    }
    // With one slot, this would time out in the pool had a broken body kept it.
    const next = await client(server.url('/ok'));
    expect(await next.text()).toBe('ok');
  });
});
