// Config fuzzing: random values of random types for every option of every middleware and
// preset. A factory either accepts them or throws ConfigError naming itself, never another
// exception, and a rejected configuration never sends a request. A configuration that was
// accepted makes a request that ends in a response or a fetchpipe error, never a crash.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  authHeaders,
  backoff,
  baseUrl,
  createClient,
  headers,
  httpErrors,
  isFetchpipeError,
  logger,
  pool,
  redirect,
  retry,
  timeout,
  userAgent,
  ConfigError,
  type FetchFunction,
  type Middleware,
} from '../../src/index.ts';
import { authRefresh, circuitBreaker, idempotencyKey, rateLimit, retryBudget } from '../../src/index.ts';
import { otel } from '../../src/otel/index.ts';
import { connectTimeout, nodeTimeout } from '../../src/node.ts';
import { caveclient, qbraid, setSessionDefaults } from '../../src/presets/index.ts';

type Factory = (...args: never[]) => Middleware | readonly Middleware[] | void;

interface Target {
  readonly name: string;
  readonly make: Factory;
  /** The options object's keys, or null when the factory takes a single value. */
  readonly keys: readonly string[] | null;
  /** Arity: a factory of (value, options) gets both. */
  readonly withOptions?: readonly string[];
  /** Middlewares it builds and hands options to, whose own names its ConfigErrors may carry. */
  readonly delegates?: readonly string[];
  /** Middlewares the made one needs in its chain (its declared `needs`), placed behind it. */
  readonly partners?: () => readonly Middleware[];
}

const TARGETS: readonly Target[] = [
  { name: 'retry', make: retry as Factory, keys: ['total', 'connect', 'read', 'status', 'redirect', 'other', 'allowedMethods', 'statusForcelist', 'postForcelist', 'respectRetryAfterHeader', 'retryAfterMax', 'strictRetryAfter', 'raiseOnStatus', 'raiseOnRedirect', 'shouldRetry'] },
  { name: 'backoff', make: backoff as Factory, keys: ['factor', 'max', 'jitter', 'respectRetryAfterHeader', 'clock'] },
  { name: 'redirect', make: redirect as Factory, keys: ['max'] },
  { name: 'pool', make: pool as Factory, keys: ['maxsize', 'block', 'poolTimeout'] },
  { name: 'timeout', make: timeout as Factory, keys: ['connect', 'read', 'total'] },
  { name: 'nodeTimeout', make: nodeTimeout as Factory, keys: ['connect', 'read', 'total'], delegates: ['timeout'] },
  { name: 'httpErrors', make: httpErrors as Factory, keys: ['message'] },
  { name: 'logger', make: logger as Factory, keys: ['write'] },
  { name: 'caveclient', make: caveclient as Factory, keys: ['maxRetries', 'poolBlock', 'poolMaxsize', 'clock'], delegates: ['retry', 'backoff', 'pool'] },
  {
    name: 'qbraid',
    make: qbraid as Factory,
    keys: ['baseUrl', 'headers', 'authHeaders', 'retriesTotal', 'retriesConnect', 'backoffFactor', 'userAgents', 'clock'],
    delegates: ['httpErrors', 'retry', 'backoff', 'baseUrl', 'headers', 'authHeaders', 'userAgent'],
  },
  { name: 'setSessionDefaults', make: setSessionDefaults as Factory, keys: ['maxRetries', 'poolBlock', 'poolMaxsize', 'backoffFactor', 'backoffMax', 'statusForcelist'] },
  { name: 'baseUrl', make: baseUrl as Factory, keys: null },
  { name: 'headers', make: headers as Factory, keys: null },
  { name: 'connectTimeout', make: connectTimeout as Factory, keys: null },
  { name: 'authHeaders', make: authHeaders as Factory, keys: null, withOptions: ['maskQueryParams'] },
  { name: 'userAgent', make: userAgent as Factory, keys: null, withOptions: ['mode', 'fallbackHeader'] },
  // The resilience middlewares (issue #17).
  { name: 'retryBudget', make: retryBudget as Factory, keys: ['maxTokens', 'tokenRatio', 'budget'], partners: () => [retry()] },
  { name: 'authRefresh', make: authRefresh as Factory, keys: ['refresh', 'isExpired', 'token', 'header', 'format'] },
  { name: 'rateLimit', make: rateLimit as Factory, keys: ['rate', 'burst', 'respectHints', 'maxWait', 'clock'] },
  { name: 'circuitBreaker', make: circuitBreaker as Factory, keys: ['consecutiveFailures', 'failureRatio', 'window', 'minimumCalls', 'coolDown', 'isFailure', 'clock'] },
  { name: 'idempotencyKey', make: idempotencyKey as Factory, keys: ['header', 'methods', 'generate', 'retryKeyed'] },
  { name: 'otel', make: otel as Factory, keys: ['tracer', 'meter', 'callAttributes'] },
];

// Values that break naive validation: wrong types, non-finite and out-of-range numbers,
// header injection, odd objects, and anything fast-check can think of.
const scalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    undefined, null, true, false, 0, -0, -1, 0.5, 1.5, 2 ** 31, 2 ** 53 + 2, 1e309, -1e309, Number.NaN, Number.MAX_VALUE, Number.MIN_VALUE,
    '', ' ', '1', '-1', 'NaN', 'true', 'GET', 'a\r\nInjected: 1', 'x\0y', 'http://u:p@h/', 'javascript:alert(1)', '💥', 10n,
    Symbol('s'), [], [1, 2], [1, 2, 3], [null], [[]], {}, { valueOf: () => 3 }, Object.create(null), new Date(Number.NaN), /re/,
    new Map(), new Set([1]), new Uint8Array(2), () => {}, async () => {}, Promise.resolve(1), new URL('http://h/'), new Headers({ a: 'b' }),
  ),
  fc.anything({ withBigInt: true, withBoxedValues: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withNullPrototype: true, withSparseArray: true, maxDepth: 2 }),
  fc.func(fc.anything()),
  fc.array(fc.oneof(fc.integer(), fc.string(), fc.constant(Number.NaN)), { maxLength: 4 }),
);
// Objects shaped almost like the nested options (clocks, header records, pairs) with hostile members.
const NESTED_KEYS = ['sleep', 'now', 'random', 'connect', 'read', 'total', 'Authorization', 'X-API-Key', 'bad name', '', 'x\r\ny', 'extra'];
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...NESTED_KEYS), scalar, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom(...NESTED_KEYS), scalar), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
);

function optionsFor(keys: readonly string[]): fc.Arbitrary<unknown> {
  const known = fc.dictionary(fc.constantFrom(...keys), hostile, { maxKeys: 4 });
  return fc.oneof(
    { weight: 6, arbitrary: known },
    { weight: 1, arbitrary: fc.tuple(known, fc.string({ minLength: 1, maxLength: 8 }), hostile).map(([o, k, v]) => ({ ...(o as object), [k]: v })) },
    { weight: 1, arbitrary: hostile },
  );
}

const argsFor = (target: Target): fc.Arbitrary<unknown[]> =>
  target.keys !== null
    ? optionsFor(target.keys).map((o) => [o])
    : target.withOptions !== undefined
      ? fc.tuple(hostile, optionsFor(target.withOptions)).map((args) => [...args])
      : hostile.map((value) => [value]);

afterEach(() => setSessionDefaults());

describe('config fuzzing', () => {
  for (const target of TARGETS) {
    it(`${target.name}: any options give a middleware or a ConfigError naming ${target.name}, and a rejected config sends nothing`, async () => {
      await fc.assert(
        fc.asyncProperty(argsFor(target), async (args) => {
          let sent = 0;
          const counting: FetchFunction = async () => {
            sent++;
            return new Response('ok');
          };
          let made: ReturnType<Factory>;
          try {
            made = target.make(...(args as never[]));
          } catch (error) {
            expect(error).toBeInstanceOf(ConfigError);
            const owners = [target.name, ...(target.delegates ?? [])];
            const message = (error as Error).message;
            expect(owners.some((owner) => message.startsWith(`${owner}: `)), message).toBe(true);
            expect(sent).toBe(0);
            return;
          }
          if (made === undefined) return; // setSessionDefaults took them
          const middlewares = Array.isArray(made) ? made : [made as Middleware];
          const client = createClient([...middlewares, ...(target.partners?.() ?? []), baseUrl('http://127.0.0.1:9/')], { fetch: counting });
          try {
            const response = await client('ok', { signal: AbortSignal.timeout(1_000) });
            expect(response).toBeInstanceOf(Response);
          } catch (error) {
            // A hostile but accepted value may make the call fail; it must fail as fetchpipe says.
            const name = (error as { name?: unknown } | null)?.name;
            expect(isFetchpipeError(error) || name === 'TimeoutError' || name === 'AbortError', String(error)).toBe(true);
          }
        }),
        { numRuns: 250 },
      );
    });
  }

  it('createClient: any middleware list or options give a client or a ConfigError, never another exception', () => {
    fc.assert(
      fc.property(hostile, optionsFor(['fetch', 'onEvent']), (middlewares, options) => {
        try {
          createClient(middlewares as Middleware[], options as never);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          expect((error as Error).message.startsWith('createClient: ')).toBe(true);
        }
      }),
      // A sparse array: forEach skips its hole, for…of does not.
      { numRuns: 300, examples: [[new Array(1), {}]] },
    );
  });

  it('refuses a header value with a character above U+00FF (fetch wants a ByteString) with ConfigError at construction', () => {
    const makers = [
      () => headers({ 'x-note': '💥' }),
      () => authHeaders([['X-API-Key', 'k💥']]),
      () => userAgent('app/💥'),
      () => qbraid({ headers: { 'x-note': '💥' } }),
      () => qbraid({ userAgents: ['app/💥'] }),
    ];
    for (const make of makers) expect(make).toThrow(ConfigError);
    // Latin-1 is a ByteString: accepted.
    expect(() => headers({ 'x-note': 'café' })).not.toThrow();
  });
});
