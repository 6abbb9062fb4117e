// An abort in every phase of a call settles within 50 ms with the caller's own reason (issue
// #14 §6): while a Request input's stream body is buffered, while httpErrors() or the qbraid
// preset reads an error body, while a message extractor runs, in a backoff wait, in a pool
// queue, during fetch, and while a body is read through timeout(). Real sockets on 127.0.0.1.
import fc from 'fast-check';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoff, createClient, httpErrors, pool, realClock, retry, timeout, type FetchFunction } from '../../src/index.ts';
import { qbraid } from '../../src/presets/index.ts';

const PHASES = [
  'request-body',
  'request-body-init-signal',
  'error-body',
  'qbraid-error-body',
  'error-message',
  'backoff',
  'pool-queue',
  'fetch',
  'body-through-timeout',
] as const;
type Phase = (typeof PHASES)[number];
const REASONS = ['none', 'error', 'string', 'object'] as const;

let origin = '';
let server: Server;
const sockets = new Set<Socket>();
beforeAll(async () => {
  // /hang never answers; /slow-error and /trickle send their head and a first chunk, then stall.
  server = createServer((req, res) => {
    req.resume();
    const [path, query] = (req.url ?? '/').split('?');
    if (path === '/hang') return;
    if (path === '/slow-error') {
      res.writeHead(Number(new URLSearchParams(query).get('status') ?? 500), { 'content-type': 'application/json' });
      res.write('{"message":"partial');
      return;
    }
    if (path === '/trickle') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first chunk');
      return;
    }
    if (path === '/503') return void res.writeHead(503, { 'content-length': 4 }).end('busy');
    if (path === '/500') return void res.writeHead(500, { 'content-length': 4 }).end('oops');
    res.writeHead(200, { 'content-length': 2 }).end('ok');
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
);

function reasonFor(kind: (typeof REASONS)[number]): unknown {
  if (kind === 'error') return new Error('caller gave up');
  if (kind === 'string') return 'caller gave up';
  if (kind === 'object') return { why: 'caller gave up' };
  return undefined;
}

/** A stream body that sends one chunk and then never ends. */
function stalledStream(): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('part of the body'));
    },
  });
}

/**
 * Starts the call of `phase` with `signal`; resolves `reached` once the phase is under way.
 * Returns the promise that must settle after the abort (the call, or the body read).
 */
function start(phase: Phase, signal: AbortSignal, reached: () => void): Promise<unknown> {
  const noting = (fetch: FetchFunction = globalThis.fetch): FetchFunction => (input, init) => {
    const pending = fetch(input, init);
    reached();
    return pending;
  };
  switch (phase) {
    case 'request-body':
    case 'request-body-init-signal': {
      const client = createClient([]);
      const own = phase === 'request-body';
      const request = new Request(`${origin}/ok`, { method: 'POST', body: stalledStream(), duplex: 'half', ...(own ? { signal } : {}) } as RequestInit);
      const call = client(request, own ? undefined : { signal });
      // The body never ends, so the call stays in the buffering phase: it is reached at once.
      reached();
      return call;
    }
    case 'error-body':
      return createClient([httpErrors()], { fetch: noting() })(`${origin}/slow-error`, { signal });
    case 'qbraid-error-body':
      return createClient(qbraid({ baseUrl: origin, retriesTotal: 0 }), { fetch: noting() })('slow-error?status=400', { signal });
    case 'error-message': {
      const message = () => (reached(), new Promise<string>(() => {}));
      return createClient([httpErrors({ message })])(`${origin}/500`, { signal });
    }
    case 'backoff': {
      // The real clock's sleep, noting that the wait began.
      const sleepy = { sleep: (ms: number, s?: AbortSignal) => (reached(), realClock.sleep(ms, s)) };
      return createClient([retry({ total: 3, statusForcelist: [503] }), backoff({ factor: 10_000, clock: sleepy })])(`${origin}/503`, { signal });
    }
    case 'pool-queue': {
      const client = createClient([pool({ block: true, maxsize: 1 })], {
        onEvent: (event) => void (event.type === 'pool-wait' && reached()),
      });
      const holder = new AbortController();
      void client(`${origin}/hang`, { signal: holder.signal }).catch(() => {});
      return client(`${origin}/hang`, { signal }).finally(() => holder.abort());
    }
    case 'fetch':
      return createClient([], { fetch: noting() })(`${origin}/hang`, { signal });
    case 'body-through-timeout':
      return createClient([timeout({ read: 10_000 })])(`${origin}/trickle`, { signal }).then((response) => {
        reached();
        return response.text();
      });
  }
}

describe('abort in every phase', () => {
  it('settles within 50 ms with the caller’s own reason, in every phase (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PHASES), fc.constantFrom(...REASONS), fc.integer({ min: 0, max: 30 }), async (phase, kind, delayMs) => {
        const controller = new AbortController();
        let reached = () => {};
        const inPhase = new Promise<void>((resolve) => (reached = resolve));
        const settled = start(phase, controller.signal, reached).then(
          () => ({ resolved: true as const }),
          (error: unknown) => ({ resolved: false as const, error }),
        );
        await inPhase;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        const abortedAt = performance.now();
        let lag = 0;
        setTimeout(() => (lag = performance.now() - abortedAt), 0);
        controller.abort(reasonFor(kind));
        const result = await settled;
        const settleMs = performance.now() - abortedAt;
        expect(result.resolved, `${phase}: the call resolved`).toBe(false);
        expect(Object.is((result as { error: unknown }).error, controller.signal.reason), `${phase}: ${String((result as { error: unknown }).error)}`).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 0));
        expect(settleMs - lag, phase).toBeLessThan(50);
      }),
      { numRuns: 80 },
    );
  }, 60_000);
});
