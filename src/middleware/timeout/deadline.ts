// The slot timeout({ total }) leaves for the middlewares inside it.
import { callKey, type CallKey } from '../../core/context.ts';

/**
 * The `Date.now()` by which the whole call must end. Written by `timeout({ total })` on the
 * first attempt; read by `backoff()` (a wait that would pass it fails at once) and `pool()`
 * (a queued request waits no longer), and by any middleware that waits.
 */
export const deadlineSlot: CallKey<number> = /* @__PURE__ */ callKey<number>('timeout.deadline');
