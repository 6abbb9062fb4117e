// Timeouts against real sockets: a read timeout bounds the wait for headers and each gap in
// the body, a connect timeout (Node) bounds a connection the server never accepts, a total
// deadline bounds retries and waits, and an attempt after a timeout starts with a fresh signal.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoff, createClient, retry, timeout } from '../../src/index.ts';
import { nodeTimeout } from '../../src/node.ts';
import { startFaultServer, startSlowAcceptServer, type FaultServer, type SlowAcceptServer } from './fault-server.ts';
import { outcome, pause } from './support.ts';

let server: FaultServer;
let slow: SlowAcceptServer | undefined;
beforeAll(async () => {
  server = await startFaultServer();
  slow = await startSlowAcceptServer(60_000);
});
afterAll(async () => {
  await server.close();
  await slow?.close();
});

describe('timeouts', () => {
  it('ends a wait for headers, or a gap in the body, with ReadTimeoutError soon after the read timeout', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 40, max: 120 }), fc.constantFrom('hang', 'trickle'), async (read, scenario) => {
        const key = `read-${++run}`;
        const client = createClient([timeout({ read })]);
        const started = performance.now();
        // A reference timer of the same length: on a loaded machine both fire late, and the
        // check is about what the library adds, not about how busy the CPU was.
        let referenceAt = Number.POSITIVE_INFINITY;
        const reference = setTimeout(() => (referenceAt = performance.now()), read);
        let error: unknown;
        try {
          const response = await client(server.url(scenario === 'hang' ? `/hang?key=${key}` : `/trickle?gap=${read * 3}&chunks=3&key=${key}`));
          await response.arrayBuffer();
        } catch (caught) {
          error = caught;
        }
        const endedAt = performance.now();
        clearTimeout(reference);
        expect(error).toMatchObject({ name: 'ReadTimeoutError' });
        expect(endedAt - started).toBeGreaterThanOrEqual(read - 2);
        expect(endedAt - Math.min(referenceAt, endedAt)).toBeLessThan(80);
        await pause(20);
        // The timed-out exchange is torn down, not left open on the server.
        expect(server.fates.get(server.attempts(key)[0]!.seq)).toBe('client-closed');
      }),
      { numRuns: 12 },
    );
  });

  it('lets a body that keeps arriving take longer than the read timeout in all', async () => {
    const client = createClient([timeout({ read: 100 })]);
    const started = performance.now();
    const response = await client(server.url('/trickle?gap=40&chunks=8&size=4'));
    expect((await response.arrayBuffer()).byteLength).toBe(32);
    expect(performance.now() - started).toBeGreaterThan(250);
  });

  it('retries a GET after a read timeout with a fresh signal, and lands on the next answer', async () => {
    const client = createClient([retry({ total: 2 }), backoff({ clock: { sleep: async () => {} } }), timeout({ read: 80 })]);
    const response = await client(server.url('/seq?key=fresh&steps=hang,ok'));
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect(server.attempts('fresh')).toHaveLength(2);
  });

  it('does not retry a POST after a read timeout (the server may have acted on it)', async () => {
    const client = createClient([retry({ total: 2 }), timeout({ read: 60 })]);
    const result = await outcome(() => client(server.url('/hang?key=post-read'), { method: 'POST', body: 'x' }));
    expect(result).toMatchObject({ kind: 'error', name: 'ReadTimeoutError' });
    expect(server.attempts('post-read')).toHaveLength(1);
  });

  it('ends retries and backoff waits at the total deadline with TotalTimeoutError', async () => {
    const client = createClient([retry({ total: 10, statusForcelist: [503] }), backoff({ factor: 100 }), timeout({ total: 500 })]);
    const result = await outcome(() => client(server.url('/503?key=deadline')));
    expect(result).toMatchObject({ kind: 'error', name: 'TotalTimeoutError' });
    expect(result.ms).toBeLessThan(600);
    // Waits 0, 200, 400 ms would pass 500 ms: backoff refuses the wait that cannot fit.
    expect(server.attempts('deadline').length).toBeLessThanOrEqual(3);
  });

  it('bounds a connection the server never accepts with ConnectTimeoutError on Node, retried for any method', async () => {
    if (!slow) return expect(process.platform).not.toBe('linux');
    const client = createClient([retry({ total: 1 }), backoff({ clock: { sleep: async () => {} } }), nodeTimeout([100, 5_000])]);
    const result = await outcome(() => client(`${slow!.origin}/`, { method: 'POST', body: 'x' }));
    expect(result).toMatchObject({ kind: 'error', name: 'MaxRetryError', error: { reason: { name: 'ConnectTimeoutError' } } });
    // undici checks its connect timers about twice a second, so each attempt may end up to ~1 s late.
    expect(result.ms).toBeLessThan(3_000);
  });
});
