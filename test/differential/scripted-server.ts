// The one scripted server of the differential suite: two HTTP origins on 127.0.0.1 (A and B,
// different ports, so a hop between them is cross-origin for requests and for fetchpipe), and a
// closed port. Each scenario installs a script: for every `origin path`, the answers to play in
// order (the last repeats). Every request is logged with what the suite compares.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { closedPort } from '../support/server.ts';

export type OriginName = 'A' | 'B';

/** One answer. `{A}` and `{B}` in a Location stand for the origins. */
export type Answer =
  | { status: number; location?: string; retryAfter?: string; body?: string }
  /** A Retry-After HTTP-date this many seconds after the moment of answering. */
  | { status: number; retryAfterInSeconds: number }
  /** Reads the request, then resets the connection (a read error, after sending). */
  | 'reset';

/** `'A /path'` → the answers for that path (query ignored). */
export type Script = Readonly<Record<string, readonly Answer[]>>;

/** What the suite compares of a request. */
export interface Seen {
  readonly origin: OriginName;
  readonly method: string;
  readonly path: string;
  readonly body: string;
  /** The auth headers, the user agent and the content type, lower-case names, absent ones left out. */
  readonly headers: Readonly<Record<string, string>>;
}

export const COMPARED_HEADERS = ['authorization', 'api-key', 'x-api-key', 'user-agent', 'content-type'] as const;

export interface ScriptedServer {
  readonly origins: Readonly<Record<OriginName, string>>;
  /** Nothing listens here. */
  readonly closedOrigin: string;
  /** Installs a script and clears the log. */
  play(script: Script): void;
  readonly seen: readonly Seen[];
  close(): Promise<void>;
}

export async function startScriptedServer(): Promise<ScriptedServer> {
  let script: Script = {};
  const played = new Map<string, number>();
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const origins = {} as Record<OriginName, string>;

  const answer = (name: OriginName) => async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = req.url ?? '/';
    const headers: Record<string, string> = {};
    for (const header of COMPARED_HEADERS) {
      const value = req.headers[header];
      if (typeof value === 'string') headers[header] = value;
    }
    seen.push({ origin: name, method: req.method ?? '', path, body: Buffer.concat(chunks).toString('utf8'), headers });

    const key = `${name} ${path.split('?')[0]}`;
    const answers = script[key];
    if (answers === undefined || answers.length === 0) {
      res.writeHead(404, { 'content-type': 'text/plain', connection: 'close' }).end(`no script for ${key}`);
      return;
    }
    const index = played.get(key) ?? 0;
    played.set(key, index + 1);
    const step = answers[Math.min(index, answers.length - 1)]!;
    if (step === 'reset') {
      req.socket.resetAndDestroy();
      return;
    }
    // No keep-alive: each attempt gets a connection of its own on both sides, so neither client
    // meets a socket the other left, and a reset is always a reset of that attempt.
    const out: Record<string, string> = { 'content-type': 'text/plain', connection: 'close' };
    if ('retryAfterInSeconds' in step) {
      out['retry-after'] = new Date(Date.now() + step.retryAfterInSeconds * 1000).toUTCString();
    } else {
      if (step.location !== undefined) out.location = step.location.replace('{A}', origins.A).replace('{B}', origins.B);
      if (step.retryAfter !== undefined) out['retry-after'] = step.retryAfter;
    }
    res.writeHead(step.status, out).end('body' in step && step.body !== undefined ? step.body : `${step.status} from ${name}`);
  };

  const servers: Server[] = [];
  for (const name of ['A', 'B'] as const) {
    const server = createServer((req, res) => void answer(name)(req, res).catch(() => res.destroy()));
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origins[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    servers.push(server);
  }
  const closedOrigin = `http://127.0.0.1:${await closedPort()}`;

  return {
    origins,
    closedOrigin,
    play(next) {
      script = next;
      played.clear();
      seen.length = 0;
    },
    seen,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}
