// Requests fetch refuses before sending anything are programming errors: raised at once, never
// retried (issue #14 §6). Each runtime refuses different things, and says so differently
// (src/errors/fetch-failure.ts); what each one does is pinned here, so that a runtime that
// changes shows up as a failure.
import { backoff, createClient, retry, type FetchFunction } from '../../../src/index.ts';
import { recordingClock } from '../../../src/testing/index.ts';
import type { Case, Runtime } from './cases.ts';

// Node's undici refuses these request headers; Deno and Bun send them; a page drops them silently.
const REFUSED_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Expect', '100-continue'],
  ['Transfer-Encoding', 'chunked'],
  ['Upgrade', 'websocket'],
  ['Keep-Alive', 'timeout=5'],
  ['Connection', 'upgrade'],
];
const REFUSES_HEADERS: Record<Runtime, boolean> = { node: true, deno: false, bun: false, chromium: false };
// Bun alone connects to the Fetch standard's bad ports (there, port 1 is simply refused by the OS).
const REFUSES_BAD_PORTS: Record<Runtime, boolean> = { node: true, deno: true, bun: false, chromium: true };

/** A client that retries everything it may, on a recording clock, counting fetch calls. */
function retrying() {
  const clock = recordingClock();
  let calls = 0;
  const counting: FetchFunction = (input, init) => {
    calls++;
    return fetch(input, init);
  };
  const client = createClient([retry({ total: 3, postForcelist: true }), backoff({ factor: 10, clock })], { fetch: counting });
  return { client, clock, calls: () => calls };
}

async function outcome(promise: Promise<Response>): Promise<{ status?: number; error?: Error }> {
  try {
    const response = await promise;
    await response.body?.cancel();
    return { status: response.status };
  } catch (error) {
    return { error: error as Error };
  }
}

export const refusalCases: readonly Case[] = [
  {
    name: 'a request header fetch refuses to send is an InvalidHeaderError at once, never retried',
    async run({ assert, backend, runtime }) {
      for (const [name, value] of REFUSED_HEADERS) {
        const { client, clock, calls } = retrying();
        const result = await outcome(client(`${backend.origin}/echo`, { method: 'POST', body: 'x', headers: { [name]: value } }));
        if (REFUSES_HEADERS[runtime]) {
          assert.equal(result.error?.name, 'InvalidHeaderError', `${name}: ${String(result.error)}`);
          assert.match(result.error!.message, /fetch refused it before sending/);
          assert.equal(calls(), 1, `${name} was tried once`);
          assert.deepEqual([...clock.waits], []);
        } else {
          assert.equal(result.status, 200, `${runtime} sends (or drops) ${name}: ${String(result.error)}`);
          assert.equal(calls(), 1);
        }
      }
    },
  },
  {
    name: 'a port fetch refuses is an InvalidURLError at once, never retried (Bun connects, and is refused by the OS)',
    async run({ assert, runtime }) {
      const { client, clock, calls } = retrying();
      const result = await outcome(client('http://127.0.0.1:1/x'));
      if (REFUSES_BAD_PORTS[runtime]) {
        assert.equal(result.error?.name, 'InvalidURLError', String(result.error));
        assert.match(result.error!.message, /^Bad port for GET http:\/\/127\.0\.0\.1:1\/x: fetch refused it before sending/);
        assert.equal(calls(), 1);
        assert.deepEqual([...clock.waits], []);
      } else {
        assert.equal(result.error?.name, 'MaxRetryError', String(result.error));
        assert.equal(calls(), 4, 'a refused connection is a connect error, retried');
      }
    },
  },
  {
    name: 'an invalid header name or value on the call is the platform’s TypeError at once: nothing is fetched, nothing retried',
    async run({ assert, backend }) {
      const invalid: ReadonlyArray<Record<string, string>> = [{ 'bad name': 'x' }, { 'x-a': 'a\u0000b' }, { 'x-b': 'a\r\nInjected: 1' }, { 'x-c': '💥' }, { '': 'x' }];
      for (const headers of invalid) {
        const { client, clock, calls } = retrying();
        const result = await outcome(client(`${backend.origin}/echo`, { headers }));
        assert.equal(result.error?.name, 'TypeError', `${JSON.stringify(headers)}: ${String(result.error)}`);
        assert.equal(calls(), 0, `${JSON.stringify(headers)} never reached fetch`);
        assert.deepEqual([...clock.waits], []);
      }
    },
  },
];

