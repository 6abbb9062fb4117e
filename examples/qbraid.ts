// qBraid's Session, reproduced: base_url joins, auth headers masked as '...' in every error,
// POST retried on qBraid's 5xx list, and error statuses raised with the server's own message.
// Run: npx node examples/qbraid.ts
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, isHTTPError } from '../src/index.ts';
import { qbraid } from '../src/presets/index.ts';

const API_KEY = 'qbr_live_7d1f0c2a9b';
const server = createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  if (req.url === '/api/quantum-devices') return void res.end('[{"qbraid_id":"qbraid_qir_simulator"}]');
  // Careless servers echo credentials back; qBraid masks them in the message.
  res.statusCode = 404;
  res.end(JSON.stringify({ error: { message: `No job here for key ${req.headers['api-key']}` } }));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

try {
  const client = createClient(
    qbraid({ baseUrl: `${origin}/api`, authHeaders: { 'api-key': API_KEY }, userAgents: ['qbraid-core/0.1.0'] }),
  );
  const devices = await client('/quantum-devices');
  console.log('devices:', await devices.json());
  try {
    await client('quantum-jobs/unknown');
  } catch (error) {
    if (!isHTTPError(error)) throw error;
    console.log(`${error.name} ${error.status}: ${error.message}`);
    console.log('key visible in the error?', JSON.stringify(error).includes(API_KEY) || String(error.stack).includes(API_KEY));
  }
} finally {
  server.close();
}
