// The veto retry() asks before each retry: a slot another middleware (retryBudget()) fills in
// for the call. retry() reports every failure it counts, retried or not, and a veto that
// answers a reason turns the retry into what running out of retries gives.
import type { FetchpipeRequest } from '../../core/request.ts';
import { getSlot, setSlot } from '../interim.ts';

/** The failure retry() just counted. */
export interface RetryVetoInfo {
  readonly request: FetchpipeRequest;
  readonly kind: 'connect' | 'read' | 'other' | 'status';
  readonly error?: unknown;
  readonly response?: Response;
}

/** Answers why the retry must not happen, or undefined to let it go. */
export type RetryVeto = (info: RetryVetoInfo) => string | undefined;

const SLOT = 'retry.veto';

export function setRetryVeto(request: FetchpipeRequest, veto: RetryVeto): void {
  setSlot(request, SLOT, veto);
}

export function getRetryVeto(request: FetchpipeRequest): RetryVeto | undefined {
  return getSlot<RetryVeto>(request, SLOT);
}

const IDEMPOTENT = 'retry.idempotent';

/** Marks the call idempotent whatever its method (idempotencyKey() does, for a keyed POST, on request). */
export function markIdempotent(request: FetchpipeRequest): void {
  setSlot(request, IDEMPOTENT, true);
}

/** Whether a middleware marked the call idempotent. */
export function markedIdempotent(request: FetchpipeRequest): boolean {
  return getSlot<boolean>(request, IDEMPOTENT) === true;
}
