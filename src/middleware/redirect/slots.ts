// The slots through which redirect() and a retry() in front of it cooperate.
import { callKey, type CallKey } from '../../core/context.ts';
import type { FetchpipeRequest } from '../../core/request.ts';

/** What a redirect may do when a budget such as `retry()` stands in front of `redirect()` (see SPEC §7). */
export type RedirectPolicy = (request: FetchpipeRequest, response: Response, location: string) => 'follow' | 'return';

/**
 * redirect()'s extension point: who decides whether a hop is followed. Written by `retry()`,
 * which spends its `redirect` and `total` counters on each hop; read by `redirect()` only,
 * which without a policy counts hops against its own `max`.
 */
export const redirectPolicySlot: CallKey<RedirectPolicy> = /* @__PURE__ */ callKey<RedirectPolicy>('redirect.policy');

/**
 * The latest hop `redirect()` sent, with the caller's own init. Written by `redirect()`; read
 * by `retry()` in front of it, which re-sends that hop, not the first request, after a failure.
 */
export const currentHopSlot: CallKey<FetchpipeRequest> = /* @__PURE__ */ callKey<FetchpipeRequest>('redirect.currentHop');
