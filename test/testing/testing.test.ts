import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { backoff, createClient, isConfigError, isConnectionError, isMaxRetryError, retry } from '../../src/index.ts';
import { caveclient, qbraid } from '../../src/presets/index.ts';
import { sequenceHandler } from '../../src/testing/msw.ts';
import { recordingClock, sequence } from '../../src/testing/index.ts';

const URL_ = 'https://api.example.test/v1/items';

function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(isConfigError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('sequence() as a fetch', () => {
  it('plays 503, 503, 200 in order and counts the calls', async () => {
    const backend = sequence([503, 503, 200]);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await backend(URL_)).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(backend.calls).toBe(3);
  });

  it('repeats the last step once every step was played', async () => {
    const backend = sequence([500, { status: 200, body: 'ok' }]);
    await backend(URL_);
    const texts = [await (await backend(URL_)).text(), await (await backend(URL_)).text()];
    expect(texts).toEqual(['ok', 'ok']);
    expect(backend.calls).toBe(3);
  });

  it('fails a call past the end when repeatLast is false', async () => {
    const backend = sequence([200], { repeatLast: false });
    await backend(URL_);
    await expect(backend(URL_)).rejects.toThrow('sequence: call 2 arrived after all 1 steps were played (repeatLast: false)');
  });

  it('answers with the status, status text, headers and body of a response step', async () => {
    const backend = sequence([{ status: 429, statusText: 'Slow Down', headers: { 'Retry-After': '7' }, body: 'later' }]);
    const response = await backend(URL_);
    expect([response.status, response.statusText, response.headers.get('retry-after'), await response.text()]).toEqual([
      429,
      'Slow Down',
      '7',
      'later',
    ]);
  });

  it('sends a json step as JSON with its content type', async () => {
    const response = await sequence([{ json: { id: 1 } }])(URL_);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ id: 1 });
  });

  it('drops the body of a 204, which a Response may not carry', async () => {
    const response = await sequence([{ status: 204, body: 'ignored' }])(URL_);
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('gives each response the URL it answered', async () => {
    const response = await sequence([200])(new URL(URL_));
    expect(response.url).toBe(URL_);
  });

  it('records the method, URL, headers and body text of every request', async () => {
    const backend = sequence([200]);
    await backend(URL_, { method: 'post', headers: { 'X-Trace': 'a' }, body: JSON.stringify({ n: 1 }) });
    await backend(URL_, { method: 'PUT', body: new URLSearchParams({ q: 'x y' }) });
    await backend(new Request(URL_, { method: 'PATCH', headers: { 'x-from': 'request' }, body: 'patched' }));
    await backend(URL_);
    expect(backend.requests).toEqual([
      { method: 'POST', url: URL_, headers: { 'x-trace': 'a' }, body: '{"n":1}' },
      { method: 'PUT', url: URL_, headers: {}, body: 'q=x+y' },
      { method: 'PATCH', url: URL_, headers: { 'x-from': 'request', 'content-type': 'text/plain;charset=UTF-8' }, body: 'patched' },
      { method: 'GET', url: URL_, headers: {}, body: null },
    ]);
  });

  it("fails a 'network-error' step as a browser does, which fetchpipe maps to a read-phase ConnectionError", async () => {
    const backend = sequence(['network-error']);
    await expect(backend(URL_)).rejects.toThrow(new TypeError('Failed to fetch'));
    const error = await createClient([], { fetch: backend })(URL_).catch((e: unknown) => e);
    expect(isConnectionError(error) && error.phase).toBe('read');
  });

  it("fails a 'connection-refused' step as undici does, which fetchpipe maps to a connect-phase ConnectionError", async () => {
    const error = await createClient([], { fetch: sequence(['connection-refused']) })(URL_).catch((e: unknown) => e);
    expect(isConnectionError(error) && error.phase).toBe('connect');
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('rejects with the reason of an aborted signal, as fetch does', async () => {
    const reason = new Error('stop');
    const backend = sequence([200]);
    await expect(backend(URL_, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(backend.calls).toBe(1);
  });

  it('answers a Request through respond(), with Response.error() for a network failure', async () => {
    const backend = sequence([{ status: 201, body: 'made' }, 'connection-refused']);
    const made = await backend.respond(new Request(URL_, { method: 'POST', body: 'a' }));
    const failed = await backend.respond(new Request(URL_));
    expect([made.status, await made.text(), failed.type]).toEqual([201, 'made', 'error']);
    expect(backend.requests.map((r) => [r.method, r.body])).toEqual([
      ['POST', 'a'],
      ['GET', null],
    ]);
  });

  it('refuses bad steps and options with a ConfigError naming sequence and the option', () => {
    expect(configError(() => sequence('503' as never))).toBe('sequence: options: expected a non-empty array of steps, received "503"');
    expect(configError(() => sequence([]))).toBe('sequence: options: expected a non-empty array of steps, received an array of 0');
    expect(configError(() => sequence([99]))).toBe('sequence: 0: expected an HTTP status from 200 to 599, received 99');
    expect(configError(() => sequence([200, 'timeout' as never]))).toBe(
      "sequence: 1: expected a status, a response object, 'network-error' or 'connection-refused', received \"timeout\"",
    );
    expect(configError(() => sequence([{ status: 100 }]))).toBe('sequence: 0.status: expected an HTTP status from 200 to 599, received 100');
    expect(configError(() => sequence([{ status: 200, bdy: 'x' } as never]))).toBe('sequence: 0.bdy: unknown option');
    expect(configError(() => sequence([200], { repeatLast: 'yes' as never }))).toBe(
      'sequence: repeatLast: expected true or false, received "yes"',
    );
    expect(configError(() => sequence([200], { repeat: true } as never))).toBe('sequence: repeat: unknown option');
  });
});

describe('recordingClock()', () => {
  it('resolves every sleep at once, records it in milliseconds and moves now() by it', async () => {
    const clock = recordingClock({ start: 1_000 });
    await clock.sleep(200);
    await clock.sleep(400);
    expect(clock.waits).toEqual([200, 400]);
    expect(clock.now()).toBe(1_600);
  });

  it('starts now() at the current time by default', () => {
    const before = Date.now();
    expect(recordingClock().now()).toBeGreaterThanOrEqual(before);
  });

  it('returns 0 from random() by default, or the value or function given', () => {
    let i = 0;
    expect([recordingClock().random(), recordingClock({ random: 0.5 }).random(), recordingClock({ random: () => ++i / 10 }).random()]).toEqual([
      0, 0.5, 0.1,
    ]);
  });

  it('rejects a sleep on an aborted signal with its reason and records nothing', async () => {
    const clock = recordingClock();
    const reason = new Error('cancelled');
    await expect(clock.sleep(100, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(clock.waits).toEqual([]);
  });

  it('rejects a sleep whose signal aborts before it resolves', async () => {
    const clock = recordingClock({ start: 0 });
    const controller = new AbortController();
    const sleeping = clock.sleep(100, controller.signal);
    controller.abort(new Error('late'));
    await expect(sleeping).rejects.toThrow('late');
    expect([clock.waits, clock.now()]).toEqual([[], 0]);
  });

  it('rejects a negative or non-finite wait, which only a bug would ask for', async () => {
    const clock = recordingClock();
    await expect(clock.sleep(-1)).rejects.toThrow(new RangeError('recordingClock: sleep: expected a non-negative number of milliseconds, received -1'));
    await expect(clock.sleep(Number.NaN)).rejects.toThrow(RangeError);
  });

  it('refuses bad options with a ConfigError naming recordingClock and the option', () => {
    expect(configError(() => recordingClock({ random: 1 }))).toBe('recordingClock: random: expected a number from 0 to 1 (exclusive), received 1');
    expect(configError(() => recordingClock({ random: 'x' as never }))).toBe(
      'recordingClock: random: expected a number from 0 to 1 (exclusive) or a function returning one, received "x"',
    );
    expect(configError(() => recordingClock({ start: '0' as never }))).toBe(
      'recordingClock: start: expected a number of milliseconds since the epoch, received "0"',
    );
    expect(configError(() => recordingClock({ now: 0 } as never))).toBe('recordingClock: now: unknown option');
  });
});

describe('under vitest fake timers', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs a full retry schedule through sequence() and recordingClock() without advancing timers', async () => {
    vi.useFakeTimers();
    const clock = recordingClock();
    const backend = sequence([503, 'network-error', 503, 200]);
    const client = createClient([retry({ total: 3, statusForcelist: [503] }), backoff({ factor: 100, max: 120_000, clock })], {
      fetch: backend,
    });
    const response = await client(URL_);
    expect(response.status).toBe(200);
    expect(backend.calls).toBe(4);
    // urllib3's schedule for backoff_factor 0.1: 0, 0.2 s, 0.4 s.
    expect(clock.waits).toEqual([0, 200, 400]);
  });

  it('waits what Retry-After says, and gives up with the history when the budget is spent', async () => {
    vi.useFakeTimers();
    const clock = recordingClock();
    const backend = sequence([{ status: 503, headers: { 'retry-after': '3' } }, 503]);
    const client = createClient([retry({ total: 3, statusForcelist: [503] }), backoff({ factor: 500, clock })], { fetch: backend });
    const error = await client(URL_).catch((e: unknown) => e);
    expect(isMaxRetryError(error) && error.history.map((entry) => entry.status)).toEqual([503, 503, 503, 503]);
    expect(backend.calls).toBe(4);
    expect(clock.waits).toEqual([3_000, 1_000, 2_000]);
  });

  it('lets an abort during a wait end the call with the reason', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const clock = recordingClock();
    const reason = new Error('user left');
    const sleep = clock.sleep;
    clock.sleep = (ms, signal) => {
      controller.abort(reason);
      return sleep(ms, signal);
    };
    const client = createClient([retry({ total: 5, statusForcelist: [503] }), backoff({ factor: 100, clock })], { fetch: sequence([503]) });
    await expect(client(URL_, { signal: controller.signal })).rejects.toBe(reason);
    expect(clock.waits).toEqual([]);
  });
});

describe('with the presets', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("reproduces caveclient's trace under fake timers: 4 attempts, waits 0, 0.2, 0.4 s, the last 503 returned", async () => {
    vi.useFakeTimers();
    const clock = recordingClock();
    const backend = sequence([503]);
    const response = await createClient(caveclient({ clock }), { fetch: backend })(URL_, { method: 'POST', body: 'x' });
    expect([response.status, backend.calls, clock.waits]).toEqual([503, 4, [0, 200, 400]]);
    expect(backend.requests.every((r) => r.method === 'POST' && r.body === 'x')).toBe(true);
  });

  it("reproduces qbraid's refused-connection trace: 2 attempts, then an error", async () => {
    vi.useFakeTimers();
    const clock = recordingClock();
    const backend = sequence(['connection-refused']);
    const client = createClient(qbraid({ baseUrl: 'https://api.example.test/', authHeaders: { 'api-key': 'k-123' }, clock }), { fetch: backend });
    const error = await client('jobs').catch((e: unknown) => e);
    expect(isMaxRetryError(error)).toBe(true);
    expect(JSON.stringify(error)).not.toContain('k-123');
    expect([backend.calls, clock.waits, backend.requests[0]!.url]).toEqual([2, [0], 'https://api.example.test/jobs']);
  });
});

describe('sequenceHandler() with msw', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    vi.useRealTimers();
  });
  afterAll(() => server.close());

  it('plays 503, network error, 200 through the global fetch under fake timers', async () => {
    vi.useFakeTimers();
    const backend = sequenceHandler('https://api.example.test/*', [503, 'network-error', { status: 200, json: { ok: true } }]);
    server.use(backend.handler);
    const clock = recordingClock();
    const client = createClient([retry({ total: 3, statusForcelist: [503] }), backoff({ factor: 100, clock })]);
    const response = await client(URL_, { method: 'PUT', headers: { 'x-trace': '1' }, body: '{"n":1}' });
    expect(await response.json()).toEqual({ ok: true });
    expect(backend.calls).toBe(3);
    expect(clock.waits).toEqual([0, 200]);
    expect(backend.requests.map((r) => [r.method, r.url, r.headers['x-trace'], r.body])).toEqual(
      Array.from({ length: 3 }, () => ['PUT', URL_, '1', '{"n":1}']),
    );
  });

  it('turns a network failure step into a ConnectionError fetchpipe can retry', async () => {
    const backend = sequenceHandler('https://api.example.test/*', ['connection-refused']);
    server.use(backend.handler);
    const error = await createClient([retry({ total: 1 })])(URL_).catch((e: unknown) => e);
    expect(isMaxRetryError(error) && isConnectionError(error.reason)).toBe(true);
    expect(backend.calls).toBe(2);
  });
});
