// The shared suite's cases for the resilience middlewares: run on Node, Deno, Bun and Chromium
// with the rest of cases.ts. Real servers where the network matters (an outage is a real 503),
// scripted backends where the test needs to see what each attempt carried.
import fc from 'fast-check';
import { InMemorySpanExporter, BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  authRefresh,
  backoff,
  circuitBreaker,
  createClient,
  idempotencyKey,
  isMaxRetryError,
  rateLimit,
  retry,
  retryBudget,
  withOptions,
  type FetchpipeEvent,
} from '../../../src/index.ts';
import { otel } from '../../../src/otel/index.ts';
import { recordingClock, sequence } from '../../../src/testing/index.ts';
import type { Case } from './cases.ts';
import type { Echo } from './backend.ts';

const attemptsIn = (events: readonly FetchpipeEvent[]) => events.filter((e) => e.type === 'attempt').length;

/** Every text an error exposes, down its cause chain. */
function texts(error: unknown): string {
  const out: string[] = [JSON.stringify(error) ?? ''];
  for (let current = error, depth = 0; current instanceof Error && depth < 6; current = current.cause, depth++) {
    out.push(current.message, String(current), current.stack ?? '');
  }
  return out.join('\n');
}

export const resilienceCases: readonly Case[] = [
  {
    name: 'retryBudget: 12 calls during an outage (a real 503) make 12 + 4 attempts, not 48',
    async run({ assert, backend }) {
      const events: FetchpipeEvent[] = [];
      const client = createClient([retryBudget(), retry({ total: 3, statusForcelist: [503] }), backoff({ clock: recordingClock() })], {
        onEvent: (e) => events.push(e),
      });
      const results = await Promise.allSettled(Array.from({ length: 12 }, () => client(`${backend.origin}/status/503`)));
      assert.ok(results.every((r) => r.status === 'rejected' && isMaxRetryError(r.reason)), 'every call ends in MaxRetryError');
      assert.equal(attemptsIn(events), 16);
    },
  },
  {
    name: 'authRefresh: 10 concurrent 401s share one refresh, and a refreshed token never shows, for any token',
    async run({ assert }) {
      let refreshes = 0;
      const valid = 'fresh-token-42';
      const fetch = async (_input: unknown, init?: RequestInit) =>
        new Response(null, { status: new Headers(init?.headers).get('authorization') === `Bearer ${valid}` ? 200 : 401 });
      const client = createClient([authRefresh({ token: 'old', refresh: async () => (++refreshes, valid) })], { fetch });
      const statuses = await Promise.all(Array.from({ length: 10 }, () => client('https://api.test/x').then((r) => r.status)));
      assert.deepEqual(statuses, Array(10).fill(200));
      assert.equal(refreshes, 1);

      // Any token of 8 to 40 token68 characters (RFC 9110's bearer alphabet). Shorter ones are
      // masked too, but a one-character token also occurs in texts that are not secrets (an
      // event's type, `auth-refresh:refresh`), which masking leaves alone.
      await fc.assert(
        fc.asyncProperty(fc.stringMatching(/^[A-Za-z0-9._~+/-]{8,40}$/).filter((t) => /[^.]/.test(t)), async (token) => {
          const events: FetchpipeEvent[] = [];
          const leaky = createClient([authRefresh({ token: 'expired-0', refresh: async () => token })], {
            onEvent: (e) => events.push(e),
            fetch: async (input, init) => {
              const auth = new Headers(init?.headers).get('authorization');
              if (auth === `Bearer ${token}`) throw new TypeError(`refused ${auth} for ${String(input)}`);
              return new Response(null, { status: 401 });
            },
          });
          let error: unknown;
          await leaky('https://api.test/x').catch((e: unknown) => (error = e));
          assert.ok(error !== undefined, 'the call fails');
          const exposed = `${texts(error)}\n${JSON.stringify(events)}`;
          assert.ok(!exposed.includes(token), `the token ${JSON.stringify(token)} leaked`);
        }),
        { numRuns: 40 },
      );
    },
  },
  {
    name: 'rateLimit: when the server says none are left, the next call waits for the reset instead of failing',
    async run({ assert }) {
      const clock = recordingClock({ start: 0 });
      const backend = sequence([{ status: 200, headers: { ratelimit: '"api";r=0;t=2' } }, { status: 200, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' } }, 200]);
      const client = createClient([rateLimit({ clock })], { fetch: backend });
      for (let i = 0; i < 3; i++) assert.equal((await client('https://api.test/x')).status, 200);
      assert.deepEqual([...clock.waits], [2000, 1000]);
    },
  },
  {
    name: 'circuitBreaker: opens on a real 503 after 2 failures in a row and fails fast without sending',
    async run({ assert, backend }) {
      const events: FetchpipeEvent[] = [];
      const breaker = circuitBreaker({ consecutiveFailures: 2 });
      const client = createClient([breaker], { onEvent: (e) => events.push(e) });
      for (let i = 0; i < 2; i++) assert.equal((await client(`${backend.origin}/status/503`)).status, 503);
      let refused: unknown;
      await client(`${backend.origin}/status/503`).catch((e: unknown) => (refused = e));
      assert.equal((refused as Error | undefined)?.name, 'CircuitOpenError');
      assert.equal(attemptsIn(events), 2);
      assert.equal(breaker.circuits().get(backend.origin)?.state, 'open');
    },
  },
  {
    name: 'idempotencyKey: a real POST carries a UUID key, and every attempt of a call the same one',
    async run({ assert, backend }) {
      const client = createClient([idempotencyKey()]);
      const echo = (await (await client(`${backend.origin}/echo`, { method: 'POST', body: 'x' })).json()) as Echo;
      assert.match(String(echo.headers['idempotency-key']), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

      const scripted = sequence([503, 503, 200]);
      const retried = createClient([idempotencyKey({ retryKeyed: true }), retry({ total: 3, statusForcelist: [503] })], { fetch: scripted });
      assert.equal((await retried('https://api.test/pay', { method: 'POST', body: 'x' })).status, 200);
      const keys = scripted.requests.map((r) => r.headers['idempotency-key']);
      assert.equal(keys.length, 3);
      assert.equal(new Set(keys).size, 1);
    },
  },
  {
    name: 'withOptions: one call with retry({ total: 0 }) against a real 503, the client unchanged',
    async run({ assert, backend }) {
      const events: FetchpipeEvent[] = [];
      const client = createClient([retry({ total: 2, statusForcelist: [503], raiseOnStatus: false }), backoff({ clock: recordingClock() })], {
        onEvent: (e) => events.push(e),
      });
      assert.equal((await withOptions(client, { retry: { total: 0 } })(`${backend.origin}/status/503`)).status, 503);
      assert.equal(attemptsIn(events), 1);
      assert.equal((await client(`${backend.origin}/status/503`)).status, 503);
      assert.equal(attemptsIn(events), 4);
    },
  },
  {
    name: 'otel: a call span and a CLIENT span per attempt, with resend_count and error.type',
    async run({ assert }) {
      const exporter = new InMemorySpanExporter();
      const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('shared');
      const client = createClient([otel({ tracer }), retry({ total: 3, statusForcelist: [503] })], { fetch: sequence([503, 200]) });
      await client('https://api.test/x?sig=abc');
      const spans = exporter.getFinishedSpans();
      assert.deepEqual(spans.map((s) => s.name), ['GET', 'GET', 'fetchpipe GET']);
      assert.deepEqual(spans.map((s) => s.attributes['http.request.resend_count']), [undefined, 1, 1]);
      assert.deepEqual(spans.map((s) => s.attributes['error.type']), ['503', undefined, undefined]);
      assert.equal(spans[0]!.attributes['url.full'], 'https://api.test/x?sig=REDACTED');
    },
  },
];
