// Per-call options: `withOptions(client, policy)` (src/policy/) puts a policy on the init under
// a symbol, which fetch ignores and the request value carries in `init` untouched; a middleware
// that supports overrides reads its own entry there. Nothing else in the core knows of it.
import type { FetchpipeRequest, Handler, Middleware } from './request.ts';

/** The init field that carries a call's policy: a symbol, so no fetch ever reads or sends it. */
export const POLICY: unique symbol = Symbol.for('fetchpipe.policy') as never;

/** The override a call's policy holds for the middleware `name`, if any. */
export function policyFor<T>(request: FetchpipeRequest, name: string): T | undefined {
  const policy = (request.init as { [POLICY]?: Readonly<Record<string, unknown>> })[POLICY];
  return policy === undefined ? undefined : (policy[name] as T | undefined);
}

// Marks the plain handler inside an overridable one.
const UNWRAPPED = Symbol('unwrapped');

/**
 * Wraps a middleware's handler so that a call whose policy overrides `name` runs the handler
 * of `reconfigure(override)` instead: the factory again, with the override merged over the
 * options it was given. One handler per override object, made on first use.
 */
export function overridable<T extends object>(name: string, handler: Handler, reconfigure: (override: T) => Middleware): Handler {
  const handlers = new WeakMap<T, Handler>();
  const wrapped: Handler & { [UNWRAPPED]?: Handler } = (request, next) => {
    const override = policyFor<T>(request, name);
    if (override === undefined) return handler(request, next);
    let own = handlers.get(override);
    if (own === undefined) {
      const middleware = reconfigure(override);
      const made: Handler & { [UNWRAPPED]?: Handler } = middleware.setup ? middleware.setup() : middleware;
      // The reconfigured middleware is overridable too; the call's policy must not send it round again.
      handlers.set(override, (own = made[UNWRAPPED] ?? made));
    }
    return own(request, next);
  };
  wrapped[UNWRAPPED] = handler;
  // Stack traces and explain() still read the factory's name.
  return Object.defineProperty(wrapped, 'name', { value: handler.name });
}
