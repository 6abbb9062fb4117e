// Properties of redirect() and retry() together (SPEC §7, issue #15), over random chains.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MaxRetryError, TooManyRedirectsError, createClient, redirect, retry, type FetchFunction } from '../../src/index.ts';

/** A fetch that answers each URL from its own list (the last repeats), counting every request. */
function perUrl(script: Record<string, Array<{ status: number; location?: string }>>) {
  const calls: string[] = [];
  const played = new Map<string, number>();
  const fetch: FetchFunction = async (input) => {
    const url = String(input);
    calls.push(url);
    const answers = script[url]!;
    const index = played.get(url) ?? 0;
    played.set(url, index + 1);
    const { status, location } = answers[Math.min(index, answers.length - 1)]!;
    const response = new Response(null, { status, headers: location === undefined ? {} : { location } });
    Object.defineProperty(response, 'url', { value: url });
    return response;
  };
  return { fetch, calls };
}

describe("redirect() in front of retry(): requests' model", () => {
  it('gives every hop its own budget: the call succeeds iff no hop fails more often than the budget allows', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(301, 302, 303, 307, 308),
        async (total, failures, status) => {
          // Hop i answers `failures[i]` 503s, then redirects to hop i+1 (the last one answers 200).
          const script: Record<string, Array<{ status: number; location?: string }>> = {};
          failures.forEach((n, i) => {
            const last = i === failures.length - 1;
            script[`http://h/${i}`] = [...Array.from({ length: n }, () => ({ status: 503 })), last ? { status: 200 } : { status, location: `/${i + 1}` }];
          });
          const { fetch, calls } = perUrl(script);
          const client = createClient([redirect(), retry({ total, statusForcelist: [503] })], { fetch });
          const outcome = await client('http://h/0').then((r) => r.status, (e: unknown) => e);
          const failing = failures.findIndex((n) => n > total);
          if (failing === -1) {
            expect(outcome).toBe(200);
            expect(calls).toHaveLength(failures.reduce((sum, n) => sum + n + 1, 0));
          } else {
            expect(outcome).toBeInstanceOf(MaxRetryError);
            // Every hop before the failing one, then total + 1 attempts at it.
            expect(calls).toHaveLength(failures.slice(0, failing).reduce((sum, n) => sum + n + 1, 0) + total + 1);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never counts redirects against the retry budget, and stops after 30 with TooManyRedirectsError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 3 }), async (hops, total) => {
        const script: Record<string, Array<{ status: number; location?: string }>> = {};
        for (let i = 0; i < hops; i++) script[`http://h/${i}`] = [{ status: 302, location: `/${i + 1}` }];
        script[`http://h/${hops}`] = [{ status: 200 }];
        const { fetch, calls } = perUrl(script);
        const outcome = await createClient([redirect(), retry({ total })], { fetch })('http://h/0').then((r) => r.status, (e: unknown) => e);
        if (hops <= 30) {
          expect(outcome).toBe(200);
          expect(calls).toHaveLength(hops + 1);
        } else {
          expect(outcome).toBeInstanceOf(TooManyRedirectsError);
          expect(calls).toHaveLength(31);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("a platform's own redirect limit", () => {
  // What each runtime's fetch throws when it followed too many redirects itself.
  const limitErrors = [
    () => new TypeError('fetch failed', { cause: new Error('redirect count exceeded') }),
    () => new TypeError('Fetch failed: Maximum number of redirects (20) reached'),
    () => Object.assign(new TypeError('TooManyRedirects: The response redirected too many times.'), { code: 'TooManyRedirects' }),
  ];

  it('is TooManyRedirectsError and is never retried, whatever the retry options', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...limitErrors),
        fc.record({
          total: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(null)),
          connect: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(null)),
          read: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(null)),
          other: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(null)),
        }),
        fc.constantFrom('GET', 'POST', 'PUT'),
        async (limit, options, method) => {
          let calls = 0;
          const fetch: FetchFunction = async () => {
            calls++;
            throw limit();
          };
          const error = await createClient([retry(options)], { fetch })('http://h/loop', { method }).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(TooManyRedirectsError);
          expect(calls).toBe(1);
        },
      ),
      { numRuns: 100 },
    );
  });
});
