// The slot idempotencyKey({ retryKeyed: true }) sets for a keyed call and retry() reads.
import { callKey } from '../../core/context.ts';

// Written by idempotencyKey() with `retryKeyed`; read by retry(): the call is retried as an
// allowed (idempotent) method is, whatever its method.
export const idempotentSlot = callKey<true>('retry.idempotent');
