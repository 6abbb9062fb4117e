// Waits longer than setTimeout's limit (2^31−1 ms, about 24.8 days) last as long as asked:
// backoff's real clock and pool's poolTimeout chain timers, so a 30-day Retry-After, a huge
// backoff, a preset's seconds or a long poolTimeout never become an immediate retry (issue #14 §6).
// timeout() keeps refusing such values with a ConfigError (see its own tests).
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, backoff, createClient, isPoolTimeoutError, pool, realClock, retry, timeout, type FetchFunction } from '../../src/index.ts';
import { caveclient, setSessionDefaults } from '../../src/presets/index.ts';
import { MAX_TIMER_MS, startTimer } from '../../src/core/timer.ts';

const DAY = 24 * 60 * 60 * 1000;

/** A fetch answering 503 (with `retryAfter` seconds when given) until `failures` ran out, then 200. */
function flaky(failures: number, retryAfter?: number) {
  const calls: number[] = [];
  const fetch: FetchFunction = async () => {
    calls.push(Date.now());
    if (calls.length > failures) return new Response('ok');
    return new Response('busy', { status: 503, headers: retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) } });
  };
  return { fetch, calls };
}

/** Lets promise callbacks run between fake-timer steps. */
const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
  setSessionDefaults();
});

describe('long waits', () => {
  it('startTimer fires once, exactly at the delay, for any delay up to 300 days (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 300 * DAY }), async (ms) => {
        vi.setSystemTime(0);
        let firedAt = -1;
        let fired = 0;
        startTimer(ms, () => {
          fired++;
          firedAt = Date.now();
        });
        if (ms > 0) {
          await vi.advanceTimersByTimeAsync(ms - 1);
          expect(fired).toBe(0);
        }
        await vi.advanceTimersByTimeAsync(1);
        expect(fired).toBe(1);
        expect(firedAt).toBe(ms);
        vi.clearAllTimers();
      }),
      { numRuns: 100 },
    );
  });

  it('a cancelled long timer never fires, whichever link of the chain is running', async () => {
    let fired = false;
    const cancel = startTimer(3 * MAX_TIMER_MS, () => (fired = true));
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS + 5);
    cancel();
    await vi.advanceTimersByTimeAsync(3 * MAX_TIMER_MS);
    expect(fired).toBe(false);
  });

  it('realClock.sleep of 30 days resolves after 30 days, not after 1 ms', async () => {
    let done = false;
    void realClock.sleep(30 * DAY).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(25 * DAY);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(5 * DAY);
    expect(done).toBe(true);
  });

  it('realClock.sleep of 30 days still ends at once with the reason when aborted after 25 days', async () => {
    const controller = new AbortController();
    const outcome = realClock.sleep(30 * DAY, controller.signal).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(25 * DAY);
    controller.abort(new Error('stop'));
    expect(((await outcome) as Error).message).toBe('stop');
  });

  it('waits a 30-day Retry-After when retryAfterMax allows it', async () => {
    const server = flaky(1, 30 * 24 * 60 * 60);
    const client = createClient([retry({ total: 1, retryAfterMax: 31 * DAY }), backoff()], { fetch: server.fetch });
    const response = client('http://h.test/x');
    await vi.advanceTimersByTimeAsync(30 * DAY - 1);
    expect(server.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await response).status).toBe(200);
    expect(server.calls).toEqual([0, 30 * DAY]);
  });

  it('waits factor · 2 for backoff({ factor: 2e9, max: 1e10 }), about 46 days, before the second retry', async () => {
    const server = flaky(2);
    const client = createClient([retry({ total: 2, statusForcelist: [503] }), backoff({ factor: 2e9, max: 1e10 })], { fetch: server.fetch });
    const response = client('http://h.test/x');
    await flush();
    expect(server.calls).toEqual([0, 0]);
    await vi.advanceTimersByTimeAsync(4e9 - 1);
    expect(server.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect((await response).status).toBe(200);
    expect(server.calls).toEqual([0, 0, 4e9]);
  });

  it('waits the caveclient preset’s backoffMax in seconds, 40 days, when set that high', async () => {
    setSessionDefaults({ backoffFactor: 3e6, backoffMax: 40 * 24 * 60 * 60 });
    const server = flaky(2);
    const client = createClient(caveclient(), { fetch: server.fetch });
    const response = client('http://h.test/x');
    await vi.advanceTimersByTimeAsync(40 * DAY - 1);
    expect(server.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect((await response).status).toBe(200);
    expect(server.calls).toEqual([0, 0, 40 * DAY]);
  });

  it('keeps a waiter queued for a 30-day poolTimeout, then fails it with PoolTimeoutError', async () => {
    let release = (): void => {};
    const fetch: FetchFunction = () => new Promise((resolve) => (release = () => resolve(new Response(null, { status: 204 }))));
    const client = createClient([pool({ block: true, maxsize: 1, poolTimeout: 30 * DAY })], { fetch });
    const first = client('http://h.test/a');
    const second = client('http://h.test/b').catch((error: unknown) => error);
    let settled = false;
    void second.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(29 * DAY);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(DAY);
    expect(isPoolTimeoutError(await second)).toBe(true);
    release();
    expect((await first).status).toBe(204);
  });

  it('timeout() refuses any bound above 2^31−1 ms with a ConfigError, in every form it takes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: MAX_TIMER_MS + 1, max: 2 ** 52 }), fc.constantFrom('single', 'pair', 'read', 'total', 'connect'), (ms, form) => {
        const options =
          form === 'single' ? ms : form === 'pair' ? ([1_000, ms] as const) : { [form]: ms };
        expect(() => timeout(options)).toThrow(ConfigError);
        expect(() => timeout(options)).toThrow(/at most 2147483647/);
      }),
      { numRuns: 100 },
    );
  });
});
