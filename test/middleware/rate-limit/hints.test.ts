import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { policyWindow, readHint } from '../../../src/middleware/rate-limit/hints.ts';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const hint = (headers: Record<string, string>, status = 200, retryAfterMs?: number) => readHint(new Headers(headers), status, NOW, retryAfterMs);

describe('rate-limit hints', () => {
  it('reads the IETF RateLimit field (draft 8+), the tightest policy winning', () => {
    expect(hint({ ratelimit: '"default";r=0;t=30' })).toEqual({ remaining: 0, resetMs: 30_000, source: 'ratelimit' });
    expect(hint({ ratelimit: '"hour";r=50;t=3000, "minute";r=2;t=12' })).toEqual({ remaining: 2, resetMs: 12_000, source: 'ratelimit' });
  });

  it('takes the reset from RateLimit-Policy\'s window when RateLimit has none', () => {
    expect(hint({ ratelimit: '"default";r=0', 'ratelimit-policy': '"default";q=100;w=60' })).toEqual({ remaining: 0, resetMs: 60_000, source: 'ratelimit' });
    expect(policyWindow('"day";q=1000;w=86400, "minute";q=10;w=60')).toBe(60);
    expect(policyWindow(null)).toBeUndefined();
  });

  it('reads the earlier drafts: a dictionary, and RateLimit-Remaining / RateLimit-Reset', () => {
    expect(hint({ ratelimit: 'limit=100, remaining=0, reset=7' })).toEqual({ remaining: 0, resetMs: 7_000, source: 'ratelimit' });
    expect(hint({ 'ratelimit-remaining': '3', 'ratelimit-reset': '2' })).toEqual({ remaining: 3, resetMs: 2_000, source: 'ratelimit' });
  });

  it('reads X-RateLimit-Reset as a delta in seconds, or as epoch seconds', () => {
    expect(hint({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '15' })).toEqual({ remaining: 0, resetMs: 15_000, source: 'x-ratelimit' });
    const epoch = String(NOW / 1000 + 42);
    expect(hint({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': epoch })).toEqual({ remaining: 0, resetMs: 42_000, source: 'x-ratelimit' });
    expect(hint({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 - 5) })).toEqual({ remaining: 0, resetMs: 0, source: 'x-ratelimit' });
  });

  it('reads retry-after-ms and a parsed Retry-After on 429 and 503 only', () => {
    expect(hint({ 'retry-after-ms': '250' }, 429)).toEqual({ remaining: 0, resetMs: 250, source: 'retry-after-ms' });
    expect(hint({ 'retry-after-ms': '250' }, 200)).toBeUndefined();
    expect(hint({}, 503, 2_000)).toEqual({ remaining: 0, resetMs: 2_000, source: 'retry-after' });
    expect(hint({}, 500, 2_000)).toBeUndefined();
  });

  it('ignores malformed values rather than throwing, for any header text', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('ratelimit', 'ratelimit-policy', 'ratelimit-remaining', 'ratelimit-reset', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after-ms'),
        fc.string({ maxLength: 40 }).map((s) => s.replace(/[\r\n\0]/g, '')),
        fc.constantFrom(200, 429, 503),
        (name, value, status) => {
          const read = readHint(new Headers([[name, value]]), status, NOW);
          if (read === undefined) return;
          // Whatever was read is a usable number.
          if (read.remaining !== undefined) expect(Number.isFinite(read.remaining) && read.remaining >= 0).toBe(true);
          if (read.resetMs !== undefined) expect(Number.isFinite(read.resetMs) && read.resetMs >= 0).toBe(true);
        },
      ),
    );
  });

  it('reads every well-formed IETF field to its smallest remaining, for any policies', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ r: fc.nat(1000), t: fc.nat(100_000) }), { minLength: 1, maxLength: 5 }), (policies) => {
        const field = policies.map(({ r, t }, i) => `"p${i}";r=${r};t=${t}`).join(', ');
        const read = hint({ ratelimit: field })!;
        const tightest = policies.reduce((a, b) => (b.r < a.r ? b : a));
        expect(read).toEqual({ remaining: tightest.r, resetMs: tightest.t * 1000, source: 'ratelimit' });
      }),
    );
  });
});
