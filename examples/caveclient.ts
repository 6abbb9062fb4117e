// CAVEclient's session, reproduced: GET and POST retried on 502/503/504 with waits 0, 0.2, 0.4 s,
// and the last response returned (not thrown) when retries run out.
// Run: npx node examples/caveclient.ts
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, baseUrl } from '../src/index.ts';
import { caveclient, getSessionDefaults, setSessionDefaults } from '../src/presets/index.ts';
import { recordingClock } from '../src/testing/index.ts';

let calls = 0;
const server = createServer((_req, res) => {
  res.statusCode = ++calls < 3 ? 503 : 200;
  res.end(calls < 3 ? 'busy' : '{"id":1}');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

try {
  setSessionDefaults({ maxRetries: 4 }); // for clients created from now on; the rest reset to defaults
  console.log('session defaults:', getSessionDefaults());

  const clock = recordingClock(); // real timers work too; this one shows the waits instantly
  const client = createClient([...caveclient({ clock }), baseUrl(`${origin}/materialize/api/v3/`)]);
  const response = await client('datastack/minnie65/versions');
  console.log(`status ${response.status} after ${calls} attempts, waits ${clock.waits.map((ms) => ms / 1000).join(', ')} s`);
  console.log('body:', await response.text());
} finally {
  setSessionDefaults();
  server.close();
}
