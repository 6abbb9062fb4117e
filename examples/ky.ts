// ky's ergonomics on top of fetchpipe's pipeline: ky builds the request (prefix, json,
// searchParams), fetchpipe retries, waits, adds credentials and masks them in errors.
// Run: npx node examples/ky.ts (it starts and stops its own server on 127.0.0.1).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import ky from 'ky';
import { authHeaders, backoff, createClient, isMaxRetryError, retry, userAgent } from '../src/index.ts';

const token = 'example-token-123';
let calls = 0;
const server = createServer((req, res) => {
  calls++;
  // Busy twice, then answer: fetchpipe's retry sees the 503s, ky only the final 200.
  if (calls <= 2) return void res.writeHead(503, { 'retry-after': '0' }).end();
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const authorized = req.headers.authorization === `Bearer ${token}`;
    res.writeHead(authorized ? 201 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ received: JSON.parse(body || 'null'), authorized }));
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

try {
  const client = createClient([
    retry({ total: 3, statusForcelist: [502, 503, 504], allowedMethods: null }),
    backoff({ factor: 10, max: 1_000 }),
    authHeaders({ Authorization: `Bearer ${token}` }),
    userAgent('ky-example/1.0'),
  ]);
  // retry: 0 so that only fetchpipe retries; timeout: false so that only fetchpipe's (if any) applies.
  const api = ky.create({ fetch: client, retry: 0, timeout: false, prefix: `${origin}/api/v1` });

  const created = await api.post('items', { json: { name: 'widget', size: 3 } }).json<{ received: unknown; authorized: boolean }>();
  console.log(`created after ${calls} attempts:`, created);

  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  // The server is gone: fetchpipe retries the refused connection, then ky passes the masked error on.
  const error = await api.get('items').catch((e: unknown) => e);
  if (!isMaxRetryError(error)) throw new Error('expected a MaxRetryError');
  if (JSON.stringify(error).includes(token) || String(error.stack).includes(token)) throw new Error('the token leaked');
  console.log(`${error.name}: ${error.message}`);
} finally {
  if (server.listening) server.close();
}
