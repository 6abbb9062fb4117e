// Budget: under random retry configurations and random schedules of refusals, resets,
// redirects and statuses from a real server, a call makes exactly as many attempts as urllib3's
// Retry would, never more, and ends the way urllib3 would: a response, the original
// ConnectionError, or MaxRetryError with the right reason. The server's own count matches the
// client's. timeout() and pool() may stand inside redirect(), where the docs place them.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backoff,
  createClient,
  isMaxRetryError,
  pool,
  redirect,
  retry,
  timeout,
  type FetchFunction,
  type FetchpipeEvent,
  type Middleware,
  type RetryOptions,
} from '../../src/index.ts';
import { startFaultServer, type FaultServer } from './fault-server.ts';
import { expectedOutcome, URLLIB3_DEFAULT, URLLIB3_DEFAULT_METHODS, type Counter, type RetryConfig, type Step } from './model.ts';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());

const counter = fc.oneof(fc.constant<Counter>(null), fc.constant<Counter>(false), fc.integer({ min: 0, max: 3 }));
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constant<Step>({ kind: 'refuse' }),
  fc.constant<Step>({ kind: 'reset' }),
  fc.record({ kind: fc.constant('redirect' as const), status: fc.constantFrom(301 as const, 302 as const, 303 as const, 307 as const, 308 as const) }),
  fc.record({
    kind: fc.constant('status' as const),
    status: fc.constantFrom(200, 404, 413, 429, 500, 502, 503),
    retryAfter: fc.option(fc.constantFrom('0', '1', '120', 'Sun, 06 Nov 1994 08:49:37 GMT', 'soon', '-1'), { nil: undefined }),
  }),
);
const config: fc.Arbitrary<RetryConfig> = fc
  .record({
    total: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constant<Counter>(false), fc.constant<Counter>(null)),
    connect: counter,
    read: counter,
    status: counter,
    redirect: counter,
    other: counter,
    statusForcelist: fc.subarray([429, 500, 502, 503]),
    allowedMethods: fc.oneof(fc.constant(URLLIB3_DEFAULT_METHODS), fc.constant(null), fc.subarray(['GET', 'post', 'Put'])),
    postForcelist: fc.boolean(),
    respectRetryAfterHeader: fc.boolean(),
    raiseOnStatus: fc.boolean(),
    raiseOnRedirect: fc.boolean(),
  })
  // With no overall cap, every kind of failure the schedule can hold needs its own cap.
  .filter((c) => c.total !== null || (c.connect !== null && c.read !== null && c.status !== null && c.redirect !== null));
// What may stand inside redirect(): each wraps the response it passes up.
const inner = fc.subarray(['timeout', 'pool'] as const);

function pathFor(s: Step, key: string): string {
  if (s.kind === 'reset') return `/reset-before?key=${key}`;
  if (s.kind === 'refuse') return `/refused?key=${key}`;
  if (s.kind === 'redirect') return `/status?code=${s.status}&location=%2Fhop&key=${key}`;
  const retryAfter = s.retryAfter === undefined ? '' : `&retry-after=${encodeURIComponent(s.retryAfter)}`;
  return `/status?code=${s.status}&key=${key}${retryAfter}`;
}

describe('budget', () => {
  it('makes exactly the attempts urllib3 would and ends as urllib3 would, for any configuration and schedule', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(config, fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'), fc.array(step, { minLength: 1, maxLength: 6 }), inner, async (cfg, method, steps, wrappers) => {
        const key = `budget-${++run}`;
        let attempts = 0;
        // Routes attempt n to the scenario of steps[n]; a refusal goes to a closed port.
        const routed: FetchFunction = (_input, init) => {
          const s = steps[Math.min(attempts++, steps.length - 1)]!;
          const origin = s.kind === 'refuse' ? server.refusedOrigin : server.origin;
          return fetch(`${origin}${pathFor(s, key)}`, init);
        };
        const events: FetchpipeEvent[] = [];
        const options: RetryOptions = { ...cfg, allowedMethods: cfg.allowedMethods === null ? null : [...cfg.allowedMethods], statusForcelist: [...cfg.statusForcelist] };
        const middlewares: Middleware[] = [
          retry(options),
          backoff({ factor: 50, clock: { sleep: async () => {} } }),
          redirect(),
          ...wrappers.map((name) => (name === 'timeout' ? timeout({ read: 5_000 }) : pool({ block: true, maxsize: 2 }))),
        ];
        const client = createClient(middlewares, {
          fetch: routed,
          onEvent: (event) => events.push(event),
        });
        const expected = expectedOutcome(cfg, method, steps);
        const reachedServer = steps
          .concat(Array.from({ length: expected.attempts }, () => steps.at(-1)!))
          .slice(0, expected.attempts)
          .filter((s) => s.kind !== 'refuse').length;

        let actual: Record<string, unknown>;
        try {
          const response = await client(`${server.origin}/`, { method });
          await response.arrayBuffer();
          actual = { attempts, redirects: expected.redirects, status: response.status };
        } catch (error) {
          const e = error as { name: string; phase?: string; reason?: { name: string } };
          if (isMaxRetryError(error)) {
            actual = { attempts, redirects: expected.redirects, error: e.name, reason: e.reason!.name };
            expect(error.history).toHaveLength(attempts);
          } else actual = { attempts, redirects: expected.redirects, error: e.name, phase: e.phase };
        }
        expect(actual).toEqual(expected);
        expect(server.attempts(key)).toHaveLength(reachedServer);
        expect(events.filter((e) => e.type === 'attempt')).toHaveLength(attempts);
        expect(events.filter((e) => e.type === 'redirect')).toHaveLength(expected.redirects);
        // A hop after a redirect goes at once; every other retry passes through backoff.
        expect(events.filter((e) => e.type === 'wait')).toHaveLength(attempts - 1 - expected.redirects);
      }),
      {
        numRuns: 150,
        examples: [
          // urllib3 reads `total` as what is left: a second Retry-After 503 with nothing left is returned.
          [{ ...URLLIB3_DEFAULT, total: 1 }, 'GET', [{ kind: 'status', status: 503, retryAfter: '1' }], []],
          // A redirect followed through timeout() and pool() lands on its 200.
          [URLLIB3_DEFAULT, 'GET', [{ kind: 'redirect', status: 302 }, { kind: 'status', status: 200 }], ['timeout', 'pool']],
          // After a 303, the hop is a GET: its reset is retried as a GET read error.
          [{ ...URLLIB3_DEFAULT, allowedMethods: ['GET'] }, 'POST', [{ kind: 'redirect', status: 303 }, { kind: 'reset' }, { kind: 'status', status: 200 }], []],
        ],
      },
    );
  });

  it('returns the last Retry-After 503 once the total budget is spent, as urllib3 does (raiseOnStatus applies only to what is_retry accepts)', async () => {
    const client = createClient([retry({ total: 1 }), backoff({ clock: { sleep: async () => {} } })]);
    const response = await client(server.url('/503?retry-after=1&key=ra-spent'));
    await response.arrayBuffer();
    expect(response.status).toBe(503);
    expect(server.attempts('ra-spent')).toHaveLength(2);
  });

  it('after a 303 hop fails, retries the hop as a GET and never sends the original POST again', async () => {
    const client = createClient([retry({ total: 2, allowedMethods: ['GET', 'POST'] }), backoff({ clock: { sleep: async () => {} } }), redirect()]);
    const location = encodeURIComponent('/seq?key=hop&steps=reset-before,ok');
    const response = await client(server.url(`/status?code=303&key=order&location=${location}`), { method: 'POST', body: 'order #1' });
    await response.arrayBuffer();
    expect(response.status).toBe(200);
    expect(server.attempts('order').map((r) => `${r.method} ${r.body}`)).toEqual(['POST order #1']);
    expect(server.attempts('hop').map((r) => r.method)).toEqual(['GET', 'GET']);
  });
});
