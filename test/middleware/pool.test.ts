import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  PoolTimeoutError,
  TotalTimeoutError,
  baseUrl,
  createClient,
  defineMiddleware,
  pool,
  deadlineSlot,
  type FetchFunction,
  type FetchpipeEvent,
} from '../../src/index.ts';
import { startServer, type LocalServer } from '../support/server.ts';
import { trackTimers } from '../support/timers.ts';

/** A fetch whose responses stream until the test ends them; records the order of sends. */
function held() {
  const sent: string[] = [];
  const bodies = new Map<string, ReadableStreamDefaultController<Uint8Array>>();
  const fetch: FetchFunction = async (input) => {
    const url = String(input);
    sent.push(url);
    return new Response(new ReadableStream<Uint8Array>({ start: (c) => void bodies.set(url, c) }));
  };
  const finish = (url: string) => {
    bodies.get(url)!.enqueue(new TextEncoder().encode(url));
    bodies.get(url)!.close();
  };
  return { fetch, sent, finish };
}


const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('pool options', () => {
  it('refuses options of the wrong type, naming each', () => {
    expect(() => pool({ maxsize: 0 })).toThrow('pool: maxsize: expected a positive integer, received 0');
    expect(() => pool({ maxsize: 1.5 })).toThrow('pool: maxsize: expected a positive integer, received 1.5');
    expect(() => pool({ maxsize: '4' as never })).toThrow('pool: maxsize: expected a positive integer, received "4"');
    expect(() => pool({ block: 'yes' as never })).toThrow('pool: block: expected true or false, received "yes"');
    expect(() => pool({ poolTimeout: -1 })).toThrow('pool: poolTimeout: expected a non-negative number of milliseconds or null, received -1');
    expect(() => pool({ poolTimeout: '5' as never })).toThrow(ConfigError);
    expect(() => pool({ max_size: 4 } as never)).toThrow('pool: max_size: unknown option');
    expect(() => pool(null as never)).toThrow('pool: options: expected an options object, received null');
  });

  it('defaults to urllib3\'s maxsize 10, block false, poolTimeout null', () => {
    expect(pool().meta!.options).toEqual({ maxsize: 10, block: false, poolTimeout: null });
  });
});

describe('pool with a stub fetch', () => {
  const blocking = (maxsize: number, poolTimeout: number | null = null) => pool({ maxsize, block: true, poolTimeout });

  it('sends waiting requests in the order they came, one as each body ends', async () => {
    const { fetch, sent, finish } = held();
    const client = createClient([blocking(1)], { fetch });
    const responses = ['a', 'b', 'c', 'd'].map((name) => client(`http://h/${name}`));
    await tick();
    expect(sent).toEqual(['http://h/a']);
    for (const name of ['a', 'b', 'c']) {
      finish(`http://h/${name}`);
      const response = await responses[sent.length - 1]!;
      expect(await response.text()).toBe(`http://h/${name}`);
      await tick();
    }
    expect(sent).toEqual(['http://h/a', 'http://h/b', 'http://h/c', 'http://h/d']);
    finish('http://h/d');
    await (await responses[3]!).text();
  });

  it('frees a slot when the body is cancelled, when it errors, when fetch throws, and at once without a body', async () => {
    const outcomes: Array<() => Promise<Response>> = [
      async () => new Response(new ReadableStream()),
      async () => new Response(new ReadableStream({ pull: (c) => c.error(new Error('broken body')) })),
      async () => {
        throw new TypeError('fetch failed');
      },
      async () => new Response(null, { status: 204 }),
    ];
    let call = 0;
    const fetch: FetchFunction = () => (call < outcomes.length ? outcomes[call++]!() : Promise.resolve(new Response('last')));
    const client = createClient([blocking(1)], { fetch });
    const cancelled = await client('http://h/1');
    await cancelled.body!.cancel();
    await expect((await client('http://h/2')).text()).rejects.toThrow('broken body');
    await expect(client('http://h/3')).rejects.toThrow();
    expect((await client('http://h/4')).status).toBe(204);
    expect(await (await client('http://h/5')).text()).toBe('last');
  });

  it('caps each origin on its own, and each client on its own', async () => {
    const { fetch, sent, finish } = held();
    const limit = blocking(1);
    const one = createClient([limit], { fetch });
    const two = createClient([limit], { fetch });
    const pending = [one('http://a/1'), one('http://b/1'), two('http://a/2'), one('http://a/3')];
    await tick();
    expect(sent).toEqual(['http://a/1', 'http://b/1', 'http://a/2']);
    finish('http://a/1');
    await (await pending[0]!).text();
    await tick();
    expect(sent).toContain('http://a/3');
    for (const url of ['http://b/1', 'http://a/2', 'http://a/3']) finish(url);
    for (const response of await Promise.all(pending.slice(1))) await response.text();
  });

  it('counts relative URLs under one key until something resolves them', async () => {
    const { fetch, sent, finish } = held();
    const client = createClient([blocking(1), baseUrl('http://h/api/')], { fetch });
    const first = client('users');
    const second = client('teams');
    await tick();
    expect(sent).toEqual(['http://h/api/users']);
    finish('http://h/api/users');
    await (await first).text();
    await tick();
    finish('http://h/api/teams');
    expect(await (await second).text()).toBe('http://h/api/teams');
  });

  it('throws PoolTimeoutError with urllib3\'s message when no slot frees within poolTimeout', async () => {
    const { fetch, finish } = held();
    const client = createClient([blocking(1, 30)], { fetch });
    const first = client('http://h/held');
    const started = Date.now();
    const error = await client('http://h/waits?token=1').catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(error).toBeInstanceOf(PoolTimeoutError);
    expect((error as Error).message).toBe(
      "Pool is empty and a new connection can't be opened due to blocking mode. (http://h: GET http://h/waits?token=1 waited 30 ms)",
    );
    expect((error as PoolTimeoutError).request).toEqual({ method: 'GET', url: 'http://h/waits?token=1' });
    finish('http://h/held');
    await (await first).text();
  });

  it('fails at once with poolTimeout 0 when the origin is full', async () => {
    const { fetch, finish } = held();
    const client = createClient([blocking(1, 0)], { fetch });
    const first = client('http://h/held');
    await expect(client('http://h/other')).rejects.toBeInstanceOf(PoolTimeoutError);
    finish('http://h/held');
    await (await first).text();
  });

  it('lets an aborted waiter leave the queue at once with its reason, so the next in line goes first', async () => {
    const { fetch, sent, finish } = held();
    const client = createClient([blocking(1, 5_000)], { fetch });
    const first = client('http://h/a');
    const controller = new AbortController();
    const reason = new Error('not needed any more');
    const timers = trackTimers();
    let abandoned: Promise<Response>;
    try {
      abandoned = client('http://h/b', { signal: controller.signal });
      await Promise.resolve();
      expect(timers.live.size).toBe(1);
      controller.abort(reason);
      expect(timers.live.size).toBe(0);
    } finally {
      timers.restore();
    }
    const third = client('http://h/c');
    await expect(abandoned).rejects.toBe(reason);
    finish('http://h/a');
    await (await first).text();
    finish('http://h/c');
    expect(await (await third).text()).toBe('http://h/c');
    expect(sent).toEqual(['http://h/a', 'http://h/c']);
  });

  it('rejects at once a waiter whose signal is already aborted', async () => {
    const { fetch, finish } = held();
    const client = createClient([blocking(1)], { fetch });
    const first = client('http://h/a');
    const reason = new Error('gone');
    await expect(client('http://h/b', { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    finish('http://h/a');
    await (await first).text();
  });

  it('bounds the wait by a total deadline already set on the call', async () => {
    const { fetch, finish } = held();
    const deadline = defineMiddleware(async (request, next) => {
      if (request.url.endsWith('/late')) request.context.set(deadlineSlot, Date.now() + 20);
      return next(request);
    }, { name: 'deadline' });
    const client = createClient([deadline, blocking(1)], { fetch });
    const first = client('http://h/a');
    const error = await client('http://h/late').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TotalTimeoutError);
    expect((error as Error).message).toBe('Total timeout passed while GET http://h/late waited for a pool slot');
    finish('http://h/a');
    await (await first).text();
  });

  it('emits pool-wait with the origin and the queue length when a request has to queue', async () => {
    const { fetch, finish } = held();
    const events: FetchpipeEvent[] = [];
    const client = createClient([blocking(1)], { fetch, onEvent: (e) => events.push(e) });
    const first = client('http://h:8080/a');
    const second = client('http://h:8080/b');
    await tick();
    expect(events.filter((e) => e.type === 'pool-wait')).toMatchObject([{ origin: 'http://h:8080', queued: 1, url: 'http://h:8080/b' }]);
    finish('http://h:8080/a');
    await (await first).text();
    await tick();
    finish('http://h:8080/b');
    await (await second).text();
  });

  it('keeps url, status and headers of the response it wraps', async () => {
    const fetch: FetchFunction = async () => {
      const response = new Response('x', { status: 202, statusText: 'Later', headers: { 'x-a': '1' } });
      Object.defineProperty(response, 'url', { value: 'http://h/final' });
      return response;
    };
    const response = await createClient([blocking(2)], { fetch })('http://h/x');
    expect([response.url, response.status, response.statusText, response.headers.get('x-a')]).toEqual(['http://h/final', 202, 'Later', '1']);
  });
});

describe('pool against a real server counting concurrent requests', () => {
  let server: LocalServer;
  let active = 0;
  let peak = 0;

  beforeAll(async () => {
    server = await startServer(async (_req, res) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, 40));
      active--;
      res.end('done');
    });
  });
  afterAll(() => server.close());

  const burst = async (middlewares: Parameters<typeof createClient>[0], count: number) => {
    peak = 0;
    const client = createClient(middlewares);
    // Each body is read as soon as its response arrives: a slot is held until then.
    return Promise.all(Array.from({ length: count }, (_, i) => client(`${server.origin}/${i}`).then((r) => r.text())));
  };

  it('keeps at most maxsize requests in flight to the origin with block: true', async () => {
    const bodies = await burst([pool({ maxsize: 3, block: true })], 9);
    expect(bodies).toEqual(Array(9).fill('done'));
    expect(peak).toBe(3);
  });

  it('puts no cap on requests with block: false, as urllib3 opens extra connections', async () => {
    await burst([pool({ maxsize: 2 })], 6);
    expect(peak).toBe(6);
  });
});
