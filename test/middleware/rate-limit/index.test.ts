import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TotalTimeoutError, createClient, explain, retry, timeout, type AttemptRecord, type Middleware } from '../../../src/index.ts';
import { RateLimitError, rateLimit } from '../../../src/middleware/rate-limit/index.ts';
import { recordingClock, sequence, type RecordingClock } from '../../../src/testing/index.ts';
import { startServer, type LocalServer } from '../../support/server.ts';
import { trackTimers } from '../../support/timers.ts';

describe('rateLimit options', () => {
  it('refuses bad options, naming each', () => {
    expect(() => rateLimit({ rate: 0 })).toThrow('rateLimit: rate: expected a positive number of requests a second, or null, received 0');
    expect(() => rateLimit({ rate: Infinity })).toThrow('rateLimit: rate: expected a positive number of requests a second, or null, received Infinity');
    expect(() => rateLimit({ burst: 0.5 })).toThrow('rateLimit: burst: expected a positive integer, received 0.5');
    expect(() => rateLimit({ respectHints: 'yes' as never })).toThrow('rateLimit: respectHints: expected true or false, received "yes"');
    expect(() => rateLimit({ maxWait: -1 })).toThrow('rateLimit: maxWait: expected a non-negative number of milliseconds, received -1');
    expect(() => rateLimit({ clock: { now: 1 } as never })).toThrow('rateLimit: clock: expected a clock object { now, sleep } whose members are functions');
    expect(() => rateLimit({ perSecond: 3 } as never)).toThrow('rateLimit: perSecond: unknown option');
  });

  it('shows its pace in explain()', () => {
    expect(explain([rateLimit({ rate: 2.5 })]).order[0]).toEqual({
      name: 'rateLimit',
      options: { rate: 2.5, burst: 3, respectHints: true, maxWait: 60_000, customClock: false },
    });
  });
});

describe('rateLimit against a rate-limited origin on a real socket', () => {
  let server: LocalServer;
  let clock: RecordingClock;
  const QUOTA = 3;
  const counts = new Map<number, number>();
  let style: 'ietf' | 'x-epoch' = 'ietf';
  beforeAll(async () => {
    // A fixed window of one second on the test's clock: 3 requests, then 429 until the next window.
    server = await startServer((_req, res) => {
      const t = clock.now();
      const window = Math.floor(t / 1000);
      const count = (counts.get(window) ?? 0) + 1;
      counts.set(window, count);
      const left = Math.max(0, QUOTA - count);
      const resetSeconds = (window + 1) * 1000 - t;
      if (style === 'ietf') res.setHeader('ratelimit', `"default";r=${left};t=${Math.ceil(resetSeconds / 1000)}`);
      else {
        res.setHeader('x-ratelimit-remaining', String(left));
        res.setHeader('x-ratelimit-reset', String(Math.ceil((Date.now() + resetSeconds) / 1000)));
      }
      res.statusCode = count > QUOTA ? 429 : 200;
      res.end();
    });
  });
  afterAll(() => server.close());

  it('waits for the reset when the IETF RateLimit field says 0 left, instead of meeting a 429', async () => {
    style = 'ietf';
    counts.clear();
    clock = recordingClock({ start: 0 });
    const client = createClient([rateLimit({ clock })]);
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await client(`${server.origin}/x`)).status);
    expect(statuses).toEqual(Array(9).fill(200));
    expect(clock.waits).toEqual([1000, 1000]);
  });

  it('leaves a rateLimit.wait entry with the wait in the history of each call it held back', async () => {
    style = 'ietf';
    counts.clear();
    clock = recordingClock({ start: 0 });
    const waited: AttemptRecord[] = [];
    const probe: Middleware = async (request, next) => {
      try {
        return await next(request);
      } finally {
        waited.push(...request.context.history.filter((record) => record.kind === 'rateLimit.wait'));
      }
    };
    const client = createClient([probe, rateLimit({ clock })]);
    for (let i = 0; i < 9; i++) await client(`${server.origin}/x`);
    expect(waited.map((record) => record.waitMs)).toEqual(clock.waits);
    expect(waited[0]).toMatchObject({ method: 'GET', url: `${server.origin}/x`, kind: 'rateLimit.wait' });
  });

  it('reads X-RateLimit-Reset as epoch seconds the same way', async () => {
    style = 'x-epoch';
    counts.clear();
    clock = recordingClock({ start: 0 });
    const client = createClient([rateLimit({ clock })]);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await client(`${server.origin}/x`)).status);
    expect(statuses).toEqual(Array(6).fill(200));
    expect(clock.waits).toHaveLength(1);
    expect(clock.waits[0]).toBeGreaterThan(0);
    expect(clock.waits[0]).toBeLessThanOrEqual(2000);
  });

  it('paces concurrent calls on the client: a burst, then one every 1000 / rate ms', async () => {
    style = 'ietf';
    counts.clear();
    clock = recordingClock({ start: 0 });
    const client = createClient([rateLimit({ rate: 3, burst: 3, clock })]);
    const before = server.requests.length;
    await Promise.all(Array.from({ length: 6 }, () => client(`${server.origin}/x`)));
    // Three go at once (the burst), then one every 333 ms, in the order they came.
    expect(clock.waits.map(Math.round)).toEqual([333, 667, 1000]);
    expect(server.requests.length - before).toBe(6);
  });
});

describe('rateLimit waits', () => {
  it('honours retry-after-ms on a 429 for the next calls to the origin', async () => {
    const clock = recordingClock({ start: 0 });
    const client = createClient([rateLimit({ clock })], { fetch: sequence([{ status: 429, headers: { 'retry-after-ms': '250' } }, 200]) });
    expect((await client('https://api.test/a')).status).toBe(429);
    expect((await client('https://api.test/b')).status).toBe(200);
    expect(clock.waits).toEqual([250]);
  });

  it('paces retry()\'s retry of a 429 with Retry-After too, as one more attempt', async () => {
    const clock = recordingClock({ start: 0 });
    const backend = sequence([{ status: 429, headers: { 'retry-after': '2' } }, 200]);
    const client = createClient([retry({ total: 2 }), rateLimit({ clock })], { fetch: backend });
    expect((await client('https://api.test/a')).status).toBe(200);
    expect(clock.waits).toEqual([2000]);
  });

  it('fails at once with RateLimitError when the wait is longer than maxWait', async () => {
    const clock = recordingClock({ start: 0 });
    const client = createClient([rateLimit({ clock, maxWait: 1000 })], {
      fetch: sequence([{ status: 200, headers: { ratelimit: '"day";r=0;t=3600' } }, 200]),
    });
    await client('https://api.test/a');
    const error = await client('https://api.test/b').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ name: 'RateLimitError', waitMs: 3_600_000, retryable: false });
    expect((error as Error).message).toBe('Rate limit of https://api.test: GET https://api.test/b would wait 3600000 ms (maxWait 1000 ms)');
    expect(clock.waits).toEqual([]);
  });

  it('does not wait past timeout({ total }): a wait that would is a TotalTimeoutError at once', async () => {
    const clock = recordingClock({ start: 0 });
    const client = createClient([timeout({ total: 500 }), rateLimit({ clock })], {
      fetch: sequence([{ status: 200, headers: { ratelimit: '"s";r=0;t=5' } }, 200]),
    });
    await client('https://api.test/a');
    await expect(client('https://api.test/b')).rejects.toBeInstanceOf(TotalTimeoutError);
    expect(clock.waits).toEqual([]);
  });

  it('ends a wait on abort with the signal reason, leaving no timer, and gives the slot back', async () => {
    const timers = trackTimers();
    try {
      const client = createClient([rateLimit({ rate: 1, burst: 1 })], { fetch: sequence([200]) });
      await client('https://api.test/a');
      const controller = new AbortController();
      const waiting = client('https://api.test/b', { signal: controller.signal });
      while (timers.live.size === 0) await new Promise((r) => setTimeout(r, 1));
      expect(timers.live.size).toBe(1);
      const reason = new DOMException('stop', 'AbortError');
      controller.abort(reason);
      await expect(waiting).rejects.toBe(reason);
      expect(timers.live.size).toBe(0);
    } finally {
      timers.restore();
    }
  });

  it('ignores the hints when told to', async () => {
    const clock = recordingClock({ start: 0 });
    const client = createClient([rateLimit({ clock, respectHints: false })], {
      fetch: sequence([{ status: 200, headers: { ratelimit: '"s";r=0;t=5' } }, 200]),
    });
    await client('https://api.test/a');
    await client('https://api.test/b');
    expect(clock.waits).toEqual([]);
  });
});
