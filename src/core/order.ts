// Order resolution: the one place that turns the middlewares a user gave into the chain that
// runs. createClient() and explain() both call it, so explain() shows exactly what runs.
// The core knows no middleware by name: everything here is read from their declarations.
//
// In `needs`, `after` and `before`, a name is a middleware's `name` or a capability that a
// middleware `provides`:
// - `needs: [x]`: some x must be in the chain; if none is, `fills[x]()` is added, as deep
//   inside as the other rules allow, or else the chain is refused;
// - `after: [x]`: when another x is in the chain, at least one x stands in front of the declarer;
// - `before: [x]`: when another x is in the chain, at least one x stands behind the declarer.
import { ConfigError } from '../errors/index.ts';
import type { Middleware } from './request.ts';

/** The name a middleware goes by: its declared name, else its function's name. */
export function nameOf(middleware: Middleware): string {
  return middleware.meta?.name ?? (middleware.name || 'anonymous');
}

// Whether `middleware` answers to `name`: its own, or a capability it provides.
const answers = (middleware: Middleware, name: string): boolean =>
  middleware.meta?.name === name || middleware.meta?.provides?.includes(name) === true;

// Whether `inner` must stand behind `outer`, by either one's declaration.
const mustFollow = (inner: Middleware, outer: Middleware): boolean =>
  inner.meta?.after?.some((name) => answers(outer, name)) === true || outer.meta?.before?.some((name) => answers(inner, name)) === true;

const refuse = (message: string): never => {
  throw new ConfigError(message, { option: 'middlewares' });
};

/**
 * The chain that runs, outermost first: `middlewares` with every missing need filled in from
 * its declarer's `fills`, checked against every `after` and `before`. Throws a ConfigError
 * naming both middlewares and the fix when a need cannot be met or an order is broken.
 */
export function resolveChain(middlewares: readonly Middleware[], owner = 'createClient'): readonly Middleware[] {
  if (!Array.isArray(middlewares)) refuse(`${owner}: middlewares: expected an array of middlewares`);
  // A plain loop, not forEach: holes in a sparse array are bad input too.
  for (let index = 0; index < middlewares.length; index++) {
    const middleware: unknown = middlewares[index];
    if (typeof middleware !== 'function') {
      throw new ConfigError(`${owner}: middlewares.${index}: expected a middleware function, received ${middleware === null ? 'null' : typeof middleware}`, {
        option: `middlewares.${index}`,
      });
    }
  }
  const chain = [...middlewares];
  // A fill may have needs of its own: the loop reaches it too.
  for (let index = 0; index < chain.length; index++) {
    const declarer = chain[index]!;
    for (const need of declarer.meta?.needs ?? []) {
      if (chain.some((middleware) => answers(middleware, need))) continue;
      const fill = declarer.meta?.fills?.[need] ?? refuse(`${nameOf(declarer)}: needs ${need}() in the middlewares: add ${need}() to them`);
      const added = fill();
      // In front of the first middleware that must stand behind it, else innermost.
      const at = chain.findIndex((middleware) => mustFollow(middleware, added));
      chain.splice(at === -1 ? chain.length : at, 0, added);
    }
  }
  chain.forEach((declarer, at) => {
    const name = nameOf(declarer);
    for (const other of declarer.meta?.after ?? []) {
      const first = chain.findIndex((middleware, index) => index !== at && answers(middleware, other));
      if (first > at) refuse(`${name}: must stand after ${other}(): move ${name}() after ${nameOf(chain[first]!)}() in the middlewares`);
    }
    for (const other of declarer.meta?.before ?? []) {
      const last = chain.findLastIndex((middleware, index) => index !== at && answers(middleware, other));
      if (last !== -1 && last < at) refuse(`${name}: must stand before ${other}(): move ${nameOf(chain[last]!)}() after ${name}() in the middlewares`);
    }
  });
  return chain;
}
