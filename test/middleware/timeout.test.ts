import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  deadlineSlot,
  ConfigError,
  ReadTimeoutError,
  TotalTimeoutError,
  createClient,
  defineMiddleware,
  timeout,
  type FetchFunction,
  type FetchpipeRequest,
  type Middleware,
} from '../../src/index.ts';
import { startServer, type LocalServer } from '../support/server.ts';
import { trackTimers } from '../support/timers.ts';


/** A fetch that never answers, and rejects with the signal's reason once aborted, as platform fetch does. */
const hangingFetch: FetchFunction = (_input, init) =>
  new Promise((_resolve, reject) => {
    const signal = init!.signal!;
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('timeout options', () => {
  it('takes one number for both, a (connect, read) pair, an object, or null', () => {
    expect(timeout(500).meta!.options).toEqual({ connect: 500, read: 500, total: null });
    expect(timeout([300, 2_700]).meta!.options).toEqual({ connect: 300, read: 2_700, total: null });
    expect(timeout({ read: 100, total: 1_000 }).meta!.options).toEqual({ connect: null, read: 100, total: 1_000 });
    expect(timeout(null).meta!.options).toEqual({ connect: null, read: null, total: null });
  });

  it('refuses a tuple that is not exactly two numbers, saying to pass a (connect, read) pair or a single number', () => {
    for (const bad of [[1, 2, 3], [1], [], ['1', 2], [1, -2]]) {
      expect(() => timeout(bad as never)).toThrow(ConfigError);
      expect(() => timeout(bad as never)).toThrow(/^timeout: options: expected a \(connect, read\) pair or a single number/);
    }
  });

  it('refuses a string, zero, a negative, infinite or missing value with a ConfigError', () => {
    for (const bad of ['5s', 0, -1, Number.POSITIVE_INFINITY, Number.NaN, undefined, true, 2 ** 31]) {
      expect(() => timeout(bad as never)).toThrow(/^timeout: options: expected a \(connect, read\) pair or a single number/);
    }
  });

  it('names the option for a wrong connect, read or total, and refuses unknown keys', () => {
    expect(() => timeout({ connect: '1' as never })).toThrow('timeout: connect: expected a positive number of milliseconds');
    expect(() => timeout({ read: -1 })).toThrow('timeout: read: expected a positive number of milliseconds');
    expect(() => timeout({ total: false as never })).toThrow('timeout: total: expected a positive number of milliseconds');
    expect(() => timeout({ reed: 1 } as never)).toThrow('timeout: reed: unknown option');
  });
});

describe('timeout with a stub fetch', () => {
  it('passes the request through untouched when nothing is bounded', async () => {
    const seen: FetchpipeRequest[] = [];
    const end = defineMiddleware(async (request) => {
      seen.push(request);
      return new Response('ok');
    }, { name: 'end' });
    const signal = new AbortController().signal;
    for (const options of [null, { connect: 1_000 }] as const) {
      await createClient([timeout(options), end])('http://h/x', { signal });
      expect(seen.pop()!.signal).toBe(signal);
    }
  });

  it('rejects a call whose fetch never answers with ReadTimeoutError after the read time, leaving no timer', async () => {
    const timers = trackTimers();
    try {
      const client = createClient([timeout({ read: 30 })], { fetch: hangingFetch });
      const started = Date.now();
      const error = await client('http://h/x?api=1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ReadTimeoutError);
      expect((error as Error).message).toBe('Read timed out waiting for the response headers (read timeout=30 ms) for GET http://h/x?api=1');
      expect(Date.now() - started).toBeGreaterThanOrEqual(25);
      expect(timers.live.size).toBe(0);
    } finally {
      timers.restore();
    }
  });

  it('says ReadTimeoutError even when the fetch rejects with its own AbortError', async () => {
    const fetch: FetchFunction = (_input, init) =>
      new Promise((_resolve, reject) => {
        init!.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    await expect(createClient([timeout(20)], { fetch })('http://h/x')).rejects.toBeInstanceOf(ReadTimeoutError);
  });

  it('rejects with the caller\'s own reason when the caller aborts, before the headers or during the body', async () => {
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    const pending = createClient([timeout(5_000)], { fetch: hangingFetch })('http://h/x', { signal: controller.signal });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);

    const later = new AbortController();
    const stalled: FetchFunction = async (_input, init) => {
      const body = new ReadableStream<Uint8Array>({
        start(out) {
          out.enqueue(new Uint8Array([1]));
          init!.signal!.addEventListener('abort', () => out.error(init!.signal!.reason));
        },
      });
      return new Response(body);
    };
    const response = await createClient([timeout(5_000)], { fetch: stalled })('http://h/x', { signal: later.signal });
    const reader = response.body!.getReader();
    await reader.read();
    later.abort(reason);
    await expect(reader.read()).rejects.toBe(reason);
  });

  it('rejects at once with the caller\'s reason when the signal was already aborted, sending nothing', async () => {
    let sent = 0;
    const fetch: FetchFunction = async () => {
      sent++;
      return new Response('ok');
    };
    const reason = new Error('too late');
    await expect(createClient([timeout(100)], { fetch })('http://h/x', { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(sent).toBe(0);
  });

  it('gives a second attempt a fresh signal after the first one timed out', async () => {
    const signals: AbortSignal[] = [];
    let calls = 0;
    const fetch: FetchFunction = (input, init) => {
      signals.push(init!.signal!);
      return ++calls === 1 ? hangingFetch(input, init) : Promise.resolve(new Response('second'));
    };
    const twice: Middleware = defineMiddleware(async function twice(request, next) {
      await expect(next(request)).rejects.toBeInstanceOf(ReadTimeoutError);
      return next({ ...request, attempt: 2 });
    }, { name: 'twice' });
    const response = await createClient([twice, timeout(20)], { fetch })('http://h/x');
    expect(await response.text()).toBe('second');
    expect(signals).toHaveLength(2);
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[1]).not.toBe(signals[0]);
    expect(signals[1]!.aborted).toBe(false);
  });

  it('keeps url, status, statusText, headers and redirected of the response it wraps', async () => {
    const fetch: FetchFunction = async () => {
      const response = new Response('body', { status: 201, statusText: 'Made', headers: { 'x-a': '1' } });
      Object.defineProperties(response, { url: { value: 'http://h/final' }, redirected: { value: true } });
      return response;
    };
    const response = await createClient([timeout(1_000)], { fetch })('http://h/x');
    expect([response.url, response.status, response.statusText, response.headers.get('x-a'), response.redirected]).toEqual([
      'http://h/final', 201, 'Made', '1', true,
    ]);
    expect(await response.text()).toBe('body');
  });

  it('leaves a body-less response as it is', async () => {
    const original = new Response(null, { status: 204 });
    const response = await createClient([timeout(1_000)], { fetch: async () => original })('http://h/x');
    expect(response).toBe(original);
  });

  it('clears the idle timer when the body is cancelled', async () => {
    const timers = trackTimers();
    try {
      let cancelled: unknown;
      const fetch: FetchFunction = async () =>
        new Response(new ReadableStream({ cancel: (reason) => void (cancelled = reason) }));
      const response = await createClient([timeout(1_000)], { fetch })('http://h/x');
      const reader = response.body!.getReader();
      const read = reader.read();
      expect(timers.live.size).toBe(1);
      await reader.cancel('done with it');
      await read;
      expect(cancelled).toBe('done with it');
      expect(timers.live.size).toBe(0);
    } finally {
      timers.restore();
    }
  });
});

describe('timeout total', () => {
  it('sets the deadline on the first attempt and bounds each later attempt by what is left', async () => {
    const deadlines: Array<number | undefined> = [];
    const started = Date.now();
    const spy: Middleware = defineMiddleware(async function spy(request, next) {
      deadlines.push(request.context.get(deadlineSlot));
      return next(request);
    }, { name: 'spy' });
    const twice: Middleware = defineMiddleware(async function twice(request, next) {
      await expect(next(request)).rejects.toBeInstanceOf(ReadTimeoutError);
      return next(request);
    }, { name: 'twice' });
    const error = await createClient([twice, timeout({ read: 40, total: 70 }), spy], { fetch: hangingFetch })('http://h/x').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TotalTimeoutError);
    expect((error as Error).message).toBe('Total timeout of 70 ms passed for GET http://h/x');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(65);
    expect(elapsed).toBeLessThan(1_000);
    expect(deadlines[0]).toBe(deadlines[1]);
    expect(deadlines[0]).toBeGreaterThanOrEqual(started + 70);
  });

  it('throws TotalTimeoutError without sending when the deadline has already passed', async () => {
    let sent = 0;
    const fetch: FetchFunction = async () => {
      sent++;
      return new Response('ok');
    };
    const late: Middleware = defineMiddleware(async function late(request, next) {
      await next(request);
      await sleep(30);
      return next(request);
    }, { name: 'late' });
    await expect(createClient([late, timeout({ total: 10 })], { fetch })('http://h/x')).rejects.toBeInstanceOf(TotalTimeoutError);
    expect(sent).toBe(1);
  });

  it('ends at the response headers: a body read after the deadline is still delivered', async () => {
    const fetch: FetchFunction = async () =>
      new Response(
        new ReadableStream({
          async pull(out) {
            await sleep(40);
            out.enqueue(new TextEncoder().encode('late'));
            out.close();
          },
        }),
      );
    const response = await createClient([timeout({ total: 20 })], { fetch })('http://h/x');
    expect(await response.text()).toBe('late');
  });
});

describe('timeout against a real server', () => {
  let server: LocalServer;
  const pending = new Set<ReturnType<typeof setTimeout>>();
  const later = (ms: number, fn: () => void) => {
    const id = setTimeout(() => {
      pending.delete(id);
      fn();
    }, ms);
    pending.add(id);
  };

  beforeAll(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/hang') return; // never answers
      if (req.url === '/trickle') {
        // Headers at once, then a gap far longer than the read timeout.
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first ');
        later(500, () => res.end('second'));
        return;
      }
      if (req.url === '/steady') {
        // Five chunks 30 ms apart: 150 ms in all, but never idle for the 100 ms read timeout.
        res.writeHead(200);
        let sent = 0;
        const tick = () => {
          if (++sent === 5) return void res.end(String(sent));
          res.write(String(sent));
          later(30, tick);
        };
        later(30, tick);
        return;
      }
      res.end('ok');
    });
  });
  afterEach(() => {
    for (const id of pending) clearTimeout(id);
    pending.clear();
  });
  afterAll(() => server.close());

  it('turns a server that hangs before its headers into ReadTimeoutError after the read time', async () => {
    const client = createClient([timeout({ read: 100 })]);
    const started = Date.now();
    const error = await client(`${server.origin}/hang`).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(ReadTimeoutError);
    expect((error as ReadTimeoutError).request).toEqual({ method: 'GET', url: `${server.origin}/hang` });
    expect(elapsed).toBeGreaterThanOrEqual(90);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('errors the body stream with ReadTimeoutError when the body trickles slower than the read time', async () => {
    const response = await createClient([timeout(100)])(`${server.origin}/trickle`);
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${server.origin}/trickle`);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    expect((await reader.read()).value).toBe('first ');
    const error = await reader.read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReadTimeoutError);
    expect((error as Error).message).toBe(
      `Read timed out between two chunks of the body (read timeout=100 ms) for GET ${server.origin}/trickle`,
    );
  });

  it('lets a slow body through whose every gap is shorter than the read time', async () => {
    const response = await createClient([timeout(100)])(`${server.origin}/steady`);
    expect(await response.text()).toBe('12345');
  });

  it('retries on a fresh signal after a timed-out attempt against the hanging server', async () => {
    const twice: Middleware = defineMiddleware(async function twice(request, next) {
      await expect(next(request)).rejects.toBeInstanceOf(ReadTimeoutError);
      return next({ ...request, url: `${server.origin}/ok`, attempt: 2 });
    }, { name: 'twice' });
    const response = await createClient([twice, timeout(80)])(`${server.origin}/hang`);
    expect(await response.text()).toBe('ok');
  });
});
