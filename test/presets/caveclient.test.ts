import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, ConnectionError, InvalidHeaderError, MaxRetryError, TooManyRedirectsError, createClient } from '../../src/index.ts';
import { caveclient, getSessionDefaults, setSessionDefaults } from '../../src/presets/index.ts';
import { recordingClock } from '../../src/testing/index.ts';
import { closedPort, startServer, type LocalServer } from '../support/server.ts';

let server: LocalServer;
beforeEach(async () => {
  setSessionDefaults();
  // Answers the status named in the path, always: /503 → 503.
  server = await startServer((req, res) => {
    res.statusCode = Number(req.url!.slice(1, 4)) || 200;
    res.end('body');
  });
});
afterEach(async () => {
  setSessionDefaults();
  await server.close();
});

async function trace(method: string, path: string, overrides: Parameters<typeof caveclient>[0] = {}) {
  const clock = recordingClock();
  const client = createClient(caveclient({ ...overrides, clock }));
  const init: RequestInit = method === 'GET' ? {} : { method, body: 'payload' };
  const outcome = await client(server.origin + path, init).then(
    (response) => ({ response, error: undefined as unknown }),
    (error: unknown) => ({ response: undefined, error }),
  );
  return { ...outcome, attempts: server.requests.length, waits: clock.waits.map((ms) => ms / 1000) };
}

describe('caveclient() traces (SPEC §9), against a real server', () => {
  it.each(['GET', 'POST'])('%s that always gets 503: 4 attempts, waits 0, 0.2, 0.4 s, then the 503 is returned', async (method) => {
    const { response, attempts, waits } = await trace(method, '/503');
    expect(attempts).toBe(4);
    expect(waits).toEqual([0, 0.2, 0.4]);
    expect(response!.status).toBe(503);
    expect(await response!.text()).toBe('body');
  });
  it('PUT 503: 1 attempt', async () => {
    const { response, attempts } = await trace('PUT', '/503');
    expect(attempts).toBe(1);
    expect(response!.status).toBe(503);
  });
  it('GET 500: 1 attempt', async () => {
    const { response, attempts } = await trace('GET', '/500');
    expect(attempts).toBe(1);
    expect(response!.status).toBe(500);
  });
  it('a closed port: 4 attempts, waits 0, 0.2, 0.4 s, then ConnectionError through MaxRetryError', async () => {
    const port = await closedPort();
    const clock = recordingClock();
    let attempts = 0;
    const client = createClient(caveclient({ clock }), {
      fetch: (input, init) => (attempts++, fetch(input, init)),
    });
    const error = await client(`http://127.0.0.1:${port}/x`).catch((e: unknown) => e);
    expect(attempts).toBe(4);
    expect(clock.waits).toEqual([0, 200, 400]);
    expect(error).toBeInstanceOf(MaxRetryError);
    expect((error as MaxRetryError).reason).toBeInstanceOf(ConnectionError);
    expect(((error as MaxRetryError).reason as ConnectionError).phase).toBe('connect');
  });
  it('honours an explicit maxRetries 0 per client', async () => {
    const { attempts, response } = await trace('GET', '/503', { maxRetries: 0 });
    expect(attempts).toBe(1);
    expect(response!.status).toBe(503);
  });
  it('limits requests in flight per origin with poolBlock and poolMaxsize', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow = await startServer(async (_req, res) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 20));
      inFlight--;
      res.end('ok');
    });
    try {
      const client = createClient(caveclient({ poolBlock: true, poolMaxsize: 2 }));
      const responses = await Promise.all(Array.from({ length: 6 }, () => client(slow.url).then((r) => r.text())));
      expect(responses).toEqual(Array(6).fill('ok'));
      expect(peak).toBe(2);
    } finally {
      await slow.close();
    }
  });
});

describe('session defaults', () => {
  it('start at CAVEclient’s documented values', () => {
    expect(getSessionDefaults()).toEqual({
      maxRetries: 3,
      poolBlock: false,
      poolMaxsize: 10,
      backoffFactor: 0.1,
      backoffMax: 120,
      statusForcelist: [502, 503, 504],
    });
  });
  it('apply to presets created after the call, and leave earlier clients as they were', async () => {
    const before = createClient(caveclient({ clock: recordingClock() }));
    setSessionDefaults({ maxRetries: 1, backoffFactor: 0.5, statusForcelist: [500] });
    const clock = recordingClock();
    const after = createClient(caveclient({ clock }));
    await after(server.origin + '/500');
    expect(server.requests).toHaveLength(2);
    expect(clock.waits).toEqual([0]);
    await before(server.origin + '/500');
    expect(server.requests).toHaveLength(3); // 500 is not in the old forcelist: one attempt
    await before(server.origin + '/503');
    expect(server.requests).toHaveLength(7); // the old budget of 3 retries
  });
  it('reset every option left out, and setSessionDefaults() restores them all', () => {
    setSessionDefaults({ maxRetries: 5, backoffMax: 240 });
    setSessionDefaults({ backoffFactor: 0.5 });
    expect(getSessionDefaults()).toMatchObject({ maxRetries: 3, backoffMax: 120, backoffFactor: 0.5 });
    setSessionDefaults();
    expect(getSessionDefaults().backoffFactor).toBe(0.1);
  });
  it('hand out a copy: changing it changes nothing', () => {
    const copy = getSessionDefaults() as unknown as { maxRetries: number; statusForcelist: number[] };
    copy.maxRetries = 99;
    copy.statusForcelist.push(599);
    expect(getSessionDefaults().maxRetries).toBe(3);
    expect(getSessionDefaults().statusForcelist).toEqual([502, 503, 504]);
  });
  it('reject bad input with a ConfigError that changes nothing', () => {
    setSessionDefaults({ maxRetries: 7 });
    expect(() => setSessionDefaults({ backoffFactor: -1 })).toThrow(ConfigError);
    expect(() => setSessionDefaults({ backoffFactor: -1 })).toThrow(
      'setSessionDefaults: backoffFactor: expected a non-negative number of seconds, received -1',
    );
    expect(getSessionDefaults().maxRetries).toBe(7);
  });
  it.each([
    [{ maxRetries: -1 }, 'setSessionDefaults: maxRetries: expected a non-negative integer, received -1'],
    [{ poolBlock: 'no' }, 'setSessionDefaults: poolBlock: expected true or false, received "no"'],
    [{ poolMaxsize: 0 }, 'setSessionDefaults: poolMaxsize: expected a positive integer, received 0'],
    [{ backoffMax: 'x' }, 'setSessionDefaults: backoffMax: expected a non-negative number of seconds, received "x"'],
    [{ statusForcelist: [1000] }, 'setSessionDefaults: statusForcelist.0: expected an HTTP status from 100 to 599, received 1000'],
    [{ max_retries: 3 }, 'setSessionDefaults: max_retries: unknown option'],
  ])('names the option for %j', (options, message) => {
    expect(() => setSessionDefaults(options as never)).toThrow(message);
  });
  it.each([
    [{ maxRetries: 1.5 }, 'caveclient: maxRetries: expected a non-negative integer, received 1.5'],
    [{ poolBlock: 1 }, 'caveclient: poolBlock: expected true or false, received 1'],
    [{ poolMaxsize: -2 }, 'caveclient: poolMaxsize: expected a positive integer, received -2'],
    [{ backoffFactor: 1 }, 'caveclient: backoffFactor: unknown option'],
    [{ clock: 3 }, 'caveclient: clock: expected a clock object, received 3'],
  ])('caveclient() names the option for %j', (options, message) => {
    expect(() => caveclient(options as never)).toThrow(message);
  });
});

describe('caveclient() follows redirects as requests does (issue #15), against a real server', () => {
  let hops: LocalServer;
  let answered = new Map<string, number>();
  beforeEach(async () => {
    answered = new Map();
    hops = await startServer((req, res) => {
      const path = req.url!;
      const n = (answered.get(path) ?? 0) + 1;
      answered.set(path, n);
      if (path === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
      if (path === '/put') return void res.writeHead(302, { location: '/landed' }).end();
      if (path === '/away') return void res.writeHead(302, { location: '/flaky' }).end();
      // Fails twice, then answers: the hop needs retries of its own.
      if (path === '/flaky') return void res.writeHead(n <= 2 ? 503 : 200).end();
      if (path === '/bad-retry-after') return void res.writeHead(503, { 'retry-after': 'foo' }).end();
      res.end('landed');
    });
  });
  afterEach(() => hops.close());

  it('a redirect target answering 503, 503, 200 gets its own retries and succeeds, with maxRetries 2', async () => {
    const clock = recordingClock();
    const response = await createClient(caveclient({ maxRetries: 2, clock }))(`${hops.origin}/away`);
    expect(response.status).toBe(200);
    expect(hops.requests.map((r) => r.url)).toEqual(['/away', '/flaky', '/flaky', '/flaky']);
    expect(clock.waits).toEqual([0, 200]);
  });

  it('a PUT with a body that gets a 302 goes on as a GET without the body', async () => {
    await createClient(caveclient({ clock: recordingClock() }))(`${hops.origin}/put`, { method: 'PUT', body: 'payload', headers: { 'content-type': 'text/plain' } });
    expect(hops.requests.map((r) => [r.method, r.url, r.body.toString(), r.headers['content-type']])).toEqual([
      ['PUT', '/put', 'payload', 'text/plain'],
      ['GET', '/landed', '', undefined],
    ]);
  });

  it('a redirect loop stops after 30 redirects with TooManyRedirectsError, never retried: 31 requests', async () => {
    const error = await createClient(caveclient({ clock: recordingClock() }))(`${hops.origin}/loop`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooManyRedirectsError);
    expect((error as Error).message).toBe('Exceeded 30 redirects.');
    expect(hops.requests).toHaveLength(31);
  });

  it('an invalid Retry-After raises InvalidHeaderError after one request, as urllib3 raises InvalidHeader', async () => {
    const error = await createClient(caveclient({ clock: recordingClock() }))(`${hops.origin}/bad-retry-after`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidHeaderError);
    expect(hops.requests).toHaveLength(1);
  });

  it('setSessionDefaults({ statusForcelist: null }) forces no status', async () => {
    setSessionDefaults({ statusForcelist: null });
    expect(getSessionDefaults().statusForcelist).toBeNull();
    const response = await createClient(caveclient({ clock: recordingClock() }))(`${hops.origin}/flaky`);
    expect(response.status).toBe(503);
    expect(hops.requests).toHaveLength(1);
  });
});
