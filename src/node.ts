// fetchpipe/node: what only Node's fetch can do. Node's fetch is undici, and an undici
// dispatcher passed as `init.dispatcher` sees connection set-up, which fetch itself hides.
// The core never imports this file.
import { Agent } from 'undici';
import { defineMiddleware, type FetchpipeRequest, type Middleware } from './core/request.ts';
import { is, parseOptions } from './core/config.ts';
import { timeout, type TimeoutOptions } from './middleware/timeout/index.ts';

const MAX_DELAY = 2_147_483_647;
const connectSchema = is<number>(
  `a positive number of milliseconds (at most ${MAX_DELAY})`,
  (v) => typeof v === 'number' && v > 0 && v <= MAX_DELAY,
);

function withDispatcher(agent: Agent): (request: FetchpipeRequest) => FetchpipeRequest {
  // The init of most calls is one shared object: its twin with the dispatcher is built once.
  let lastInit: Readonly<RequestInit> | undefined;
  let lastOut: Readonly<RequestInit> | undefined;
  return (request) => {
    const init = request.init;
    // A dispatcher the caller chose (a proxy agent, say) is theirs to configure.
    if ('dispatcher' in init) return request;
    if (init !== lastInit) {
      lastInit = init;
      lastOut = { ...init, dispatcher: agent } as RequestInit;
    }
    return { ...request, init: lastOut! };
  };
}

/**
 * Bounds connection set-up (DNS, TCP, TLS) on Node with an undici `Agent({ connect: { timeout } })`
 * passed to fetch as `init.dispatcher`: a slow connect fails with `ConnectTimeoutError`. undici
 * checks the clock about twice a second, so expect it up to about a second late. Only Node's
 * fetch (or undici's own) accepts a dispatcher; a call that brings its own keeps it.
 * @example
 * import { connectTimeout } from 'fetchpipe/node';
 * createClient([retry(), connectTimeout(3_000), timeout({ read: 27_000 })]);
 */
export function connectTimeout(ms: number): Middleware {
  const connect = parseOptions('connectTimeout', connectSchema, ms);
  // One Agent per middleware, so its connections are pooled across calls.
  const prepare = withDispatcher(new Agent({ connect: { timeout: connect } }));
  return defineMiddleware(
    async function connectTimeout(request, next) {
      return next(prepare(request));
    },
    { name: 'connectTimeout', options: { connect } },
  );
}

/**
 * `timeout()` with `connect` enforced on Node: `connect` (ms) bounds connection set-up through an
 * undici dispatcher; `read` and `total` (ms) work as in `timeout()`, so the read window still
 * starts when the request is handed to fetch and includes set-up.
 * @example
 * import { nodeTimeout } from 'fetchpipe/node';
 * createClient([retry(), backoff({ factor: 100 }), nodeTimeout([3_000, 27_000])]);
 */
export function nodeTimeout(options: TimeoutOptions): Middleware {
  const inner = timeout(options);
  const resolved = inner.meta!.options as { connect: number | null };
  if (resolved.connect === null) return inner;
  const prepare = withDispatcher(new Agent({ connect: { timeout: resolved.connect } }));
  return defineMiddleware(
    async function nodeTimeout(request, next) {
      return inner(prepare(request), next);
    },
    // The connect limit rides on each attempt's dispatcher wherever it stands; the read and total
    // windows are timeout()'s, so nodeTimeout() takes timeout()'s place in the chain.
    inner.meta!.after ? { name: 'nodeTimeout', options: resolved, after: inner.meta!.after } : { name: 'nodeTimeout', options: resolved },
  );
}
