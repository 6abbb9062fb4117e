// retry()'s budget arithmetic alone, against urllib3's Retry.increment/is_exhausted read directly:
// each retry takes one from total and one from its kind; counters at None are ignored; a counter
// at False or a number is exhausted once below zero.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { budgetOf, exhaustedAfter, isOwn, spent, type Counters } from '../../src/middleware/retry/budget.ts';

const KINDS = ['connect', 'read', 'other', 'status', 'redirect'] as const;
const counter = fc.oneof(fc.constant(null), fc.constant(false as const), fc.nat(4));
const counters: fc.Arbitrary<Counters> = fc.record({
  total: counter,
  connect: counter,
  read: counter,
  status: counter,
  redirect: counter,
  other: counter,
});
const record = fc.oneof(fc.constantFrom(...KINDS), fc.constantFrom('authRefresh.replay', 'quota.wait')).map((kind) => ({ kind }));

// urllib3: Retry(total, connect, …).increment() per retry, then is_exhausted(): any of the set
// counters (not None) below 0; False behaves as 0 in the arithmetic (False - 1 == -1).
function urllib3Exhausted(config: Counters, kinds: readonly string[]): boolean {
  const left: Record<string, number | null> = {};
  for (const [name, value] of Object.entries(config)) left[name] = value === null ? null : Number(value);
  for (const kind of kinds) {
    if (left.total !== null) left.total! -= 1;
    if (left[kind] !== null) left[kind]! -= 1;
  }
  return Object.values(left).some((value) => value !== null && value < 0);
}

describe('retry budget', () => {
  it('is exhausted exactly when urllib3 would be, counting only retry’s own records from where it was entered', () => {
    fc.assert(
      fc.property(counters, fc.array(record, { maxLength: 12 }), fc.nat(12), (config, history, rawStart) => {
        const start = Math.min(rawStart, history.length);
        const own = history.slice(start).filter(({ kind }) => isOwn(kind)).map(({ kind }) => kind);
        expect(exhaustedAfter(budgetOf(config), history, start)).toBe(urllib3Exhausted(config, own));
        expect(spent(history, start)).toBe(own.length);
      }),
    );
  });

  it('gives total: 0 one attempt and total: 2 three, and never lets another middleware’s record spend', () => {
    const config = (total: number): Counters => ({ total, connect: null, read: null, status: null, redirect: null, other: null });
    expect(exhaustedAfter(budgetOf(config(0)), [{ kind: 'status' }], 0)).toBe(true);
    expect(exhaustedAfter(budgetOf(config(2)), [{ kind: 'status' }, { kind: 'read' }], 0)).toBe(false);
    expect(exhaustedAfter(budgetOf(config(2)), [{ kind: 'status' }, { kind: 'read' }, { kind: 'connect' }], 0)).toBe(true);
    expect(exhaustedAfter(budgetOf(config(0)), [{ kind: 'authRefresh.replay' }, { kind: 'quota.wait' }], 0)).toBe(false);
    expect(budgetOf({ ...config(3), connect: false }).connect).toBe(0);
    expect(budgetOf(config(3)).read).toBe(Infinity);
  });
});
