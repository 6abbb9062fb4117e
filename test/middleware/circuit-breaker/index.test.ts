import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, MaxRetryError, createClient, explain, retry, type AttemptRecord, type FetchpipeEvent, type Middleware } from '../../../src/index.ts';
import { CircuitOpenError, circuitBreaker, circuitBreakerEvents } from '../../../src/middleware/circuit-breaker/index.ts';
import { recordingClock, sequence } from '../../../src/testing/index.ts';
import { startServer, type LocalServer } from '../../support/server.ts';

describe('circuitBreaker options', () => {
  it('refuses bad options, naming each', () => {
    expect(() => circuitBreaker({ consecutiveFailures: 0 })).toThrow('circuitBreaker: consecutiveFailures: expected a positive integer or null, received 0');
    expect(() => circuitBreaker({ failureRatio: 1.2 })).toThrow('circuitBreaker: failureRatio: expected a number above 0 and at most 1, or null, received 1.2');
    expect(() => circuitBreaker({ window: 0 })).toThrow('circuitBreaker: window: expected a positive number of milliseconds, received 0');
    expect(() => circuitBreaker({ coolDown: -1 })).toThrow('circuitBreaker: coolDown: expected a non-negative number of milliseconds, received -1');
    expect(() => circuitBreaker({ minimumCalls: 1.5 })).toThrow('circuitBreaker: minimumCalls: expected a positive integer, received 1.5');
    expect(() => circuitBreaker({ isFailure: true as never })).toThrow('circuitBreaker: isFailure: expected a function, received true');
    expect(() => circuitBreaker({ clock: {} as never })).toThrow('circuitBreaker: clock: expected a clock object with a now() function');
    expect(() => circuitBreaker({ consecutiveFailures: null })).toThrow(ConfigError);
    expect(() => circuitBreaker({ threshold: 3 } as never)).toThrow('circuitBreaker: threshold: unknown option');
  });

  it('shows its rules in explain()', () => {
    expect(explain([circuitBreaker()]).order[0]).toEqual({
      name: 'circuitBreaker',
      options: { consecutiveFailures: 5, failureRatio: null, window: 10_000, minimumCalls: 10, coolDown: 30_000, customIsFailure: false, customClock: false },
    });
  });
});

describe('circuitBreaker on a real socket', () => {
  let server: LocalServer;
  let failing = true;
  beforeAll(async () => {
    server = await startServer((_req, res) => {
      res.statusCode = failing ? 503 : 200;
      res.end(failing ? 'down' : 'up');
    });
  });
  afterAll(() => server.close());

  it('opens after 3 failures in a row, fails fast without sending, then probes once after the cool-down and closes', async () => {
    failing = true;
    const clock = recordingClock({ start: 0 });
    const events: FetchpipeEvent[] = [];
    const breaker = circuitBreaker({ consecutiveFailures: 3, coolDown: 5_000, clock });
    const client = createClient([breaker], { onEvent: (e) => events.push(e) });
    const before = server.requests.length;
    for (let i = 0; i < 3; i++) expect((await client(`${server.origin}/x`)).status).toBe(503);
    expect(breaker.circuits().get(server.origin)).toMatchObject({ state: 'open', openUntil: 5_000 });
    const refused = await client(`${server.origin}/x`).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CircuitOpenError);
    expect(refused).toMatchObject({ name: 'CircuitOpenError', origin: server.origin, retryAt: 5_000, retryable: false });
    expect((refused as Error).message).toBe(`Circuit open for ${server.origin}: GET ${server.origin}/x not sent (next probe in 5000 ms)`);
    expect(server.requests.length - before).toBe(3);

    failing = false;
    await clock.sleep(5_000);
    const [probe, other] = await Promise.allSettled([client(`${server.origin}/probe`), client(`${server.origin}/other`)]);
    expect(probe.status === 'fulfilled' && probe.value.status).toBe(200);
    expect(other.status === 'rejected' && other.reason).toBeInstanceOf(CircuitOpenError);
    expect(breaker.circuits().get(server.origin)!.state).toBe('closed');
    expect(server.requests.length - before).toBe(4);
    const changes = events.flatMap((e) => (circuitBreakerEvents.is(e, 'circuitBreaker.state') ? [`${e.from}→${e.to} (${e.reason})`] : []));
    expect(changes).toEqual(['closed→open (3 failures in a row)', 'open→half-open (cool-down of 5000 ms passed)', 'half-open→closed (probe succeeded)']);
  });

  it('keeps one circuit per origin', async () => {
    failing = true;
    const breaker = circuitBreaker({ consecutiveFailures: 1 });
    const backend = sequence([200]);
    const client = createClient([breaker]);
    await client(`${server.origin}/x`);
    const other = createClient([breaker], { fetch: backend });
    expect((await other('https://elsewhere.test/x')).status).toBe(200);
    expect([...breaker.circuits()].map(([origin, c]) => [origin, c.state])).toEqual([
      [server.origin, 'open'],
      ['https://elsewhere.test', 'closed'],
    ]);
  });
});

describe('circuitBreaker inside retry()', () => {
  it('is not retried when open: a breaker that opens at once is entered once, not 4 times', async () => {
    const backend = sequence([503]);
    const breaker = circuitBreaker({ consecutiveFailures: 2 });
    const client = createClient([retry({ total: 3, statusForcelist: [503] }), breaker], { fetch: backend });
    const error = await client('https://api.test/x').catch((e: unknown) => e);
    // Two attempts fail and open the circuit; the third attempt meets CircuitOpenError, which ends the call.
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(backend.calls).toBe(2);
    const again = await client('https://api.test/x').catch((e: unknown) => e);
    expect(again).toBeInstanceOf(CircuitOpenError);
    expect(again).not.toBeInstanceOf(MaxRetryError);
    expect(backend.calls).toBe(2);
  });

  it('leaves a circuitBreaker.open entry in the call history when it fails fast, which no retry counter spends', async () => {
    const histories: AttemptRecord[][] = [];
    const probe: Middleware = async (request, next) => {
      try {
        return await next(request);
      } finally {
        histories.push([...request.context.history]);
      }
    };
    const backend = sequence([503]);
    const client = createClient([probe, retry({ total: 3, statusForcelist: [503] }), circuitBreaker({ consecutiveFailures: 2 })], { fetch: backend });
    const error = await client('https://api.test/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(histories[0]!.map((record) => record.kind)).toEqual(['status', 'status', 'circuitBreaker.open']);
    expect(histories[0]![2]).toMatchObject({ method: 'GET', url: 'https://api.test/x', kind: 'circuitBreaker.open', error });
  });

  it('opens on a failure ratio over the window', async () => {
    const clock = recordingClock({ start: 0 });
    const backend = sequence([200, 503, 200, 503]);
    const breaker = circuitBreaker({ consecutiveFailures: null, failureRatio: 0.5, minimumCalls: 4, window: 60_000, clock });
    const client = createClient([breaker], { fetch: backend });
    for (let i = 0; i < 4; i++) await client('https://api.test/x');
    expect(breaker.circuits().get('https://api.test')!.state).toBe('open');
  });

  it('gives the probe back when the caller aborts it, so the next call probes', async () => {
    const clock = recordingClock({ start: 0 });
    const held: { release?: () => void } = {};
    const hanging = (_: unknown, init?: RequestInit) =>
      new Promise<Response>((resolve, reject) => {
        held.release = () => resolve(new Response('ok'));
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason));
      });
    const breaker = circuitBreaker({ consecutiveFailures: 1, coolDown: 100, clock });
    await createClient([breaker], { fetch: sequence([503]) })('https://api.test/x');
    await clock.sleep(100);
    const controller = new AbortController();
    const probe = createClient([breaker], { fetch: hanging })('https://api.test/x', { signal: controller.signal });
    controller.abort();
    await expect(probe).rejects.toThrow();
    expect(breaker.circuits().get('https://api.test')!.state).toBe('half-open');
    delete held.release;
    const next = createClient([breaker], { fetch: hanging })('https://api.test/x');
    while (held.release === undefined) await new Promise((r) => setTimeout(r, 1));
    (held.release as () => void)();
    expect((await next).status).toBe(200);
    expect(breaker.circuits().get('https://api.test')!.state).toBe('closed');
  });
});
