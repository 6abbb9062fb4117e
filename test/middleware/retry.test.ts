import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConnectionError,
  InvalidHeaderError,
  MaxRetryError,
  ReadTimeoutError,
  backoff,
  createClient,
  recordAttempt,
  retry,
  type Clock,
  type FetchFunction,
  type Middleware,
} from '../../src/index.ts';
import { closedPort, resettingServer, startServer } from '../support/server.ts';

type Step = number | { status: number; headers?: Record<string, string> } | Error;

/** A fetch that plays `steps` (the last one repeats) and records every call with its body. */
function scripted(steps: Step[]) {
  const calls: Array<{ method: string; url: string; body: string | null }> = [];
  const cancelled: number[] = [];
  const fetch: FetchFunction = async (input, init) => {
    const request = new Request(input, init);
    calls.push({ method: request.method, url: request.url, body: request.body ? await request.text() : null });
    const step = steps[Math.min(calls.length - 1, steps.length - 1)]!;
    if (step instanceof Error) throw step;
    const { status, headers } = typeof step === 'number' ? { status: step, headers: {} } : step;
    const index = calls.length;
    const body = new ReadableStream({ cancel: () => void cancelled.push(index) });
    return new Response(status === 204 || status === 304 ? null : body, { status, headers });
  };
  return { fetch, calls, cancelled };
}

/** A clock that records each wait and never waits. */
function recording(random = 0): Clock & { waits: number[] } {
  const waits: number[] = [];
  let now = 0;
  return {
    waits,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      waits.push(ms);
      now += ms;
    },
    now: () => now,
    random: () => random,
  };
}

const refused = () => new ConnectionError('refused', { phase: 'connect' });
const reset = () => new ConnectionError('reset', { phase: 'read' });

async function run(middlewares: Middleware[], steps: Step[], init?: RequestInit) {
  const script = scripted(steps);
  const client = createClient(middlewares, { fetch: script.fetch });
  const outcome = await client('http://h/x', init).then(
    (response) => ({ response, error: undefined }),
    (error: unknown) => ({ response: undefined, error }),
  );
  return { ...script, ...outcome };
}

describe('backoff schedules (SPEC §2), with factor in milliseconds', () => {
  const schedule = async (options: Parameters<typeof backoff>[0], retries: number) => {
    const clock = recording();
    await run([retry({ total: retries, statusForcelist: [503] }), backoff({ ...options, clock })], [503]);
    return clock.waits;
  };
  it('factor 100 (0.1 s): 0, 0.2, 0.4, 0.8, 1.6 s', async () => {
    expect(await schedule({ factor: 100 }, 5)).toEqual([0, 200, 400, 800, 1600]);
  });
  it('factor 500 (0.5 s): 0, 1, 2, 4, 8 s', async () => {
    expect(await schedule({ factor: 500 }, 5)).toEqual([0, 1000, 2000, 4000, 8000]);
  });
  it('factor 1000 (1 s): 0, 2, 4, 8, 16, 32, 64, then capped at 120 s', async () => {
    expect(await schedule({ factor: 1000 }, 10)).toEqual([0, 2000, 4000, 8000, 16000, 32000, 64000, 120000, 120000, 120000]);
  });
  it('factor 200 with max 1000: 0, 0.4, 0.8, 1, 1 s', async () => {
    expect(await schedule({ factor: 200, max: 1000 }, 5)).toEqual([0, 400, 800, 1000, 1000]);
  });
  it('factor 0: no waits at all', async () => {
    expect(await schedule({ factor: 0 }, 5)).toEqual([0, 0, 0, 0, 0]);
  });
  it('jitter adds up to `jitter` ms before the cap, never on the first retry', async () => {
    const clock = recording(0.5);
    await run([retry({ total: 3, statusForcelist: [503] }), backoff({ factor: 100, jitter: 1000, max: 800, clock })], [503]);
    // 200 + 0.5·1000 = 700, then 400 + 500 = 900 capped at 800.
    expect(clock.waits).toEqual([0, 700, 800]);
  });
  it('uses a usable Retry-After instead of the backoff, even when shorter', async () => {
    const clock = recording();
    await run(
      [retry({ total: 3 }), backoff({ factor: 10_000, clock })],
      [{ status: 503, headers: { 'retry-after': '1' } }],
    );
    expect(clock.waits).toEqual([1000, 1000, 1000]);
  });
  it('ignores Retry-After when told not to respect it', async () => {
    const clock = recording();
    await run(
      [retry({ total: 3, statusForcelist: [503] }), backoff({ factor: 100, clock, respectRetryAfterHeader: false })],
      [{ status: 503, headers: { 'retry-after': '7' } }],
    );
    expect(clock.waits).toEqual([0, 200, 400]);
  });
  it('restarts the consecutive count after a redirect in the history', async () => {
    const clock = recording();
    let call = 0;
    // Stands in for redirect(): on the 3rd attempt a redirect is followed before it fails.
    const fakeRedirect: Middleware = async (request, next) => {
      if (++call === 3) recordAttempt(request, { method: 'GET', url: 'http://h/x', kind: 'redirect', status: 302, location: 'http://h/y' });
      return next(request);
    };
    await run([retry({ total: 6, statusForcelist: [503] }), backoff({ factor: 100, clock }), fakeRedirect], [503]);
    // Failures 1, 2 → waits 0, 200; the redirect; failures 3, 4, 5 counted afresh → 0, 200, 400.
    expect(clock.waits).toEqual([0, 200, 0, 200, 400]);
  });
});

describe('urllib3 counting', () => {
  it('total 0 means one attempt and no retry', async () => {
    const { calls, error } = await run([retry({ total: 0, statusForcelist: [503] })], [503]);
    expect(calls).toHaveLength(1);
    expect(error).toBeInstanceOf(MaxRetryError);
  });
  it('total 2 means up to 3 attempts, then MaxRetryError with the status reason and the history', async () => {
    const { calls, error } = await run([retry({ total: 2, statusForcelist: [503] })], [503]);
    expect(calls).toHaveLength(3);
    const e = error as MaxRetryError;
    expect((e.reason as Error).message).toBe('too many 503 error responses');
    expect(e.history.map((h) => [h.kind, h.status])).toEqual([
      ['status', 503],
      ['status', 503],
      ['status', 503],
    ]);
    // urllib3's words (issue #15): the pool's host and port, then the path attempted.
    expect(e.message).toBe("HTTPConnectionPool(host='h', port=80): Max retries exceeded with url: /x (Caused by ResponseError('too many 503 error responses'))");
    expect(e.request).toEqual({ method: 'GET', url: 'http://h/x' });
  });
  it('total null has no overall cap: the kind counter bounds it', async () => {
    const { calls } = await run([retry({ total: null, status: 5, statusForcelist: [503] })], [503]);
    expect(calls).toHaveLength(6);
  });
  it('total false rethrows errors as they are and makes no retry', async () => {
    const error = refused();
    const result = await run([retry({ total: false })], [error]);
    expect(result.calls).toHaveLength(1);
    expect(result.error).toBe(error);
  });
  it('connect 1 allows one connect retry among repeated refusals', async () => {
    const { calls, error } = await run([retry({ total: 10, connect: 1 })], [refused()]);
    expect(calls).toHaveLength(2);
    expect(error).toBeInstanceOf(MaxRetryError);
    expect((error as MaxRetryError).reason).toBeInstanceOf(ConnectionError);
  });
  it('read false rethrows a read error at once', async () => {
    const error = reset();
    const result = await run([retry({ read: false })], [error]);
    expect(result.calls).toHaveLength(1);
    expect(result.error).toBe(error);
  });
  it('status 2 with three retryable responses gives up after the third', async () => {
    const { calls, error } = await run([retry({ total: 10, status: 2, statusForcelist: [502] })], [502, 502, 502, 200]);
    expect(calls).toHaveLength(3);
    expect(error).toBeInstanceOf(MaxRetryError);
  });
  it('returns the last response instead of throwing when raiseOnStatus is false', async () => {
    const { calls, response } = await run([retry({ total: 2, statusForcelist: [503], raiseOnStatus: false })], [503]);
    expect(calls).toHaveLength(3);
    expect(response!.status).toBe(503);
  });
  it('retries a 503 from the forcelist and returns the final 200', async () => {
    const { calls, response } = await run([retry({ statusForcelist: [503] })], [503, 503, 200]);
    expect(calls).toHaveLength(3);
    expect(response!.status).toBe(200);
  });
  it('cancels the bodies of the responses it throws away', async () => {
    const { cancelled, response } = await run([retry({ statusForcelist: [503] })], [503, 503, 200]);
    expect(cancelled).toEqual([1, 2]);
    expect(response!.status).toBe(200);
  });
  it('retries other errors for any method', async () => {
    const { calls, response } = await run([retry()], [new Error('odd'), 200], { method: 'POST', body: 'x' });
    expect(calls).toHaveLength(2);
    expect(response!.status).toBe(200);
  });
  it('counts a read timeout as a read error', async () => {
    const { calls } = await run([retry({ total: 5, read: 1 })], [new ReadTimeoutError('slow')]);
    expect(calls).toHaveLength(2);
  });
});

describe('methods and statuses', () => {
  it.each([413, 429, 503])('retries %i with a Retry-After and no forcelist', async (status) => {
    const { calls } = await run([retry({ total: 1 })], [{ status, headers: { 'retry-after': '0' } }, 200]);
    expect(calls).toHaveLength(2);
  });
  it('does not retry a 503 without Retry-After when it is not in the forcelist', async () => {
    const { calls, response } = await run([retry()], [503]);
    expect(calls).toHaveLength(1);
    expect(response!.status).toBe(503);
  });
  it('does not retry POST on a forcelist status by default', async () => {
    const { calls } = await run([retry({ statusForcelist: [503] })], [503], { method: 'POST', body: 'x' });
    expect(calls).toHaveLength(1);
  });
  it('retries POST on a forcelist status with postForcelist', async () => {
    const { calls } = await run([retry({ statusForcelist: [503], postForcelist: true })], [503, 200], { method: 'POST', body: 'x' });
    expect(calls).toHaveLength(2);
  });
  it('retries any method when allowedMethods is null', async () => {
    const { calls } = await run([retry({ statusForcelist: [503], allowedMethods: null })], [503, 200], { method: 'PATCH', body: 'x' });
    expect(calls).toHaveLength(2);
  });
  it('matches allowed methods case-insensitively', async () => {
    const { calls } = await run([retry({ statusForcelist: [503], allowedMethods: ['patch'] })], [503, 200], { method: 'Patch', body: 'x' });
    expect(calls).toHaveLength(2);
  });
  it('lets shouldRetry veto a retry but never extend the budget', async () => {
    const veto = await run([retry({ statusForcelist: [503], shouldRetry: () => false })], [503]);
    expect(veto.calls).toHaveLength(1);
    expect(veto.response!.status).toBe(503);
    const eager = await run([retry({ total: 1, statusForcelist: [503], shouldRetry: () => true })], [503]);
    expect(eager.calls).toHaveLength(2);
    expect(eager.error).toBeInstanceOf(MaxRetryError);
  });
});

describe('Retry-After handling in retry()', () => {
  const waitsFor = async (value: string, extra: Parameters<typeof retry>[0] = {}) => {
    const clock = recording();
    const result = await run([retry({ total: 1, ...extra }), backoff({ factor: 100, clock })], [{ status: 503, headers: { 'retry-after': value } }, 200]);
    return { waits: clock.waits, ...result };
  };
  it('treats 0 as no usable header: the backoff applies (0 on the first retry)', async () => {
    expect((await waitsFor('0')).waits).toEqual([0]);
  });
  it('reads digits with whitespace around them as seconds', async () => {
    expect((await waitsFor('\t42 ')).waits).toEqual([42_000]);
  });
  it('caps a Retry-After at retryAfterMax (21600 s by default)', async () => {
    expect((await waitsFor('21601')).waits).toEqual([21_600_000]);
    expect((await waitsFor('100', { retryAfterMax: 5000 })).waits).toEqual([5000]);
  });
  it('reads an HTTP-date as seconds from now', async () => {
    const inTenSeconds = new Date(Date.now() + 10_500).toUTCString();
    const [wait] = (await waitsFor(inTenSeconds)).waits;
    expect(wait).toBeGreaterThan(8_000);
    expect(wait).toBeLessThanOrEqual(10_500);
  });
  it('treats a past date as no usable header', async () => {
    expect((await waitsFor('Sun, 06 Nov 1994 08:49:37 GMT')).waits).toEqual([0]);
  });
  it.each(['-1', '+1', '1.0', 'foo', ''])('treats the invalid value %j as absent and records it', async (value) => {
    const clock = recording();
    const { calls, error } = await run(
      [retry({ total: 2, statusForcelist: [503] }), backoff({ factor: 100, clock })],
      [{ status: 503, headers: { 'retry-after': value } }],
    );
    expect(calls).toHaveLength(3);
    expect(clock.waits).toEqual([0, 200]);
    const history = (error as MaxRetryError).history;
    if (value !== '') expect(history[0]!.invalidRetryAfter).toBe(value);
  });
  it('raises InvalidHeaderError on an invalid value in strict mode, as urllib3 does', async () => {
    const { error } = await run([retry({ total: 2, strictRetryAfter: true, statusForcelist: [503] })], [
      { status: 503, headers: { 'retry-after': 'soon' } },
    ]);
    expect(error).toBeInstanceOf(InvalidHeaderError);
  });
});

describe('connect versus read errors, against real local servers', () => {
  it('retries a POST after a refused connection (the request never left)', async () => {
    const port = await closedPort();
    const client = createClient([retry({ total: 2 })]);
    const error = await client(`http://127.0.0.1:${port}/x`, { method: 'POST', body: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MaxRetryError);
    const e = error as MaxRetryError;
    expect(e.history.map((h) => h.kind)).toEqual(['connect', 'connect', 'connect']);
    expect((e.reason as ConnectionError).phase).toBe('connect');
  });
  it('does not retry a POST after a reset (the server may have acted on it)', async () => {
    const server = await resettingServer();
    try {
      const client = createClient([retry({ total: 2 })]);
      const error = await client(`${server.origin}/x`, { method: 'POST', body: 'x' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as ConnectionError).phase).toBe('read');
      expect(server.connections()).toBe(1);
    } finally {
      await server.close();
    }
  });
  it('retries a GET after a reset', async () => {
    const server = await resettingServer();
    try {
      const client = createClient([retry({ total: 2 })]);
      const error = await client(`${server.origin}/x`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MaxRetryError);
      expect(server.connections()).toBe(3);
    } finally {
      await server.close();
    }
  });
});

describe('bodies', () => {
  const bodies: Array<[string, () => BodyInit, string]> = [
    ['a string', () => 'hello', 'hello'],
    ['a Blob', () => new Blob(['blob-bytes']), 'blob-bytes'],
    ['an ArrayBuffer', () => new TextEncoder().encode('buffer').buffer as ArrayBuffer, 'buffer'],
    ['a typed array', () => new TextEncoder().encode('typed'), 'typed'],
    ['URLSearchParams', () => new URLSearchParams({ a: '1', b: '2' }), 'a=1&b=2'],
  ];
  it.each(bodies)('re-sends %s intact on every attempt', async (_name, make, expected) => {
    const { calls } = await run([retry({ statusForcelist: [503], allowedMethods: null })], [503, 503, 200], {
      method: 'POST',
      body: make(),
    });
    expect(calls.map((c) => c.body)).toEqual([expected, expected, expected]);
  });
  it('re-sends FormData intact on every attempt', async () => {
    const form = new FormData();
    form.set('field', 'value');
    const { calls } = await run([retry({ statusForcelist: [503], allowedMethods: null })], [503, 200], { method: 'POST', body: form });
    expect(calls).toHaveLength(2);
    for (const call of calls) expect(call.body).toContain('value');
    expect(calls[0]!.body!.length).toBe(calls[1]!.body!.length);
  });
  it('never retries a one-shot ReadableStream body: the response comes back as it is', async () => {
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed'));
        controller.close();
      },
    });
    const { calls, response } = await run([retry({ statusForcelist: [503], allowedMethods: null })], [503, 200], {
      method: 'PUT',
      body: stream,
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body).toBe('streamed');
    expect(response!.status).toBe(503);
  });
  it('keeps the original error when a one-shot body fails', async () => {
    const error = refused();
    const body = new ReadableStream({ start: (c) => c.close() });
    const result = await run([retry()], [error], { method: 'PUT', body, duplex: 'half' } as RequestInit);
    expect(result.calls).toHaveLength(1);
    expect(result.error).toBe(error);
  });
  it('sends a retried body byte-identical to a real server', async () => {
    let n = 0;
    const server = await startServer((_req, res) => {
      res.statusCode = ++n < 3 ? 503 : 200;
      res.end();
    });
    try {
      const payload = new Uint8Array(70_000).map((_, i) => i % 251);
      const client = createClient([retry({ statusForcelist: [503], allowedMethods: null })]);
      const response = await client(server.url, { method: 'POST', body: payload });
      expect(response.status).toBe(200);
      expect(server.requests).toHaveLength(3);
      for (const request of server.requests) expect(Buffer.compare(request.body, Buffer.from(payload))).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe('abort', () => {
  it('never retries a user abort, and surfaces it at once', async () => {
    const controller = new AbortController();
    const fetch: FetchFunction = async (_input, init) => {
      controller.abort();
      throw init?.signal?.reason;
    };
    const client = createClient([retry({ total: 5 })], { fetch });
    const error = await client('http://h/x', { signal: controller.signal }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
  });
  it('ends a 30 s backoff within 50 ms of an abort, with the abort reason', async () => {
    const controller = new AbortController();
    const client = createClient(
      [retry({ total: 5 }), backoff()],
      { fetch: async () => new Response(null, { status: 503, headers: { 'retry-after': '30' } }) },
    );
    const started = performance.now();
    const pending = client('http://h/x', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user gave up')), 20);
    const error = await pending.catch((e: unknown) => e);
    expect((error as Error).message).toBe('user gave up');
    expect(performance.now() - started).toBeLessThan(20 + 50);
  });
});

describe('no timer left behind', () => {
  it('exits promptly by itself after an aborted 30 s backoff (child process)', async () => {
    const script = fileURLToPath(new URL('../fixtures/abort-backoff.ts', import.meta.url));
    const started = performance.now();
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [script], { timeout: 10_000 }, (error, out) => (error ? reject(error) : resolve(out)));
    });
    const result = JSON.parse(stdout) as { message: string; ms: number };
    expect(result.message).toBe('stop');
    expect(result.ms).toBeLessThan(20 + 50);
    // Node start-up plus 20 ms; a leaked 30 s timer would hold the process open.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('properties', () => {
  const stepArb = fc.oneof(
    fc.constantFrom<Step>(200, 500, 502, 503, 504, 429, 413),
    fc.constant<Step>({ status: 503, headers: { 'retry-after': '1' } }),
    fc.constant('refused' as const),
    fc.constant('reset' as const),
  );
  const materialise = (s: Step | 'refused' | 'reset'): Step => (s === 'refused' ? refused() : s === 'reset' ? reset() : s);

  it('never makes more attempts than total + 1, whatever the responses', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 6 }), fc.array(stepArb, { minLength: 1, maxLength: 10 }), async (total, steps) => {
        const { calls } = await run([retry({ total, statusForcelist: [500, 502, 503, 504] }), backoff({ clock: recording() })], steps.map(materialise));
        expect(calls.length).toBeLessThanOrEqual(total + 1);
      }),
      { numRuns: 150 },
    );
  });

  it('never waits longer than max unless a Retry-After asked for more, and matches the formula', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 500 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        fc.integer({ min: 1, max: 8 }),
        async (factor, max, jitter, random, total) => {
          const clock = recording(random);
          await run([retry({ total, statusForcelist: [503] }), backoff({ factor, max, jitter, clock })], [503]);
          // recording() sees only the waits after the immediate first retry.
          const expected = Array.from({ length: total - 1 }, (_, i) => Math.min(max, factor * 2 ** (i + 1) + jitter * random));
          expect(clock.waits.filter((w) => w > 0)).toEqual(expected.filter((w) => w > 0));
          for (const wait of clock.waits) expect(wait).toBeLessThanOrEqual(max);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('ConfigError for every option', () => {
  it.each([
    ['total', -1, 'retry: total: expected a non-negative integer, false or null, received -1'],
    ['connect', 1.5, 'retry: connect: expected a non-negative integer, false or null, received 1.5'],
    ['read', 'x', 'retry: read: expected a non-negative integer, false or null, received "x"'],
    ['status', true, 'retry: status: expected a non-negative integer, false or null, received true'],
    ['redirect', {}, 'retry: redirect: expected a non-negative integer, false or null, received an object (Object)'],
    ['other', -3, 'retry: other: expected a non-negative integer, false or null, received -3'],
    ['allowedMethods', 'GET', 'retry: allowedMethods: expected an array of method names or null (any method), received "GET"'],
    ['statusForcelist', [700], 'retry: statusForcelist.0: expected an HTTP status from 100 to 599, received 700'],
    ['postForcelist', 1, 'retry: postForcelist: expected true or false, received 1'],
    ['respectRetryAfterHeader', 'yes', 'retry: respectRetryAfterHeader: expected true or false, received "yes"'],
    ['retryAfterMax', -5, 'retry: retryAfterMax: expected a non-negative number of milliseconds, received -5'],
    ['raiseOnStatus', null, 'retry: raiseOnStatus: expected true or false, received null'],
    ['raiseOnRedirect', 0, 'retry: raiseOnRedirect: expected true or false, received 0'],
    ['shouldRetry', true, 'retry: shouldRetry: expected a function, received true'],
    ['totl', 3, 'retry: totl: unknown option'],
  ])('retry({ %s }) names the option', (key, value, message) => {
    expect(() => retry({ [key]: value } as never)).toThrow(message);
  });
  it.each([
    ['factor', -1, 'backoff: factor: expected a non-negative number of milliseconds, received -1'],
    ['max', Number.POSITIVE_INFINITY, 'backoff: max: expected a non-negative number of milliseconds, received Infinity'],
    ['jitter', '5', 'backoff: jitter: expected a non-negative number of milliseconds, received "5"'],
    ['respectRetryAfterHeader', 1, 'backoff: respectRetryAfterHeader: expected true or false, received 1'],
    ['clock', 5, 'backoff: clock: expected a clock object { sleep, now, random } whose members are functions, received 5'],
    ['clock', { sleep: 1 }, 'backoff: clock: expected a clock object { sleep, now, random } whose members are functions, received an object (Object)'],
  ])('backoff({ %s }) names the option', (key, value, message) => {
    expect(() => backoff({ [key]: value } as never)).toThrow(message);
  });
});
