// One abort at one moment of a call through the full stack (retry, backoff, redirect, timeout,
// pool), measured: how fast the call settles after abort(), with what, and whether anything
// of it still runs afterwards. Shared by the in-process property and the child process.
import { backoff, createClient, pool, redirect, retry, timeout, type FetchpipeEvent } from '../../src/index.ts';

export const MOMENTS = ['before-send', 'connect', 'headers', 'body', 'backoff', 'pool-queue'] as const;
export type Moment = (typeof MOMENTS)[number];
export const REASONS = ['none', 'error', 'string', 'object'] as const;

export interface AbortCase {
  readonly moment: Moment;
  /** Milliseconds between reaching the moment and calling abort(). */
  readonly delayMs: number;
  readonly reason: (typeof REASONS)[number];
}

export interface Origins {
  readonly origin: string;
  /** A server that never accepts (see startSlowAcceptServer), or undefined where there is none. */
  readonly slowOrigin: string | undefined;
}

export interface AbortResult {
  readonly moment: Moment;
  /** Milliseconds from abort() to the call (or body read) settling. */
  readonly settleMs: number;
  /**
   * Milliseconds from abort() until a zero-delay timer set at that moment fired: how late the
   * event loop itself was. On a loaded machine it is part of settleMs without being the library's.
   */
  readonly loopLagMs: number;
  /** Whether it rejected with the signal's reason itself. */
  readonly sameReason: boolean;
  readonly outcome: string;
  /** Attempts the client made (events), and how many came after it settled. */
  readonly attempts: number;
  readonly eventsAfterSettle: number;
  readonly key: string;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function reasonFor(kind: AbortCase['reason']): unknown {
  if (kind === 'error') return new Error('caller gave up');
  if (kind === 'string') return 'caller gave up';
  if (kind === 'object') return { why: 'caller gave up' };
  return undefined;
}

/** Runs one case; `seeSignal` receives the caller's signal, for a later look at its listeners. */
export async function runAbortCase(origins: Origins, c: AbortCase, key: string, seeSignal?: (signal: AbortSignal) => void): Promise<AbortResult> {
  const events: FetchpipeEvent[] = [];
  let backoffStarted: () => void = () => {};
  const inBackoff = new Promise<void>((resolve) => (backoffStarted = resolve));
  const client = createClient(
    [
      retry({ total: 5, statusForcelist: [503] }),
      backoff({ factor: 1_000 }),
      redirect(),
      timeout({ read: 10_000, total: 30_000 }),
      pool({ block: true, maxsize: 1 }),
    ],
    {
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'wait' && event.delayMs > 0) backoffStarted();
      },
    },
  );
  const controller = new AbortController();
  seeSignal?.(controller.signal);
  const reason = reasonFor(c.reason);
  const holder = new AbortController();
  let abortedAt = 0;
  let lagAt = Number.POSITIVE_INFINITY;
  const abort = (): void => {
    abortedAt = performance.now();
    setTimeout(() => (lagAt = performance.now()), 0);
    controller.abort(reason);
  };
  const { origin } = origins;
  let call: Promise<unknown>;
  switch (c.moment) {
    case 'before-send':
      abort();
      call = client(`${origin}/ok?key=${key}`, { signal: controller.signal });
      break;
    case 'connect': {
      const target = origins.slowOrigin === undefined ? `${origin}/hang` : `${origins.slowOrigin}/`;
      call = client(`${target}?key=${key}`, { signal: controller.signal });
      await wait(c.delayMs);
      abort();
      break;
    }
    case 'headers':
      call = client(`${origin}/hang?key=${key}`, { signal: controller.signal });
      await wait(c.delayMs);
      abort();
      break;
    case 'body': {
      const response = await client(`${origin}/trickle?gap=20&chunks=200&key=${key}`, { signal: controller.signal });
      call = response.arrayBuffer();
      await wait(c.delayMs);
      abort();
      break;
    }
    case 'backoff':
      call = client(`${origin}/seq?key=${key}&steps=503~retry-after=5,ok`, { signal: controller.signal });
      await inBackoff;
      await wait(c.delayMs);
      abort();
      break;
    case 'pool-queue': {
      // The first call holds the only slot on a hanging request; ours waits behind it.
      const held = client(`${origin}/hang?key=${key}-holder`, { signal: holder.signal }).catch(() => {});
      call = client(`${origin}/ok?key=${key}`, { signal: controller.signal });
      await wait(c.delayMs);
      abort();
      call.catch(() => {}).finally(() => {
        holder.abort();
        return held;
      });
      break;
    }
  }
  let outcome = 'resolved';
  let sameReason = false;
  try {
    await call;
  } catch (error) {
    sameReason = error === controller.signal.reason;
    outcome = error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
  }
  const settledAt = performance.now();
  const settleMs = settledAt - abortedAt;
  holder.abort();
  const ours = (): FetchpipeEvent[] => events.filter((event) => new URL(event.url).searchParams.get('key') === key);
  const seen = ours().length;
  // Long enough for an attempt that was wrongly let through to reach the client's events.
  await wait(60);
  return {
    moment: c.moment,
    settleMs,
    // When the call settled before the reference timer fired, the loop was not late for it.
    loopLagMs: Math.min(lagAt, settledAt) - abortedAt,
    sameReason,
    outcome,
    attempts: ours().filter((event) => event.type === 'attempt').length,
    eventsAfterSettle: ours().length - seen,
    key,
  };
}
