// A fault-injection HTTP server for the reliability suite: real sockets on 127.0.0.1, a random
// port, one scenario per request chosen by its path, and a record of every request (body
// byte-exact), every connection and how every response ended. It stops by itself after an idle
// spell or its lifetime (both timers unref'd), and on close().
//
// Paths (query parameters in brackets):
//   /ok [size]                 200 with `size` bytes (default "ok")
//   /status [code, retry-after, size, location]   any status
//   /503, /429, /413 [retry-after, size] that status; Retry-After sent verbatim when given
//   /reset-before              reads the request, then resets the connection (RST) before any byte
//   /reset-mid-body [size]     sends headers and half of a `size`-byte body, then resets
//   /hang                      reads the request and never answers (until close)
//   /trickle [gap, chunks, size]  200, then one `size`-byte chunk every `gap` ms
//   /chunked [chunks, size]    200 with Transfer-Encoding: chunked
//   /large                     200 with 16 MiB
//   /bad-length                Content-Length: 1000 but 10 bytes, then the connection closes
//   /loop                      302 to itself
//   /cross [to]                302 to the peer server (another port) at `to` (default /ok)
//   /redirect [location, status]  a raw Location header, sent byte for byte
//   /seq [key, steps]          attempt n of `key` plays steps[n] (the last step repeats);
//                              a step is a path name with `~name=value` parameters: `503~retry-after=1`
//   /random [key, p503, preset]  503 or reset at random (seeded), else 200
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';

export const LARGE_BODY_BYTES = 16 * 1024 * 1024;

export interface RecordedRequest {
  readonly seq: number;
  readonly method: string;
  /** Path and query, as received. */
  readonly url: string;
  readonly pathname: string;
  /** The `key` query parameter, which groups the attempts of one logical request. */
  readonly key: string | null;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
  /** Which TCP connection carried it (1, 2, … in accept order). */
  readonly connection: number;
  /** What the scenario played (for /seq and /random, the step chosen). */
  readonly scenario: string;
}

/** How a response ended: fully written, cut because the client went away, still open, or cut by the scenario. */
export type ResponseFate = 'finished' | 'client-closed' | 'open' | 'faulted';

export interface Endpoint {
  readonly origin: string;
  readonly port: number;
  url(path: string): string;
  readonly requests: RecordedRequest[];
  /** TCP connections accepted so far. */
  connections(): number;
  /** The attempts of one logical request (its `key` parameter), in order. */
  attempts(key: string): RecordedRequest[];
  /** The fate of each response sent, by request `seq`. */
  readonly fates: Map<number, ResponseFate>;
}

export interface FaultServer extends Endpoint {
  /** A second server on another port (the target of /cross), recording what it receives. */
  readonly peer: Endpoint;
  /** An origin whose port is closed: connecting is refused. */
  readonly refusedOrigin: string;
  /** Forget every record (between property runs). */
  reset(): void;
  close(): Promise<void>;
}

export interface FaultServerOptions {
  /** Close after this long without a connection or request, in milliseconds. @default 30_000 */
  idleMs?: number;
  /** Close after this long whatever happens, in milliseconds. @default 300_000 */
  lifetimeMs?: number;
  /** Seed of /random. @default 1 */
  seed?: number;
}

type Params = URLSearchParams;
/** Plays one scenario; returns the name of the one it chose, when it chose among several. */
type Scenario = (req: IncomingMessage, res: ServerResponse, params: Params, rec: Recorder) => string | void;

interface Recorder {
  readonly peerOrigin: () => string;
  readonly timers: Set<NodeJS.Timeout>;
  readonly random: () => number;
  readonly fates: Map<number, ResponseFate>;
}

function int(params: Params, name: string, fallback: number): number {
  const value = params.get(name);
  return value === null || value === '' ? fallback : Number(value);
}

function filler(size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) out[i] = 97 + (i % 26);
  return out;
}

const LARGE = filler(LARGE_BODY_BYTES);

/** Writes a whole response straight to the socket, bypassing Node's header validation, then closes. */
function raw(res: ServerResponse, head: string, body = ''): void {
  const socket = res.socket!;
  socket.end(`${head}\r\nConnection: close\r\n\r\n${body}`);
}

function status(code: number, res: ServerResponse, params: Params): void {
  const retryAfter = params.get('retry-after');
  const size = int(params, 'size', 0);
  const body = size > 0 ? filler(size) : Buffer.from(`status ${code}`);
  const headers: Record<string, string | number> = { 'content-type': 'text/plain', 'content-length': body.length };
  if (retryAfter !== null) headers['retry-after'] = retryAfter;
  const location = params.get('location');
  if (location !== null) headers.location = location;
  res.writeHead(code, headers);
  res.end(body);
}

function reset(res: ServerResponse): void {
  res.socket?.resetAndDestroy();
}

const SCENARIOS: Record<string, Scenario> = {
  ok: (_req, res, params) => {
    const size = int(params, 'size', 0);
    const body = size > 0 ? filler(size) : Buffer.from('ok');
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
    res.end(body);
  },
  status: (_req, res, params) => status(int(params, 'code', 200), res, params),
  '503': (_req, res, params) => status(503, res, params),
  '429': (_req, res, params) => status(429, res, params),
  '413': (_req, res, params) => status(413, res, params),
  '500': (_req, res, params) => status(500, res, params),
  '502': (_req, res, params) => status(502, res, params),
  'reset-before': (_req, res) => reset(res),
  'reset-mid-body': (_req, res, params) => {
    const size = int(params, 'size', 65_536);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
    // Flushed first, so the client has headers and part of the body when the reset lands.
    res.write(filler(Math.floor(size / 2)), () => {
      const timer = setTimeout(() => reset(res), 20);
      timer.unref();
    });
  },
  hang: () => {
    // Never answers; close() destroys the socket.
  },
  trickle: (_req, res, params, rec) => {
    const gap = int(params, 'gap', 100);
    const chunks = int(params, 'chunks', 10);
    const chunk = filler(int(params, 'size', 16));
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': chunk.length * chunks });
    let sent = 0;
    const tick = (): void => {
      if (res.destroyed) return;
      res.write(chunk);
      if (++sent === chunks) return void res.end();
      const timer = setTimeout(() => {
        rec.timers.delete(timer);
        tick();
      }, gap);
      rec.timers.add(timer);
    };
    tick();
  },
  chunked: (_req, res, params) => {
    const chunks = int(params, 'chunks', 8);
    const chunk = filler(int(params, 'size', 1024));
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' });
    for (let i = 0; i < chunks; i++) res.write(chunk);
    res.end();
  },
  large: (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': LARGE.length });
    res.end(LARGE);
  },
  'bad-length': (_req, res) => raw(res, 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000', 'only 10 b.'),
  loop: (req, res) => {
    res.writeHead(302, { location: req.url ?? '/loop', 'content-length': 0 });
    res.end();
  },
  cross: (_req, res, params, rec) => {
    res.writeHead(302, { location: `${rec.peerOrigin()}${params.get('to') ?? '/ok'}`, 'content-length': 0 });
    res.end();
  },
  redirect: (_req, res, params) => {
    const location = params.get('location') ?? '';
    if (/[\r\n]/.test(location)) throw new Error('fault-server: a Location with CR or LF would split the response');
    raw(res, `HTTP/1.1 ${int(params, 'status', 302)} Found\r\nLocation: ${location}\r\nContent-Length: 0`);
  },
  random: (req, res, params, rec) => {
    const roll = rec.random();
    const p503 = Number(params.get('p503') ?? 0.1);
    const pReset = Number(params.get('preset') ?? 0.02);
    const played = roll < p503 ? '503' : roll < p503 + pReset ? 'reset-before' : 'ok';
    SCENARIOS[played]!(req, res, params, rec);
    return played;
  },
};

// Scenarios that end the connection themselves: their fate is not the client's doing.
const SCRIPTED_END = new Set(['reset-before', 'reset-mid-body', 'bad-length', 'redirect']);

// mulberry32: a tiny seeded PRNG, so a /random run can be replayed.
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Running extends Endpoint {
  readonly server: Server;
  readonly sockets: Set<Socket>;
  clear(): void;
}

async function listen(rec: Recorder, touch: () => void): Promise<Running> {
  const requests: RecordedRequest[] = [];
  const byKey = new Map<string, RecordedRequest[]>();
  const sockets = new Set<Socket>();
  const socketIds = new WeakMap<Socket, number>();
  let connections = 0;
  let seq = 0;
  const server = createServer(async (req, res) => {
    touch();
    const id = ++seq;
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      // The client went away mid-upload: record what arrived.
    }
    const url = new URL(req.url ?? '/', 'http://fault.invalid');
    let name = url.pathname.slice(1);
    let params: Params = url.searchParams;
    const key = params.get('key');
    if (name === 'seq') {
      const steps = (params.get('steps') ?? 'ok').split(',');
      const seen = key === null ? 0 : (byKey.get(key)?.length ?? 0);
      const [step, ...pairs] = steps[Math.min(seen, steps.length - 1)]!.split('~');
      name = step!;
      params = new URLSearchParams([...params, ...pairs.map((pair): [string, string] => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])]);
    }
    const record: RecordedRequest = {
      seq: id,
      method: req.method ?? '',
      url: req.url ?? '',
      pathname: url.pathname,
      key,
      headers: req.headers,
      body: Buffer.concat(chunks),
      connection: socketIds.get(req.socket) ?? 0,
      scenario: name,
    };
    requests.push(record);
    if (key !== null) {
      const attempts = byKey.get(key);
      if (attempts) attempts.push(record);
      else byKey.set(key, [record]);
    }
    rec.fates.set(id, 'open');
    res.on('finish', () => rec.fates.set(id, 'finished'));
    res.on('close', () => {
      if (rec.fates.get(id) === 'open') rec.fates.set(id, 'client-closed');
    });
    const scenario = SCENARIOS[name];
    try {
      if (!scenario) return status(404, res, new URLSearchParams());
      const played = scenario(req, res, params, rec);
      if (played) (record as { scenario: string }).scenario = played;
      if (SCRIPTED_END.has(record.scenario)) rec.fates.set(id, 'faulted');
    } catch {
      rec.fates.set(id, 'faulted');
      res.socket?.destroy();
    }
  });
  server.on('connection', (socket) => {
    touch();
    socketIds.set(socket, ++connections);
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that resets mid-request must not print parse errors.
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    port,
    url: (path) => `${origin}${path.startsWith('/') ? path : `/${path}`}`,
    requests,
    connections: () => connections,
    attempts: (key) => byKey.get(key) ?? [],
    fates: rec.fates,
    server,
    sockets,
    clear() {
      requests.length = 0;
      byKey.clear();
    },
  };
}

async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts the fault server and its peer on two random loopback ports. */
export async function startFaultServer(options: FaultServerOptions = {}): Promise<FaultServer> {
  const { idleMs = 30_000, lifetimeMs = 300_000, seed = 1 } = options;
  let peer: Running | undefined;
  const fates = new Map<number, ResponseFate>();
  const peerFates = new Map<number, ResponseFate>();
  const timers = new Set<NodeJS.Timeout>();
  const random = seeded(seed);
  let idle: NodeJS.Timeout | undefined;
  let closing: Promise<void> | undefined;
  const touch = (): void => {
    idle?.refresh();
  };
  const main = await listen({ peerOrigin: () => peer!.origin, timers, random, fates }, touch);
  peer = await listen({ peerOrigin: () => main.origin, timers, random, fates: peerFates }, touch);
  const refusedOrigin = `http://127.0.0.1:${await closedPort()}`;

  const stop = (): Promise<void> =>
    (closing ??= (async () => {
      clearTimeout(idle);
      clearTimeout(lifetime);
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(
        [main, peer!].map(
          (running) =>
            new Promise<void>((resolve) => {
              for (const socket of running.sockets) socket.destroy();
              running.server.close(() => resolve());
            }),
        ),
      );
    })());
  idle = setTimeout(stop, idleMs).unref();
  const lifetime = setTimeout(stop, lifetimeMs).unref();

  const { server: _s, sockets: _k, clear: clearPeer, ...peerEndpoint } = peer;
  const { server: _m, sockets: _n, clear: clearMain, ...mainEndpoint } = main;
  return {
    ...mainEndpoint,
    peer: peerEndpoint,
    refusedOrigin,
    reset() {
      clearMain();
      clearPeer();
      fates.clear();
      peerFates.clear();
    },
    close: stop,
  };
}

export interface SlowAcceptServer {
  /** An origin whose accept queue is full: a new connection hangs in connect. */
  readonly origin: string;
  close(): Promise<void>;
}

// The listener runs in a worker that then blocks in Atomics.wait, so nothing accepts: with a
// backlog of 1 the kernel queues two connections and drops later SYNs, and connect() hangs.
const SLOW_ACCEPT_WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const net = require('node:net');
const server = net.createServer();
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  parentPort.postMessage(server.address().port);
  setImmediate(() => {
    Atomics.wait(new Int32Array(workerData.flag), 0, 0, workerData.lifetimeMs);
    server.close();
    process.exit(0);
  });
});
`;

/**
 * A connect-timeout stand-in: a server that never accepts. Returns undefined where the runtime
 * does not let the backlog fill (connections keep completing).
 */
export async function startSlowAcceptServer(lifetimeMs = 60_000): Promise<SlowAcceptServer | undefined> {
  const flag = new SharedArrayBuffer(4);
  const worker = new Worker(SLOW_ACCEPT_WORKER, { eval: true, workerData: { flag, lifetimeMs } });
  worker.unref();
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const fillers: Socket[] = [];
  const close = async (): Promise<void> => {
    for (const socket of fillers) socket.destroy();
    Atomics.store(new Int32Array(flag), 0, 1);
    Atomics.notify(new Int32Array(flag), 0);
    await new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      setTimeout(resolve, 1000).unref();
    });
  };
  for (let i = 0; i < 8; i++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.unref();
    fillers.push(socket);
    const connected = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      setTimeout(() => resolve(false), 150).unref();
    });
    if (!connected) {
      // This one is stuck in connect: the queue is full. It stays, so the queue stays full.
      return { origin: `http://127.0.0.1:${port}`, close };
    }
  }
  await close();
  return undefined;
}
