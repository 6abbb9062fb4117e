// The slot retryBudget() fills for each call and retry() reads: a veto on retry()'s retries.
import { callKey, type CallKey } from '../../core/context.ts';
import type { FetchpipeRequest } from '../../core/request.ts';

/** The failure retry() just counted, as a veto is shown it. */
export interface RetryVetoInfo {
  readonly request: FetchpipeRequest;
  /** The retry counter the failure spends from. */
  readonly kind: 'connect' | 'read' | 'other' | 'status';
  readonly error?: unknown;
  readonly response?: Response;
}

/**
 * Heard by retry() for every failure it counts, retried or not: answers why the retry must not
 * happen, or undefined to let it go. A reason ends the call as running out of retries does.
 */
export type RetryVeto = (info: RetryVetoInfo) => string | undefined;

// Written by retryBudget() for each call; read by retry() before every retry.
export const retryVetoSlot: CallKey<RetryVeto> = callKey<RetryVeto>('retry.veto');
