// AuthRefreshError in a file of its own, apart from the middleware and its module-level option schema:
// an app that imports only the class (to catch it) gets the class, not the middleware and zod.
import { FetchpipeError, type FetchpipeErrorOptions } from '../../kit/index.ts';

/** The token could not be refreshed: the call fails with the refresh's own error as `cause`. Never retried. */
export class AuthRefreshError extends FetchpipeError {
  override name = 'AuthRefreshError';
  // `retryable` stays the family's default, false: a retry would only repeat the failed refresh.

  constructor(message: string, options: FetchpipeErrorOptions) {
    super(message, options);
  }
}
