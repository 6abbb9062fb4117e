// RateLimitError in a file of its own, apart from the middleware and its module-level option schema:
// an app that imports only the class (to catch it) gets the class, not the middleware and zod.
import { FetchpipeError, type RequestSummary } from '../../kit/index.ts';

/** A request would have to wait longer than `maxWait` for its origin's rate limit. Not retried. */
export class RateLimitError extends FetchpipeError {
  override name = 'RateLimitError';
  /** How long the request would have had to wait, in ms. */
  readonly waitMs: number;
  // `retryable` stays the family's default, false: sending again sooner only meets the same limit.

  constructor(message: string, options: { request: RequestSummary; waitMs: number }) {
    super(message, options);
    this.waitMs = options.waitMs;
  }
}
