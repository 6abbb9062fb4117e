// The real servers of the shared suite, on 127.0.0.1: two HTTP servers (two origins, for
// cross-origin redirects), a port with nothing listening and a server that resets every
// connection. Node, Deno and Bun start them in the test process; for Chromium, vitest's
// globalSetup starts them and passes the URLs to the page, so they answer with CORS headers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { closedPort, resettingServer, startServer } from '../../support/server.ts';

/** Where the shared suite's real servers are: plain data, so it can cross into a browser. */
export interface Backend {
  /** Answers `/echo`, `/status/NNN`, `/redirect?to=URL&status=NNN`, `/loop?id=ID` (a 302 to itself) and `/count?id=ID` (how many `/loop` requests of that id arrived). */
  readonly origin: string;
  /** The same routes on another port: another origin. */
  readonly otherOrigin: string;
  /** Nothing listens here: connecting is refused. */
  readonly closedOrigin: string;
  /** Accepts, reads the request, then resets the connection. */
  readonly resetOrigin: string;
}

/** What `/echo` answers: the request as the server saw it. */
export interface Echo {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

function cors(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-expose-headers', '*');
  if (req.method === 'OPTIONS') {
    // `Access-Control-Allow-Headers: *` does not cover Authorization, so the asked names are echoed.
    res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? '*');
    res.setHeader('access-control-allow-methods', 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
    res.setHeader('access-control-max-age', '600');
  }
}

// Requests per `/loop` id, shared by both origins: a case counts how often a loop was entered.
const loops = new Map<string, number>();

function routes(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  cors(req, res);
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/loop' && req.method !== 'OPTIONS') {
    const id = url.searchParams.get('id') ?? '';
    loops.set(id, (loops.get(id) ?? 0) + 1);
    res.writeHead(302, { location: `/loop?id=${encodeURIComponent(id)}` }).end();
  } else if (url.pathname === '/count') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(loops.get(url.searchParams.get('id') ?? '') ?? 0));
  } else if (req.method === 'OPTIONS') {
    res.writeHead(204).end();
  } else if (url.pathname === '/echo') {
    const echo: Echo = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: body.toString('utf8') };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(echo));
  } else if (url.pathname.startsWith('/status/')) {
    res.writeHead(Number(url.pathname.slice('/status/'.length))).end();
  } else if (url.pathname === '/redirect') {
    res.writeHead(Number(url.searchParams.get('status') ?? '302'), { location: url.searchParams.get('to') ?? '/echo' }).end();
  } else {
    res.writeHead(404).end();
  }
}

/** Starts the suite's servers; `close()` stops them all. */
export async function startBackend(): Promise<Backend & { close(): Promise<void> }> {
  const [main, other, reset, port] = await Promise.all([startServer(routes), startServer(routes), resettingServer(), closedPort()]);
  return {
    origin: main.origin,
    otherOrigin: other.origin,
    closedOrigin: `http://127.0.0.1:${port}`,
    resetOrigin: reset.origin,
    close: async () => {
      await Promise.all([main.close(), other.close(), reset.close()]);
    },
  };
}
