// The throughput benchmark's HTTP server, in its own process so that it does not share an event
// loop with the clients. It checks every request against the expected one (method, path and the
// full header set) and counts matches and mismatches; the parent reads the counts over IPC.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ServerCommand =
  | { type: 'expect'; method: string; path: string; headers: Record<string, string> | null }
  | { type: 'reset' }
  | { type: 'stats' }
  | { type: 'close' };

export interface ServerStats {
  readonly count: number;
  readonly mismatches: number;
  readonly firstMismatch: string | null;
  /** The headers of the last request, to learn the exact set the floor sends. */
  readonly lastHeaders: Record<string, string> | null;
}

let expected: Extract<ServerCommand, { type: 'expect' }> | null = null;
let expectedCount = 0;
let count = 0;
let mismatches = 0;
let firstMismatch: string | null = null;
let lastHeaders: Record<string, string> | null = null;

function check(req: IncomingMessage): string | null {
  if (!expected) return 'no expectation set';
  if (req.method !== expected.method || req.url !== expected.path) return `${req.method} ${req.url}`;
  if (expected.headers === null) return null;
  if (req.rawHeaders.length / 2 !== expectedCount) return `${req.rawHeaders.length / 2} headers, expected ${expectedCount}: ${JSON.stringify(req.headers)}`;
  for (const name in expected.headers) {
    if (req.headers[name] !== expected.headers[name]) return `${name}: ${String(req.headers[name])}`;
  }
  return null;
}

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  count++;
  const problem = check(req);
  if (problem !== null) {
    mismatches++;
    firstMismatch ??= problem;
  }
  lastHeaders = req.headers as Record<string, string>;
  // The body is empty (GET); resume so that keep-alive can reuse the socket.
  req.resume();
  res.writeHead(problem === null ? 200 : 400, { 'content-type': 'text/plain', 'content-length': '2' });
  res.end(problem === null ? 'ok' : 'no');
});

process.on('message', (message: ServerCommand) => {
  switch (message.type) {
    case 'expect':
      expected = message;
      expectedCount = message.headers === null ? 0 : Object.keys(message.headers).length;
      break;
    case 'reset':
      count = 0;
      mismatches = 0;
      firstMismatch = null;
      break;
    case 'stats':
      process.send!({ type: 'stats', stats: { count, mismatches, firstMismatch, lastHeaders } satisfies ServerStats });
      break;
    case 'close':
      server.closeAllConnections();
      server.close(() => process.exit(0));
      break;
  }
});

// The parent going away must not leave a server behind.
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  process.send!({ type: 'ready', port: (server.address() as AddressInfo).port });
});
