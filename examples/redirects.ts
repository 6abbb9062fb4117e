// Redirects, the two Python ways: redirect() in front of retry() is requests' Session (each hop a
// fresh send with a fresh retry budget), retry() in front of redirect() is urllib3's own
// redirects (every hop spends the budget). Either way, X-API-Key never reaches another origin.
// Run: npx node examples/redirects.ts
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authHeaders, createClient, redirect, retry, isMaxRetryError } from '../src/index.ts';

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ origin: string; close(): void }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

let flaky = 0;
const other = await listen((req, res) => {
  // The redirect target fails twice, then answers, and tells whether it saw the key.
  if (++flaky % 3 !== 0) return void res.writeHead(503).end();
  res.end(`landed; x-api-key ${req.headers['x-api-key'] === undefined ? 'not sent' : 'SENT'}`);
});
const api = await listen((req, res) => {
  const hop = Number(/^\/hop(\d)$/.exec(req.url ?? '')?.[1] ?? NaN);
  // Two same-origin hops, then one to the other origin.
  res.writeHead(302, { location: hop < 2 ? `/hop${hop + 1}` : `${other.origin}/landed` }).end();
});

try {
  const key = authHeaders({ 'X-API-Key': 'example-k3y' });
  const requests = createClient([redirect(), retry({ total: 2, statusForcelist: [503] }), key]);
  const response = await requests(`${api.origin}/hop0`);
  console.log(`requests' order: ${response.status}, ${await response.text()}`);

  flaky = 0;
  const urllib3 = createClient([retry({ total: 2, statusForcelist: [503] }), redirect(), key]);
  const error = await urllib3(`${api.origin}/hop0`).catch((e: unknown) => e);
  console.log(`urllib3's order: ${isMaxRetryError(error) ? error.message : String(error)}`);
} finally {
  api.close();
  other.close();
}
