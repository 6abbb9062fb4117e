// The retry budget's arithmetic, alone: gRPC's retry throttling (proposal A6), chosen over
// Finagle's RetryBudget and the AWS SDK v3 retry quota (see docs/RESILIENCE.md for why).
//
// - The budget holds `maxTokens` tokens and starts full.
// - Every failed attempt that retry() counts as retryable (a retried status, a connect, read
//   or other error) takes one token, whether or not it is then retried.
// - Every call that ends in a success gives back `tokenRatio` tokens, up to `maxTokens`.
// - A retry is allowed only while more than half the tokens are left.
//
// So once about maxTokens / 2 attempts in a row have failed, retries stop for every call
// sharing the budget, until enough successes (maxTokens / 2 / tokenRatio of them at worst)
// refill it. No time window: the state moves only with outcomes, so tests need no clock.

/** A retry budget that one or several clients share (gRPC's retry throttling). */
export interface RetryBudget {
  /** Tokens left, from 0 to `maxTokens`. */
  readonly tokens: number;
  readonly maxTokens: number;
  readonly tokenRatio: number;
  /** Whether a retry may go now: more than `maxTokens / 2` tokens are left. */
  allowsRetry(): boolean;
  /** Takes one token for a failed attempt. */
  recordFailure(): void;
  /** Gives back `tokenRatio` tokens for a successful call. */
  recordSuccess(): void;
}

/** The options of a retry budget, as gRPC's `retryThrottling` names them. */
export interface RetryBudgetModel {
  /** Tokens when full, 1 to 1000 as in gRPC. @default 10 */
  maxTokens?: number;
  /** Tokens a successful call gives back, above 0 and at most 1. @default 0.1 */
  tokenRatio?: number;
}

// gRPC keeps the token count in thousandths so that adding 0.1 ten times makes exactly 1;
// the same here: integers of milli-tokens, never a float that drifts.
const MILLI = 1000;

/** A full budget. The arguments are trusted: `retryBudget()` and `createRetryBudget()` validate them. */
export function budgetModel(maxTokens: number, tokenRatio: number): RetryBudget {
  const max = Math.round(maxTokens * MILLI);
  const ratio = Math.round(tokenRatio * MILLI);
  let milli = max;
  return {
    get tokens() {
      return milli / MILLI;
    },
    maxTokens,
    tokenRatio,
    allowsRetry: () => milli > max / 2,
    recordFailure() {
      milli = Math.max(0, milli - MILLI);
    },
    recordSuccess() {
      milli = Math.min(max, milli + ratio);
    },
  };
}
