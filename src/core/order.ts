// Order resolution: the one place that turns the middlewares a user gave into the chain that
// runs. createClient() and explain() both call it, so explain() shows exactly what runs.
// The core knows no middleware by name: everything here is read from their declarations.
import { ConfigError } from '../errors/index.ts';
import type { Middleware } from './request.ts';

/** The name a middleware goes by: its declared name, else its function's name. */
export function nameOf(middleware: Middleware): string {
  return middleware.meta?.name ?? (middleware.name || 'anonymous');
}

// What a middleware answers to in `needs`, `after` and `before`: its name and what it provides.
function answersTo(middleware: Middleware, name: string): boolean {
  const meta = middleware.meta;
  return meta !== undefined && (meta.name === name || (meta.provides?.includes(name) ?? false));
}

// The first rule of `middleware` that `chain` breaks, as "<declarer>: must stand after|before <other>()",
// with the index of the middleware that must move and of the one it must move past.
// `after: [x]`: when an x is present, at least one x stands in front of the declarer.
// `before: [x]`: when an x is present, at least one x stands behind the declarer.
function brokenRule(chain: readonly Middleware[], at: number): { rule: string; move: number; past: number } | undefined {
  const declarer = chain[at]!;
  for (const name of declarer.meta?.after ?? []) {
    const first = chain.findIndex((middleware) => answersTo(middleware, name));
    if (first > at) return { rule: `${nameOf(declarer)}: must stand after ${nameOf(chain[first]!)}()`, move: at, past: first };
  }
  for (const name of declarer.meta?.before ?? []) {
    const last = chain.findLastIndex((middleware) => answersTo(middleware, name));
    if (last !== -1 && last < at) return { rule: `${nameOf(declarer)}: must stand before ${nameOf(chain[last]!)}()`, move: last, past: at };
  }
  return undefined;
}

// Whether `inner`, placed right behind `outer`, is what `outer` or `inner` declares.
function mustBeInside(inner: Middleware, outer: Middleware): boolean {
  return (inner.meta?.after ?? []).some((name) => answersTo(outer, name)) || (outer.meta?.before ?? []).some((name) => answersTo(inner, name));
}

function checkShape(owner: string, middlewares: readonly Middleware[]): void {
  if (!Array.isArray(middlewares)) {
    throw new ConfigError(`${owner}: middlewares: expected an array of middlewares`, { option: 'middlewares' });
  }
  // A plain loop, not forEach: holes in a sparse array are bad input too.
  for (let index = 0; index < middlewares.length; index++) {
    const middleware: unknown = middlewares[index];
    if (typeof middleware !== 'function') {
      throw new ConfigError(`${owner}: middlewares.${index}: expected a middleware function, received ${middleware === null ? 'null' : typeof middleware}`, {
        option: `middlewares.${index}`,
      });
    }
  }
}

// The deepest index at which `added` can stand: in front of the first middleware that must be inside it.
function placeFor(chain: readonly Middleware[], added: Middleware): number {
  const index = chain.findIndex((middleware) => mustBeInside(middleware, added));
  return index === -1 ? chain.length : index;
}

/**
 * The chain that runs, outermost first: `middlewares` with every missing need filled in from
 * its declarer's `fills`, checked against every `after` and `before`. Throws a ConfigError
 * naming both middlewares and the fix when a need cannot be met or an order is broken.
 */
export function resolveChain(middlewares: readonly Middleware[], owner = 'createClient'): readonly Middleware[] {
  checkShape(owner, middlewares);
  const chain = [...middlewares];
  // Fills may have needs of their own: go on until every need of every member is met.
  for (let index = 0; index < chain.length; index++) {
    const declarer = chain[index]!;
    for (const need of declarer.meta?.needs ?? []) {
      if (chain.some((middleware) => answersTo(middleware, need))) continue;
      const fill = declarer.meta?.fills?.[need];
      if (fill === undefined) {
        throw new ConfigError(`${nameOf(declarer)}: needs ${need}() in the middlewares, and none provides it: add ${need}() to them`, { option: 'middlewares' });
      }
      const added = fill();
      chain.splice(placeFor(chain, added), 0, added);
    }
  }
  for (let at = 0; at < chain.length; at++) {
    const broken = brokenRule(chain, at);
    if (broken === undefined) continue;
    const [move, past] = [nameOf(chain[broken.move]!), nameOf(chain[broken.past]!)];
    throw new ConfigError(
      `${broken.rule}, but ${move}() stands before ${past}() (middlewares ${broken.move} and ${broken.past} of the chain): move ${move}() after ${past}()`,
      { option: 'middlewares' },
    );
  }
  return chain;
}
