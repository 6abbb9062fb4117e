// retry()'s budget arithmetic, urllib3's Retry counters: pure functions of the configured counters
// and the call's history, so that retry() holds none of it and this file is tested alone.
import type { AttemptRecord, RetryCounter } from '../../kit/index.ts';

/** The counters as configured: a number, `false` (no retries of that kind) or `null` (not set). */
export type Counters = Readonly<Record<RetryCounter | 'total', number | false | null>>;

/** The counters as numbers to spend from. */
export type Budget = Readonly<Record<RetryCounter | 'total', number>>;

/**
 * The configured counters as numbers to spend from, resolved once. False counts as 0 (Python's
 * `False - 1` is -1); an unset counter is never spent down, so it is Infinity.
 */
export function budgetOf(counters: Counters): Budget {
  return Object.fromEntries(Object.entries(counters).map(([name, value]) => [name, value === null ? Infinity : Number(value)])) as Budget;
}

/** Whether a record spends from retry's counters: records of other middlewares carry a namespaced kind (`authRefresh.replay`). */
export const isOwn = (kind: AttemptRecord['kind']): kind is RetryCounter => !kind.includes('.');

/** How many records of `history` from `start` on spent from retry's counters. */
export function spent(history: readonly { readonly kind: AttemptRecord['kind'] }[], start: number): number {
  let n = 0;
  for (let i = start; i < history.length; i++) if (isOwn(history[i]!.kind)) n++;
  return n;
}

/**
 * urllib3's `is_exhausted` after the history from `start` on: each own record spends one from
 * `total` and one from its kind, and the budget is gone when a counter still set is below zero.
 * Only the records made since a retry() was entered count (`start`): with redirect() in front
 * (requests' model) every hop starts afresh; with retry() in front (urllib3's), start is 0.
 */
export function exhaustedAfter(budget: Budget, history: readonly { readonly kind: AttemptRecord['kind'] }[], start: number): boolean {
  const left = { ...budget };
  for (let i = start; i < history.length; i++) {
    const { kind } = history[i]!;
    if (!isOwn(kind)) continue;
    left.total -= 1;
    left[kind] -= 1;
  }
  return Object.values(left).some((value) => value < 0);
}
