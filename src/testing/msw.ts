// fetchpipe/testing/msw: `sequence()` as an msw 3 handler. Its own subpath, so that only
// users who import it need msw installed (an optional peer dependency).
import { http, type HttpHandler } from 'msw';
import { sequence, type Sequence, type SequenceOptions, type Step } from './index.ts';

/** What `http.all()` matches: a path pattern, a RegExp or a predicate. */
export type SequencePredicate = Parameters<typeof http.all>[0];

/** A sequence whose steps are played by an msw handler. */
export interface SequenceHandler extends Sequence {
  /** The `http.all(predicate, …)` handler to give to `setupServer()`, `setupWorker()` or `server.use()`. */
  readonly handler: HttpHandler;
}

/**
 * An msw handler for every method on `predicate` that plays `steps` in order, as `sequence()` does;
 * a network failure step is `HttpResponse.error()` (msw cannot tell a refused connection from
 * another network failure, so `'connection-refused'` fails the same way).
 * @example
 * const backend = sequenceHandler('https://api.example.com/*', [503, 503, 200]);
 * server.use(backend.handler);
 * await client('https://api.example.com/users'); // backend.calls === 3
 */
export function sequenceHandler(predicate: SequencePredicate, steps: readonly Step[], options?: SequenceOptions): SequenceHandler {
  const played = sequence(steps, options);
  const handler = http.all(predicate, ({ request }) => played.respond(request));
  return Object.defineProperty(played, 'handler', { value: handler, enumerable: true }) as SequenceHandler;
}
