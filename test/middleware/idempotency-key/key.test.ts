import { describe, expect, it } from 'vitest';
import { keyProblem, randomKey } from '../../../src/middleware/idempotency-key/key.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('idempotency keys', () => {
  it('are version-4 UUIDs, all different', () => {
    const keys = Array.from({ length: 1000 }, randomKey);
    for (const key of keys) expect(key).toMatch(UUID_V4);
    expect(new Set(keys).size).toBe(1000);
  });

  it('are still UUIDs where crypto.randomUUID is missing or throws (an insecure page)', () => {
    const original = globalThis.crypto.randomUUID;
    try {
      Object.defineProperty(globalThis.crypto, 'randomUUID', { value: () => { throw new TypeError('insecure'); }, configurable: true });
      expect(randomKey()).toMatch(UUID_V4);
      Object.defineProperty(globalThis.crypto, 'randomUUID', { value: undefined, configurable: true });
      expect(randomKey()).toMatch(UUID_V4);
    } finally {
      Object.defineProperty(globalThis.crypto, 'randomUUID', { value: original, configurable: true, writable: true });
    }
  });

  it('says why a generated key cannot be a header value', () => {
    expect(keyProblem('abc-123')).toBeUndefined();
    expect(keyProblem('')).toBe('a non-empty string, received an empty string');
    expect(keyProblem(42)).toBe('a non-empty string, received number');
    expect(keyProblem('a b')).toBe('printable ASCII with no spaces (a header value)');
    expect(keyProblem('a\r\nx: y')).toBe('printable ASCII with no spaces (a header value)');
  });
});
