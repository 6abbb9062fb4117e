// explain(): what a pipeline will do, read from the metadata each middleware declares:
// the order, which failures are retried, the wait before each possible retry, and when it stops.
import { nameOf, resolveChain } from './core/order.ts';
import type { Middleware } from './core/request.ts';
import { backoffDelay } from './middleware/backoff/index.ts';

/** The wait before one retry, when no Retry-After overrides it. */
export interface PlannedWait {
  /** 1 for the first retry. */
  readonly retry: number;
  readonly waitMs: number;
  /** Time spent waiting up to and including this one. */
  readonly cumulativeMs: number;
  /** Up to this much jitter may be added (before the cap). */
  readonly jitterMs: number;
}

export interface RetryPlan {
  readonly methods: readonly string[] | 'any';
  /** Methods also retried on a forcelist status (qBraid's POST rule). */
  readonly postOnForcelist: boolean;
  readonly statuses: readonly number[];
  /** Statuses retried only when they carry a Retry-After. */
  readonly retryAfterStatuses: readonly number[];
  /** The counters that bound the retries (null = unbounded, false = off). */
  readonly counters: Readonly<Record<string, number | false | null>>;
  /** Retries a request failing on status gets (bounded by `total` and `status`); null when unbounded. */
  readonly maxRetries: number | null;
  readonly waits: readonly PlannedWait[];
  /** What happens when the status retries run out. */
  readonly whenExhausted: 'returns the last response' | 'throws MaxRetryError';
  readonly respectsRetryAfter: boolean;
}

export interface Plan {
  /** The middlewares, outermost first, with their declared options. */
  readonly order: ReadonlyArray<{ readonly name: string; readonly options: Readonly<Record<string, unknown>> }>;
  /** Present when the pipeline has retry(). */
  readonly retry: RetryPlan | undefined;
}

const RETRY_AFTER_STATUSES = [413, 429, 503];
// Beyond this many retries the plan stops listing waits: the pattern is plain by then.
const LISTED_RETRIES = 12;

/**
 * The plan of a pipeline, as data.
 * @example
 * explain(caveclient()).retry?.waits.map((w) => w.waitMs); // [0, 200, 400]
 */
export function explain(middlewares: readonly Middleware[]): Plan {
  // The chain createClient() would run, needs filled and order checked, not merely the array given.
  const order = resolveChain(middlewares, 'explain').map((m) => ({ name: nameOf(m), options: m.meta?.options ?? {} }));
  const retry = order.find((m) => m.name === 'retry')?.options;
  if (retry === undefined) return { order, retry: undefined };
  const backoff = order.find((m) => m.name === 'backoff')?.options ?? {};

  const counters = Object.fromEntries(
    ['total', 'connect', 'read', 'status', 'redirect', 'other'].map((k) => [k, retry[k] as number | false | null]),
  );
  const bounds = [counters.total, counters.status].filter((v): v is number => typeof v === 'number');
  const maxRetries = counters.total === false || counters.status === false ? 0 : bounds.length > 0 ? Math.min(...bounds) : null;
  const factor = Number(backoff.factor ?? 0);
  const max = Number(backoff.max ?? 120_000);
  const jitter = Number(backoff.jitter ?? 0);
  const waits: PlannedWait[] = [];
  let cumulativeMs = 0;
  for (let n = 1; n <= Math.min(maxRetries ?? LISTED_RETRIES, LISTED_RETRIES); n++) {
    const { delayMs } = backoffDelay(n, factor, max, 0);
    cumulativeMs += delayMs;
    waits.push({ retry: n, waitMs: delayMs, cumulativeMs, jitterMs: n > 1 ? jitter : 0 });
  }
  const allowed = retry.allowedMethods as readonly string[] | null;
  const respectsRetryAfter = retry.respectRetryAfterHeader === true;
  return {
    order,
    retry: {
      methods: allowed === null ? 'any' : allowed,
      postOnForcelist: retry.postForcelist === true,
      statuses: retry.statusForcelist as number[],
      retryAfterStatuses: respectsRetryAfter && Boolean(counters.total) ? RETRY_AFTER_STATUSES : [],
      counters,
      maxRetries,
      waits,
      whenExhausted: retry.raiseOnStatus === false ? 'returns the last response' : 'throws MaxRetryError',
      respectsRetryAfter,
    },
  };
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

type Options = Readonly<Record<string, unknown>>;
const ms = (value: unknown) => seconds(Number(value));

// One line for each resilience middleware in the pipeline: what it does with its options.
const GUARDS: Readonly<Record<string, (o: Options) => string>> = {
  retryBudget: (o) =>
    `retries stop while ${Number(o.maxTokens) / 2} or fewer of ${o.maxTokens} tokens are left; a failure takes 1, a success gives ${o.tokenRatio} back${o.shared ? ' (shared budget)' : ''}`,
  circuitBreaker: (o) =>
    `per origin, opens after ${[o.consecutiveFailures === null ? '' : `${o.consecutiveFailures} failures in a row`, o.failureRatio === null ? '' : `${Number(o.failureRatio) * 100}% failed over ${ms(o.window)} (${o.minimumCalls}+ attempts)`].filter(Boolean).join(' or ')}; one probe after ${ms(o.coolDown)}`,
  rateLimit: (o) =>
    `per origin, ${o.rate === null ? 'no pace of its own' : `${o.rate} a second, bursts of ${o.burst}`}${o.respectHints ? '; waits out the server\'s rate-limit headers' : ''}; a wait over ${ms(o.maxWait)} fails`,
  authRefresh: (o) => `refreshes the ${o.header} token once for concurrent 401s, then replays each call once`,
  idempotencyKey: (o) => `one ${o.header} per ${(o.methods as string[]).join('/')} call${o.retryKeyed ? ', retried as an idempotent method' : ''}`,
};

/** The plan as text, with a bar per wait: people read a chart faster than a table. */
export function renderPlan(plan: Plan, width = 32): string {
  const lines = [`pipeline: ${plan.order.map((m) => m.name).join(' → ') || '(empty)'}`];
  for (const { name, options } of plan.order) if (name in GUARDS) lines.push(`${name}: ${GUARDS[name]!(options)}`);
  const r = plan.retry;
  if (r === undefined) return [...lines, 'no retry(): every request is sent once'].join('\n');
  const counters = Object.entries(r.counters)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const methods = r.methods === 'any' ? 'any method' : r.methods.join(' ');
  lines.push(
    `retries: ${methods}${r.postOnForcelist ? ' (and POST on the forcelist)' : ''}`,
    `  on statuses: ${r.statuses.join(', ') || 'none'}${r.retryAfterStatuses.length ? `; ${r.retryAfterStatuses.join(', ')} with Retry-After` : ''}`,
    '  on connect errors (any method), read errors (those methods), other errors',
    `  bounded by: ${counters || 'nothing (unbounded)'}`,
    `  when retries run out: ${r.whenExhausted}`,
  );
  if (r.waits.length === 0) return [...lines, 'waits: none (no retries)'].join('\n');
  const longest = Math.max(...r.waits.map((w) => w.waitMs), 1);
  lines.push(`waits before each retry${r.respectsRetryAfter ? ' (a Retry-After replaces them)' : ''}:`);
  for (const w of r.waits) {
    const bar = '█'.repeat(Math.round((w.waitMs / longest) * width)) || '▏';
    const jitter = w.jitterMs > 0 ? ` + up to ${seconds(w.jitterMs)} jitter` : '';
    lines.push(`  retry ${String(w.retry).padStart(2)}  ${bar.padEnd(width)}  ${seconds(w.waitMs)}${jitter}  (total ${seconds(w.cumulativeMs)})`);
  }
  if (r.maxRetries === null) lines.push(`  … and so on: no counter bounds the retries`);
  return lines.join('\n');
}
