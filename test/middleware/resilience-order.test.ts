import { describe, expect, it } from 'vitest';
import { ConfigError, authRefresh, backoff, circuitBreaker, createClient, explain, idempotencyKey, rateLimit, redirect, retry, retryBudget, timeout, type FetchpipeEvent } from '../../src/index.ts';
import { defineMiddleware } from '../../src/kit/index.ts';
import { sequence } from '../../src/testing/index.ts';

describe('the resilience middlewares declare their place', () => {
  const refresh = async () => 'token-123456';
  it.each([
    ['retryBudget', () => [retry(), retryBudget()], 'retryBudget: must stand before retry(): move retry() after retryBudget() in the middlewares'],
    ['authRefresh', () => [retry(), authRefresh({ refresh })], 'authRefresh: must stand before retry(): move retry() after authRefresh() in the middlewares'],
    ['idempotencyKey', () => [redirect(), idempotencyKey()], 'idempotencyKey: must stand before redirect(): move redirect() after idempotencyKey() in the middlewares'],
    ['circuitBreaker', () => [circuitBreaker(), retry()], 'circuitBreaker: must stand after retry(): move circuitBreaker() after retry() in the middlewares'],
    ['rateLimit', () => [retry(), rateLimit(), timeout({ total: 1_000 })], 'rateLimit: must stand after timeout(): move rateLimit() after timeout() in the middlewares'],
  ])('%s in the wrong place is a ConfigError naming both and the fix', (_name, chain, message) => {
    expect(() => createClient(chain())).toThrow(ConfigError);
    expect(() => createClient(chain())).toThrow(message);
    expect(() => explain(chain())).toThrow(message);
  });

  it('refuses retryBudget() without a retry() to veto, naming the fix, rather than guard nothing', () => {
    expect(() => createClient([retryBudget()])).toThrow(ConfigError);
    expect(() => createClient([retryBudget()])).toThrow('retryBudget: needs retry() in the middlewares: add retry() to them');
  });

  it('accepts the documented order', () => {
    const chain = [idempotencyKey(), authRefresh({ refresh }), retryBudget(), retry(), backoff(), redirect(), timeout({ total: 5_000 }), circuitBreaker(), rateLimit()];
    expect(explain(chain).order.map((m) => m.name)).toEqual(['idempotencyKey', 'authRefresh', 'retryBudget', 'retry', 'backoff', 'redirect', 'timeout', 'circuitBreaker', 'rateLimit']);
  });
});

describe('context.listen()', () => {
  it('gives a middleware its own call\'s events, after the client\'s listener, and a throwing one fails nothing', async () => {
    const seen: string[][] = [[], []];
    let call = 0;
    const spy = defineMiddleware(
      function spy(request, next) {
        const mine = seen[call++]!;
        request.context.listen((event: FetchpipeEvent) => mine.push(event.type));
        request.context.listen(() => {
          throw new Error('a broken listener');
        });
        return next(request);
      },
      { name: 'spy' },
    );
    const client: string[] = [];
    const fetch = createClient([spy, retry({ statusForcelist: [503] })], { fetch: sequence([503, 200]), onEvent: (e) => client.push(e.type) });
    expect((await fetch('https://api.test/a')).status).toBe(200);
    expect((await fetch('https://api.test/b')).status).toBe(200);
    // From the moment it listens: the call's start came before, its done comes after.
    expect(seen).toEqual([
      ['attempt', 'retry', 'attempt', 'done'],
      ['attempt', 'done'],
    ]);
    expect(client).toEqual(['start', 'attempt', 'retry', 'attempt', 'done', 'start', 'attempt', 'done']);
  });
});
