import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  MaxRetryError,
  backoff,
  createClient,
  explain,
  retry,
  type FetchpipeEvent,
} from '../../../src/index.ts';
import { createRetryBudget, retryBudget } from '../../../src/middleware/retry-budget/index.ts';
import { recordingClock, sequence } from '../../../src/testing/index.ts';
import { closedPort, startServer, type LocalServer } from '../../support/server.ts';

describe('retryBudget options', () => {
  it('refuses bad options, naming each', () => {
    expect(() => retryBudget({ maxTokens: 0 })).toThrow('retryBudget: maxTokens: expected a number from 1 to 1000, received 0');
    expect(() => retryBudget({ tokenRatio: 0 })).toThrow('retryBudget: tokenRatio: expected a number above 0 and at most 1, received 0');
    expect(() => retryBudget({ tokenRatio: 1.5 })).toThrow(ConfigError);
    expect(() => retryBudget({ budget: {} as never })).toThrow('retryBudget: budget: expected a budget from createRetryBudget(), received an object (Object)');
    expect(() => retryBudget({ budget: createRetryBudget(), maxTokens: 3 })).toThrow('retryBudget: maxTokens: a shared budget has its own; set it in createRetryBudget()');
    expect(() => retryBudget({ max: 3 } as never)).toThrow('retryBudget: max: unknown option');
    expect(() => createRetryBudget({ maxTokens: -1 })).toThrow('createRetryBudget: maxTokens: expected a number from 1 to 1000, received -1');
  });

  it('shows its model in explain()', () => {
    expect(explain([retryBudget(), retry()]).order[0]).toEqual({ name: 'retryBudget', options: { maxTokens: 10, tokenRatio: 0.1, shared: false } });
  });
});

describe('retryBudget during an outage, on a real socket', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startServer((_req, res) => {
      res.statusCode = 503;
      res.end('down');
    });
  });
  afterAll(() => server.close());

  const batch = async (withBudget: boolean, calls: number) => {
    const before = server.requests.length;
    const clock = recordingClock();
    const client = createClient([
      ...(withBudget ? [retryBudget()] : []),
      retry({ total: 3, statusForcelist: [503] }),
      backoff({ factor: 10, clock }),
    ]);
    const outcomes = await Promise.allSettled(Array.from({ length: calls }, (_, i) => client(`${server.origin}/job/${i}`)));
    return { attempts: server.requests.length - before, outcomes };
  };

  it('a batch of 40 calls makes 4 × 40 attempts without a budget, and 40 + 4 with one', async () => {
    const without = await batch(false, 40);
    expect(without.attempts).toBe(160);
    const within = await batch(true, 40);
    // Four failures leave 6 of 10 tokens; the fifth leaves 5, and retries stop for everyone.
    expect(within.attempts).toBe(44);
    for (const outcome of within.outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(MaxRetryError);
    }
  });

  it('counts attempts that never reached the server (connection refused) as failures too', async () => {
    const port = await closedPort();
    const client = createClient([retryBudget(), retry({ total: 3 })]);
    const events: FetchpipeEvent[] = [];
    const observed = createClient([retryBudget(), retry({ total: 3 })], { onEvent: (e) => events.push(e) });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => client(`http://127.0.0.1:${port}/`)));
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof MaxRetryError)).toBe(true);
    await observed(`http://127.0.0.1:${port}/`).catch(() => {});
    await observed(`http://127.0.0.1:${port}/`).catch(() => {});
    const attempts = events.filter((e) => e.type === 'attempt').length;
    // 4 attempts for the first call (tokens 9, 8, 7, 6), then the fifth failure (5 left) is vetoed.
    expect(attempts).toBe(5);
  });
});

describe('retryBudget with a scripted backend', () => {
  it('ends a vetoed retry as retry() ends when its counters run out, with a history entry and events saying why', async () => {
    const events: FetchpipeEvent[] = [];
    const budget = createRetryBudget({ maxTokens: 2 });
    const client = createClient([retryBudget({ budget }), retry({ total: 5, statusForcelist: [503] })], {
      fetch: sequence([503]),
      onEvent: (e) => events.push(e),
    });
    const error = (await client('https://api.test/x').catch((e: unknown) => e)) as MaxRetryError;
    expect(error).toBeInstanceOf(MaxRetryError);
    expect((error.reason as Error).message).toBe('too many 503 error responses');
    // maxTokens 2: the first failure leaves 1, which is not more than half: no retry at all.
    expect(error.history).toHaveLength(1);
    expect(error.history[0]!.vetoed).toBe('retry budget spent (1 of 2 tokens left, retries need more than 1)');
    expect(events.map((e) => e.type as string)).toContain('retryBudget.veto');
    expect(events.find((e) => e.type === 'give-up')).toMatchObject({ reason: expect.stringContaining('retry budget spent') });
  });

  it('returns the last response on a veto with raiseOnStatus: false, as when retries run out', async () => {
    const client = createClient([retryBudget({ maxTokens: 1 }), retry({ total: 5, statusForcelist: [503], raiseOnStatus: false })], {
      fetch: sequence([503]),
    });
    expect((await client('https://api.test/x')).status).toBe(503);
  });

  it('refills with successes: after an outage, enough 200s let retries through again', async () => {
    const budget = createRetryBudget({ maxTokens: 4, tokenRatio: 0.5 });
    const backend = sequence([503, 503, 200, 200, 503, 200]);
    const client = createClient([retryBudget({ budget }), retry({ total: 3, statusForcelist: [503] })], { fetch: backend });
    // 503 (3 left), retried; 503 (2 left, not > 2): vetoed.
    expect(await client('https://api.test/a').catch((e: unknown) => e)).toBeInstanceOf(MaxRetryError);
    expect(budget.tokens).toBe(2);
    await client('https://api.test/b');
    await client('https://api.test/c');
    expect(budget.tokens).toBe(3);
    // 503 (2 left): vetoed again; a budget at 3 would have needed one more success.
    expect(await client('https://api.test/d').catch((e: unknown) => e)).toBeInstanceOf(MaxRetryError);
    expect(backend.calls).toBe(5);
  });

  it('does not count a response that retry() did not count as a failure against the budget', async () => {
    const budget = createRetryBudget({ maxTokens: 2 });
    const client = createClient([retryBudget({ budget }), retry({ statusForcelist: [503] })], { fetch: sequence([404]) });
    for (let i = 0; i < 5; i++) expect((await client('https://api.test/x')).status).toBe(404);
    expect(budget.tokens).toBe(2);
  });

  it('is shared by two clients given the same budget, and separate per client otherwise', async () => {
    const budget = createRetryBudget({ maxTokens: 4 });
    const a = createClient([retryBudget({ budget }), retry({ total: 3, statusForcelist: [503] })], { fetch: sequence([503]) });
    const b = createClient([retryBudget({ budget }), retry({ total: 3, statusForcelist: [503] })], { fetch: sequence([503]) });
    await a('https://api.test/x').catch(() => {});
    expect(budget.tokens).toBe(2);
    const backendC = sequence([503]);
    await b('https://api.test/x').catch(() => {});
    expect(budget.tokens).toBe(1);
    // Own budgets: the same middleware in two clients is two budgets.
    const own = retryBudget({ maxTokens: 4 });
    const c = createClient([own, retry({ total: 3, statusForcelist: [503] })], { fetch: backendC });
    const d = createClient([own, retry({ total: 3, statusForcelist: [503] })], { fetch: backendC });
    await c('https://api.test/x').catch(() => {});
    await d('https://api.test/x').catch(() => {});
    // Two attempts each (4 → 3, retried; 3 → 2, vetoed); one shared budget would have let d make one.
    expect(backendC.calls).toBe(4);
  });
});
