// The slot idempotencyKey({ retryKeyed: true }) sets for a keyed call and retry() reads.
import { callKey, type CallKey } from '../../core/context.ts';

// Written by idempotencyKey() with `retryKeyed`; read by retry(): the call is retried as an
// allowed (idempotent) method is, whatever its method.
export const idempotentSlot: CallKey<true> = callKey<true>('retry.idempotent');
