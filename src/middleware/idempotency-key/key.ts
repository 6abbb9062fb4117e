// The key of idempotencyKey(), alone. The IETF draft (draft-ietf-httpapi-idempotency-key-header)
// asks for a unique value per logical request and recommends a UUID; Stripe's SDKs send a
// version-4 UUID too. `crypto.randomUUID` exists in every runtime fetchpipe supports (Node 19+,
// Deno, Bun, and browsers in secure contexts); elsewhere the key is built from
// `crypto.getRandomValues`, which every one of them has, in the same format.

/** A random version-4 UUID, as the IETF draft recommends for an Idempotency-Key. */
export function randomKey(): string {
  const { crypto } = globalThis;
  if (typeof crypto.randomUUID === 'function') {
    // An insecure page (plain http, not localhost) has no randomUUID: it throws a TypeError there.
    try {
      return crypto.randomUUID();
    } catch {}
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Why a generated key cannot be sent as a header value, or undefined when it can. */
export function keyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string' || key.length === 0) return `a non-empty string, received ${typeof key === 'string' ? 'an empty string' : typeof key}`;
  if (/[\r\n\0]/.test(key) || /[^\x21-\x7e]/.test(key)) return 'printable ASCII with no spaces (a header value)';
  return undefined;
}
