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

// A mark on request values, not a slot of the call: it follows a request and its copies, not the call.
// Requests redirect() handed to the platform after a hidden redirect. When such a request fails,
// the chain the platform followed failed (its redirect limit, or a later hop), which a page's
// bare "Failed to fetch" does not tell from a network failure: retry() must not send it again,
// and redirect() reports it. The request value is frozen, so the mark lives beside it.
const followedByPlatform = /* @__PURE__ */ new WeakSet<object>();

/**
 * Marks a request that the platform follows after a hidden redirect: `redirect()` marks what it
 * hands to the platform, `retry()` the copies it sends again of a marked request.
 */
export function markFollowedByPlatform<T extends object>(request: T): T {
  followedByPlatform.add(request);
  return request;
}

/** Whether the platform follows this request after a hidden redirect (retry() reads it). */
export function isFollowedByPlatform(request: object): boolean {
  return followedByPlatform.has(request);
}
