// The shared cases about redirects where the platform shows them and where it hides them
// (issues #14 §5 and #15). They use real servers only and import nothing of msw, so that a
// Chromium module Worker can run them too (test/browser/worker.test.ts); cases.ts includes them.
import fc from 'fast-check';
import { authHeaders, createClient, isRedirectBlockedError, isTooManyRedirectsError, redirect, retry } from '../../../src/index.ts';
import type { Echo } from './backend.ts';
import type { Assert, Case, Runtime } from './cases.ts';

// The worker cannot load cases.ts (msw needs localStorage), hence these few helpers of its own.
const KEY = 'k3y-777-xyz';

/** The error a promise rejects with; fails if it resolves. (cases.ts uses it too.) */
export async function rejection(promise: Promise<unknown>, assert: Assert): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.ok(false, 'expected the call to fail, but it succeeded');
  return undefined;
}

function causeChain(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 6; current = current.cause, depth++) parts.push(`${current.name}: ${current.message}`);
  return parts.join(' <- ') || String(error);
}

function assertKeyNowhere(error: unknown, assert: Assert): void {
  for (let current = error, depth = 0; current instanceof Error && depth < 6; current = current.cause, depth++) {
    for (const text of [current.message, current.stack ?? '', String(current), JSON.stringify(current) ?? '']) assert.ok(!text.includes(KEY), `the key leaked into: ${text.slice(0, 300)}`);
  }
}

async function echoOf(response: Response): Promise<Echo> {
  return (await response.json()) as Echo;
}

// Requests a redirect loop gets from one attempt whose fetch follows by itself: Node (undici),
// Deno and Chromium stop after 20 redirects (21 requests), Bun after 127 requests. Chromium adds
// redirect()'s manual request, whose hidden answer made it hand the call to the platform.
const LOOP_REQUESTS: Record<Runtime, number> = { node: 21, deno: 21, bun: 127, chromium: 22 };

export const redirectCases: readonly Case[] = [
  {
    name: 'a platform’s own redirect limit is TooManyRedirectsError, never retried',
    inWorker: true,
    async run({ assert, backend, runtime, seesRedirects }) {
      const id = `${runtime}-${Math.random().toString(36).slice(2)}`;
      // Where redirects are visible, fetch follows by itself only without redirect(). Where they
      // are hidden, redirect() hands the call to the platform once its manual request was
      // answered with a redirect, so the failure of that chain (a page's fetch says only "Failed
      // to fetch") is known to be one; with the presets' order, retry() behind it.
      const client = createClient(seesRedirects ? [retry({ total: 3 })] : [redirect(), retry({ total: 3 })]);

      const error = await rejection(client(`${backend.origin}/loop?id=${id}`), assert);

      assert.ok(isTooManyRedirectsError(error), `expected TooManyRedirectsError, got ${causeChain(error)}`);
      const entered = (await (await fetch(`${backend.origin}/count?id=${id}`)).json()) as number;
      // One attempt, up to the platform's limit; retried, it would be four times as many.
      assert.equal(entered, LOOP_REQUESTS[runtime], `the loop was entered ${entered} times`);
    },
  },
  {
    name: 'never lets custom credentials reach another origin through a redirect, whether the platform shows it or hides it',
    inWorker: true,
    async run({ assert, backend, seesRedirects }) {
      const away = `${backend.origin}/redirect?to=${encodeURIComponent(`${backend.otherOrigin}/echo`)}`;
      const client = createClient([redirect(), authHeaders({ 'X-API-Key': KEY })]);

      if (seesRedirects) {
        const echo = await echoOf(await client(away));
        assert.equal(echo.headers['x-api-key'], undefined);
      } else {
        // The platform would follow and forward X-API-Key: the safe default refuses instead.
        const error = await rejection(client(away), assert);
        assert.ok(isRedirectBlockedError(error), `expected RedirectBlockedError, got ${causeChain(error)}`);
        assert.match((error as Error).message, /x-api-key/);
        assertKeyNowhere(error, assert);
      }
    },
  },
  {
    name: 'follows a redirect without custom credentials everywhere; hidden: follow lets a hiding platform forward them',
    inWorker: true,
    async run({ assert, backend, seesRedirects }) {
      const away = `${backend.origin}/redirect?to=${encodeURIComponent(`${backend.otherOrigin}/echo`)}`;

      const plain = await createClient([redirect()])(away);
      assert.ok(plain.redirected, 'the response says it was redirected');
      assert.equal((await echoOf(plain)).path, '/echo');

      const optedOut = createClient([redirect({ hidden: 'follow' }), authHeaders({ 'X-API-Key': KEY })]);
      const echo = await echoOf(await optedOut(away));
      // The documented trade-off: where the platform follows, it forwards the header; where
      // redirect() follows, it strips it, whatever `hidden` says.
      assert.equal(echo.headers['x-api-key'], seesRedirects ? undefined : KEY);
    },
  },
  {
    name: 'property: over random redirect chains between two origins, no credential reaches the other origin, nor comes back',
    inWorker: true,
    async run({ assert, backend, seesRedirects }) {
      const hop = fc.record({ other: fc.boolean(), status: fc.constantFrom(301, 302, 303, 307, 308) });
      await fc.assert(
        fc.asyncProperty(fc.array(hop, { minLength: 1, maxLength: 5 }), fc.boolean(), fc.constantFrom('GET', 'PUT'), async (hops, endsOther, method) => {
          // Built from the end: each hop redirects to the rest of the chain, which ends at /echo.
          let url = `${endsOther ? backend.otherOrigin : backend.origin}/echo`;
          for (const { other, status } of [...hops].reverse()) {
            url = `${other ? backend.otherOrigin : backend.origin}/redirect?status=${status}&to=${encodeURIComponent(url)}`;
          }
          // The chain starts on the first origin.
          url = `${backend.origin}/redirect?status=302&to=${encodeURIComponent(url)}`;
          const client = createClient([redirect(), retry({ total: 1 }), authHeaders({ 'X-API-Key': KEY })]);
          const init = method === 'PUT' ? { method, body: 'payload' } : {};
          if (!seesRedirects) {
            const error = await rejection(client(url, init), assert);
            assert.ok(isRedirectBlockedError(error), `expected RedirectBlockedError, got ${causeChain(error)}`);
            return;
          }
          const echo = await echoOf(await client(url, init));
          const left = hops.some((h) => h.other) || endsOther;
          assert.equal(echo.headers['x-api-key'], left ? undefined : KEY, `chain ${JSON.stringify(hops)} ending ${endsOther ? 'away' : 'home'}`);
        }),
        { numRuns: 25 },
      );
    },
  },
];
