// The open error family: a brand subclasses inherit, names that survive structuredClone, and
// retryability decided by each error, so that a middleware's own error is not retried unless it says so.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  ConnectTimeoutError,
  ConnectionError,
  FetchpipeError,
  HTTPError,
  InvalidHeaderError,
  InvalidURLError,
  MaxRetryError,
  PoolTimeoutError,
  ReadTimeoutError,
  ResponseError,
  SSLError,
  TooManyRedirectsError,
  TotalTimeoutError,
  createClient,
  defineMiddleware,
  isFetchpipeError,
  retry,
  type Retryable,
} from '../../src/index.ts';
import { FETCHPIPE_ERROR, retryableOf } from '../../src/kit/index.ts';

const every = (): FetchpipeError[] => [
  new FetchpipeError('x'),
  new ConnectionError('x', { phase: 'connect' }),
  new ConnectionError('x', { phase: 'read' }),
  new ConnectTimeoutError('x'),
  new SSLError('x'),
  new ReadTimeoutError('x'),
  new TotalTimeoutError('x'),
  new MaxRetryError('x', { reason: new Error('r'), history: [] }),
  new ResponseError('x'),
  new HTTPError('x', { response: new Response(null, { status: 500 }) }),
  new InvalidURLError('x'),
  new InvalidHeaderError('x'),
  new PoolTimeoutError('x'),
  new TooManyRedirectsError('x'),
  new ConfigError('x'),
];

describe('isFetchpipeError', () => {
  it('recognises every class of the family, and each one by its name once it crossed a boundary as JSON', () => {
    for (const error of every()) {
      expect(isFetchpipeError(error)).toBe(true);
      expect(isFetchpipeError(JSON.parse(JSON.stringify(error)))).toBe(true);
    }
  });

  // What structuredClone (postMessage, a worker) keeps of an Error is the platform's choice:
  // V8 and JavaScriptCore keep only the standard names, so no guard can tell a clone apart.
  it('cannot recognise a structuredClone of an error, whose name the platform resets to Error', () => {
    for (const error of every()) {
      const clone = structuredClone(error);
      expect([clone.name, clone.message, isFetchpipeError(clone)]).toEqual(['Error', 'x', false]);
    }
  });

  it('recognises any subclass by its inherited brand, whatever its name, and no brandless error', () => {
    fc.assert(
      fc.property(fc.string(), (name) => {
        class CircuitOpenError extends FetchpipeError {
          override name = name;
        }
        const error = new CircuitOpenError('open');
        expect(isFetchpipeError(error)).toBe(true);
        expect(Object.getOwnPropertySymbols(error)).not.toContain(FETCHPIPE_ERROR);
        expect(isFetchpipeError(Object.assign(new Error('x'), { name: `${name}!` }))).toBe(false);
      }),
    );
  });

  it('recognises the brand of another copy of the package: it is Symbol.for("fetchpipe.error")', () => {
    expect(FETCHPIPE_ERROR).toBe(Symbol.for('fetchpipe.error'));
    const foreign = Object.create(Error.prototype, { [Symbol.for('fetchpipe.error')]: { value: true }, name: { value: 'Other' } });
    expect(isFetchpipeError(foreign)).toBe(true);
  });
});

describe('retryable: the error decides', () => {
  it('says connect, read or other for the network classes and false for the rest', () => {
    expect(every().map((error) => [error.name, error.retryable])).toEqual([
      ['FetchpipeError', false],
      ['ConnectionError', 'connect'],
      ['ConnectionError', 'read'],
      ['ConnectTimeoutError', 'connect'],
      ['SSLError', 'other'],
      ['ReadTimeoutError', 'read'],
      ['TotalTimeoutError', false],
      ['MaxRetryError', false],
      ['ResponseError', false],
      ['HTTPError', false],
      ['InvalidURLError', false],
      ['InvalidHeaderError', false],
      ['PoolTimeoutError', false],
      ['TooManyRedirectsError', false],
      ['ConfigError', false],
    ]);
  });

  it('reads it from any error, foreign ones included; without one, a plain error is urllib3’s other and aborts and programming errors never', () => {
    expect(retryableOf(Object.assign(new Error('x'), { retryable: false }))).toBe(false);
    expect(retryableOf(Object.assign(new Error('x'), { retryable: 'connect' }))).toBe('connect');
    expect(retryableOf(new Error('x'))).toBe('other');
    expect(retryableOf(new TypeError('x'))).toBe(false);
    expect(retryableOf(new DOMException('x', 'AbortError'))).toBe(false);
    expect(retryableOf(Object.assign(new DOMException('x', 'AbortError'), { retryable: 'other' }))).toBe(false);
    expect(retryableOf('a string')).toBe('other');
  });

  // The newcomer's wall: an always-open breaker behind retry() was entered 4 times.
  it('lets retry() enter an always-open breaker once, and retries a subclass exactly as its retryable says', async () => {
    const kinds: Retryable[] = [false, 'connect', 'read', 'other'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...kinds), fc.constantFrom('GET', 'POST'), fc.integer({ min: 0, max: 3 }), async (retryable, method, total) => {
        class OpenError extends FetchpipeError {
          override name = 'CircuitOpenError';
        }
        class Said extends OpenError {
          override readonly retryable = retryable;
        }
        let entered = 0;
        const breaker = defineMiddleware(async function breaker() {
          entered++;
          throw retryable === false && entered % 2 === 0 ? new OpenError('open') : new Said('open');
        }, { name: 'circuitBreaker' });
        const error = await createClient([retry({ total }), breaker], { fetch: async () => new Response() })('http://h/x', { method }).catch((e: unknown) => e);
        // read retries only allowed methods (POST is not); connect and other any method.
        const retried = retryable === 'connect' || retryable === 'other' || (retryable === 'read' && method === 'GET');
        expect(entered).toBe(retried ? total + 1 : 1);
        expect(isFetchpipeError(error)).toBe(true);
      }),
    );
  });
});
