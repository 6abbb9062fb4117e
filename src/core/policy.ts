// Per-call options: `withOptions(client, policy)` (src/policy/) puts a policy on the init under
// a symbol, which fetch ignores and the request value carries in `init` untouched; a middleware
// that supports overrides reads its own entry there. Nothing else in the core knows of it.
import type { Handler, Middleware } from './request.ts';

/** The init field that carries a call's policy: a symbol, so no fetch ever reads or sends it. */
export const POLICY: unique symbol = Symbol.for('fetchpipe.policy') as never;

// Marks the plain handler inside an overridable one.
const UNWRAPPED = Symbol();

type Overridable = Handler & { [UNWRAPPED]?: Handler };

/**
 * Wraps a middleware's handler so that a call whose policy overrides `name` runs the handler
 * of `reconfigure(override)` instead: the factory again, with the override merged over the
 * options it was given. One handler per override object, made on first use. For middlewares
 * without per-client state (no `setup`): one call cannot have a queue of its own.
 */
export function overridable<T extends object>(name: string, handler: Handler, reconfigure: (override: T) => Middleware): Handler {
  const handlers = new WeakMap<T, Handler>();
  const wrapped: Overridable = (request, next) => {
    const override = (request.init as { [POLICY]?: Record<string, T> })[POLICY]?.[name];
    if (override === undefined) return handler(request, next);
    let own = handlers.get(override);
    if (own === undefined) {
      // The reconfigured middleware is overridable too: the call's policy must not send it round again.
      const made: Overridable = reconfigure(override);
      handlers.set(override, (own = made[UNWRAPPED] ?? made));
    }
    return own(request, next);
  };
  wrapped[UNWRAPPED] = handler;
  return wrapped;
}
