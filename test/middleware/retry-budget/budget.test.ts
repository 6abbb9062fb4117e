import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { budgetModel } from '../../../src/middleware/retry-budget/budget.ts';

describe('the retry budget model (gRPC retry throttling)', () => {
  it('starts full and allows retries while more than half the tokens are left', () => {
    const budget = budgetModel(10, 0.1);
    expect(budget.tokens).toBe(10);
    for (let failures = 1; failures <= 4; failures++) {
      budget.recordFailure();
      expect(budget.allowsRetry(), `after ${failures} failures`).toBe(true);
    }
    budget.recordFailure();
    expect(budget.tokens).toBe(5);
    expect(budget.allowsRetry()).toBe(false);
  });

  it('refills by tokenRatio per success, exactly, up to maxTokens', () => {
    const budget = budgetModel(10, 0.1);
    for (let i = 0; i < 5; i++) budget.recordFailure();
    for (let i = 0; i < 10; i++) budget.recordSuccess();
    expect(budget.tokens).toBe(6);
    expect(budget.allowsRetry()).toBe(true);
    for (let i = 0; i < 1000; i++) budget.recordSuccess();
    expect(budget.tokens).toBe(10);
  });

  it('never goes below 0 or above maxTokens, and allows a retry exactly when tokens > maxTokens / 2, for any outcomes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 1000 }).map((n) => n / 1000),
        fc.array(fc.boolean(), { maxLength: 300 }),
        (maxTokens, tokenRatio, outcomes) => {
          const budget = budgetModel(maxTokens, tokenRatio);
          // A reference in milli-tokens, as gRPC keeps them.
          let milli = maxTokens * 1000;
          for (const failed of outcomes) {
            if (failed) budget.recordFailure();
            else budget.recordSuccess();
            milli = failed ? Math.max(0, milli - 1000) : Math.min(maxTokens * 1000, milli + Math.round(tokenRatio * 1000));
            expect(budget.tokens).toBe(milli / 1000);
            expect(budget.tokens).toBeGreaterThanOrEqual(0);
            expect(budget.tokens).toBeLessThanOrEqual(maxTokens);
            expect(budget.allowsRetry()).toBe(milli > (maxTokens * 1000) / 2);
          }
        },
      ),
    );
  });

  it('stops retries after at most ceil(maxTokens / 2) failures in a row, from any state', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.array(fc.boolean(), { maxLength: 100 }), (maxTokens, before) => {
        const budget = budgetModel(maxTokens, 0.1);
        for (const failed of before) (failed ? budget.recordFailure() : budget.recordSuccess());
        let allowed = 0;
        for (let i = 0; i < maxTokens; i++) {
          if (budget.allowsRetry()) allowed++;
          budget.recordFailure();
        }
        expect(allowed).toBeLessThanOrEqual(Math.ceil(maxTokens / 2));
        expect(budget.allowsRetry()).toBe(false);
      }),
    );
  });
});
