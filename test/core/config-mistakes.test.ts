// Two mistakes that must fail loudly at construction: a factory passed without calling it, and
// seconds passed where milliseconds are expected (urllib3's backoff_factor=0.1 copied as is).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as fetchpipe from '../../src/index.ts';
import { caveclient, qbraid, setSessionDefaults } from '../../src/presets/index.ts';
import { connectTimeout, nodeTimeout } from '../../src/node.ts';
import { isConfigError, type Middleware } from '../../src/index.ts';

const { authHeaders, backoff, baseUrl, createClient, headers, httpErrors, logger, pool, redirect, retry, timeout, userAgent } = fetchpipe;
const FACTORIES: ReadonlyArray<readonly [string, (...args: never[]) => unknown]> = Object.entries({
  retry, backoff, baseUrl, headers, authHeaders, userAgent, timeout, redirect, pool, httpErrors, logger, caveclient, qbraid, connectTimeout, nodeTimeout,
});

function configError(run: () => unknown): fetchpipe.ConfigError {
  try {
    run();
  } catch (error) {
    if (isConfigError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('createClient([factory]): a factory passed without calling it', () => {
  it.each(FACTORIES)('%s, at any position, is a ConfigError that says to call it', (name, factory) => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), (before, after) => {
        const plain: Middleware = (request, next) => next(request);
        const list = [...Array(before).fill(plain), factory, ...Array(after).fill(plain)] as Middleware[];
        const error = configError(() => createClient(list));
        expect(error.message).toBe(`createClient: middlewares.${before}: expected a middleware, received the factory ${name} itself: call it, as ${name}()`);
        expect(error.option).toBe(`middlewares.${before}`);
      }),
      { numRuns: 20 },
    );
  });

  it("accepts the middlewares the factories make, and a user's own plain functions, whatever their names", () => {
    expect(() => createClient([retry(), backoff(), baseUrl('https://api.example.com/'), ...caveclient()])).not.toThrow();
    const own = { custom: ((request, next) => next(request)) as Middleware }.custom;
    expect(() => createClient([own, async function requestId(request, next) { return next(request); }])).not.toThrow();
  });
});

// Every option in milliseconds, and how to build a factory with a value there.
const MILLISECOND_OPTIONS: ReadonlyArray<readonly [string, (ms: number) => unknown]> = [
  ['backoff: factor', (ms) => backoff({ factor: ms })],
  ['backoff: max', (ms) => backoff({ max: ms })],
  ['backoff: jitter', (ms) => backoff({ jitter: ms })],
  ['retry: retryAfterMax', (ms) => retry({ retryAfterMax: ms })],
  ['pool: poolTimeout', (ms) => pool({ poolTimeout: ms })],
  ['timeout: read', (ms) => timeout({ read: ms })],
  ['timeout: connect', (ms) => timeout({ connect: ms })],
  ['timeout: total', (ms) => timeout({ total: ms })],
  ['timeout: options', (ms) => timeout(ms)],
  ['timeout: 1', (ms) => timeout([1000, ms])],
];

describe('seconds passed for milliseconds', () => {
  it.each(MILLISECOND_OPTIONS)('%s below 1 ms is a ConfigError that shows the milliseconds meant', (where, make) => {
    fc.assert(
      fc.property(fc.double({ min: Number.MIN_VALUE, max: 1, maxExcluded: true, noNaN: true }), (seconds) => {
        const error = configError(() => make(seconds));
        expect(error.message).toBe(`${where}: expected milliseconds (${seconds} looks like seconds: ${seconds} s is ${Number((seconds * 1000).toPrecision(12))} ms), received ${seconds}`);
      }),
      { numRuns: 60 },
    );
  });

  it.each(MILLISECOND_OPTIONS)('%s of 1 ms or more is accepted as milliseconds', (_, make) => {
    fc.assert(fc.property(fc.double({ min: 1, max: 2_147_483_647, noNaN: true }), (ms) => void make(ms)), { numRuns: 60 });
  });

  it("keeps the example from urllib3's docs readable: backoff({ factor: 0.1 }) means 100", () => {
    expect(() => backoff({ factor: 0.1 })).toThrow('backoff: factor: expected milliseconds (0.1 looks like seconds: 0.1 s is 100 ms), received 0.1');
    expect(() => backoff({ factor: 100 })).not.toThrow();
    expect(() => backoff({ factor: 0 })).not.toThrow();
  });
});

describe('presets keep their seconds', () => {
  const factorOf = (middlewares: readonly Middleware[]) => fetchpipe.explain(middlewares).order.find((m) => m.name === 'backoff')!.options;
  const ms = (seconds: number) => (seconds * 1000 > 0 && seconds * 1000 < 1 ? 1 : seconds * 1000);

  it('turn any non-negative backoff in seconds into milliseconds backoff() accepts, a sub-millisecond one as 1 ms', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1000, noNaN: true }), fc.double({ min: 0, max: 1000, noNaN: true }), (factor, max) => {
        expect(factorOf(qbraid({ backoffFactor: factor })).factor).toBe(ms(factor));
        try {
          setSessionDefaults({ backoffFactor: factor, backoffMax: max });
          expect(factorOf(caveclient())).toMatchObject({ factor: ms(factor), max: ms(max) });
        } finally {
          setSessionDefaults();
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('timeout pairs with holes', () => {
  it('refuses a (connect, read) pair with a hole as a ConfigError, never a TypeError', () => {
    for (const pair of [[, ,], [1000, ,], [, 1000]]) {
      const error = configError(() => timeout(pair as unknown as [number, number]));
      expect(error.message).toMatch(/^timeout: options: expected a \(connect, read\) pair/);
    }
  });
});
