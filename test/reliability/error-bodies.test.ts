// Error responses free their connections: httpErrors() reads at most 1 MiB of an error body
// before it throws, so a caught HTTPError pins neither a socket nor a pool() slot (issue #14
// §4). Against a real keep-alive server that counts the TCP connections it accepts and holds.
import fc from 'fast-check';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { backoff, createClient, httpErrors, isHTTPError, pool, retry, type HTTPError } from '../../src/index.ts';
import { qbraid } from '../../src/presets/index.ts';

interface CountingServer {
  readonly origin: string;
  /** Connections accepted so far. */
  opened(): number;
  /** Connections open right now. */
  open(): number;
  close(): Promise<void>;
}

/** `/<status>?size=n` answers that status with n bytes (keep-alive, Content-Length set). */
async function startCountingServer(): Promise<CountingServer> {
  const sockets = new Set<Socket>();
  let opened = 0;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const status = Number(url.pathname.slice(1)) || 200;
    const size = Number(url.searchParams.get('size') ?? 0);
    const body = size > 0 ? Buffer.alloc(size, 97) : Buffer.from(JSON.stringify({ message: `status ${status}` }));
    res.writeHead(status, { 'content-type': size > 0 ? 'text/plain' : 'application/json', 'content-length': body.length });
    res.end(body);
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket: Socket) => {
    opened++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    opened: () => opened,
    open: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** `promise`, or a failure naming `what` once `ms` pass: a hang must fail the test, not stall it. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not settle in ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Waits until the server has seen sockets close (undici closes a cancelled one a moment later). */
async function settled(server: CountingServer, atMost: number): Promise<number> {
  for (let i = 0; i < 100 && server.open() > atMost; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return server.open();
}

let server: CountingServer;
beforeAll(async () => {
  server = await startCountingServer();
});
afterAll(() => server.close());

const instant = { sleep: async () => {} };
// Small JSON bodies, one just under the 1 MiB the error keeps, and bodies larger than that.
const sizes = fc.constantFrom(0, 300, 64 * 1024, 1024 * 1024 - 1, 1024 * 1024 + 1, 3 * 1024 * 1024);

describe('error responses free their connections', () => {
  it('N error responses, then a success, through [httpErrors(), retry(), backoff(), pool({ block: true, maxsize: 2 })] never hang (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 8 }), fc.constantFrom(400, 404, 500, 503), sizes, async (n, status, size) => {
        const client = createClient([
          httpErrors(),
          retry({ total: 1, statusForcelist: [503] }),
          backoff({ clock: instant }),
          pool({ block: true, maxsize: 2 }),
        ]);
        const errors: unknown[] = [];
        for (let i = 0; i < n; i++) {
          errors.push(await within(client(`${server.origin}/${status}?size=${size}`).catch((e: unknown) => e), 5_000, `error call ${i + 1}`));
        }
        const response = await within(client(`${server.origin}/200`), 5_000, 'the call after the errors');
        expect(response.status).toBe(200);
        await response.arrayBuffer();
        // A 503 is retried once and then raised by retry() (MaxRetryError); the others by httpErrors().
        for (const error of errors) expect((error as Error).name).toBe(status === 503 ? 'MaxRetryError' : 'HTTPError');
        // The text stays available, up to the bound.
        const last = errors.at(-1);
        const whole = size > 0 ? size : JSON.stringify({ message: `status ${status}` }).length;
        if (isHTTPError(last)) expect((await last.response.arrayBuffer()).byteLength).toBe(Math.min(whole, 1024 * 1024));
      }),
      { numRuns: 25 },
    );
  }, 60_000);

  it('20 caught HTTPErrors with small bodies, all kept alive, use at most 2 sockets', async () => {
    const server = await startCountingServer();
    onTestFinished(() => server.close());
    const client = createClient([httpErrors()]);
    const before = server.opened();
    const errors: HTTPError[] = [];
    for (let i = 0; i < 20; i++) errors.push((await client(`${server.origin}/404`).catch((e: unknown) => e)) as HTTPError);
    expect(errors.every(isHTTPError)).toBe(true);
    expect(server.opened() - before).toBeLessThanOrEqual(2);
    expect(await settled(server, 2)).toBeLessThanOrEqual(2);
    expect(await errors[19]!.response.json()).toEqual({ message: 'status 404' });
  });

  it('20 caught HTTPErrors with bodies over 1 MiB hold at most 2 sockets open: the rest of each body is cancelled', async () => {
    const client = createClient([httpErrors()]);
    const errors: HTTPError[] = [];
    for (let i = 0; i < 20; i++) {
      errors.push((await client(`${server.origin}/500?size=${3 * 1024 * 1024}`).catch((e: unknown) => e)) as HTTPError);
      expect(await settled(server, 2)).toBeLessThanOrEqual(2);
    }
    expect(errors.every(isHTTPError)).toBe(true);
    expect((await errors[0]!.response.arrayBuffer()).byteLength).toBe(1024 * 1024);
  });

  it('the qbraid preset’s errors free their sockets too, and keep the server’s message', async () => {
    const server = await startCountingServer();
    onTestFinished(() => server.close());
    const client = createClient(qbraid({ baseUrl: server.origin, retriesTotal: 0 }));
    const before = server.opened();
    const errors: unknown[] = [];
    for (let i = 0; i < 20; i++) errors.push(await client('404').catch((e: unknown) => e));
    expect(errors.every(isHTTPError)).toBe(true);
    expect((errors[0] as Error).message).toBe('status 404.');
    expect(server.opened() - before).toBeLessThanOrEqual(2);
  });
});
