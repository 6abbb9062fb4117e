// CircuitOpenError in a file of its own, apart from the middleware and its module-level option schema:
// an app that imports only the class (to catch it) gets the class, not the middleware and zod.
import { FetchpipeError, type FetchpipeErrorOptions } from '../../kit/index.ts';

/** The request was not sent: the circuit of its origin is open (or half-open with its probe out). Never retried. */
export class CircuitOpenError extends FetchpipeError {
  override name = 'CircuitOpenError';
  /** The origin whose circuit is open. */
  readonly origin: string;
  /** When the circuit lets its next probe through (`clock.now()` time). */
  readonly retryAt: number;
  // `retryable` stays the family's default, false: an open circuit is a verdict on the origin,
  // and sending again at once cannot help.

  constructor(message: string, options: FetchpipeErrorOptions & { origin: string; retryAt: number }) {
    super(message, options);
    this.origin = options.origin;
    this.retryAt = options.retryAt;
  }
}
