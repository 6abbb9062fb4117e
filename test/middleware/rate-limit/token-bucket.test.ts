import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenBucket } from '../../../src/middleware/rate-limit/token-bucket.ts';

describe('the token bucket', () => {
  it('lets a burst go at once, then spaces callers by 1000 / rate ms in arrival order', () => {
    const bucket = tokenBucket(10, 3);
    const waits = Array.from({ length: 6 }, () => bucket.reserve(0));
    expect(waits).toEqual([0, 0, 0, 100, 200, 300]);
  });

  it('refills with time, up to the burst', () => {
    const bucket = tokenBucket(2, 2);
    expect([bucket.reserve(0), bucket.reserve(0)]).toEqual([0, 0]);
    expect(bucket.reserve(500)).toBe(0);
    expect(bucket.available(10_000)).toBe(2);
  });

  it('gives a cancelled reservation back', () => {
    const bucket = tokenBucket(1, 1);
    bucket.reserve(0);
    expect(bucket.reserve(0)).toBe(1000);
    bucket.cancel(0);
    expect(bucket.reserve(0)).toBe(1000);
  });

  it('holds every caller until a server reset, then paces from there', () => {
    const bucket = tokenBucket(10, 2);
    bucket.closeUntil(5_000);
    expect([bucket.reserve(1_000), bucket.reserve(1_000), bucket.reserve(1_000)]).toEqual([4_000, 4_000, 4_100]);
    expect(bucket.reserve(6_000)).toBe(0);
  });

  it('with rate Infinity only the server hints pace', () => {
    const bucket = tokenBucket(Infinity, 1);
    expect(Array.from({ length: 5 }, () => bucket.reserve(0))).toEqual([0, 0, 0, 0, 0]);
    bucket.closeUntil(300);
    expect(bucket.reserve(100)).toBe(200);
  });

  it('never admits more than burst + rate · t requests within t ms, for any arrivals', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 200 }),
        (rate, burst, arrivals) => {
          const bucket = tokenBucket(rate, burst);
          const sent = [...arrivals].sort((a, b) => a - b).map((at) => at + bucket.reserve(at));
          sent.sort((a, b) => a - b);
          // Any span [a, b] of send times holds at most burst + rate · (b − a) / 1000 sends.
          for (let i = 0; i < sent.length; i++) {
            for (let j = i; j < sent.length; j++) {
              expect(j - i + 1).toBeLessThanOrEqual(burst + (rate * (sent[j]! - sent[i]!)) / 1000 + 1e-6);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
