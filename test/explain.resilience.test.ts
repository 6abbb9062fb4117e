import { describe, expect, it } from 'vitest';
import { authRefresh, circuitBreaker, explain, idempotencyKey, rateLimit, renderPlan, retry, retryBudget } from '../src/index.ts';

describe('explain() of the resilience middlewares', () => {
  it('says in one line what each does with its options, and never shows a token', () => {
    const text = renderPlan(
      explain([
        idempotencyKey({ retryKeyed: true }),
        authRefresh({ refresh: async () => 'x', token: 'sekrit-token-1' }),
        retryBudget({ maxTokens: 20, tokenRatio: 0.5 }),
        retry({ statusForcelist: [503] }),
        circuitBreaker({ consecutiveFailures: 3, failureRatio: 0.5, coolDown: 5_000 }),
        rateLimit({ rate: 2, burst: 4, maxWait: 10_000 }),
      ]),
    );
    expect(text.split('\n').slice(0, 6)).toEqual([
      'pipeline: idempotencyKey → authRefresh → retryBudget → retry → circuitBreaker → rateLimit',
      'idempotencyKey: one Idempotency-Key per POST/PATCH call, retried as an idempotent method',
      'authRefresh: refreshes the authorization token once for concurrent 401s, then replays each call once',
      'retryBudget: retries stop while 10 or fewer of 20 tokens are left; a failure takes 1, a success gives 0.5 back',
      'circuitBreaker: per origin, opens after 3 failures in a row or 50% failed over 10 s (10+ attempts); one probe after 5 s',
      "rateLimit: per origin, 2 a second, bursts of 4; waits out the server's rate-limit headers; a wait over 10 s fails",
    ]);
    expect(text).not.toContain('sekrit');
  });

  it('describes hint-only rate limiting and a shared budget', () => {
    const text = renderPlan(explain([rateLimit(), circuitBreaker({ consecutiveFailures: null, failureRatio: 0.25 })]));
    expect(text).toContain("rateLimit: per origin, no pace of its own; waits out the server's rate-limit headers; a wait over 60 s fails");
    expect(text).toContain('circuitBreaker: per origin, opens after 25% failed over 10 s (10+ attempts); one probe after 30 s');
  });
});
